import { test } from '@japa/runner'
import { Book } from '../../src/domain/book.ts'
import { LedgerError } from '../../src/domain/errors.ts'
import type { AccountState, TransferInput } from '../../src/domain/types.ts'

const now = new Date('2026-01-01T00:00:00Z')

function account(id: string, balance = 0, extra: Partial<AccountState> = {}): AccountState {
  return {
    id,
    currency: 'USD',
    kind: 'user',
    status: 'active',
    balance,
    pending_debits: 0,
    allow_negative: false,
    version: 0,
    ...extra,
  }
}

function book(...accounts: AccountState[]) {
  return new Book(accounts, [], now)
}

function move(
  debit: string,
  credit: string,
  amount: number,
  extra: Partial<TransferInput> = {}
): TransferInput {
  return { debit_account_id: debit, credit_account_id: credit, amount, currency: 'USD', ...extra }
}

function codeOf(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    if (error instanceof LedgerError) return error.code
    throw error
  }
  return 'no error'
}

test.group('Book: posted transfers', () => {
  test('moves the amount and writes one debit and one credit entry', ({ assert }) => {
    const b = book(account('a', 500), account('b'))
    b.createTransfer(move('a', 'b', 200), 't1', 'k1')
    assert.equal(b.accounts.get('a')!.balance, 300)
    assert.equal(b.accounts.get('b')!.balance, 200)
    assert.deepEqual(
      b.entries.map((e) => [
        e.account_id,
        e.direction,
        e.amount,
        e.balance_after,
        e.account_version,
      ]),
      [
        ['a', 'debit', 200, 300, 1],
        ['b', 'credit', 200, 200, 1],
      ]
    )
  })

  test('refuses in the documented order of precedence', ({ assert }) => {
    const b = book(
      account('a', 100),
      account('b'),
      account('eur', 0, { currency: 'EUR' }),
      account('frozen', 100, { status: 'frozen' }),
      account('closed', 100, { status: 'closed' })
    )
    assert.equal(
      codeOf(() => b.createTransfer(move('a', 'a', 1), 't', null)),
      'same_account'
    )
    assert.equal(
      codeOf(() => b.createTransfer(move('nope', 'b', 1), 't', null)),
      'account_not_found'
    )
    assert.equal(
      codeOf(() => b.createTransfer(move('a', 'eur', 1), 't', null)),
      'currency_mismatch'
    )
    assert.equal(
      codeOf(() => b.createTransfer(move('closed', 'b', 1), 't', null)),
      'account_closed'
    )
    assert.equal(
      codeOf(() => b.createTransfer(move('a', 'frozen', 1), 't', null)),
      'account_frozen'
    )
    assert.equal(
      codeOf(() => b.createTransfer(move('frozen', 'b', 1000), 't', null)),
      'account_frozen'
    )
    assert.equal(
      codeOf(() => b.createTransfer(move('a', 'b', 101), 't', null)),
      'insufficient_funds'
    )
    assert.equal(b.entries.length, 0)
    assert.equal(b.accounts.get('a')!.version, 0)
  })

  test('lets a system account with allow_negative go below zero', ({ assert }) => {
    const b = book(account('sys', 0, { kind: 'system', allow_negative: true }), account('u'))
    b.createTransfer(move('sys', 'u', 1_000), 't', null)
    assert.equal(b.accounts.get('sys')!.balance, -1_000)
  })

  test('refuses a balance past 2^53 instead of losing precision', ({ assert }) => {
    const b = book(
      account('sys', 0, { kind: 'system', allow_negative: true }),
      account('u', Number.MAX_SAFE_INTEGER - 1)
    )
    assert.equal(
      codeOf(() => b.createTransfer(move('sys', 'u', 5), 't', null)),
      'balance_overflow'
    )
  })
})

test.group('Book: two-phase transfers', () => {
  test('a hold reduces what is available but not the balance', ({ assert }) => {
    const b = book(account('a', 500), account('b'))
    b.createTransfer(move('a', 'b', 300, { pending: true }), 'p1', null)
    assert.equal(b.accounts.get('a')!.balance, 500)
    assert.equal(b.accounts.get('a')!.pending_debits, 300)
    assert.equal(
      codeOf(() => b.createTransfer(move('a', 'b', 201), 't', null)),
      'insufficient_funds'
    )
  })

  test('a partial post moves part and releases the rest', ({ assert }) => {
    const b = book(account('a', 500), account('b'))
    b.createTransfer(move('a', 'b', 300, { pending: true }), 'p1', null)
    const posted = b.postTransfer({ transfer_id: 'p1', amount: 120 })
    assert.equal(posted.status, 'posted')
    assert.equal(posted.posted_amount, 120)
    assert.equal(b.accounts.get('a')!.balance, 380)
    assert.equal(b.accounts.get('a')!.pending_debits, 0)
    assert.equal(b.accounts.get('b')!.balance, 120)
  })

  test('post, void and expiry only apply to pending transfers', ({ assert }) => {
    const b = book(account('a', 500), account('b'))
    b.createTransfer(move('a', 'b', 100, { pending: true }), 'p1', null)
    assert.equal(
      codeOf(() => b.postTransfer({ transfer_id: 'p1', amount: 101 })),
      'amount_exceeds_pending'
    )
    b.voidTransfer('p1')
    assert.equal(b.accounts.get('a')!.pending_debits, 0)
    assert.equal(
      codeOf(() => b.postTransfer({ transfer_id: 'p1' })),
      'invalid_state'
    )
    assert.equal(
      codeOf(() => b.voidTransfer('p1')),
      'invalid_state'
    )
    assert.equal(
      codeOf(() => b.voidTransfer('missing')),
      'transfer_not_found'
    )
    assert.isFalse(b.expireTransfer('p1'))
  })

  test('a hold past its timeout expires and can no longer be posted', ({ assert }) => {
    const first = book(account('a', 500), account('b'))
    const hold = first.createTransfer(
      move('a', 'b', 100, { pending: true, timeout_ms: 1000 }),
      'p1',
      null
    )
    const later = new Book(
      [{ ...first.accounts.get('a')! }, { ...first.accounts.get('b')! }],
      [{ ...hold }],
      new Date(now.getTime() + 1000)
    )
    assert.equal(
      codeOf(() => later.postTransfer({ transfer_id: 'p1' })),
      'invalid_state'
    )
    assert.isTrue(later.expireTransfer('p1'))
    assert.equal(later.transfers.get('p1')!.status, 'expired')
    assert.equal(later.accounts.get('a')!.pending_debits, 0)
  })
})

