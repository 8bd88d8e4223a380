/*
 * Counts SCIM authentication FAILURES per client address in a fixed window; after `maxFailures` in
 * one window the address is blocked for `blockMs`. Successful requests are never counted, so a busy
 * IdP with a valid token is never slowed down by this.
 *
 * State is per process (lost on restart, not shared between instances): it damps noisy or scripted
 * guessing, it is not the defence. The defence is 256 random bits per token, checked by hash.
 *
 * Caution for callers: Microsoft Entra provisions from shared Microsoft addresses, so a tenant with a
 * wrong token can drive an address shared with healthy tenants into "blocked". Look the token up
 * first and serve a valid one regardless; consult isBlocked only for requests that failed, to answer
 * 429 with Retry-After instead of 401.
 */

export type FailureThrottleOptions = {
  /** Failures allowed in one window; the failure that reaches this number starts the block. */
  maxFailures?: number;
  windowMs?: number;
  blockMs?: number;
  /** Upper bound on tracked addresses; the least recently failing address is dropped beyond it. */
  maxEntries?: number;
};

export type BlockedResult = { blocked: false } | { blocked: true; retryAfterSeconds: number };

export type FailureThrottle = {
  isBlocked(address: string, now: Date): BlockedResult;
  /** Records one failed authentication and returns whether the address is now blocked. */
  recordFailure(address: string, now: Date): BlockedResult;
  /**
   * Deliberately does not reset the count: behind a shared address (see above) one tenant's success
   * would wipe out another client's failures. Kept so call sites read symmetrically.
   */
  recordSuccess(address: string, now: Date): void;
  /** Number of tracked addresses (for tests and metrics). */
  size(): number;
};

type Entry = { windowStart: number; failures: number; blockedUntil: number };

export const DEFAULT_FAILURE_THROTTLE = {
  maxFailures: 20,
  windowMs: 60_000,
  blockMs: 60_000,
  maxEntries: 10_000,
} as const satisfies Required<FailureThrottleOptions>;

export function createFailureThrottle(options: FailureThrottleOptions = {}): FailureThrottle {
  const { maxFailures, windowMs, blockMs, maxEntries } = { ...DEFAULT_FAILURE_THROTTLE, ...options };
  for (const [name, value] of Object.entries({ maxFailures, windowMs, blockMs, maxEntries })) {
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`${name} must be a positive integer, got ${value}.`);
  }

  // Map iteration order is insertion order; entries are re-inserted on every failure, so the first
  // key is always the least recently failing address.
  const entries = new Map<string, Entry>();
  let lastSweep = Number.NEGATIVE_INFINITY;

  const isStale = (entry: Entry, t: number) => t >= entry.blockedUntil && t - entry.windowStart >= windowMs;

  function blockedResult(entry: Entry | undefined, t: number): BlockedResult {
    if (!entry || t >= entry.blockedUntil) return { blocked: false };
    return { blocked: true, retryAfterSeconds: Math.max(1, Math.ceil((entry.blockedUntil - t) / 1000)) };
  }

  function makeRoom(t: number) {
    // A full sweep at most once per window keeps a flood of new addresses from costing O(n) each.
    if (t - lastSweep >= windowMs) {
      lastSweep = t;
      for (const [address, entry] of entries) if (isStale(entry, t)) entries.delete(address);
    }
    while (entries.size >= maxEntries) {
      const oldest = entries.keys().next();
      if (oldest.done) break;
      entries.delete(oldest.value);
    }
  }

  return {
    isBlocked(address, now) {
      const t = now.getTime();
      const entry = entries.get(address);
      if (entry && isStale(entry, t)) {
        entries.delete(address);
        return { blocked: false };
      }
      return blockedResult(entry, t);
    },

    recordFailure(address, now) {
      const t = now.getTime();
      let entry = entries.get(address);
      if (entry && t < entry.blockedUntil) return blockedResult(entry, t);
      if (entry) {
        entries.delete(address);
        if (t - entry.windowStart >= windowMs) entry = undefined;
      }
      if (!entry) {
        makeRoom(t);
        entry = { windowStart: t, failures: 0, blockedUntil: Number.NEGATIVE_INFINITY };
      }
      entry.failures += 1;
      if (entry.failures >= maxFailures) {
        entry.blockedUntil = t + blockMs;
        entry.windowStart = entry.blockedUntil;
        entry.failures = 0;
      }
      entries.set(address, entry);
      return blockedResult(entry, t);
    },

    recordSuccess() {},

    size() {
      return entries.size;
    },
  };
}
