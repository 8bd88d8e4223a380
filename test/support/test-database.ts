import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll } from "vitest";
import { closeStore, setStore } from "../../lib/db";
import { connectPGlite, connectPostgres, type SqlConnection } from "../../lib/db/sql";
import { openStore, type StoreOptions } from "../../lib/db/store";

// A fresh, empty database for one test file: in-memory PGlite by default, or a new database on the
// PostgreSQL server named by TEST_DATABASE_URL (CI runs the integration suite both ways).
export type TestDatabase = {
  kind: "pglite" | "postgres";
  /** Options for openStore on this same database (PostgreSQL only; PGlite memory stores are per instance). */
  storeOptions: StoreOptions;
  connect(): Promise<SqlConnection & { close(): Promise<void> }>;
  drop(): Promise<void>;
};

export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;

export async function createTestDatabase(): Promise<TestDatabase> {
  if (!testDatabaseUrl) {
    return {
      kind: "pglite",
      storeOptions: { kind: "memory" },
      async connect() {
        const db = new PGlite();
        await db.waitReady;
        return { ...connectPGlite(db), close: () => db.close() };
      },
      async drop() {},
    };
  }
  const name = `sg_test_${randomBytes(6).toString("hex")}`;
  const admin = await connectPostgres(testDatabaseUrl);
  await admin.exec(`CREATE DATABASE "${name}"`);
  await admin.close();
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    kind: "postgres",
    storeOptions: { kind: "postgres", databaseUrl: url.toString(), poolSize: 4 },
    connect: () => connectPostgres(url.toString()),
    async drop() {
      const conn = await connectPostgres(testDatabaseUrl);
      await conn.exec(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await conn.close();
    },
  };
}

/**
 * For data-layer integration tests: a fresh database for this file, opened and migrated as the
 * process store (what getDb() returns), closed and dropped afterwards.
 */
export function useFreshStore(): { readonly database: TestDatabase } {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    setStore(await openStore(database.storeOptions));
  });
  afterAll(async () => {
    await closeStore();
    await database?.drop();
  });
  return {
    get database() {
      if (!database) throw new Error("the test database is created in beforeAll");
      return database;
    },
  };
}
