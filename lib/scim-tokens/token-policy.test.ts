import { describe, expect, it } from "vitest";
import {
  computeExpiry,
  computeOverlapEnd,
  isTokenUsable,
  issueTokenSchema,
  rotateTokenSchema,
  shouldRecordLastUsed,
  tokenStatus,
  type TokenDates,
  type TokenStatus,
} from "./token-policy";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const NOW = new Date("2026-03-01T12:00:00.000Z");
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

const base: TokenDates = { expiresAt: null, revokedAt: null, replacedAt: null, overlapEndsAt: null };

describe("tokenStatus", () => {
  const expiresAt = at(365 * DAY);
  const issued: TokenDates = { ...base, expiresAt };
  const rotated: TokenDates = { ...base, expiresAt, replacedAt: NOW, overlapEndsAt: at(24 * HOUR) };

  it.each<[string, TokenDates, Date, TokenStatus, boolean]>([
    ["never expires", base, at(5000 * DAY), "active", true],
    ["fresh token", issued, NOW, "active", true],
    ["just over 30 days before expiry", issued, new Date(expiresAt.getTime() - 30 * DAY - 1), "active", true],
    ["exactly 30 days before expiry", issued, new Date(expiresAt.getTime() - 30 * DAY), "expiring_soon", true],
    ["1 ms before expiry", issued, new Date(expiresAt.getTime() - 1), "expiring_soon", true],
    ["at the expiry instant", issued, expiresAt, "expired", false],
    ["long after expiry", issued, new Date(expiresAt.getTime() + 400 * DAY), "expired", false],
    ["revoked", { ...issued, revokedAt: NOW }, NOW, "revoked", false],
    ["revoked, checked later", { ...issued, revokedAt: NOW }, at(DAY), "revoked", false],
    ["revoked by a server whose clock is ahead", { ...issued, revokedAt: at(5 * SECOND) }, NOW, "revoked", false],
    ["revoked beats expired", { ...issued, revokedAt: NOW }, expiresAt, "revoked", false],
    ["revoked during the overlap window", { ...rotated, revokedAt: at(HOUR) }, at(2 * HOUR), "revoked", false],
    ["rotated, at the rotation instant", rotated, NOW, "active_until_overlap_end", true],
    ["rotated, 1 ms before overlap end", rotated, at(24 * HOUR - 1), "active_until_overlap_end", true],
    ["rotated, at overlap end", rotated, at(24 * HOUR), "superseded", false],
    ["rotated, after overlap end", rotated, at(48 * HOUR), "superseded", false],
    ["rotated with 0 h overlap", { ...rotated, overlapEndsAt: NOW }, NOW, "superseded", false],
    ["rotated without an overlap end", { ...rotated, overlapEndsAt: null }, NOW, "superseded", false],
    [
      "rotated while expiring soon: the overlap is what matters",
      { ...rotated, expiresAt: at(10 * DAY) },
      at(HOUR),
      "active_until_overlap_end",
      true,
    ],
    ["expires inside the overlap window", { ...rotated, expiresAt: at(HOUR) }, at(HOUR), "expired", false],
    [
      "expired and superseded: superseded explains it",
      { ...rotated, expiresAt: at(HOUR) },
      at(48 * HOUR),
      "superseded",
      false,
    ],
    [
      "overlap end without replacement is ignored",
      { ...issued, overlapEndsAt: at(HOUR) },
      at(2 * HOUR),
      "active",
      true,
    ],
  ])("%s -> %s", (_label, token, now, status, usable) => {
    expect(tokenStatus(token, now)).toBe(status);
    expect(isTokenUsable(token, now)).toBe(usable);
  });
});

describe("computeExpiry", () => {
  it.each<[number | "never" | undefined, Date | null]>([
    [undefined, at(365 * DAY)],
    [1, at(DAY)],
    [30, at(30 * DAY)],
    [365, at(365 * DAY)],
    [730, at(730 * DAY)],
    ["never", null],
  ])("%s days -> %s", (days, expected) => {
    expect(computeExpiry(NOW, days)).toEqual(expected);
  });

  it.each([0, -1, 731, 1.5, Number.NaN, Number.POSITIVE_INFINITY])("throws for %s days (schema skipped)", (days) => {
    expect(() => computeExpiry(NOW, days)).toThrow(RangeError);
  });

  it("does not mutate the clock it was given", () => {
    const now = new Date(NOW);
    computeExpiry(now, 10);
    expect(now).toEqual(NOW);
  });
});

describe("computeOverlapEnd", () => {
  it.each<[number | undefined, Date]>([
    [undefined, at(24 * HOUR)],
    [0, NOW],
    [1, at(HOUR)],
    [168, at(168 * HOUR)],
  ])("%s hours -> %s", (hours, expected) => {
    expect(computeOverlapEnd(NOW, hours)).toEqual(expected);
  });

  it.each([-1, 169, 0.5, Number.NaN])("throws for %s hours (schema skipped)", (hours) => {
    expect(() => computeOverlapEnd(NOW, hours)).toThrow(RangeError);
  });
});

function fieldErrors(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  return Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));
}

