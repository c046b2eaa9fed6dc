import { randomUUID } from 'node:crypto'
import type { ApiClient } from '@japa/api-client'

export const password = 'correct horse battery'

/** A fresh user, signed up through the API; returns the register response body. */
export async function signUp(client: ApiClient, name = 'Test User') {
  const email = `${randomUUID()}@example.com`
  const response = await client
    .post('/api/v1/auth/register')
    .json({ email, password, full_name: name })
  response.assertStatus(201)
  return { ...response.body(), email } as {
    user: { id: string; email: string; full_name: string; email_verified: boolean }
    access_token: string
    refresh_token: string
    email: string
  }
}

/** A fresh user holding `amount` cents of USD. */
export async function fundedUser(client: ApiClient, amount: number, name = 'Funded User') {
  const person = await signUp(client, name)
  if (amount > 0) {
    const deposit = await client
      .post('/api/v1/deposits')
      .bearerToken(person.access_token)
      .json({ amount })
    deposit.assertStatus(201)
  }
  return person
}

/** The balance of the person's wallet in `currency` (USD unless named). */
export async function balanceOf(client: ApiClient, token: string, currency = 'USD') {
  const wallets = await client.get('/api/v1/wallets').bearerToken(token)
  wallets.assertStatus(200)
  const wallet = wallets.body().data.find((w: { currency: string }) => w.currency === currency)
  return wallet.balance as number
}

/** A fresh user with a staff role (set the way `node ace users:promote` sets it). */
export async function staff(client: ApiClient, role: 'support' | 'admin') {
  const { default: db } = await import('@adonisjs/lucid/services/db')
  const person = await signUp(client, `${role} person`)
  await db.from('users').where('id', person.user.id).update({ role })
  return person
}

/** The ledger's invariants as staff read them (balances sum to zero per currency, …): true when all hold. */
export async function ledgerHolds(client: ApiClient) {
  const admin = await staff(client, 'admin')
  const report = await client.get('/api/v1/admin/ledger/invariants').bearerToken(admin.access_token)
  report.assertStatus(200)
  return report.body().ok as boolean
}
