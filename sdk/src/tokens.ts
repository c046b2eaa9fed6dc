export interface Tokens {
  access_token: string
  refresh_token: string
}

/** Where the client keeps the session; swap in your own (a database row, a keychain). */
export interface TokenStore {
  get(): Tokens | null | Promise<Tokens | null>
  set(tokens: Tokens | null): void | Promise<void>
}

export function memoryTokenStore(initial: Tokens | null = null): TokenStore {
  let tokens = initial
  return {
    get: () => tokens,
    set: (next) => {
      tokens = next
    },
  }
}

/** Browser persistence. Prefer memory where an XSS could read localStorage. */
export function localStorageTokenStore(key = 'purse.session'): TokenStore {
  return {
    get: () => {
      const raw = globalThis.localStorage?.getItem(key)
      return raw ? (JSON.parse(raw) as Tokens) : null
    },
    set: (tokens) => {
      if (tokens) globalThis.localStorage?.setItem(key, JSON.stringify(tokens))
      else globalThis.localStorage?.removeItem(key)
    },
  }
}
