import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Second factors: an authenticator app (TOTP, its secret encrypted with the
 * app key), single-use recovery codes and passkeys (kept hashed or public
 * only), the short-lived challenges of sign-in and WebAuthn ceremonies, and
 * when each session last proved a second factor (step-up). An email change
 * waits in account_tokens for its new address.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('users', (table) => {
      table.text('totp_secret').nullable()
      table.text('totp_pending_secret').nullable()
      table.timestamp('totp_enabled_at', { useTz: true }).nullable()
      /** The last 30-second step a code was accepted for: a code works once. */
      table.bigInteger('totp_last_step').nullable()
    })
    this.schema.createTable('recovery_codes', (table) => {
      table.uuid('id').primary()
      table.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE')
      table.specificType('code_hash', 'char(64)').notNullable()
      table.timestamp('used_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.unique(['user_id', 'code_hash'])
    })
    this.schema.createTable('passkeys', (table) => {
      table.uuid('id').primary()
      table.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE')
      table.text('credential_id').notNullable().unique()
      table.binary('public_key').notNullable()
      table.bigInteger('counter').notNullable()
      table.specificType('transports', 'text[]').notNullable()
      table.string('name', 60).notNullable()
      table.boolean('backed_up').notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('last_used_at', { useTz: true }).nullable()
      table.index(['user_id'])
    })
    this.schema.createTable('auth_challenges', (table) => {
      table.uuid('id').primary()
      table.uuid('user_id').nullable().references('users.id').onDelete('CASCADE')
      table.string('purpose', 20).notNullable()
      /** The SHA-256 of the bearer secret a sign-in's second step presents. */
      table.specificType('secret_hash', 'char(64)').nullable().unique()
      table.text('webauthn_challenge').nullable()
      table.string('user_agent', 300).nullable()
      table.string('ip_prefix', 50).nullable()
      table.timestamp('expires_at', { useTz: true }).notNullable()
      table.timestamp('used_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.index(['expires_at'])
    })
    this.schema.createTable('session_step_ups', (table) => {
      table.uuid('session_id').primary()
      table.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE')
      table.timestamp('verified_at', { useTz: true }).notNullable()
    })
    this.schema.alterTable('account_tokens', (table) => {
      table.string('new_email', 254).nullable()
    })
  }

  async down() {
    this.schema.alterTable('account_tokens', (table) => table.dropColumn('new_email'))
    this.schema.dropTable('session_step_ups')
    this.schema.dropTable('auth_challenges')
    this.schema.dropTable('passkeys')
    this.schema.dropTable('recovery_codes')
    this.schema.alterTable('users', (table) => {
      table.dropColumn('totp_secret')
      table.dropColumn('totp_pending_secret')
      table.dropColumn('totp_enabled_at')
      table.dropColumn('totp_last_step')
    })
  }
}
