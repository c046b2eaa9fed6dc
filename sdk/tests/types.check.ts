/**
 * Type tests: compiled by `tsc --noEmit` in `npm run typecheck`. Each
 * @ts-expect-error must meet an error, or the compiler fails the build.
 */
import { createPurseClient } from '../src/index.ts'

const client = createPurseClient({ baseUrl: 'http://localhost' })

export async function typeTests() {
  // @ts-expect-error amounts are numbers of minor units, never strings
  await client.transfers.create({ receiver_id: 'x', amount: '10.00' })
  // @ts-expect-error a misspelt field is refused
  await client.transfers.create({ reciever_id: 'x', amount: 10 })
  // @ts-expect-error amount is required
  await client.transfers.create({ receiver_id: 'x' })
  // @ts-expect-error the receiver is named once, by email or by id, not both
  await client.transfers.create({ receiver_id: 'x', receiver_email: 'bob@example.com', amount: 1 })
  // @ts-expect-error a payment names its receiver
  await client.transfers.create({ amount: 1 })
  const sent = await client.transfers.create({ receiver_email: 'bob@example.com', amount: 1005 })
  const amount: number = sent.amount
  // @ts-expect-error status is the literal "completed"
  const wrong: 'pending' = sent.status
  return { amount, wrong }
}

export function eventTypes(event: import('../src/index.ts').PurseEvent) {
  if (event.type === 'transfer.completed') {
    const amount: number = event.data.amount
    return amount
  }
  if (event.type === 'account.frozen') {
    const status: 'active' | 'frozen' = event.data.status
    // @ts-expect-error an account event carries a person, not a transfer
    return event.data.amount + status
  }
  return null
}
