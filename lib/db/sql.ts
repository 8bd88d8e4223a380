import { createHash } from "node:crypto";
import { parse, protocol, type PGlite } from "@electric-sql/pglite";
import pg from "pg";

// A minimal raw-SQL connection used where Prisma's client cannot go: applying multi-statement
// migration files and reading the catalog in the drift test. Same interface for both stores.
export interface SqlQuery {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** Queries through prepared statements, and transactions over them (the store's direct driver). */
export interface DirectSql extends SqlQuery {
  /** BEGIN, `fn`, COMMIT; ROLLBACK and rethrow when `fn` throws. Nothing else runs on the connection meanwhile. */
  transaction<T>(fn: (tx: SqlQuery) => Promise<T>): Promise<T>;
}

export interface SqlConnection extends SqlQuery {
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

/**
 * How many distinct statements each connection keeps prepared. The hot statements (a SCIM lookup
 * per filter shape, the log insert) are a handful; the bound keeps a client that sends endless
 * new filter shapes from growing the server's memory.
 */
const PREPARED_STATEMENTS = 128;

// Several protocol messages sent in one call into the engine (a Buffer is a Uint8Array).
const concat = (parts: Uint8Array[]): Uint8Array => Buffer.concat(parts);

/**
 * Queries on the embedded store through statements prepared once per SQL text. PGlite's own
 * `query()` parses, describes and plans every statement each time (six calls into the engine);
 * a prepared statement is bound and executed in one call, and after a few runs PostgreSQL keeps a
 * generic plan for it (PostgreSQL's PREPARE documentation, "plan_cache_mode"). Planning was most
 * of a SCIM lookup's time (docs/performance.md).
 *
 * The extended query protocol is written by hand with PGlite's exported serializer and parser
 * because its API has no named statements. Each call holds PGlite's own locks, as `query()` does,
 * so it never runs inside another caller's transaction.
 */
export function preparedPGlite(db: PGlite): DirectSql {
  const statements = new Map<string, { name: string; paramTypes: number[] }>();
  let counter = 0;
  const { serialize } = protocol;

  async function prepare(sql: string): Promise<{ name: string; paramTypes: number[] }> {
    const known = statements.get(sql);
    if (known) {
      // Most recently used last: the first key is the one to evict.
      statements.delete(sql);
      statements.set(sql, known);
      return known;
    }
    const name = `storegate_${++counter}`;
    const described = await db.execProtocol(
      concat([serialize.parse({ name, text: sql }), serialize.describe({ type: "S", name }), serialize.sync()]),
    );
    const statement = { name, paramTypes: parse.parseDescribeStatementResults(described.messages) };
    statements.set(sql, statement);
    if (statements.size > PREPARED_STATEMENTS) {
      const [oldestSql, oldest] = statements.entries().next().value as [string, { name: string }];
      statements.delete(oldestSql);
      await db.execProtocol(concat([serialize.close({ type: "S", name: oldest.name }), serialize.sync()]));
    }
    return statement;
  }

  /** One statement; the caller holds PGlite's query lock. */
  async function run<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const { name, paramTypes } = await prepare(sql);
    const values = params.map((value, index) => {
      if (value === null || value === undefined) return null;
      const serializer = db.serializers[paramTypes[index] ?? 0];
      if (serializer) return serializer(value);
      // A type PGlite has no serializer for: strings as they are, anything else in its JSON form.
      return typeof value === "string" ? value : JSON.stringify(value);
    });
    const result = await db.execProtocol(
      concat([
        serialize.bind({ statement: name, values }),
        serialize.describe({ type: "P" }),
        serialize.execute({}),
        serialize.sync(),
      ]),
    );
    return (parse.parseResults(result.messages, db.parsers)[0]?.rows ?? []) as T[];
  }
  const simple = (sql: string) => db._runExclusiveQuery(() => db.execProtocol(serialize.query(sql)));

  return {
    query<T>(sql: string, params?: unknown[]): Promise<T[]> {
      return db._runExclusiveTransaction(() => db._runExclusiveQuery(() => run<T>(sql, params)));
    },
    // The transaction lock is held from BEGIN to COMMIT, as PGlite's own transaction() does, so no
    // other caller's statement lands inside this transaction; each statement takes the query lock.
    transaction<T>(fn: (tx: SqlQuery) => Promise<T>): Promise<T> {
      return db._runExclusiveTransaction(async () => {
        await simple("BEGIN");
        try {
          const result = await fn({
            query: <R>(sql: string, params?: unknown[]) => db._runExclusiveQuery(() => run<R>(sql, params)),
          });
          await simple("COMMIT");
          return result;
        } catch (error) {
          await simple("ROLLBACK").catch(() => {});
          throw error;
        }
      });
    },
  };
}

/**
 * A pooled PostgreSQL query with the statement prepared once per connection (node-postgres keeps
 * named statements per client). Statement texts past PREPARED_STATEMENTS are run unnamed, so a
 * client sending endless new filter shapes cannot grow every connection's memory.
 */
export function preparedPool(pool: pg.Pool): DirectSql {
  const names = new Map<string, string>();
  async function run<T>(client: pg.Pool | pg.PoolClient, sql: string, params?: unknown[]): Promise<T[]> {
    let name = names.get(sql);
    if (!name && names.size < PREPARED_STATEMENTS) {
      name = `storegate_${createHash("sha256").update(sql).digest("hex").slice(0, 24)}`;
      names.set(sql, name);
    }
    const result = await client.query(name ? { name, text: sql, values: params } : { text: sql, values: params });
    return result.rows as T[];
  }
  return {
    query: <T>(sql: string, params?: unknown[]) => run<T>(pool, sql, params),
    async transaction<T>(fn: (tx: SqlQuery) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const result = await fn({ query: <R>(sql: string, params?: unknown[]) => run<R>(client, sql, params) });
        await client.query("COMMIT");
        return result;
      } catch (error) {
        // A connection that cannot even roll back is dropped rather than returned to the pool.
        await client.query("ROLLBACK").catch((rollbackError: unknown) => {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
  };
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
        const result = await fn({
          ...conn,
          transaction: () => Promise.reject(new Error("nested transactions are not supported")),
        });
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
export function listenPostgres(
  databaseUrl: string,
  channel: string,
  onSignal: () => void,
  onState: (live: boolean) => void,
  log: (line: string) => void = () => {},
): () => Promise<void> {
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
