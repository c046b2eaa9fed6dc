import vine from '@vinejs/vine'
import { audit_targets } from '#audit/audit_log'
import { instant } from '#validators/instant'
import { displayText } from '#validators/display_text'
import { characters } from '#validators/text_length'
import { minorUnits } from '#validators/money_validators'

/** Audited, and shown in people's history as a reversal's or an adjustment's description. */
const reason = displayText(500, 3)
const cursor = vine.string().maxLength(200).optional()
const limit = vine.number().withoutDecimals().min(1).max(100).optional()

export const reasonValidator = vine.create({ reason })

export const adjustmentValidator = vine.create({
  // Signed: positive credits the wallet, negative debits it.
  amount: minorUnits(-100_000_000, 100_000_000),
  reason,
})

export const listUsersValidator = vine.create({
  q: vine
    .string()
    .trim()
    .use(characters({ min: 0, max: 100 }))
    .optional(),
  limit,
  cursor,
})

export const listAdminTransfersValidator = vine.create({
  user_id: vine.string().uuid().optional(),
  kind: vine.enum(['p2p', 'deposit', 'reversal', 'adjustment', 'refund']).optional(),
  status: vine.enum(['completed', 'reversed']).optional(),
  currency: vine
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  from: instant().optional(),
  to: instant().optional(),
  // Bounded: past a bigint, PostgreSQL could not compare it and the query would fail as a 500.
  min_amount: vine.number().withoutDecimals().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  max_amount: vine.number().withoutDecimals().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  limit,
  cursor,
})

export const listAuditValidator = vine.create({
  actor_id: vine.string().uuid().optional(),
  target_id: vine.string().maxLength(64).optional(),
  action: vine.string().maxLength(64).optional(),
  target_type: vine.enum(audit_targets).optional(),
  from: instant().optional(),
  to: instant().optional(),
  limit,
  cursor,
})

export const overviewValidator = vine.create({
  since: instant().optional(),
})

export const listProposalsValidator = vine.create({
  status: vine.enum(['pending', 'approved', 'rejected', 'expired'] as const).optional(),
  limit: vine.number().withoutDecimals().min(1).max(100).optional(),
  cursor: vine.string().maxLength(200).optional(),
})
