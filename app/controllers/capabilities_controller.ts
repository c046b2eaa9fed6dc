import paymentsConfig from '#config/payments'
import { description_length_max } from '#validators/money_validators'

/**
 * What this deployment allows, for apps to shape their screens by (the web
 * wallet hides "Add money" where sandbox deposits are off). Nothing here is
 * secret, and the server still enforces each rule on every request.
 */
export default class CapabilitiesController {
  show() {
    return {
      currencies: [...paymentsConfig.supportedCurrencies].sort(),
      sandbox_deposits: paymentsConfig.sandboxDeposits,
      transfer_amount_max: paymentsConfig.transferAmountMax,
      description_length_max,
    }
  }
}
