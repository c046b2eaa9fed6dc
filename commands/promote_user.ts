import os from 'node:os'
import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import db from '@adonisjs/lucid/services/db'
import User, { type Role } from '#models/user'
import { audit } from '#audit/audit_log'
import { normalizeEmail } from '#validators/email'

const roles: Role[] = ['admin', 'support', 'user']

/** `node ace users:promote <email> --role=admin|support|user [--reason=...]` */
export default class PromoteUser extends BaseCommand {
  static commandName = 'users:promote'
  static description = 'Give a user the support or admin role (or take it back with --role=user)'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Email of the user' })
  declare email: string

  @flags.string({ description: 'admin, support or user', required: true })
  declare role: string

  @flags.string({ description: 'Why, for the audit log' })
  declare reason?: string

  async run() {
    if (!roles.includes(this.role as Role)) {
      this.logger.error('--role must be admin, support or user')
      this.exitCode = 2
      return
    }
    const reason = this.reason?.trim() || 'set on the command line'
    if (reason.length > 500) {
      this.logger.error('--reason must be at most 500 characters')
      this.exitCode = 2
      return
    }
    const email = normalizeEmail(this.email)
    // The role and its audit row are one change: both or neither.
    const outcome = await db.transaction(async (trx) => {
      const user = await User.query({ client: trx }).where('email', email).forUpdate().first()
      if (!user || user.role === this.role) return { user, changed: false }
      const from = user.role
      user.role = this.role as Role
      await user.useTransaction(trx).save()
      await audit.record(
        {
          actorId: null,
          action: 'user.set_role',
          targetType: 'user',
          targetId: user.id,
          reason,
          details: { from, to: user.role, via: 'command line', os_user: os.userInfo().username },
        },
        trx
      )
      return { user, changed: true }
    })
    if (!outcome.user) {
      this.logger.error(`no user with email ${this.email}`)
      this.exitCode = 1
      return
    }
    const { user, changed } = outcome
    this.logger.success(
      changed ? `${user.email} is now ${user.role}` : `${user.email} is already ${user.role}`
    )
  }
}
