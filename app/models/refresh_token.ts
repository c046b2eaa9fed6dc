import { BaseModel, beforeCreate, column } from '@adonisjs/lucid/orm'
import type { DateTime } from 'luxon'
import { v7 as uuidv7 } from 'uuid'

export default class RefreshToken extends BaseModel {
  static selfAssignPrimaryKey = true

  @column({ isPrimary: true })
  declare id: string

  @column()
  declare userId: string

  @column()
  declare familyId: string

  @column()
  declare tokenHash: string

  /** The browser or app that signed in, and its network (never the whole IP address). */
  @column()
  declare userAgent: string | null

  @column()
  declare ipPrefix: string | null

  @column.dateTime()
  declare expiresAt: DateTime

  @column.dateTime()
  declare rotatedAt: DateTime | null

  @column.dateTime()
  declare revokedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @beforeCreate()
  static assignId(token: RefreshToken) {
    token.id ??= uuidv7()
  }
}
