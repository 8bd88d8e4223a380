import { describe, expect, it } from "vitest";
import { MAX_LOGGED_BODY_CHARS, REDACTED, redactForLog } from "./redact";
import { createRequestLogger, type ScimLogEntry } from "./request-log";

const entry = (n: number, body: unknown = { userName: `u${n}` }): ScimLogEntry => ({
  teamId: "t",
  tokenId: "k",
  at: new Date(0),
  method: "POST",
  path: "/Users",
  operation: "Create user",
  targetId: null,
  status: 201,
  scimType: null,
  detail: null,
  durationMs: 3,
  requestBody: body,
  responseBody: null,
});

describe("redactForLog", () => {
  it("removes secrets by key, in nested objects and in PATCH operations", () => {
    expect(redactForLog({ userName: "a", password: "p", nested: [{ clientSecret: "s", ok: 1 }] })).toEqual({
      userName: "a",
      password: REDACTED,
      nested: [{ clientSecret: REDACTED, ok: 1 }],
    });
    expect(
      redactForLog({
        Operations: [
          { op: "replace", path: "password", value: "p" },
          { op: "replace", path: "title", value: "t" },
        ],
      }),
    ).toEqual({
      Operations: [
        { op: "replace", path: "password", value: REDACTED },
        { op: "replace", path: "title", value: "t" },
      ],
    });
  });

  it("caps large bodies and keeps small ones whole", () => {
    const big = redactForLog({ title: "x".repeat(MAX_LOGGED_BODY_CHARS * 2) }) as {
      truncated: boolean;
      preview: string;
    };
    expect(big.truncated).toBe(true);
    expect(big.preview).toHaveLength(MAX_LOGGED_BODY_CHARS);
    expect(redactForLog(undefined)).toBeNull();
  });
});

describe("createRequestLogger", () => {
  it("writes in batches, in order, and everything on flush", async () => {
    const batches: number[][] = [];
    const logger = createRequestLogger(
      async (rows) =>
        void batches.push(rows.map((r) => Number(String((r.requestBody as { userName: string }).userName).slice(1)))),
      { maxBatch: 3, delayMs: 60_000 },
    );
    for (let i = 0; i < 7; i++) logger.record(entry(i));
    await logger.flush();
    expect(batches).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it("survives a failed write and keeps logging", async () => {
    let calls = 0;
    const logger = createRequestLogger(
      async () => {
        calls++;
        if (calls === 1) throw new Error("database down");
      },
      { maxBatch: 1 },
    );
    const errors: unknown[] = [];
    // The entry that could not be written is counted and reported as a warning.
    const original = console.warn;
    console.warn = (...args: unknown[]) => void errors.push(args);
    try {
      logger.record(entry(1));
      logger.record(entry(2));
      await logger.flush();
    } finally {
      console.warn = original;
    }
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
  });
});
