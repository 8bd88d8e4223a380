import { z } from "zod";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export const DEFAULT_EXPIRES_IN_DAYS = 365;
export const MAX_EXPIRES_IN_DAYS = 730;
export const EXPIRING_SOON_DAYS = 30;
export const DEFAULT_OVERLAP_HOURS = 24;
export const MAX_OVERLAP_HOURS = 168;
const LAST_USED_RESOLUTION_MS = MINUTE_MS;

export type TokenDates = {
  expiresAt: Date | null;
  revokedAt: Date | null;
  /** Set when the token was rotated: a new token replaces this one. */
  replacedAt: Date | null;
  /** Until this instant a rotated token keeps working, so the IdP can be switched to the new token. */
  overlapEndsAt: Date | null;
};

export type TokenStatus =
  "active" | "expiring_soon" | "expired" | "revoked" | "active_until_overlap_end" | "superseded";

/**
 * Precedence: revoked > superseded > expired > active_until_overlap_end > expiring_soon > active.
 * A token stops working at the instant expiresAt / overlapEndsAt (the end is exclusive). revokedAt is
 * honoured whenever it is set: revocation is immediate, so a clock behind the revoking server must not
 * keep the token alive.
 */
export function tokenStatus(token: TokenDates, now: Date): TokenStatus {
  const t = now.getTime();
  if (token.revokedAt) return "revoked";
  const inOverlap = token.replacedAt !== null && token.overlapEndsAt !== null && t < token.overlapEndsAt.getTime();
  if (token.replacedAt && !inOverlap) return "superseded";
  if (token.expiresAt && t >= token.expiresAt.getTime()) return "expired";
  if (inOverlap) return "active_until_overlap_end";
  if (token.expiresAt && token.expiresAt.getTime() - t <= EXPIRING_SOON_DAYS * DAY_MS) return "expiring_soon";
  return "active";
}

const USABLE: ReadonlySet<TokenStatus> = new Set(["active", "expiring_soon", "active_until_overlap_end"]);

export function isTokenUsable(token: TokenDates, now: Date): boolean {
  return USABLE.has(tokenStatus(token, now));
}

const EXPIRES_IN_DAYS_MESSAGE = `Choose a whole number of days from 1 to ${MAX_EXPIRES_IN_DAYS}, or "never".`;

export const expiresInDaysSchema = z
  .union(
    [
      z.literal("never"),
      z
        .number()
        .int("Use a whole number of days.")
        .min(1, "Choose at least 1 day: a token cannot expire today or in the past.")
        .max(MAX_EXPIRES_IN_DAYS, `Choose at most ${MAX_EXPIRES_IN_DAYS} days (two years).`),
    ],
    { error: EXPIRES_IN_DAYS_MESSAGE },
  )
  .default(DEFAULT_EXPIRES_IN_DAYS);

export type ExpiresInDays = number | "never";

export const issueTokenSchema = z.object({
  name: z
    .string({ error: "Enter a name for the token." })
    .trim()
    .min(1, "Enter a name for the token.")
    .max(80, "Use at most 80 characters."),
  expiresInDays: expiresInDaysSchema,
});

export type IssueTokenInput = z.output<typeof issueTokenSchema>;

export const rotateTokenSchema = z.object({
  overlapHours: z
    .number({ error: `Choose how many hours the old token keeps working (0 to ${MAX_OVERLAP_HOURS}).` })
    .int("Use a whole number of hours.")
    .min(0, "The overlap cannot be negative; use 0 to stop the old token at once.")
    .max(MAX_OVERLAP_HOURS, `Choose at most ${MAX_OVERLAP_HOURS} hours (7 days).`)
    .default(DEFAULT_OVERLAP_HOURS),
});

export type RotateTokenInput = z.output<typeof rotateTokenSchema>;

/** Null means the token never expires. Input is expected to have passed issueTokenSchema. */
export function computeExpiry(now: Date, expiresInDays: ExpiresInDays = DEFAULT_EXPIRES_IN_DAYS): Date | null {
  if (expiresInDays === "never") return null;
  if (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > MAX_EXPIRES_IN_DAYS) {
    throw new RangeError(`expiresInDays must be an integer from 1 to ${MAX_EXPIRES_IN_DAYS}, got ${expiresInDays}.`);
  }
  return new Date(now.getTime() + expiresInDays * DAY_MS);
}

/** When the replaced token stops working. 0 hours ends it at `now` (it is superseded immediately). */
export function computeOverlapEnd(now: Date, overlapHours: number = DEFAULT_OVERLAP_HOURS): Date {
  if (!Number.isInteger(overlapHours) || overlapHours < 0 || overlapHours > MAX_OVERLAP_HOURS) {
    throw new RangeError(`overlapHours must be an integer from 0 to ${MAX_OVERLAP_HOURS}, got ${overlapHours}.`);
  }
  return new Date(now.getTime() + overlapHours * HOUR_MS);
}

/**
 * "Last used" is shown to the minute, so it is written at most once a minute per token rather than
 * on every SCIM request (Entra sends bursts of them). A stored value more than a minute in the future
 * (clock moved back, or another instance's clock is ahead) is overwritten rather than trusted; a few
 * seconds of skew between instances is tolerated without extra writes.
 */
export function shouldRecordLastUsed(lastUsedAt: Date | null, now: Date): boolean {
  if (lastUsedAt === null) return true;
  return Math.abs(now.getTime() - lastUsedAt.getTime()) >= LAST_USED_RESOLUTION_MS;
}
