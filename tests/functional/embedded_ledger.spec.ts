import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { EmbeddedLedger } from '#ledger/embedded_ledger'
import { LedgerUnavailable, type LedgerGateway } from '#ledger/ledger_gateway'

test.group('Embedded ledger', () => {
  test('a defect inside ledger-core is answered as the remote mode answers a 500', async ({
    assert,
  }) => {
    const ledger = await app.container.make('ledger')
    assert.isTrue(ledger instanceof EmbeddedLedger)
    // No caller can send this (the API validates first): it makes the engine
    // throw an error that is no refusal, as a defect would.
    const failure = await (ledger as LedgerGateway)
      .createTransfer(null as any, 'embedded-defect')
      .catch((error: unknown) => error)
    // Unknown outcome, said as such: the payment path answers 503 with the
    // key that learns it, and follows the payment up.
    assert.instanceOf(failure, LedgerUnavailable)
    assert.isTrue((failure as LedgerUnavailable).sent)
  })
})
