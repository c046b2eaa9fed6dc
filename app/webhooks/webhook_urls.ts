import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import ipaddr from 'ipaddr.js'
import webhooksConfig from '#config/webhooks'

/**
 * Where Purse may send a webhook: a server on the public internet, over
 * https, named in a URL without credentials. Never loopback, private,
 * link-local (the cloud metadata service at 169.254.169.254), multicast,
 * carrier-grade NAT or reserved addresses: a partner must not be able to
 * make Purse's servers call their own neighbours (SSRF). Checked when an
 * endpoint is saved and again, against the address actually connected to,
 * at every delivery (a name can be re-pointed after it was checked).
 * Development and tests may allow loopback over http (WEBHOOKS_ALLOW_LOCAL).
 */
export function addressAllowed(address: string): boolean {
  let parsed = ipaddr.parse(address)
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address()
  const range = parsed.range()
  if (range === 'unicast') return true
  return webhooksConfig.allowLocal && range === 'loopback'
}

/** Why a URL may not be a webhook endpoint, or null when it may. */
export async function urlRefusal(text: string): Promise<string | null> {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return 'must be an absolute URL'
  }
  if (url.username || url.password) return 'must not carry a user name or password'
  if (url.protocol !== 'https:' && !(webhooksConfig.allowLocal && url.protocol === 'http:'))
    return 'must use https'
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const addresses = isIP(host)
    ? [host]
    : await lookup(host, { all: true, verbatim: true }).then(
        (found) => found.map((a) => a.address),
        () => null
      )
  if (!addresses || addresses.length === 0) return 'names a host that does not resolve'
  if (!addresses.every(addressAllowed))
    return 'must reach a public address (not loopback, private, link-local or reserved)'
  return null
}

/**
 * A DNS lookup for the delivery connection that refuses a name resolving to
 * an address webhooks may not reach: the connection is made to the address
 * checked here, so a name re-pointed since it was saved cannot slip through.
 */
export function guardedLookup(
  hostname: string,
  options: { all?: boolean },
  callback: (error: Error | null, address: any, family?: number) => void
) {
  lookup(hostname, { all: true, verbatim: true }).then(
    (found) => {
      const allowed = found.filter((a) => addressAllowed(a.address))
      if (allowed.length === 0)
        return callback(
          new Error(`${hostname} resolves to an address webhooks may not reach`),
          null
        )
      if (options.all) return callback(null, allowed)
      callback(null, allowed[0]!.address, allowed[0]!.family)
    },
    (error) => callback(error, null)
  )
}
