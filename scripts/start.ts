// `npm start`: validates configuration, builds the app when the build is missing or older than
// the sources, then serves it on PORT with the console's server (scripts/serve.mjs).
import { spawnSync, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { createEntraStandIn } from "../dev-tools/entra-stand-in";
import { decideDemoIdp, EnvError, parseEnv } from "../lib/env";
import { serverArgs } from "./node-flags";

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

const SOURCES = [
  "app",
  "components",
  "lib",
  "prisma",
  "public",
  "instrumentation.ts",
  "next.config.ts",
  "package-lock.json",
  "postcss.config.mjs",
];

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
  console.log(
    builtAt === 0 ? "Building Storegate Console (first start)…" : "Sources changed since the last build: rebuilding…",
  );
  const build = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// With no Entra app configured and the console on a loopback address (or STOREGATE_DEMO_IDP=1),
// "Sign in with Microsoft" goes to the local stand-in so a newcomer can click through the whole
// single sign-on flow (the console shows a banner). Anywhere else it is refused, with the reason.
const childEnv: NodeJS.ProcessEnv = { ...process.env };
let standIn: Awaited<ReturnType<typeof createEntraStandIn>> | undefined;
const demo = decideDemoIdp(env);
if (!demo.start && env.entra.mode !== "microsoft")
  console.log(`Demo identity provider not started: ${demo.why}. Single sign-on is unavailable.`);
if (demo.start && env.entra.mode === "off") {
  standIn = await createEntraStandIn({ port: env.entraStandInPort, certDir: path.join(env.dataDir, "entra-stand-in") });
  childEnv.ENTRA_STAND_IN_URL = standIn.url;
  childEnv.NODE_EXTRA_CA_CERTS = standIn.caCertPath;
  console.log(
    `Demo identity provider (local Microsoft Entra ID stand-in) on ${standIn.url}; accounts in dev-tools/entra-stand-in/README.md`,
  );
}

console.log(
  `Storegate Console on ${env.appUrl} (${env.databaseUrl ? "PostgreSQL" : `embedded store in ${env.pgliteDir}`})`,
);
const server = spawn(process.execPath, serverArgs(env.port, env.host), { cwd: root, stdio: "inherit", env: childEnv });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => {
  void (standIn?.close() ?? Promise.resolve()).finally(() => process.exit(code ?? (signal ? 1 : 0)));
});
