import { Link } from 'react-router'
import { purse } from '../purse.ts'
import { AuthForm } from './AuthForm.tsx'

export default function SignIn() {
  return (
    <AuthForm
      title="Sign in"
      fields={[
        { name: 'email', type: 'email', label: 'Email', autoComplete: 'email' },
        { name: 'password', type: 'password', label: 'Password', autoComplete: 'current-password' },
      ]}
      submit={{ label: 'Sign in', pending: 'Signing in…' }}
      start={(form) =>
        purse.auth.login({
          email: String(form.get('email')),
          password: String(form.get('password')),
        })
      }
      footer={(nextQuery) => (
        <>
          <Link to="/forgot-password">Forgot your password?</Link>
          <br />
          New to Purse? <Link to={`/sign-up${nextQuery}`}>Create an account</Link>
        </>
      )}
    />
  )
}
