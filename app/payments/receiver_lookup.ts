import User from '#models/user'
import { RecentValues } from '#platform/recent_values'

/** Who a payment goes to: exactly one of an email or an id (the validator sees to it). */
export type Receiver = { receiver_email: string } | { receiver_id: string }

/**
 * Receivers looked up in the last few seconds, by id and by email. Ids,
 * emails and names never change; a status may, so a remembered receiver is
 * only trusted to be active: ledger-core refuses money into a frozen account
 * whatever the app believes (a freeze reaches the ledger accounts in the
 * same request that marks the person).
 */
const recent_receivers = new RecentValues<User>(5_000)

/** `fresh` skips what is remembered (to look again before refusing). */
export function findReceiver(receiver: Receiver, fresh = false): Promise<User | null> {
  if ('receiver_id' in receiver)
    return recent_receivers.get(receiver.receiver_id, () => User.find(receiver.receiver_id), fresh)
  const email = receiver.receiver_email
  return recent_receivers.get(`email:${email}`, () => User.findBy('email', email), fresh)
}
