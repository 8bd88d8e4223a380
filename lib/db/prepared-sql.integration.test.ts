import { describe, expect, it } from "vitest";
import { useFreshStore } from "../../test/support/test-database";
import { getStore } from "./index";

// The store's direct driver (prepared statements, lib/db/sql.ts) on the real database: PGlite, or
// PostgreSQL with TEST_DATABASE_URL. What callers rely on: the same rows as an ordinary query, a
// failed statement leaves the connection usable, and the set of prepared statements stays bounded.

useFreshStore();
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

describe("direct queries through prepared statements", () => {
  it("returns typed rows: text, null, int, boolean, jsonb and timestamptz", async () => {
    const { direct } = await getStore();
    const sql = `SELECT $1::text AS "text", NULL::text AS "none", $2::int AS "number", $3::boolean AS "flag", $4::jsonb AS "json",
      ('2026-01-31 12:00:00.123'::timestamp AT TIME ZONE 'UTC') AS "at"`;
    for (let run = 0; run < 7; run++) {
      // Past the fifth run PostgreSQL may switch to a generic plan: the answer must not change.
      const [row] = await direct.query<Record<string, unknown>>(sql, [
        `é${run}`,
        run,
        run % 2 === 0,
        JSON.stringify({ run, list: [1, "two"] }),
      ]);
      expect(row).toEqual({
        text: `é${run}`,
        none: null,
        number: run,
        flag: run % 2 === 0,
        json: { run, list: [1, "two"] },
        at: new Date("2026-01-31T12:00:00.123Z"),
      });
    }
  });

  it("reports a bad parameter or bad SQL as the database's error and keeps working", async () => {
    const { direct } = await getStore();
    const sql = `SELECT $1::int + 1 AS "next"`;
    await expect(direct.query(sql, ["not a number"])).rejects.toThrow(/invalid input syntax/);
    await expect(direct.query(`SELEC 1`)).rejects.toThrow(/syntax error/);
    expect(await direct.query(sql, [41])).toEqual([{ next: 42 }]);
    await expect(direct.query(`SELEC 1`)).rejects.toThrow(/syntax error/);
  });

  it("keeps a bounded number of statements prepared however many different texts arrive", async () => {
    const { direct } = await getStore();
    for (let i = 0; i < 300; i++) {
      expect(await direct.query<{ n: number }>(`SELECT $1::int + ${i} AS "n"`, [1])).toEqual([{ n: i + 1 }]);
    }
    // The earliest texts were evicted; they still run (prepared again or unnamed).
    expect(await direct.query(`SELECT $1::int + 0 AS "n"`, [5])).toEqual([{ n: 5 }]);
    if (!onPostgres) {
      // One embedded session: its prepared statements are the store's.
      const [row] = await direct.query<{ prepared: number }>(
        `SELECT count(*)::int AS "prepared" FROM pg_prepared_statements`,
      );
      expect(row?.prepared).toBeGreaterThan(0);
      expect(row?.prepared).toBeLessThanOrEqual(128);
    }
  });

  it("never runs inside another caller's open transaction", async () => {
    const { prisma, direct } = await getStore();
    await direct.query(`CREATE TABLE IF NOT EXISTS "PreparedSqlProbe" ("id" text PRIMARY KEY)`);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedSignal = new Promise<void>((resolve) => (inserted = resolve));
    const transaction = prisma.$transaction(async (tx) => {
      await tx.$executeRaw`INSERT INTO "PreparedSqlProbe" ("id") VALUES ('uncommitted')`;
      inserted();
      await held;
      throw new Error("rolled back on purpose");
    });
    await insertedSignal;
    const read = direct.query<{ id: string }>(`SELECT "id" FROM "PreparedSqlProbe"`);
    release();
    await expect(transaction).rejects.toThrow("rolled back on purpose");
    // The read saw neither the uncommitted row nor ran inside the transaction that was rolled back.
    expect(await read).toEqual([]);
    await direct.query(`DROP TABLE "PreparedSqlProbe"`);
  });
});