test.group('Book: reversals', () => {
  test('reverses in full, then refuses a second reversal', ({ assert }) => {
    const b = book(account('a', 500), account('b'))
    b.createTransfer(move('a', 'b', 200), 't1', null)
    const reversal = b.reverseTransfer({ transfer_id: 't1' }, 'r1', null)
    assert.equal(reversal.reversal_of, 't1')
    assert.equal(reversal.debit_account_id, 'b')
    assert.equal(b.accounts.get('a')!.balance, 500)
    assert.equal(
      codeOf(() => b.reverseTransfer({ transfer_id: 't1' }, 'r2', null)),
      'already_reversed'
    )
    assert.equal(
      codeOf(() => b.reverseTransfer({ transfer_id: 'r1' }, 'r3', null)),
      'invalid_state'
    )
  })

  test('partial reversals add up to the posted amount and no more', ({ assert }) => {
    const b = book(account('a', 500), account('b'))
    b.createTransfer(move('a', 'b', 200), 't1', null)
    b.reverseTransfer({ transfer_id: 't1', amount: 150 }, 'r1', null)
    assert.equal(
      codeOf(() => b.reverseTransfer({ transfer_id: 't1', amount: 51 }, 'r2', null)),
      'amount_exceeds_pending'
    )
    b.reverseTransfer({ transfer_id: 't1' }, 'r3', null)
    assert.equal(b.transfers.get('t1')!.reversed_amount, 200)
  })

  test('fails cleanly when the receiver spent the money, unless a system account covers it', ({
    assert,
  }) => {
    const b = book(
      account('a', 500),
      account('b'),
      account('c'),
      account('sys', 0, { kind: 'system', allow_negative: true })
    )
    b.createTransfer(move('a', 'b', 200), 't1', null)
    b.createTransfer(move('b', 'c', 150), 't2', null)
    assert.equal(
      codeOf(() => b.reverseTransfer({ transfer_id: 't1' }, 'r1', null)),
      'insufficient_funds'
    )
    assert.equal(
      codeOf(() => b.reverseTransfer({ transfer_id: 't1', cover_account_id: 'c' }, 'r1', null)),
      'validation_failed'
    )
    b.reverseTransfer({ transfer_id: 't1', cover_account_id: 'sys' }, 'r1', null)
    assert.equal(b.accounts.get('a')!.balance, 500)
    assert.equal(b.accounts.get('b')!.balance, 50)
    assert.equal(b.accounts.get('sys')!.balance, -200)
  })

  test('is allowed on frozen accounts, so support can undo fraud', ({ assert }) => {
    const b = book(account('a', 500), account('b'))
    b.createTransfer(move('a', 'b', 200), 't1', null)
    b.accounts.get('b')!.status = 'frozen'
    b.reverseTransfer({ transfer_id: 't1' }, 'r1', null)
    assert.equal(b.accounts.get('b')!.balance, 0)
  })
})

test.group('Book: atomically', () => {
  test('rolls back every change of a failed group, keeping earlier ones', ({ assert }) => {
    const b = book(account('a', 100), account('b'), account('c'))
    b.createTransfer(move('a', 'b', 10), 't0', null)
    assert.throws(() =>
      b.atomically(() => {
        b.createTransfer(move('a', 'b', 50), 't1', null)
        b.createTransfer(move('b', 'c', 60), 't2', null)
        b.createTransfer(move('a', 'c', 1_000), 't3', null)
      })
    )
    assert.equal(b.accounts.get('a')!.balance, 90)
    assert.equal(b.accounts.get('b')!.balance, 10)
    assert.equal(b.accounts.get('c')!.balance, 0)
    assert.equal(b.accounts.get('a')!.version, 1)
    assert.deepEqual(
      b.created.map((t) => t.id),
      ['t0']
    )
    assert.equal(b.entries.length, 2)
    assert.isFalse(b.transfers.has('t1'))
    assert.deepEqual(
      b
        .changedAccountStates()
        .map((a) => a.id)
        .sort(),
      ['a', 'b']
    )
  })
})
