import { getEnv } from "../env";
import type { PrismaClient } from "./generated/client";
import { openStore, type Store } from "./store";

export type { PrismaClient };
export { Prisma } from "./generated/client";

// One store per process (PGlite allows no other), kept on globalThis so Next's dev reloads and
// the several module graphs of one server process share it.
const globalStore = globalThis as unknown as { __storegateStore?: Promise<Store> };

function storeFromEnv(): Promise<Store> {
  const env = getEnv();
  // stderr: the CLI keeps stdout for its one JSON line.
  const log = (line: string) => console.error(`[db] ${line}`);
  return env.databaseUrl
    ? openStore({ kind: "postgres", databaseUrl: env.databaseUrl }, log)
    : openStore({ kind: "pglite", dataDir: env.dataDir, pgliteDir: env.pgliteDir }, log);
}

export function getStore(): Promise<Store> {
  if (!globalStore.__storegateStore) {
    const opening = storeFromEnv();
    // A failed open is not cached, so the next request retries instead of failing forever.
    opening.catch(() => {
      if (globalStore.__storegateStore === opening) globalStore.__storegateStore = undefined;
    });
    globalStore.__storegateStore = opening;
  }
  return globalStore.__storegateStore;
}

export async function getDb(): Promise<PrismaClient> {
  return (await getStore()).prisma;
}

/** For tests and the CLI: use this store instead of the one from the environment. */
export function setStore(store: Store | undefined): void {
  globalStore.__storegateStore = store ? Promise.resolve(store) : undefined;
}

export async function closeStore(): Promise<void> {
  const store = globalStore.__storegateStore;
  globalStore.__storegateStore = undefined;
  if (store) await (await store).close();
}
