import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/support/test-database";
import { actualSchema, expectedSchema } from "../../test/support/drift";
import { applyMigrations, MigrationError, readMigrations } from "./migrate";
import type { SqlConnection } from "./sql";

let db: TestDatabase;
let conn: SqlConnection & { close(): Promise<void> };

beforeAll(async () => {
  db = await createTestDatabase();
  conn = await db.connect();
});
afterAll(async () => {
  await conn?.close();
  await db?.drop();
});

describe(`migrations on ${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"}`, () => {
  it("apply to a fresh database and record themselves as prisma migrate deploy does", async () => {
    const migrations = await readMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    const first = await applyMigrations(conn, migrations);
    expect(first.applied).toEqual(migrations.map((m) => m.name));

    const rows = await conn.query<{
      migration_name: string;
      checksum: string;
      finished_at: unknown;
      applied_steps_count: number;
      rolled_back_at: unknown;
    }>(
      `SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((r) => [r.migration_name, r.checksum, r.applied_steps_count, r.rolled_back_at])).toEqual(
      migrations.map((m) => [m.name, m.checksum, 1, null]),
    );
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
  });

  it("are idempotent: a second run applies nothing and changes nothing", async () => {
    const migrations = await readMigrations();
    const second = await applyMigrations(conn, migrations);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(migrations.map((m) => m.name));
    const [{ count }] = (await conn.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM "_prisma_migrations"`,
    )) as [{ count: number }];
    expect(count).toBe(migrations.length);
  });

  it("produce exactly the tables, columns, nullability, enums, unique constraints, indexes and foreign keys schema.prisma declares", async () => {
    expect(await actualSchema(conn)).toEqual(expectedSchema());
  });

  it("roll a failing migration back whole and name it", async () => {
    const before = await actualSchema(conn);
    const broken = {
      name: "29990101000000_broken",
      checksum: "x".repeat(64),
      sql: `CREATE TABLE "Half" ("id" TEXT);\nALTER TABLE "Nope" ADD COLUMN "x" TEXT;`,
    };
    const error = await applyMigrations(conn, [...(await readMigrations()), broken]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).message).toMatch(
      /^Migration 29990101000000_broken failed and was rolled back: .*Nope/,
    );
    expect(await actualSchema(conn)).toEqual(before);
    const recorded = await conn.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1`, [broken.name]);
    expect(recorded).toEqual([]);
  });
});
