import { BaseModel, beforeCreate, column } from '@adonisjs/lucid/orm'
import type { DateTime } from 'luxon'
import { v7 as uuidv7 } from 'uuid'

export type Role = 'user' | 'support' | 'admin'

export default class User extends BaseModel {
  static selfAssignPrimaryKey = true

  @column({ isPrimary: true })
  declare id: string

  @column()
  declare email: string

  @column({ serializeAs: null })
  declare password: string

  /** Whether `password` hashes the NFKC form (false: as typed, before that rule). */
  @column({ serializeAs: null })
  declare passwordNormalized: boolean

  @column()
  declare fullName: string

  @column()
  declare phone: string | null

  @column()
  declare role: Role

  @column()
  declare status: 'active' | 'frozen'

  /** When the person proved they read mail at `email`; null until then. */
  @column.dateTime()
  declare emailVerifiedAt: DateTime | null

  /** The authenticator app's secret, encrypted with the app key; null when off. */
  @column({ serializeAs: null })
  declare totpSecret: string | null

  /** A secret shown for enrolment and not yet confirmed by a first code. */
  @column({ serializeAs: null })
  declare totpPendingSecret: string | null

  @column.dateTime()
  declare totpEnabledAt: DateTime | null

  @column({ serializeAs: null })
  declare totpLastStep: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  /** The ledger owner reference of this user's wallets. */
  get ownerRef(): string {
    return `user:${this.id}`
  }

  @beforeCreate()
  static assignId(user: User) {
    user.id ??= uuidv7()
  }
}
