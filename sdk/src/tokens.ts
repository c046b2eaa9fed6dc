export interface Tokens {
  access_token: string
  /** null in a cookie session: the refresh token is in a cookie the page cannot read. */
  refresh_token: string | null
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
  return webStorageTokenStore(() => globalThis.localStorage, key)
}

/** Browser persistence for one tab: the session ends when the tab closes (staff consoles). */
export function sessionStorageTokenStore(key = 'purse.session'): TokenStore {
  return webStorageTokenStore(() => globalThis.sessionStorage, key)
}

function webStorageTokenStore(storage: () => Storage | undefined, key: string): TokenStore {
  return {
    get: () => {
      const raw = storage()?.getItem(key)
      return raw ? (JSON.parse(raw) as Tokens) : null
    },
    set: (tokens) => {
      if (tokens) storage()?.setItem(key, JSON.stringify(tokens))
      else storage()?.removeItem(key)
    },
  }
}
