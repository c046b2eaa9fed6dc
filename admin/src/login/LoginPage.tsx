import AccountBalanceWalletIcon from '@mui/icons-material/AccountBalanceWallet'
import { Typography } from '@mui/material'
import { Login, LoginForm, PasswordInput, TextInput, required } from 'react-admin'

/** Purse's sign-in for staff: email and password, under the console's own name. */
export function LoginPage() {
  return (
    <Login
      avatarIcon={<AccountBalanceWalletIcon />}
      sx={{ backgroundImage: 'linear-gradient(135deg, #0b3d2e 0%, #1b7a5a 100%)' }}
    >
      <Typography component="h1" variant="h5" align="center" sx={{ mt: 1 }}>
        Purse console
      </Typography>
      <Typography variant="body2" align="center" color="text.secondary" sx={{ mb: 1 }}>
        For support and admin staff
      </Typography>
      <LoginForm>
        <TextInput
          autoFocus
          source="email"
          label="Email"
          type="email"
          autoComplete="email"
          validate={required()}
        />
        <PasswordInput
          source="password"
          label="Password"
          autoComplete="current-password"
          validate={required()}
        />
        <TextInput
          source="code"
          label="Authenticator code, if two-step is on"
          autoComplete="one-time-code"
        />
      </LoginForm>
    </Login>
  )
}
