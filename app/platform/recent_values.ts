/**
 * Values looked up in the last few milliseconds, at most `count_max` of them
 * (the oldest goes first): for what is read on every request but changes
 * rarely, where the caller has said why a stale value is safe.
 */
export class RecentValues<Value> {
  readonly #entries = new Map<string, { value: Value; until: number }>()

  constructor(
    private readonly ttl_ms: number,
    private readonly count_max = 10_000
  ) {}

  /** The remembered value, else `load`'s (remembered unless null). `fresh` skips the memory. */
  async get(key: string, load: () => Promise<Value | null>, fresh = false): Promise<Value | null> {
    const hit = this.#entries.get(key)
    if (!fresh && hit && hit.until > Date.now()) return hit.value
    const value = await load()
    if (value !== null) {
      if (this.#entries.size >= this.count_max)
        this.#entries.delete(this.#entries.keys().next().value!)
      this.#entries.set(key, { value, until: Date.now() + this.ttl_ms })
    }
    return value
  }

  /** Forget a value at once (it changed here). */
  forget(key: string) {
    this.#entries.delete(key)
  }
}
