import { inject } from '@adonisjs/core'
import app from '@adonisjs/core/services/app'
import { isKnownCurrency } from '@purse/ledger-core'
import { ApiError } from '#exceptions/api_error'
import User from '#models/user'
import type { LedgerAccount, LedgerGateway } from '#services/ledger_gateway'

/** Currencies wallets may hold, from SUPPORTED_CURRENCIES. */
export const supported_currencies = new Set(
  (process.env.SUPPORTED_CURRENCIES ?? 'USD,EUR,GBP,JPY')
    .split(',')
    .map((c) => c.trim().toUpperCase())
)

export interface Wallet {
  id: string
  currency: string
  balance: number
  available_balance: number
  status: 'active' | 'frozen' | 'closed'
}

/**
 * Wallets are ledger accounts owned by `user:<id>`. Opening one is an
 * idempotent ensure, so a wallet that could not be opened at sign-up (ledger
 * briefly down) is opened on first use.
 */
/** (owner, currency) → ledger account id never changes, so it is cached for the process. */
const account_ids = new Map<string, string>()

@inject()
export class WalletService {
  async ledger(): Promise<LedgerGateway> {
    return app.container.make('ledger')
  }

  requireSupported(currency: string) {
    if (!isKnownCurrency(currency) || !supported_currencies.has(currency)) {
      throw new ApiError('currency_not_supported', `${currency} is not a supported currency`)
    }
  }

  /**
   * The person's wallet in a currency, opened on first use, except while
   * they are frozen: a wallet opened after the freeze would be active in the
   * ledger, so they get only one they hold (frozen there: ledger-core
   * refuses new money into it, and replays a deposit made before the
   * freeze). Their status is read afresh, since the caller's record may be
   * remembered from a few seconds ago.
   */
  async openUnlessFrozen(user: User, currency: string): Promise<string> {
    this.requireSupported(currency)
    if ((await User.find(user.id))?.status !== 'frozen')
      return this.accountId(user.ownerRef, currency)
    const held = (await (await this.ledger()).listAccounts(user.ownerRef)).find(
      (a) => a.currency === currency
    )
    if (!held) throw new ApiError('account_frozen')
    return held.id
  }

  async open(ownerRef: string, currency: string): Promise<LedgerAccount> {
    this.requireSupported(currency)
    const account = await (await this.ledger()).ensureAccount({ owner_ref: ownerRef, currency })
    account_ids.set(`${ownerRef}/${currency}`, account.id)
    return account
  }

  async accountId(ownerRef: string, currency: string): Promise<string> {
    return account_ids.get(`${ownerRef}/${currency}`) ?? (await this.open(ownerRef, currency)).id
  }

  /**
   * The account of a wallet the person holds: to pay from, or to read a
   * statement of. USD is opened on first use (sign-up may have missed it);
   * another currency must have been opened, so neither a refused payment nor
   * a read leaves an empty wallet behind.
   */
  async heldAccountId(ownerRef: string, currency: string): Promise<string> {
    const cached = account_ids.get(`${ownerRef}/${currency}`)
    if (cached || currency === 'USD') return cached ?? this.accountId(ownerRef, currency)
    const existing = (await (await this.ledger()).listAccounts(ownerRef)).find(
      (a) => a.currency === currency
    )
    if (!existing)
      throw new ApiError('wallet_not_found', `You have no ${currency} wallet; open one first`)
    account_ids.set(`${ownerRef}/${currency}`, existing.id)
    return existing.id
  }

  /** Every wallet of the owner; the USD one is opened if it is missing. */
  async list(ownerRef: string): Promise<Wallet[]> {
    const accounts = await (await this.ledger()).listAccounts(ownerRef)
    if (!accounts.some((a) => a.currency === 'USD')) accounts.push(await this.open(ownerRef, 'USD'))
    return accounts.sort((a, b) => a.currency.localeCompare(b.currency)).map(toWallet)
  }

  async get(ownerRef: string, currency: string): Promise<Wallet> {
    const id = await this.accountId(ownerRef, currency)
    return toWallet(await (await this.ledger()).getAccount(id))
  }
}

export function toWallet(account: LedgerAccount): Wallet {
  return {
    id: account.id,
    currency: account.currency,
    balance: account.balance,
    available_balance: account.available_balance,
    status: account.status,
  }
}
