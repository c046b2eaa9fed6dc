import { mfaChallengeOf } from '@purse/sdk'
import { useState } from 'react'
import { Link } from 'react-router'
import { purse } from '../purse.ts'
import { passkeysSupported } from '../common/webauthn.ts'
import { AuthForm } from './AuthForm.tsx'
import { PasskeySignIn } from './PasskeySignIn.tsx'
import { SecondStep, type Challenge } from './SecondStep.tsx'

export default function SignIn() {
  const [challenge, setChallenge] = useState<Challenge | null>(null)
  if (challenge) return <SecondStep challenge={challenge} onRestart={() => setChallenge(null)} />
  return (
    <AuthForm
      title="Sign in"
      fields={[
        { name: 'email', type: 'email', label: 'Email', autoComplete: 'email webauthn' },
        { name: 'password', type: 'password', label: 'Password', autoComplete: 'current-password' },
      ]}
      submit={{ label: 'Sign in', pending: 'Signing in…' }}
      start={async (form) => {
        try {
          return await purse.auth.login({
            email: String(form.get('email')),
            password: String(form.get('password')),
          })
        } catch (error) {
          // The password was right; the second step takes over this screen.
          const next = mfaChallengeOf(error)
          if (next) setChallenge(next)
          throw error
        }
      }}
      footer={(nextQuery) => (
        <>
          {passkeysSupported() && <PasskeySignIn />}
          <Link to="/forgot-password">Forgot your password?</Link>
          <br />
          New to Purse? <Link to={`/sign-up${nextQuery}`}>Create an account</Link>
        </>
      )}
    />
  )
}
