import { describe, expect, it } from "vitest";
import { parseEnv, type TrustedProxies } from "../env";
import { normalizeAddress, resolveClientAddress } from "./client-address";

const xff = (value?: string, extra: Record<string, string> = {}) =>
  new Headers({ ...(value === undefined ? {} : { "x-forwarded-for": value }), ...extra });
const cidrs = (list: string): TrustedProxies =>
  parseEnv({ STOREGATE_DATA_DIR: "/nonexistent-unused", AUTH_SECRET: "x".repeat(32), TRUSTED_PROXIES: list })
    .trustedProxies;

describe("resolveClientAddress", () => {
  it("ignores X-Forwarded-For and X-Real-IP unless proxies are trusted", () => {
    expect(resolveClientAddress(xff("198.51.100.1", { "x-real-ip": "198.51.100.2" }), { kind: "none" })).toBeNull();
  });

  it("with a hop count, takes the N-th entry from the right, so a forged left part changes nothing", () => {
    expect(resolveClientAddress(xff("203.0.113.7"), { kind: "hops", hops: 1 })).toBe("203.0.113.7");
    expect(resolveClientAddress(xff("6.6.6.6, 203.0.113.7"), { kind: "hops", hops: 1 })).toBe("203.0.113.7");
    expect(resolveClientAddress(xff("6.6.6.6, 203.0.113.7, 10.0.0.5"), { kind: "hops", hops: 2 })).toBe("203.0.113.7");
    expect(resolveClientAddress(xff("203.0.113.7"), { kind: "hops", hops: 3 })).toBe("203.0.113.7");
    expect(resolveClientAddress(xff(), { kind: "hops", hops: 1 })).toBeNull();
    expect(resolveClientAddress(xff("not-an-address"), { kind: "hops", hops: 1 })).toBeNull();
  });

  it("with CIDRs, walks from the right past trusted proxies", () => {
    const trusted = cidrs("10.0.0.0/8, 2001:db8::/32, 192.0.2.1");
    expect(resolveClientAddress(xff("6.6.6.6, 203.0.113.7, 10.1.2.3, 192.0.2.1"), trusted)).toBe("203.0.113.7");
    expect(resolveClientAddress(xff("203.0.113.7, 2001:db8::1"), trusted)).toBe("203.0.113.7");
    expect(resolveClientAddress(xff("2001:DB9::7, 10.0.0.1"), trusted)).toBe("2001:db9::7");
    expect(resolveClientAddress(xff("10.0.0.2, 10.0.0.1"), trusted)).toBe("10.0.0.2");
    expect(resolveClientAddress(xff("203.0.113.7, garbage, 10.0.0.1"), trusted)).toBeNull();
  });

  it("reads several X-Forwarded-For headers as one list", () => {
    const headers = new Headers();
    headers.append("x-forwarded-for", "6.6.6.6");
    headers.append("x-forwarded-for", "203.0.113.7");
    expect(resolveClientAddress(headers, { kind: "hops", hops: 1 })).toBe("203.0.113.7");
  });
});

describe("normalizeAddress", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7"],
    [" 203.0.113.7:5000 ", "203.0.113.7"],
    ["[2001:DB8::1]:443", "2001:db8::1"],
    ["::ffff:203.0.113.7", "203.0.113.7"],
    ["unknown", null],
    ["_hidden", null],
  ])("%s -> %s", (input, output) => {
    expect(normalizeAddress(input)).toBe(output);
  });
});

describe("TRUSTED_PROXIES", () => {
  it("is none by default, a hop count, or a CIDR list", () => {
    const base = { STOREGATE_DATA_DIR: "/nonexistent-unused", AUTH_SECRET: "x".repeat(32) };
    expect(parseEnv(base).trustedProxies).toEqual({ kind: "none" });
    expect(parseEnv({ ...base, TRUSTED_PROXIES: "2" }).trustedProxies).toEqual({ kind: "hops", hops: 2 });
    expect(parseEnv({ ...base, TRUSTED_PROXIES: "10.0.0.0/8,::1" }).trustedProxies).toEqual({
      kind: "cidrs",
      cidrs: [
        { address: "10.0.0.0", prefix: 8, family: "ipv4" },
        { address: "::1", prefix: 128, family: "ipv6" },
      ],
    });
  });

  it.each(["0", "11", "10.0.0.0/33", "10.0.0.0/8/1", "proxy.internal", "10.0.0.0/8,", "1.2.3.4/x"])(
    "refuses %s naming the variable",
    (value) => {
      expect(() =>
        parseEnv({ STOREGATE_DATA_DIR: "/nonexistent-unused", AUTH_SECRET: "x".repeat(32), TRUSTED_PROXIES: value }),
      ).toThrowError(/^Invalid configuration:\n {2}TRUSTED_PROXIES: /);
    },
  );
});
