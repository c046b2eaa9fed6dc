/** The shapes of API keys, shared by the keys module and its transformer; they import nothing. */

/** What a key may be allowed to do; a key never does more than its owner. */
export const api_key_scopes = [
  'wallets:read',
  'wallets:write',
  'transfers:read',
  'transfers:write',
  'events:read',
  'webhooks:manage',
] as const
export type Scope = (typeof api_key_scopes)[number]

export interface ApiKeyRow {
  id: string
  user_id: string
  name: string
  prefix: string
  scopes: Scope[]
  created_at: Date
  last_used_at: Date | null
  expires_at: Date | null
  revoked_at: Date | null
}
