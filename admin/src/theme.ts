import { defaultTheme, type RaThemeOptions } from 'react-admin'

/** Purse's colours on react-admin's default theme. */
export const purseTheme: RaThemeOptions = {
  ...defaultTheme,
  palette: {
    ...defaultTheme.palette,
    primary: { main: '#1b7a5a' },
    secondary: { main: '#0b3d2e' },
  },
}
