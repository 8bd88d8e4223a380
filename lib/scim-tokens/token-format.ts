import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { crc32 } from "node:zlib";

/*
 * SCIM bearer token format, modelled on GitHub's tokens (github.blog, 2021-04-05 "Behind GitHub's new
 * authentication token formats"): a fixed prefix so secret scanners can find leaked tokens, and a
 * checksum so a mistyped or truncated token is refused without a database lookup.
 *
 *   sgp_<43 base62 chars: 32 random bytes><6 base62 chars: CRC32 of those 43 chars>
 *
 * - "sgp_" = Storegate provisioning.
 * - Base62 alphabet is 0-9, A-Z, a-z. 62^43 > 2^256, so 43 characters hold the 256 random bits; the
 *   value is left-padded with "0" so every token has the same length (53 characters in total). As
 *   2^256 is barely above 62^42, the first random character is almost always "0" or "1"; that is
 *   expected and costs no entropy.
 * - The checksum is CRC32 (IEEE, as in zip/PNG) of the ASCII random part, written as 6 base62 digits
 *   (62^6 > 2^32), left-padded with "0".
 * - Regex for secret scanners: \bsgp_[0-9A-Za-z]{49}\b  (exported below as TOKEN_PATTERN).
 *
 * CRC32 comes from node:zlib's crc32 (added in Node 20.15 / 22.2; package.json requires >= 20.19).
 */

export const TOKEN_PREFIX = "sgp_";
const RANDOM_BYTES = 32;
const RANDOM_LENGTH = 43;
const CHECKSUM_LENGTH = 6;
export const TOKEN_LENGTH = TOKEN_PREFIX.length + RANDOM_LENGTH + CHECKSUM_LENGTH;

/** Finds a token inside arbitrary text (logs, commits). Not global, so it holds no state between calls;
 * scan for every match with `text.matchAll(new RegExp(TOKEN_PATTERN, "g"))`.
 */
export const TOKEN_PATTERN = /\bsgp_[0-9A-Za-z]{49}\b/;

const EXACT_SHAPE = /^sgp_[0-9A-Za-z]{49}$/;
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function encodeBase62(value: bigint, length: number): string {
  let out = "";
  let rest = value;
  while (rest > 0n) {
    out = BASE62[Number(rest % 62n)] + out;
    rest /= 62n;
  }
  if (out.length > length) throw new RangeError(`Value does not fit in ${length} base62 digits.`);
  return out.padStart(length, "0");
}

function checksumOf(randomPart: string): string {
  return encodeBase62(BigInt(crc32(randomPart)), CHECKSUM_LENGTH);
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export type GeneratedToken = {
  /** The secret: shown to the admin once, never stored. */
  token: string;
  /** SHA-256 hex of the token: the only form that is stored and looked up. */
  hash: string;
  /** Last four characters, stored so the console can tell tokens apart (they are checksum digits). */
  last4: string;
};

export function generateToken(): GeneratedToken {
  const randomPart = encodeBase62(BigInt(`0x${randomBytes(RANDOM_BYTES).toString("hex")}`), RANDOM_LENGTH);
  const token = `${TOKEN_PREFIX}${randomPart}${checksumOf(randomPart)}`;
  return { token, hash: hashToken(token), last4: token.slice(-4) };
}

export type ParseTokenResult =
  { ok: true; token: string } | { ok: false; reason: "missing" | "malformed" | "bad_checksum" };

/** Checks shape and checksum only; whether the token exists is the caller's lookup by hashToken(token). */
export function parseToken(raw: string | null | undefined): ParseTokenResult {
  const token = raw?.trim() ?? "";
  if (token === "") return { ok: false, reason: "missing" };
  if (!EXACT_SHAPE.test(token)) return { ok: false, reason: "malformed" };
  const randomPart = token.slice(TOKEN_PREFIX.length, TOKEN_PREFIX.length + RANDOM_LENGTH);
  const checksum = token.slice(TOKEN_PREFIX.length + RANDOM_LENGTH);
  if (checksumOf(randomPart) !== checksum) return { ok: false, reason: "bad_checksum" };
  return { ok: true, token };
}

/**
 * Compares two SHA-256 hex digests in constant time. Digests of different lengths are unequal; the
 * length itself is not secret (every digest is 64 characters), but the comparison still runs so both
 * paths do the same work.
 */
export function tokensEqual(aHashHex: string, bHashHex: string): boolean {
  const a = Buffer.from(aHashHex, "utf8");
  const b = Buffer.from(bHashHex, "utf8");
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}
