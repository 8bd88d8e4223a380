import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { TOKEN_LENGTH, TOKEN_PATTERN, generateToken, hashToken, parseToken, tokensEqual } from "./token-format";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function base62(value: number, length: number): string {
  let out = "";
  for (let rest = value; rest > 0; rest = Math.floor(rest / 62)) out = BASE62[rest % 62] + out;
  return out.padStart(length, "0");
}

/** Builds a token from a chosen random part, checksummed independently of the code under test. */
function tokenFor(randomPart: string): string {
  return `sgp_${randomPart}${base62(crc32(randomPart), 6)}`;
}

/** Replaces the character at `index` with a different base62 character. */
function flip(token: string, index: number): string {
  const current = token[index];
  const replacement = current === "A" ? "B" : "A";
  return token.slice(0, index) + replacement + token.slice(index + 1);
}

describe("generateToken", () => {
  it("produces sgp_ + 43 base62 random characters + 6 base62 checksum characters", () => {
    const { token } = generateToken();
    expect(token).toMatch(/^sgp_[0-9A-Za-z]{49}$/);
    expect(token).toHaveLength(53);
    expect(TOKEN_LENGTH).toBe(53);
  });

  it("round-trips through parseToken", () => {
    for (let i = 0; i < 200; i += 1) {
      const { token } = generateToken();
      expect(parseToken(token)).toEqual({ ok: true, token });
    }
  });

  it("carries the checksum of its random part (CRC32, base62, 6 digits)", () => {
    const { token } = generateToken();
    const randomPart = token.slice(4, 47);
    expect(token.slice(47)).toBe(base62(crc32(randomPart), 6));
    expect(tokenFor(randomPart)).toBe(token);
  });

  it("returns the SHA-256 hash and the last four characters, never a second copy of the secret", () => {
    const { token, hash, last4 } = generateToken();
    expect(hash).toBe(hashToken(token));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(last4).toBe(token.slice(-4));
    expect(last4).toHaveLength(4);
  });

  it("never repeats and uses the whole alphabet (fixed length even when the number is small)", () => {
    const tokens = Array.from({ length: 500 }, () => generateToken().token);
    expect(new Set(tokens).size).toBe(500);
    const seen = new Set(tokens.flatMap((t) => [...t.slice(4)]));
    expect(seen.size).toBe(62);
    expect(tokens.every((t) => t.length === 53)).toBe(true);
  });
});

describe("parseToken", () => {
  const valid = tokenFor("0".repeat(43));
  const generated = generateToken().token;

  it.each([
    ["all-zero random part (left padding)", valid],
    ["a generated token", generated],
    ["surrounding whitespace is trimmed", `  ${generated}\n`],
  ])("accepts %s", (_label, raw) => {
    expect(parseToken(raw)).toEqual({ ok: true, token: raw.trim() });
  });

  it.each([
    ["undefined", undefined, "missing"],
    ["null", null, "missing"],
    ["empty string", "", "missing"],
    ["only whitespace", "   \t", "missing"],
    ["wrong prefix", `ghp_${generated.slice(4)}`, "malformed"],
    ["upper-case prefix", `SGP_${generated.slice(4)}`, "malformed"],
    ["no prefix", generated.slice(4), "malformed"],
    ["one character short", generated.slice(0, -1), "malformed"],
    ["one character long", `${generated}0`, "malformed"],
    ["non-base62 character", `${generated.slice(0, 10)}-${generated.slice(11)}`, "malformed"],
    ["base64url underscore", `${generated.slice(0, 10)}_${generated.slice(11)}`, "malformed"],
    ["still has the Bearer scheme", `Bearer ${generated}`, "malformed"],
    ["whitespace inside", `${generated.slice(0, 20)} ${generated.slice(21)}`, "malformed"],
    ["non-ASCII look-alike", `${generated.slice(0, 10)}\u0430${generated.slice(11)}`, "malformed"],
    [
      "wrong checksum",
      `${generated.slice(0, 47)}${generated.slice(47) === "000000" ? "000001" : "000000"}`,
      "bad_checksum",
    ],
  ] as const)("refuses %s as %s", (_label, raw, reason) => {
    expect(parseToken(raw)).toEqual({ ok: false, reason });
  });

  it("refuses a token with any single character changed after the prefix (checksum catches typos)", () => {
    const { token } = generateToken();
    for (let index = 4; index < token.length; index += 1) {
      const result = parseToken(flip(token, index));
      expect(result, `index ${index}`).toEqual({ ok: false, reason: "bad_checksum" });
    }
  });

  it("refuses two adjacent characters swapped", () => {
    const token = tokenFor("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ");
    const swapped = `${token.slice(0, 10)}${token[11]}${token[10]}${token.slice(12)}`;
    expect(parseToken(swapped)).toEqual({ ok: false, reason: "bad_checksum" });
  });
});

describe("TOKEN_PATTERN (for secret scanners)", () => {
  const { token } = generateToken();

  it.each([
    ["the bare token", token, true],
    ["a token in a log line", `authorization: Bearer ${token} from 10.0.0.1`, true],
    ["a token in JSON", JSON.stringify({ secret: token }), true],
    ["a longer alphanumeric run", `${token}x`, false],
    ["a truncated token", token.slice(0, -1), false],
    ["another vendor's prefix", `ghp_${token.slice(4)}`, false],
  ])("matches %s: %s", (_label, text, expected) => {
    expect(TOKEN_PATTERN.test(text)).toBe(expected);
  });

  it("is stateless and finds every token with a global copy", () => {
    const second = generateToken().token;
    expect(TOKEN_PATTERN.flags).not.toContain("g");
    const found = [...`a=${token}\nb=${second}`.matchAll(new RegExp(TOKEN_PATTERN, "g"))].map((m) => m[0]);
    expect(found).toEqual([token, second]);
  });
});

describe("hashToken", () => {
  it("is SHA-256 hex: 64 lower-case hex characters, deterministic, not the token", () => {
    const { token } = generateToken();
    const hash = hashToken(token);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).toBe(hash);
    expect(hash).not.toContain(token.slice(4));
    expect(hash).not.toBe(token);
  });

  it("matches a known SHA-256 vector", () => {
    expect(hashToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("differs for tokens that differ by one character", () => {
    const token = tokenFor("1".repeat(43));
    expect(hashToken(token)).not.toBe(hashToken(flip(token, 20)));
  });
});

describe("tokensEqual", () => {
  const a = hashToken(generateToken().token);
  const b = hashToken(generateToken().token);

  it.each([
    ["the same digest", a, a, true],
    ["a copy of the same digest", `${a}`, a.slice(0, 32) + a.slice(32), true],
    ["different digests", a, b, false],
    ["last character differs", a, a.slice(0, -1) + (a.endsWith("0") ? "1" : "0"), false],
    ["shorter second argument", a, a.slice(0, -1), false],
    ["longer second argument", a, `${a}0`, false],
    ["empty against digest", "", a, false],
    ["both empty", "", "", true],
    ["upper-case hex is a different string", a, a.toUpperCase(), /^[0-9]+$/.test(a)],
  ])("%s -> %s", (_label, left, right, expected) => {
    expect(tokensEqual(left, right)).toBe(expected);
    expect(tokensEqual(right, left)).toBe(expected);
  });

  it("does not throw on unequal lengths (timingSafeEqual would)", () => {
    expect(() => tokensEqual(a, "x")).not.toThrow();
    expect(() => tokensEqual("\u00e9", "ee")).not.toThrow();
    expect(tokensEqual("\u00e9", "ee")).toBe(false);
  });
});
