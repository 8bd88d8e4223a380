// `npm run db:migrate`: applies committed migrations to the configured store and exits.
import { closeStore, getStore } from "../lib/db";

try {
  const store = await getStore();
  console.error(`migrations are up to date (${store.kind === "postgres" ? "PostgreSQL" : "embedded store"})`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await closeStore();
}
