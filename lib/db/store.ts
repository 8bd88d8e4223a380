import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "./generated/client";
import { applyMigrations, readMigrations } from "./migrate";
import { acquirePGliteLock } from "./pglite-lock";
import {
  connectPGlite,
  connectPostgres,
  listenPostgres,
  preparedPGlite,
  preparedPool,
  type DirectSql,
  type SqlConnection,
} from "./sql";

export type StoreOptions =
  | { kind: "postgres"; databaseUrl: string; poolSize?: number }
  | { kind: "pglite"; dataDir: string; pgliteDir: string }
  | { kind: "memory" };

// The embedded server lives in this process's memory, and WebAssembly memory never shrinks: every
// page PostgreSQL's buffer cache touches stays resident. Its default 128 MB cache is most of what the
// console's process holds after a load; 32 MB still holds the hot indexes of a large team, and the
// data files themselves stay in the operating system's page cache (measured: docs/performance.md).
const PGLITE_SETTINGS = ["shared_buffers = 32MB"];

export type Store = {
  prisma: PrismaClient;
  /**
   * The driver under `prisma` (the same PGlite instance, or the same PostgreSQL pool), for the hot
   * paths where Prisma's query engine costs more than the statement: parameterised SQL in, plain
   * rows out (no type mapping: read timestamps as `timestamptz`, counts as `int`).
   */
  direct: DirectSql;
  kind: StoreOptions["kind"];
  /**
   * Calls `onSignal` for every notification on `channel` committed by any writer of this database
   * (any instance, the CLI, a manual UPDATE), and `onState(true|false)` when delivery starts or is
   * interrupted: while it is interrupted, signals may be lost, so callers must not rely on them.
   */
  listen(channel: string, onSignal: () => void, onState: (live: boolean) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
};

/**
 * Opens the database, applies committed migrations before anything else can query it, and
 * returns the Prisma client. PGlite (embedded, default) and PostgreSQL share one schema.
 */
export async function openStore(options: StoreOptions, log: (line: string) => void = () => {}): Promise<Store> {
  const migrations = await readMigrations();
  if (options.kind === "postgres") {
    const conn = await connectPostgres(options.databaseUrl);
    try {
      await applyMigrations(conn, migrations, log);
    } finally {
      await conn.close();
    }
    // One pool for Prisma and for the direct queries: the connection budget stays `poolSize`.
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // A connection that drops while idle is replaced on the next query; without a listener the
    // pool's "error" event would end the process.
    pool.on("error", (error) => log(`idle PostgreSQL connection lost: ${error.message}`));
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    const listeners = new Set<() => Promise<void>>();
    return {
      prisma,
      direct: preparedPool(pool),
      kind: options.kind,
      listen(channel, onSignal, onState) {
        const stop = listenPostgres(options.databaseUrl, channel, onSignal, onState, log);
        listeners.add(stop);
        return Promise.resolve(async () => {
          listeners.delete(stop);
          await stop();
        });
      },
      async close() {
        await Promise.all([...listeners].map((stop) => stop()));
        await prisma.$disconnect();
        await pool.end().catch(() => {});
      },
    };
  }

  let release = () => {};
  let pglite: PGlite;
  if (options.kind === "pglite") {
    release = acquirePGliteLock(options.dataDir);
    mkdirSync(options.pgliteDir, { recursive: true });
    pglite = new PGlite(options.pgliteDir, { postgresqlconf: PGLITE_SETTINGS });
  } else {
    pglite = new PGlite();
  }
  try {
    await pglite.waitReady;
    await applyMigrations(connectPGlite(pglite), migrations, log);
  } catch (error) {
    await pglite.close().catch(() => {});
    release();
    throw error;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    prisma,
    // PGlite runs one statement at a time and holds other callers while a transaction is open, so
    // a direct query never lands inside one of Prisma's transactions.
    direct: preparedPGlite(pglite),
    kind: options.kind,
    async listen(channel, onSignal, onState) {
      // In process: PGlite delivers every committed notification to its own listeners.
      const unsubscribe = await pglite.listen(channel, onSignal);
      onState(true);
      return async () => {
        onState(false);
        await unsubscribe();
      };
    },
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      release();
    },
  };
}

export type { SqlConnection };
