// What the HTTP benchmarks share: a free loopback port, the production build, and a console
// server started on it with its own environment (embedded store in a data directory, or
// DATABASE_URL), whose resident memory can be read while it runs.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { SERVER_NODE_FLAGS } from "../node-flags";

export const root = path.resolve(import.meta.dirname, "..", "..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** `next build` when there is no production build yet (the benchmarks measure what `npm start` serves). */
export function ensureBuild(): void {
  if (existsSync(path.join(root, ".next", "BUILD_ID"))) return;
  console.error("[bench] no production build: running next build…");
  const build = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: ["ignore", 2, 2], env: { ...process.env, NODE_ENV: "production" } });
  if (build.status !== 0) throw new Error("next build failed");
}

export type BenchServer = {
  url: string;
  pid: number;
  /** Resident set size of the server process now, in MiB (Linux /proc). */
  rssMiB(): number | null;
  output(): string;
  stop(): Promise<void>;
};

export async function startServer(env: Record<string, string>, port: number): Promise<BenchServer> {
  const url = `http://localhost:${port}`;
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", APP_URL: url, PORT: String(port), DATABASE_URL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
  };
  const server: BenchServer = {
    url,
    pid: child.pid!,
    rssMiB() {
      try {
        const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1];
        return kb ? Math.round(Number(kb) / 1024) : null;
      } catch {
        return null;
      }
    },
    output: () => output,
    stop,
  };
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return server;
    } catch {
      // not listening yet
    }
    if (i > 1200) {
      await stop();
      throw new Error(`server did not become healthy:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs the operations CLI with that environment and returns its one JSON line. */
export function cli<T>(env: Record<string, string>, args: string[]): T {
  const result = spawnSync(process.execPath, [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/cli.ts", ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: "", ...env },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`cli ${args[0]} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim()) as T;
}
