import { walletUrl } from '#config/app'
import env from '#start/env'

/**
 * Passkeys belong to a domain (the relying party) and are only asked for by
 * pages of the listed origins. Both follow WALLET_URL unless set; a passkey
 * needs a domain name, so `localhost` in development, never an IP address.
 */
const wallet = new URL(walletUrl)

const webauthnConfig = {
  rpName: 'Purse',
  rpId: env.get('WEBAUTHN_RP_ID', wallet.hostname),
  origins: env
    .get('WEBAUTHN_ORIGINS', wallet.origin)
    .split(',')
    .map((origin) => origin.trim().replace(/\/+$/, '')),
}

export default webauthnConfig
