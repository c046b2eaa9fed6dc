import type User from '#models/user'

/** A user as the API shows it: never a password hash or a token. */
export function userToJson(user: User) {
  return {
    id: user.id,
    email: user.email,
    full_name: user.fullName,
    phone: user.phone,
    role: user.role,
    status: user.status,
    email_verified: user.emailVerifiedAt !== null,
    created_at: user.createdAt.toISO(),
  }
}

/** Another person, as a transfer names them. */
export function partyToJson(user: Pick<User, 'id' | 'fullName'> | null) {
  return user ? { id: user.id, full_name: user.fullName } : null
}

/** A users row (snake_case columns) as the API shows a user. */
export function userRowToJson(row: any) {
  return {
    id: row.id,
    email: row.email,
    full_name: row.full_name,
    phone: row.phone,
    role: row.role,
    status: row.status,
    email_verified: row.email_verified_at !== null && row.email_verified_at !== undefined,
    created_at: new Date(row.created_at).toISOString(),
  }
}
