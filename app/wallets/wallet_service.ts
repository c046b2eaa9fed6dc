/**
 * The wallets module: a person's wallets (ledger accounts owned by
 * `user:<id>`), their balances and statements. It needs the ledger, and the
 * history index for the words on a statement's lines.
 */
import { isKnownCurrency } from '@purse/ledger-core'
import paymentsConfig from '#config/payments'
import { ApiError } from '#exceptions/api_error'
import User from '#models/user'
import { ledger, type LedgerAccount } from '#ledger/ledger_gateway'

/** (owner, currency) → ledger account id never changes, so it is cached for the process. */
const account_ids = new Map<string, string>()

/**
 * Opening a wallet is an idempotent ensure, so a wallet that could not be
 * opened at sign-up (ledger briefly down) is opened on first use.
 */
export class WalletService {
  requireSupported(currency: string) {
    if (!isKnownCurrency(currency) || !paymentsConfig.supportedCurrencies.has(currency)) {
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
    const held = await this.#held(user.ownerRef, currency)
    if (!held) throw new ApiError('account_frozen')
    return held.id
  }

  /** A new person's USD wallet; best effort, since a wallet that cannot be opened now is opened on first use. */
  async openFirst(user: User) {
    await this.open(user.ownerRef, 'USD').catch(() => {})
  }

  async open(ownerRef: string, currency: string): Promise<LedgerAccount> {
    this.requireSupported(currency)
    const account = await (await ledger()).ensureAccount({ owner_ref: ownerRef, currency })
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
    const existing = await this.#held(ownerRef, currency)
    if (!existing)
      throw new ApiError('wallet_not_found', `You have no ${currency} wallet; open one first`)
    account_ids.set(`${ownerRef}/${currency}`, existing.id)
    return existing.id
  }

  /** Every wallet of the owner; the USD one is opened if it is missing. */
  async list(ownerRef: string): Promise<LedgerAccount[]> {
    const accounts = await (await ledger()).listAccounts(ownerRef)
    if (!accounts.some((a) => a.currency === 'USD')) accounts.push(await this.open(ownerRef, 'USD'))
    return accounts.sort((a, b) => a.currency.localeCompare(b.currency))
  }

  async get(ownerRef: string, currency: string): Promise<LedgerAccount> {
    const id = await this.accountId(ownerRef, currency)
    return (await ledger()).getAccount(id)
  }

  /** The owner's account in a currency, if they hold one, as the ledger has it now. */
  async #held(ownerRef: string, currency: string) {
    return (await (await ledger()).listAccounts(ownerRef)).find((a) => a.currency === currency)
  }
}
