import { createHash, timingSafeEqual } from "node:crypto";

/** Constant-time string comparison; hashing first makes unequal lengths safe to compare too. */
export function safeEqual(actual: string, expected: string): boolean {
  const a = createHash("sha256").update(actual, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}
