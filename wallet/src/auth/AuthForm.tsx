import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import type { Session } from '@purse/sdk'
import type { ReactNode } from 'react'
import { Navigate } from 'react-router'
import { fieldErrors, problemText } from '../common/problems.ts'
import { useSession, useStartSession } from '../session.ts'
import { OpenCard } from './OpenCard.tsx'

export interface AuthField {
  name: string
  label: string
  type?: 'email' | 'password'
  autoComplete: string
  /** Shown under the field until the API says what is wrong with it. */
  hint?: string
}

interface Props {
  title: string
  fields: AuthField[]
  submit: { label: string; pending: string }
  start: (form: FormData) => Promise<Session>
  /** The way to the other form, keeping where the person was headed (`?next=`). */
  footer: (nextQuery: string) => ReactNode
}

/**
 * The signed-out screens: the brand, a title and one form whose errors come
 * from the API, per field where it names one. Someone already signed in
 * goes straight where they were headed.
 */
export function AuthForm({ title, fields, submit, start, footer }: Props) {
  const session = useSession()
  const { mutation, next, nextQuery } = useStartSession(start)
  if (session.data) return <Navigate to={next} replace />
  const errors = fieldErrors(mutation.error)
  return (
    <OpenCard title={title}>
      <Stack
        component="form"
        spacing={2}
        onSubmit={(e) => {
          e.preventDefault()
          mutation.mutate(new FormData(e.currentTarget))
        }}
      >
        {mutation.isError && <Alert severity="error">{problemText(mutation.error)}</Alert>}
        {fields.map((field) => (
          <TextField
            key={field.name}
            name={field.name}
            type={field.type}
            label={field.label}
            autoComplete={field.autoComplete}
            required
            error={!!errors[field.name]}
            helperText={errors[field.name] ?? field.hint}
          />
        ))}
        <Button type="submit" variant="contained" disabled={mutation.isPending}>
          {mutation.isPending ? submit.pending : submit.label}
        </Button>
        <Typography>{footer(nextQuery)}</Typography>
      </Stack>
    </OpenCard>
  )
}
