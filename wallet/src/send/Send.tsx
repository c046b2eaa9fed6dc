import type { Claim, Transfer, User } from '@purse/sdk'
import { useState } from 'react'
import { useSearchParams } from 'react-router'
import { Failed, Loading } from '../common/states.tsx'
import { useCapabilities, useWallets } from '../wallets/queries.ts'
import type { Draft, Payment } from './draft.ts'
import { Review } from './Review.tsx'
import { SendForm } from './SendForm.tsx'
import { Sent } from './Sent.tsx'
import { Waiting } from './Waiting.tsx'

type Step =
  | { name: 'form' }
  | { name: 'review'; payment: Payment; key: string }
  | { name: 'sent'; transfer: Transfer }
  | { name: 'waiting'; claim: Claim }

/**
 * Send money in three steps: write it, review it in words, see it done.
 * Opening the review makes one Idempotency-Key for that confirmation; every
 * retry of it reuses the key, so a double-click or a lost answer pays once.
 * Editing the payment starts a new one.
 */
export default function Send({ user }: { user: User }) {
  const [params] = useSearchParams()
  const wallets = useWallets()
  const capabilities = useCapabilities()
  const [draft, setDraft] = useState<Draft | null>(null)
  const [step, setStep] = useState<Step>({ name: 'form' })

  if (wallets.isPending || capabilities.isPending) return <Loading />
  if (wallets.isError) return <Failed error={wallets.error} retry={() => void wallets.refetch()} />
  if (capabilities.isError)
    return <Failed error={capabilities.error} retry={() => void capabilities.refetch()} />

  const current = draft ?? {
    to: params.get('to') ?? '',
    amount: '',
    currency: params.get('currency') ?? wallets.data[0]?.currency ?? 'USD',
    description: '',
  }
  if (step.name === 'review')
    return (
      <Review
        payment={step.payment}
        idempotencyKey={step.key}
        wallets={wallets.data}
        onEdit={() => setStep({ name: 'form' })}
        onNewKey={() => setStep({ ...step, key: crypto.randomUUID() })}
        onSent={(transfer) => setStep({ name: 'sent', transfer })}
        onWaiting={(claim) => setStep({ name: 'waiting', claim })}
      />
    )
  if (step.name === 'waiting')
    return (
      <Waiting
        claim={step.claim}
        onAnother={() => {
          setDraft(null)
          setStep({ name: 'form' })
        }}
      />
    )
  if (step.name === 'sent')
    return (
      <Sent
        transfer={step.transfer}
        onAnother={() => {
          setDraft(null)
          setStep({ name: 'form' })
        }}
      />
    )
  return (
    <SendForm
      user={user}
      draft={current}
      wallets={wallets.data}
      limits={{
        amountMax: capabilities.data.transfer_amount_max,
        descriptionMax: capabilities.data.description_length_max,
      }}
      onChange={setDraft}
      onReview={(payment) => setStep({ name: 'review', payment, key: crypto.randomUUID() })}
    />
  )
}
