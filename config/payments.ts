import env from '#start/env'

/** The money rules an operator sets, read once at boot. */
const paymentsConfig = {
  /** Currencies wallets may hold (ISO 4217). */
  supportedCurrencies: new Set(
    env
      .get('SUPPORTED_CURRENCIES', 'USD,EUR,GBP,JPY')
      .split(',')
      .map((code) => code.trim().toUpperCase())
  ),
  /** The largest amount one payment may move, in minor units. */
  transferAmountMax: env.get('TRANSFER_AMOUNT_MAX', 100_000_000),
  /** Sandbox deposits: on unless SANDBOX_DEPOSITS=false, and off in production unless it is true. */
  sandboxDeposits: env.get('SANDBOX_DEPOSITS') ?? env.get('NODE_ENV') !== 'production',
  /**
   * Sending money needs a verified email address: on unless
   * REQUIRE_VERIFIED_EMAIL=false (the test suite's default, where most
   * tests are not about it). Receiving never does.
   */
  requireVerifiedEmail: env.get('REQUIRE_VERIFIED_EMAIL') ?? env.get('NODE_ENV') !== 'test',
}

export default paymentsConfig
