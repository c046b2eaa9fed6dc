import { Link } from 'react-router'
import { purse } from '../purse.ts'
import { AuthForm } from './AuthForm.tsx'

export default function SignUp() {
  return (
    <AuthForm
      title="Create your Purse"
      fields={[
        { name: 'full_name', label: 'Full name', autoComplete: 'name' },
        {
          name: 'email',
          type: 'email',
          label: 'Email',
          autoComplete: 'email',
          hint: 'People pay you with this address',
        },
        {
          name: 'password',
          type: 'password',
          label: 'Password',
          autoComplete: 'new-password',
          hint: 'At least 8 characters',
        },
      ]}
      submit={{ label: 'Create account', pending: 'Creating your account…' }}
      start={(form) =>
        purse.auth.register({
          full_name: String(form.get('full_name')),
          email: String(form.get('email')),
          password: String(form.get('password')),
        })
      }
      footer={(nextQuery) => (
        <>
          Already have an account? <Link to={`/sign-in${nextQuery}`}>Sign in</Link>
        </>
      )}
    />
  )
}