describe("issueTokenSchema", () => {
  it.each<[string, unknown, { name: string; expiresInDays: number | "never" }]>([
    ["defaults to 365 days", { name: "Entra ID" }, { name: "Entra ID", expiresInDays: 365 }],
    ["trims the name", { name: "  Entra ID  ", expiresInDays: 30 }, { name: "Entra ID", expiresInDays: 30 }],
    ["accepts 1 day", { name: "x", expiresInDays: 1 }, { name: "x", expiresInDays: 1 }],
    ["accepts 730 days", { name: "x", expiresInDays: 730 }, { name: "x", expiresInDays: 730 }],
    ["accepts never", { name: "x", expiresInDays: "never" }, { name: "x", expiresInDays: "never" }],
    ["accepts 80 characters", { name: "n".repeat(80) }, { name: "n".repeat(80), expiresInDays: 365 }],
  ])("%s", (_label, input, expected) => {
    expect(issueTokenSchema.parse(input)).toEqual(expected);
  });

  it.each<[string, unknown, Record<string, string>]>([
    ["missing name", {}, { name: "Enter a name for the token." }],
    ["blank name", { name: "   " }, { name: "Enter a name for the token." }],
    ["name too long", { name: "n".repeat(81) }, { name: "Use at most 80 characters." }],
    [
      "0 days",
      { name: "x", expiresInDays: 0 },
      { expiresInDays: "Choose at least 1 day: a token cannot expire today or in the past." },
    ],
    [
      "past (negative days)",
      { name: "x", expiresInDays: -5 },
      { expiresInDays: "Choose at least 1 day: a token cannot expire today or in the past." },
    ],
    ["over the maximum", { name: "x", expiresInDays: 731 }, { expiresInDays: "Choose at most 730 days (two years)." }],
    [
      "fractional days",
      { name: "x", expiresInDays: 1.5 },
      { expiresInDays: 'Choose a whole number of days from 1 to 730, or "never".' },
    ],
    [
      "a numeric string",
      { name: "x", expiresInDays: "30" },
      { expiresInDays: 'Choose a whole number of days from 1 to 730, or "never".' },
    ],
    [
      "another word",
      { name: "x", expiresInDays: "forever" },
      { expiresInDays: 'Choose a whole number of days from 1 to 730, or "never".' },
    ],
    [
      "null",
      { name: "x", expiresInDays: null },
      { expiresInDays: 'Choose a whole number of days from 1 to 730, or "never".' },
    ],
    [
      "both fields wrong",
      { name: "", expiresInDays: 1000 },
      { name: "Enter a name for the token.", expiresInDays: "Choose at most 730 days (two years)." },
    ],
  ])("refuses %s with a readable field error", (_label, input, expected) => {
    const result = issueTokenSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(fieldErrors(result)).toEqual(expected);
  });

  it("produces values computeExpiry accepts", () => {
    const { expiresInDays } = issueTokenSchema.parse({ name: "x" });
    expect(computeExpiry(NOW, expiresInDays)).toEqual(at(365 * DAY));
  });
});

describe("rotateTokenSchema", () => {
  it.each<[unknown, number]>([
    [{}, 24],
    [{ overlapHours: 0 }, 0],
    [{ overlapHours: 168 }, 168],
  ])("%j -> %s hours", (input, hours) => {
    expect(rotateTokenSchema.parse(input)).toEqual({ overlapHours: hours });
  });

  it.each<[unknown, string]>([
    [{ overlapHours: -1 }, "The overlap cannot be negative; use 0 to stop the old token at once."],
    [{ overlapHours: 169 }, "Choose at most 168 hours (7 days)."],
    [{ overlapHours: 1.5 }, "Use a whole number of hours."],
    [{ overlapHours: "24" }, "Choose how many hours the old token keeps working (0 to 168)."],
    [{ overlapHours: null }, "Choose how many hours the old token keeps working (0 to 168)."],
  ])("refuses %j", (input, message) => {
    const result = rotateTokenSchema.safeParse(input);
    expect(fieldErrors(result)).toEqual({ overlapHours: message });
  });
});

describe("shouldRecordLastUsed", () => {
  it.each<[string, Date | null, Date, boolean]>([
    ["never used", null, NOW, true],
    ["used at this instant", NOW, NOW, false],
    ["used 59.999 s ago", at(-MINUTE + 1), NOW, false],
    ["used exactly a minute ago", at(-MINUTE), NOW, true],
    ["used an hour ago", at(-HOUR), NOW, true],
    ["stored a few seconds ahead (another instance's clock)", at(5 * SECOND), NOW, false],
    ["stored more than a minute ahead (clock moved back)", at(MINUTE), NOW, true],
  ])("%s -> %s", (_label, lastUsedAt, now, expected) => {
    expect(shouldRecordLastUsed(lastUsedAt, now)).toBe(expected);
  });

  it("writes once a minute under a steady stream of requests", () => {
    let lastUsedAt: Date | null = null;
    let writes = 0;
    for (let ms = 0; ms < 10 * MINUTE; ms += 40) {
      const now = at(ms);
      if (shouldRecordLastUsed(lastUsedAt, now)) {
        lastUsedAt = now;
        writes += 1;
      }
    }
    expect(writes).toBe(10);
  });
});
