import type { Store } from "../db/store";

/** The channel the database signals on when a token or a team's single sign-on state changes. */
export const SCIM_AUTH_CHANNEL = "storegate_scim_auth";

// A safety net only: invalidation is by signal. An entry older than this is looked up again even
// if no signal came (a bug or an operator's manual change made with the trigger disabled).
const MAX_AGE_MS = 5 * 60_000;
// Bounded so that many distinct valid tokens cannot grow memory without limit; unknown tokens
// are never cached (each attacker guess would otherwise take a slot).
const MAX_ENTRIES = 10_000;

/**
 * SCIM token lookups kept in memory so that authentication costs no query per request.
 *
 * Correctness rests on the database signal: triggers on "ScimToken" and "SsoConnection" notify
 * SCIM_AUTH_CHANNEL on commit, and every instance listening clears its cache, so a revoked or
 * rotated-out token is refused on every instance as soon as the notification arrives
 * (milliseconds). Entries are used only while the listener is live; while it is not (starting,
 * or its connection dropped), every request reads the database, as it would with no cache.
 * A lookup that was in flight when a signal arrived is not cached (`generation`).
 */
export class TokenCache<Row> {
  #entries = new Map<string, { row: Row; at: number }>();
  #generation = 0;
  #live = false;

  signal(): void {
    this.#generation++;
    this.#entries.clear();
  }

  setLive(live: boolean): void {
    this.signal();
    this.#live = live;
  }

  get live(): boolean {
    return this.#live;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(hash: string, now = Date.now()): Row | undefined {
    if (!this.#live) return undefined;
    const entry = this.#entries.get(hash);
    if (!entry) return undefined;
    if (now - entry.at > MAX_AGE_MS) {
      this.#entries.delete(hash);
      return undefined;
    }
    return entry.row;
  }

  /** Looks `hash` up with `load` unless cached; caches what was found if nothing changed meanwhile. */
  async lookup(hash: string, load: () => Promise<Row | undefined>, now = Date.now()): Promise<Row | undefined> {
    const cached = this.get(hash, now);
    if (cached) return cached;
    const generation = this.#generation;
    const row = await load();
    if (row !== undefined && this.#live && generation === this.#generation) {
      if (this.#entries.size >= MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!);
      this.#entries.set(hash, { row, at: now });
    }
    return row;
  }

  /** A change made by this process that the signal will also report (e.g. "last used"). */
  update(hash: string, change: (row: Row) => Row): void {
    const entry = this.#entries.get(hash);
    if (entry) entry.row = change(entry.row);
  }
}

const caches = new WeakMap<Store, Promise<TokenCache<unknown>>>();

/** The cache of this store, listening to the database's signal from its first use. */
export function tokenCacheFor<Row>(store: Store): Promise<TokenCache<Row>> {
  let cache = caches.get(store);
  if (!cache) {
    const created = new TokenCache<unknown>();
    cache = store
      .listen(
        SCIM_AUTH_CHANNEL,
        () => created.signal(),
        (live) => created.setLive(live),
      )
      .then(
        () => created,
        (error: unknown) => {
          // Without the signal the cache stays off: correct, one query per request.
          console.error("[scim-auth] could not listen for token changes; tokens will not be cached", error);
          return created;
        },
      );
    caches.set(store, cache);
  }
  return cache as Promise<TokenCache<Row>>;
}
