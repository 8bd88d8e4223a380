/*
 * Password-guessing limit: failures are counted per account (normalised email) and per client
 * address. Each key gets some free failures; after that every further attempt locks the key for a
 * delay that doubles (1 s, 2 s, 4 s … up to 15 min). While a key is locked every attempt is refused
 * without checking the password (a correct one too, so the lock cannot be used as an oracle) and
 * counts as another failure, so hammering only lengthens the wait. A lock always ends by itself at
 * most `maxDelayMs` after the last attempt, and a key quiet for `forgetAfterMs` starts afresh:
 * nothing is ever locked for good, and a successful sign-in clears its account's count.
 *
 * State is per process (in memory, lost on restart, not shared between instances): with N
 * instances behind a load balancer an attacker gets at most N times the attempts.
 */

export type ThrottlePolicy = {
  /** Failures that cost nothing; the next one starts the first lock. */
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A key with no attempt for this long (and no lock) is forgotten. */
  forgetAfterMs: number;
};

export const ACCOUNT_POLICY: ThrottlePolicy = {
  freeFailures: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
};
// Colleagues behind one NAT share an address, so an address gets more free failures than an account.
export const ADDRESS_POLICY: ThrottlePolicy = {
  freeFailures: 20,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
};

export type ThrottleKind = "account" | "address";
export type ThrottleKey = { kind: ThrottleKind; value: string };

export type Refusal = { refused: true; retryAfterSeconds: number; kinds: ThrottleKind[]; newlyLocked: ThrottleKind[] };
export type AttemptResult = { refused: false } | Refusal;

export type PasswordThrottle = {
  /** Before checking a password: refuses (and counts the attempt) when any key is locked. */
  admit(keys: ThrottleKey[], now: Date): AttemptResult;
  /** After a wrong password: counts it; refuses when that starts a lock. */
  recordFailure(keys: ThrottleKey[], now: Date): AttemptResult;
  /** After a correct password: the account starts afresh (the address does not). */
  recordSuccess(account: ThrottleKey, now: Date): void;
  /** Seconds until every given key is free again (0 when none is locked); changes nothing. */
  retryAfterSeconds(keys: ThrottleKey[], now: Date): number;
  /** Number of tracked keys (for tests and metrics). */
  size(): number;
};

type Entry = { failures: number; lockedUntil: number; lastAttempt: number };

export function delayAfter(failures: number, policy: ThrottlePolicy): number {
  const over = failures - policy.freeFailures;
  if (over <= 0) return 0;
  // 2 ** 30 s is far beyond any sane maximum; clamping the exponent keeps the number finite.
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(over - 1, 30));
}

export function createPasswordThrottle({
  account = ACCOUNT_POLICY,
  address = ADDRESS_POLICY,
  maxEntries = 100_000,
}: { account?: ThrottlePolicy; address?: ThrottlePolicy; maxEntries?: number } = {}): PasswordThrottle {
  const policies: Record<ThrottleKind, ThrottlePolicy> = { account, address };
  // Insertion order = least recently attempted first, since entries are re-inserted on each attempt.
  const entries = new Map<string, Entry>();
  const id = (key: ThrottleKey) => `${key.kind}:${key.value}`;

  function current(key: ThrottleKey, t: number): Entry | undefined {
    const entry = entries.get(id(key));
    if (entry && t >= entry.lockedUntil && t - entry.lastAttempt >= policies[key.kind].forgetAfterMs) {
      entries.delete(id(key));
      return undefined;
    }
    return entry;
  }

  function makeRoom(t: number) {
    if (entries.size < maxEntries) return;
    for (const [k, entry] of entries) {
      if (entries.size < maxEntries) return;
      const kind = k.slice(0, k.indexOf(":")) as ThrottleKind;
      if (t >= entry.lockedUntil && t - entry.lastAttempt >= policies[kind].forgetAfterMs) entries.delete(k);
    }
    // Still full of live keys: drop the least recently attempted ones.
    while (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
  }

  /** One more failure on this key; returns whether it is locked afterwards. */
  function fail(key: ThrottleKey, t: number): { locked: boolean; wasLocked: boolean } {
    let entry = current(key, t);
    const wasLocked = !!entry && t < entry.lockedUntil;
    if (entry) entries.delete(id(key));
    else makeRoom(t);
    entry ??= { failures: 0, lockedUntil: Number.NEGATIVE_INFINITY, lastAttempt: t };
    entry.failures += 1;
    entry.lastAttempt = t;
    const delay = delayAfter(entry.failures, policies[key.kind]);
    if (delay > 0) entry.lockedUntil = Math.max(entry.lockedUntil, t + delay);
    entries.set(id(key), entry);
    return { locked: t < entry.lockedUntil, wasLocked };
  }

  function remainingSeconds(keys: ThrottleKey[], t: number): number {
    let until = t;
    for (const key of keys) until = Math.max(until, current(key, t)?.lockedUntil ?? t);
    return until > t ? Math.max(1, Math.ceil((until - t) / 1000)) : 0;
  }

  return {
    admit(keys, now) {
      const t = now.getTime();
      const locked = keys.filter((key) => {
        const entry = current(key, t);
        return !!entry && t < entry.lockedUntil;
      });
      if (locked.length === 0) return { refused: false };
      for (const key of locked) fail(key, t);
      return {
        refused: true,
        retryAfterSeconds: remainingSeconds(keys, t),
        kinds: locked.map((k) => k.kind),
        newlyLocked: [],
      };
    },

    recordFailure(keys, now) {
      const t = now.getTime();
      const outcomes = keys.map((key) => ({ key, ...fail(key, t) }));
      const locked = outcomes.filter((o) => o.locked);
      if (locked.length === 0) return { refused: false };
      return {
        refused: true,
        retryAfterSeconds: remainingSeconds(keys, t),
        kinds: locked.map((o) => o.key.kind),
        newlyLocked: locked.filter((o) => !o.wasLocked).map((o) => o.key.kind),
      };
    },

    recordSuccess(key) {
      entries.delete(id(key));
    },

    retryAfterSeconds(keys, now) {
      return remainingSeconds(keys, now.getTime());
    },

    size() {
      return entries.size;
    },
  };
}
