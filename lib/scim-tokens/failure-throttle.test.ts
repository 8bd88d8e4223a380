import { describe, expect, it } from "vitest";
import { createFailureThrottle } from "./failure-throttle";

const SECOND = 1000;
const T0 = new Date("2026-03-01T12:00:00.000Z").getTime();
const at = (offsetMs: number) => new Date(T0 + offsetMs);
const IP = "203.0.113.7";

/** What a SCIM adapter does per request: valid tokens are served, failures are counted. */
function handle(throttle: ReturnType<typeof createFailureThrottle>, address: string, now: Date, valid: boolean) {
  if (valid) {
    throttle.recordSuccess(address, now);
    return 200;
  }
  if (throttle.isBlocked(address, now).blocked) return 429;
  return throttle.recordFailure(address, now).blocked ? 429 : 401;
}

describe("createFailureThrottle", () => {
  it("never blocks successful requests: 25 per second from one address for a minute", () => {
    const throttle = createFailureThrottle();
    for (let ms = 0; ms < 60 * SECOND; ms += SECOND / 25) {
      expect(handle(throttle, IP, at(ms), true)).toBe(200);
      expect(throttle.isBlocked(IP, at(ms))).toEqual({ blocked: false });
    }
    expect(throttle.size()).toBe(0);
  });

  it("blocks 25 failures per second from one address once 20 have failed", () => {
    const throttle = createFailureThrottle();
    const statuses = Array.from({ length: 25 }, (_, i) => handle(throttle, IP, at((i * SECOND) / 25), false));
    expect(statuses.slice(0, 19)).toEqual(Array(19).fill(401));
    expect(statuses.slice(19)).toEqual(Array(6).fill(429));
    expect(throttle.isBlocked(IP, at(SECOND))).toEqual({ blocked: true, retryAfterSeconds: 60 });
  });

  it("keeps serving a valid token from an address that is blocked for failures", () => {
    const throttle = createFailureThrottle();
    for (let i = 0; i < 20; i += 1) throttle.recordFailure(IP, at(i));
    expect(throttle.isBlocked(IP, at(100)).blocked).toBe(true);
    expect(handle(throttle, IP, at(100), true)).toBe(200);
    expect(handle(throttle, IP, at(100), false)).toBe(429);
  });

  it.each([
    ["19 failures in the window", 19, SECOND, false],
    ["20 failures in the window", 20, SECOND, true],
    ["20 failures, one every 3 s (all inside one window)", 20, 3 * SECOND, true],
    ["20 failures, one every 3.2 s (the 20th starts a new window)", 20, 3.2 * SECOND, false],
    ["40 failures, one every 3.2 s (at most 19 per window)", 40, 3.2 * SECOND, false],
  ])("%s -> blocked: %s", (_label, count, spacingMs, blocked) => {
    const throttle = createFailureThrottle();
    let last = { blocked: false } as ReturnType<typeof throttle.recordFailure>;
    for (let i = 0; i < count; i += 1) last = throttle.recordFailure(IP, at(i * spacingMs));
    expect(last.blocked).toBe(blocked);
  });

  it("reports retry-after counting down and unblocks at the end of the block", () => {
    const throttle = createFailureThrottle({ maxFailures: 3, windowMs: 10 * SECOND, blockMs: 30 * SECOND });
    throttle.recordFailure(IP, at(0));
    throttle.recordFailure(IP, at(SECOND));
    expect(throttle.recordFailure(IP, at(2 * SECOND))).toEqual({ blocked: true, retryAfterSeconds: 30 });

    const blockEnds = 32 * SECOND;
    expect.soft(throttle.isBlocked(IP, at(2 * SECOND + 1))).toEqual({ blocked: true, retryAfterSeconds: 30 });
    expect.soft(throttle.isBlocked(IP, at(blockEnds - 10 * SECOND))).toEqual({ blocked: true, retryAfterSeconds: 10 });
    expect.soft(throttle.isBlocked(IP, at(blockEnds - 1))).toEqual({ blocked: true, retryAfterSeconds: 1 });
    expect.soft(throttle.isBlocked(IP, at(blockEnds))).toEqual({ blocked: false });
  });

  it("does not extend the block for failures recorded while blocked", () => {
    const throttle = createFailureThrottle({ maxFailures: 2, windowMs: 10 * SECOND, blockMs: 10 * SECOND });
    throttle.recordFailure(IP, at(0));
    throttle.recordFailure(IP, at(0));
    for (let ms = 0; ms < 10 * SECOND; ms += 100) throttle.recordFailure(IP, at(ms));
    expect(throttle.isBlocked(IP, at(10 * SECOND))).toEqual({ blocked: false });
  });

  it("starts a fresh count after the block: one failure does not re-block", () => {
    const throttle = createFailureThrottle({ maxFailures: 2, windowMs: 10 * SECOND, blockMs: 10 * SECOND });
    throttle.recordFailure(IP, at(0));
    throttle.recordFailure(IP, at(0));
    expect(throttle.recordFailure(IP, at(10 * SECOND))).toEqual({ blocked: false });
    expect(throttle.recordFailure(IP, at(11 * SECOND))).toEqual({ blocked: true, retryAfterSeconds: 10 });
  });

  it("counts each address separately", () => {
    const throttle = createFailureThrottle({ maxFailures: 2 });
    throttle.recordFailure("198.51.100.1", at(0));
    throttle.recordFailure("198.51.100.1", at(0));
    throttle.recordFailure("198.51.100.2", at(0));
    expect(throttle.isBlocked("198.51.100.1", at(1)).blocked).toBe(true);
    expect(throttle.isBlocked("198.51.100.2", at(1)).blocked).toBe(false);
    expect(throttle.isBlocked("198.51.100.3", at(1)).blocked).toBe(false);
  });

  it("does not reset the count on success (a shared address must not hide another client's failures)", () => {
    const throttle = createFailureThrottle({ maxFailures: 3 });
    throttle.recordFailure(IP, at(0));
    throttle.recordFailure(IP, at(1));
    throttle.recordSuccess(IP, at(2));
    expect(throttle.recordFailure(IP, at(3)).blocked).toBe(true);
  });

  it("forgets addresses whose window and block have passed", () => {
    const throttle = createFailureThrottle({ windowMs: 10 * SECOND });
    throttle.recordFailure(IP, at(0));
    expect(throttle.size()).toBe(1);
    expect(throttle.isBlocked(IP, at(10 * SECOND))).toEqual({ blocked: false });
    expect(throttle.size()).toBe(0);
  });

  it("caps memory: never tracks more than maxEntries addresses, dropping the least recent", () => {
    const throttle = createFailureThrottle({ maxFailures: 2, maxEntries: 100 });
    throttle.recordFailure("victim-of-eviction", at(0));
    throttle.recordFailure("blocked", at(0));
    throttle.recordFailure("blocked", at(0));
    for (let i = 0; i < 98; i += 1) throttle.recordFailure(`addr-${i}`, at(1));
    expect(throttle.size()).toBe(100);

    throttle.recordFailure("newcomer", at(2));
    expect(throttle.size()).toBe(100);
    expect(throttle.recordFailure("victim-of-eviction", at(3))).toEqual({ blocked: false });
    expect(throttle.isBlocked("newcomer", at(3)).blocked).toBe(false);

    for (let i = 0; i < 10_000; i += 1) throttle.recordFailure(`flood-${i}`, at(4));
    expect(throttle.size()).toBe(100);
  });

  it("sweeps expired entries before evicting live ones", () => {
    const throttle = createFailureThrottle({
      maxFailures: 2,
      windowMs: 10 * SECOND,
      blockMs: 60 * SECOND,
      maxEntries: 3,
    });
    throttle.recordFailure("stale-1", at(0));
    throttle.recordFailure("blocked", at(0));
    throttle.recordFailure("blocked", at(0));
    throttle.recordFailure("stale-2", at(0));
    throttle.recordFailure("new", at(20 * SECOND));
    expect(throttle.size()).toBe(2);
    expect(throttle.isBlocked("blocked", at(20 * SECOND)).blocked).toBe(true);
  });

  it.each([[{ maxFailures: 0 }], [{ windowMs: -1 }], [{ blockMs: 1.5 }], [{ maxEntries: Number.NaN }]])(
    "rejects option %j",
    (options) => {
      expect(() => createFailureThrottle(options)).toThrow(RangeError);
    },
  );
});
