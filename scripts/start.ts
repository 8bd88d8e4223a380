// `npm start`: validates configuration, builds the app when the build is missing or older than
// the sources, then serves it with `next start` on PORT.
import { spawnSync, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { EnvError, parseEnv } from "../lib/env";

const root = path.resolve(import.meta.dirname, "..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");

let env;
try {
  env = parseEnv();
} catch (error) {
  if (error instanceof EnvError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const SOURCES = ["app", "components", "lib", "prisma", "public", "instrumentation.ts", "next.config.ts", "package-lock.json", "postcss.config.mjs"];

function newestMtime(entry: string): number {
  const full = path.join(root, entry);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of readdirSync(full)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

const buildId = path.join(root, ".next", "BUILD_ID");
const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
if (builtAt === 0 || SOURCES.some((s) => newestMtime(s) > builtAt)) {
  console.log(builtAt === 0 ? "Building Storegate Console (first start)…" : "Sources changed since the last build: rebuilding…");
  const build = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const host = process.env.HOST || "127.0.0.1";
console.log(`Storegate Console on ${env.appUrl} (${env.databaseUrl ? "PostgreSQL" : `embedded store in ${env.pgliteDir}`})`);
const server = spawn(process.execPath, [nextBin, "start", "-p", String(env.port), "-H", host], { cwd: root, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
