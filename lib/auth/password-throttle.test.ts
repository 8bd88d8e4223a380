import { describe, expect, it } from "vitest";
import { ACCOUNT_POLICY, createPasswordThrottle, delayAfter, type ThrottleKey } from "./password-throttle";

const ada: ThrottleKey = { kind: "account", value: "ada@contoso.test" };
const bob: ThrottleKey = { kind: "account", value: "bob@contoso.test" };
const office: ThrottleKey = { kind: "address", value: "203.0.113.7" };
const home: ThrottleKey = { kind: "address", value: "198.51.100.9" };

function clock(start = Date.UTC(2026, 11, 1)) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

describe("delayAfter", () => {
  it("is free for 5 failures, then 1 s doubling up to 15 min", () => {
    expect([1, 5, 6, 7, 8, 15, 16, 17, 1000].map((n) => delayAfter(n, ACCOUNT_POLICY))).toEqual([
      0, 0, 1_000, 2_000, 4_000, 512_000, 900_000, 900_000, 900_000,
    ]);
  });
});

describe("password throttle", () => {
  it("gives an account five free failures, then refuses the sixth with a one-second wait", () => {
    const throttle = createPasswordThrottle();
    const c = clock();
    for (let i = 0; i < 5; i++) {
      expect(throttle.admit([ada], c.now())).toEqual({ refused: false });
      expect(throttle.recordFailure([ada], c.now())).toEqual({ refused: false });
    }
    expect(throttle.admit([ada], c.now())).toEqual({ refused: false });
    expect(throttle.recordFailure([ada], c.now())).toEqual({
      refused: true,
      retryAfterSeconds: 1,
      kinds: ["account"],
      newlyLocked: ["account"],
    });
  });

  it("refuses every attempt during the lock (a correct password is never checked) and each one doubles the wait", () => {
    const throttle = createPasswordThrottle();
    const c = clock();
    for (let i = 0; i < 6; i++) throttle.recordFailure([ada], c.now());
    expect(throttle.admit([ada], c.now())).toMatchObject({ refused: true, retryAfterSeconds: 2, newlyLocked: [] });
    expect(throttle.admit([ada], c.now())).toMatchObject({ refused: true, retryAfterSeconds: 4 });
    for (let i = 0; i < 20; i++) throttle.admit([ada], c.now());
    expect(throttle.retryAfterSeconds([ada], c.now())).toBe(900);
    // Other accounts are unaffected.
    expect(throttle.admit([bob], c.now())).toEqual({ refused: false });
  });

  it("ends the lock by itself, and forgets a quiet account", () => {
    const throttle = createPasswordThrottle();
    const c = clock();
    for (let i = 0; i < 30; i++) if (!throttle.admit([ada], c.now()).refused) throttle.recordFailure([ada], c.now());
    expect(throttle.retryAfterSeconds([ada], c.now())).toBe(900);
    c.advance(900_000 - 1);
    expect(throttle.admit([ada], c.now()).refused).toBe(true);
    c.advance(900_000);
    expect(throttle.admit([ada], c.now())).toEqual({ refused: false });
    // Still remembered: one more failure locks for the maximum again.
    expect(throttle.recordFailure([ada], c.now())).toMatchObject({ refused: true, retryAfterSeconds: 900 });
    c.advance(900_000 + ACCOUNT_POLICY.forgetAfterMs);
    expect(throttle.size()).toBe(1);
    expect(throttle.admit([ada], c.now())).toEqual({ refused: false });
    expect(throttle.size()).toBe(0);
    for (let i = 0; i < 5; i++) expect(throttle.recordFailure([ada], c.now())).toEqual({ refused: false });
  });

  it("clears an account's count on success, but not its address's", () => {
    const throttle = createPasswordThrottle();
    const c = clock();
    for (let i = 0; i < 5; i++) throttle.recordFailure([ada, office], c.now());
    throttle.recordSuccess(ada, c.now());
    for (let i = 0; i < 5; i++) expect(throttle.recordFailure([ada, office], c.now())).toEqual({ refused: false });
    expect(throttle.size()).toBe(2);
  });

  it("locks an address that guesses across many accounts after 20 failures, leaving other addresses alone", () => {
    const throttle = createPasswordThrottle();
    const c = clock();
    for (let i = 0; i < 20; i++)
      expect(throttle.recordFailure([{ kind: "account", value: `u${i}@contoso.test` }, office], c.now())).toEqual({
        refused: false,
      });
    const victim: ThrottleKey = { kind: "account", value: "victim@contoso.test" };
    expect(throttle.recordFailure([victim, office], c.now())).toEqual({
      refused: true,
      retryAfterSeconds: 1,
      kinds: ["address"],
      newlyLocked: ["address"],
    });
    expect(throttle.admit([victim, office], c.now())).toMatchObject({ refused: true, kinds: ["address"] });
    expect(throttle.admit([victim, home], c.now())).toEqual({ refused: false });
  });

  it("keeps at most maxEntries keys, dropping the least recently attempted", () => {
    const throttle = createPasswordThrottle({ maxEntries: 2 });
    const c = clock();
    for (let i = 0; i < 6; i++) throttle.recordFailure([ada], c.now());
    throttle.recordFailure([bob], c.now());
    expect(throttle.retryAfterSeconds([ada], c.now())).toBe(1);
    throttle.recordFailure([office], c.now());
    expect(throttle.size()).toBe(2);
    expect(throttle.retryAfterSeconds([ada], c.now())).toBe(0);
  });
});
