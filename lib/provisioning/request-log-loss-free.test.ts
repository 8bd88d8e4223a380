import { afterEach, describe, expect, it, vi } from "vitest";
import { describeInvalidCharacters } from "../scim/validate-string";
import { MAX_LOGGED_BODY_CHARS } from "./redact";
import { createRequestLogger, type ScimLogEntry, toLogRow } from "./request-log";

const entry = (overrides: Partial<ScimLogEntry> = {}): ScimLogEntry => ({
  teamId: "team-1",
  tokenId: "token-1",
  at: new Date(0),
  method: "POST",
  path: "/Users",
  operation: "Create user",
  targetId: null,
  status: 201,
  scimType: null,
  detail: null,
  durationMs: 3,
  requestBody: { userName: "ok@contoso.test" },
  responseBody: null,
  ...overrides,
});

/** What PostgreSQL refuses in text and jsonb: NUL and unpaired surrogates, in any string or key. */
function storable(value: unknown): boolean {
  if (typeof value === "string") return describeInvalidCharacters(value) === undefined;
  if (Array.isArray(value)) return value.every(storable);
  if (value !== null && typeof value === "object")
    return Object.entries(value).every(([key, item]) => storable(key) && storable(item));
  return true;
}

/** A writer with the database's rules: a batch with one unstorable value fails as a whole. */
function strictWriter(written: ScimLogEntry["path"][]) {
  return async (rows: ReturnType<typeof toLogRow>[]) => {
    if (!rows.every((row) => storable(row)))
      throw Object.assign(new Error("invalid byte sequence for encoding UTF8: 0x00"), { code: "22021" });
    written.push(...rows.map((row) => row.path));
  };
}

afterEach(() => vi.restoreAllMocks());

describe("provisioning log entries are cleaned before they are queued", () => {
  it("replaces NUL and unpaired surrogates in every string, key and nested body with U+FFFD, keeping valid astral characters", () => {
    const row = toLogRow(
      entry({
        path: "/Users/a\u0000b",
        targetId: "x\uD800y",
        detail: "bad \uDC00 detail",
        requestBody: { "na\u0000me": { givenName: "G\uD83D", emoji: "😀" }, list: ["\u0000", "ok"], __proto__x: 1 },
        responseBody: { detail: "d\u0000" },
      }),
    );
    expect(row.path).toBe("/Users/a\uFFFDb");
    expect(row.targetId).toBe("x\uFFFDy");
    expect(row.detail).toBe("bad \uFFFD detail");
    expect(row.requestBody).toEqual({
      "na\uFFFDme": { givenName: "G\uFFFD", emoji: "😀" },
      list: ["\uFFFD", "ok"],
      __proto__x: 1,
    });
    expect(row.responseBody).toEqual({ detail: "d\uFFFD" });
    expect(storable(row)).toBe(true);
  });

  it("cuts long text between code points, never inside a surrogate pair", () => {
    const row = toLogRow(entry({ path: `/${"a".repeat(2046)}😀😀`, detail: `${"d".repeat(2047)}😀` }));
    expect(row.path.length).toBeLessThanOrEqual(2048);
    expect(storable(row.path)).toBe(true);
    expect(storable(row.detail)).toBe(true);
    expect(row.detail).toBe("d".repeat(2047));
  });

  it("keeps a capped body storable when the cap falls inside a surrogate pair", () => {
    // The preview of a body over the cap ends at a fixed length; put a pair across that point.
    const prefix = '{"title":"'.length;
    const title = `${"x".repeat(MAX_LOGGED_BODY_CHARS - prefix - 1)}${"😀".repeat(MAX_LOGGED_BODY_CHARS)}`;
    const row = toLogRow(entry({ requestBody: { title } }));
    expect(JSON.stringify(row.requestBody).length).toBeLessThan(4 * MAX_LOGGED_BODY_CHARS);
    expect(storable(row.requestBody)).toBe(true);
  });
});

describe("a batch the database refuses is retried entry by entry", () => {
  it("writes every cleanable entry even when they share a batch with unstorable input", async () => {
    const written: string[] = [];
    const logger = createRequestLogger(strictWriter(written), { maxBatch: 50, delayMs: 60_000 });
    for (let i = 0; i < 10; i++)
      logger.record(
        entry({
          path: `/Users/${i}`,
          requestBody: i % 3 === 0 ? { userName: `nul\u0000${i}`, k: "\uD800" } : { userName: `u${i}` },
        }),
      );
    await logger.flush();
    expect(written).toHaveLength(10);
    expect(logger.stats()).toEqual({ written: 10, dropped: 0, pending: 0 });
  });

  it("counts an entry that still fails alone, warns once without its values, and keeps the rest of the batch", async () => {
    const warnings: string[] = [];
    vi.spyOn(console, "warn").mockImplementation(
      (...args: unknown[]) => void warnings.push(args.map(String).join(" ")),
    );
    const written: string[] = [];
    // The database refuses one row for a reason cleaning cannot fix (its team was deleted meanwhile).
    const logger = createRequestLogger(
      async (rows) => {
        if (rows.some((row) => row.teamId === "deleted-team"))
          throw Object.assign(new Error(`Foreign key violated: ${JSON.stringify(rows)}`), { code: "P2003" });
        written.push(...rows.map((row) => row.path));
      },
      { maxBatch: 5, delayMs: 60_000 },
    );
    for (let i = 0; i < 5; i++) {
      logger.record(
        entry({
          path: `/Users/${i}`,
          teamId: i === 2 ? "deleted-team" : "team-1",
          requestBody: { userName: "u", password: "Hunter4-SuperSecret!" },
        }),
      );
    }
    await logger.flush();
    expect(written).toEqual(["/Users/0", "/Users/1", "/Users/3", "/Users/4"]);
    expect(logger.stats()).toEqual({ written: 4, dropped: 1, pending: 0 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/not written.*deleted-team.*P2003.*1 dropped/);
    expect(warnings[0]).not.toContain("Hunter4");
    expect(warnings[0]).not.toContain("Foreign key violated");
  });

  it("counts entries waiting to be written", async () => {
    const logger = createRequestLogger(async () => {}, { maxBatch: 100, delayMs: 60_000 });
    logger.record(entry());
    logger.record(entry());
    expect(logger.stats()).toEqual({ written: 0, dropped: 0, pending: 2 });
    await logger.flush();
    expect(logger.stats()).toEqual({ written: 2, dropped: 0, pending: 0 });
  });
});
