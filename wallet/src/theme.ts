import { createTheme } from '@mui/material/styles'

/** Purse's look for people (the console shares the colours): calm green, big numbers, round corners. */
export const theme = createTheme({
  palette: {
    primary: { main: '#1b7a5a', contrastText: '#ffffff' },
    secondary: { main: '#0b3d2e' },
    background: { default: '#f4f7f5', paper: '#ffffff' },
    error: { main: '#b3261e' },
    success: { main: '#1b7a5a' },
  },
  shape: { borderRadius: 14 },
  typography: {
    fontFamily:
      'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
    h1: { fontSize: '2.75rem', fontWeight: 700, letterSpacing: '-0.02em' },
    h2: { fontSize: '1.5rem', fontWeight: 700 },
    h3: { fontSize: '1.15rem', fontWeight: 600 },
    // A part of a card (the authenticator app, passkeys): a step below its card's title.
    h4: { fontSize: '1rem', fontWeight: 600 },
    button: { textTransform: 'none', fontWeight: 600 },
  },
  components: {
    MuiButton: { defaultProps: { disableElevation: true, size: 'large' } },
    MuiTextField: { defaultProps: { fullWidth: true } },
    MuiPaper: {
      defaultProps: { elevation: 0 },
      styleOverrides: { root: { border: '1px solid #e1e8e4' } },
    },
    MuiAppBar: { styleOverrides: { root: { border: 'none' } } },
  },
})
