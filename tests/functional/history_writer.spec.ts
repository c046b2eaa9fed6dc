import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import type { TransferRecord } from '#history/history_types'
import { HistoryWriter } from '#history/history_writer'
import { signUp } from '#tests/support/people'

test.group('History writer', () => {
  test('rows written at the same moment share a statement, with their events; a bad row fails only itself', async ({
    client,
    assert,
  }) => {
    const person = await signUp(client)
    const row = (sender: string): TransferRecord => ({
      id: randomUUID(),
      kind: 'p2p',
      sender_id: sender,
      receiver_id: null,
      amount: 100,
      currency: 'USD',
      description: null,
      reversal_of: null,
      refunded_amount: 0,
      created_at: new Date(),
      reversed_by: null,
    })
    const names = new Map([[person.user.id, { id: person.user.id, full_name: 'Test User' }]])
    const writer = new HistoryWriter()
    const good = Array.from({ length: 20 }, () => row(person.user.id))
    // No such user: the foreign key refuses this row, and so the batch it is in.
    const bad = row(randomUUID())
    const results = await Promise.allSettled([...good, bad].map((r) => writer.write(r, names)))
    assert.deepEqual(
      results.map((r) => r.status),
      [...good.map(() => 'fulfilled'), 'rejected']
    )
    const stored = await db.from('transfers').whereIn(
      'id',
      [...good, bad].map((r) => r.id)
    )
    assert.sameMembers(
      stored.map((r) => r.id),
      good.map((r) => r.id)
    )
    // Each row written came with its person's event; the refused one wrote none.
    const events = await db.from('events').whereIn(
      'subject_id',
      [...good, bad].map((r) => r.id)
    )
    assert.sameMembers(
      events.map((e) => e.subject_id),
      good.map((r) => r.id)
    )
    assert.isTrue(events.every((e) => e.type === 'transfer.completed'))
    // Writing a row again (a replayed payment) keeps the first, and announces nothing twice.
    await writer.write(good[0]!, names)
    assert.lengthOf(await db.from('transfers').where('id', good[0]!.id), 1)
    assert.lengthOf(await db.from('events').where('subject_id', good[0]!.id), 1)
  })
})
