import { defineConfig } from "prisma/config";

// Prisma's own CLI is used only for `prisma generate` (offline, see README): migrations are
// committed SQL applied by lib/db/migrate.ts, so no datasource URL is configured here.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
