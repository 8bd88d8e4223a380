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

/**
 * LISTEN on a dedicated connection (a pooled one may be handed to another query between
 * notifications). A lost connection is reported (`onState(false)`) and re-established with
 * backoff; `onState(true)` only once LISTEN is in place again. Returns the function that stops it.
 */
export function listenPostgres(databaseUrl: string, channel: string, onSignal: () => void, onState: (live: boolean) => void, log: (line: string) => void = () => {}): () => Promise<void> {
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let delay = 250;
  const connect = async () => {
    if (stopped) return;
    const next = new pg.Client({ connectionString: databaseUrl });
    client = next;
    const lost = (why: string) => {
      if (client !== next) return;
      client = undefined;
      onState(false);
      next.removeAllListeners();
      void next.end().catch(() => {});
      if (stopped) return;
      log(`LISTEN ${channel} interrupted (${why}); reconnecting in ${delay} ms`);
      retry = setTimeout(() => void connect(), delay);
      retry.unref();
      delay = Math.min(delay * 2, 10_000);
    };
    next.on("error", (error) => lost(error.message));
    next.on("end", () => lost("connection ended"));
    next.on("notification", (message) => {
      if (message.channel === channel) onSignal();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      if (client !== next || stopped) return;
      delay = 250;
      onState(true);
    } catch (error) {
      lost(error instanceof Error ? error.message : String(error));
    }
  };
  void connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    const current = client;
    client = undefined;
    if (current) {
      onState(false);
      current.removeAllListeners();
      current.on("error", () => {});
      await current.end().catch(() => {});
    }
  };
}
