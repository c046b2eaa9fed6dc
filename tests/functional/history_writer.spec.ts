import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { HistoryWriter, type HistoryRow } from '#history/history_writer'
import { signUp } from '#tests/support/people'

test.group('History writer', () => {
  test('rows written at the same moment share an INSERT; a bad row fails only itself', async ({
    client,
    assert,
  }) => {
    const person = await signUp(client)
    const row = (sender: string): HistoryRow => ({
      id: randomUUID(),
      kind: 'p2p',
      sender_id: sender,
      receiver_id: null,
      amount: 100,
      currency: 'USD',
      description: null,
      reversal_of: null,
      created_at: new Date().toISOString(),
    })
    const writer = new HistoryWriter()
    const good = Array.from({ length: 20 }, () => row(person.user.id))
    // No such user: the foreign key refuses this row, and so the batch it is in.
    const bad = row(randomUUID())
    const results = await Promise.allSettled([...good, bad].map((r) => writer.write(r)))
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
    // Writing a row again (a replayed payment) keeps the first and succeeds.
    await writer.write(good[0]!)
    assert.lengthOf(await db.from('transfers').where('id', good[0]!.id), 1)
  })
})
