import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import User, { type Role } from '#models/user'
import { normalizeEmail } from '#validators/email'

/** `node ace users:promote <email> --role=admin|support|user` */
export default class PromoteUser extends BaseCommand {
  static commandName = 'users:promote'
  static description = 'Give a user the support or admin role (or take it back with --role=user)'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Email of the user' })
  declare email: string

  @flags.string({ description: 'admin, support or user', required: true })
  declare role: string

  async run() {
    if (!['admin', 'support', 'user'].includes(this.role)) {
      this.logger.error('--role must be admin, support or user')
      this.exitCode = 2
      return
    }
    const user = await User.findBy('email', normalizeEmail(this.email))
    if (!user) {
      this.logger.error(`no user with email ${this.email}`)
      this.exitCode = 1
      return
    }
    user.role = this.role as Role
    await user.save()
    this.logger.success(`${user.email} is now ${user.role}`)
  }
}
