import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";

// A minimal raw-SQL connection used where Prisma's client cannot go: applying multi-statement
// migration files and reading the catalog in the drift test. Same interface for both stores.
export interface SqlConnection {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of several statements (simple-query protocol). */
  exec(sql: string): Promise<void>;
  transaction<T>(fn: (tx: SqlConnection) => Promise<T>): Promise<T>;
}

type PGliteLike = Pick<PGlite, "query" | "exec">;

function pgliteConnection(db: PGliteLike & Partial<Pick<PGlite, "transaction">>): SqlConnection {
  return {
    async query<T>(sql: string, params?: unknown[]) {
      return (await db.query<T>(sql, params)).rows;
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
    async transaction<T>(fn: (tx: SqlConnection) => Promise<T>) {
      if (!db.transaction) throw new Error("nested transactions are not supported");
      return db.transaction((tx) => fn(pgliteConnection(tx)));
    },
  };
}

export function connectPGlite(db: PGlite): SqlConnection {
  return pgliteConnection(db);
}

/** One dedicated PostgreSQL connection (not from the pool): transactions need a single session. */
export async function connectPostgres(databaseUrl: string): Promise<SqlConnection & { close(): Promise<void> }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const conn: SqlConnection = {
    async query<T>(sql: string, params?: unknown[]) {
      return (await client.query(sql, params)).rows as T[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
    async transaction<T>(fn: (tx: SqlConnection) => Promise<T>) {
      await client.query("BEGIN");
      try {
        const result = await fn({ ...conn, transaction: () => Promise.reject(new Error("nested transactions are not supported")) });
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    },
  };
  return { ...conn, close: () => client.end() };
}
