// What the HTTP benchmarks share: a free loopback port, the production build, and a console
// server started on it with its own environment (embedded store in a data directory, or
// DATABASE_URL), whose resident memory can be read while it runs.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createServer } from "node:net";
import path from "node:path";
import { serverArgs } from "../node-flags";

export const root = path.resolve(import.meta.dirname, "..", "..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** `next build` when there is no production build yet (the benchmarks measure what `npm start` serves). */
export function ensureBuild(): void {
  if (existsSync(path.join(root, ".next", "BUILD_ID"))) return;
  console.error("[bench] no production build: running next build…");
  const build = spawnSync(process.execPath, [nextBin, "build"], {
    cwd: root,
    stdio: ["ignore", 2, 2],
    env: { ...process.env, NODE_ENV: "production" },
  });
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
  const child = spawn(process.execPath, serverArgs(port, "127.0.0.1"), {
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
  const result = spawnSync(
    process.execPath,
    [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/cli.ts", ...args],
    {
      cwd: root,
      env: { ...process.env, DATABASE_URL: "", ...env },
      encoding: "utf8",
    },
  );
  if (result.status !== 0) throw new Error(`cli ${args[0]} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim()) as T;
}

/** Signs in through Auth.js's credentials endpoint and returns the Cookie header of the session. */
export async function signIn(url: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const eq = pair!.indexOf("=");
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  };
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrf = await fetch(`${url}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: url, cookie: cookieHeader() },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: "/" }),
  });
  keep(response);
  if (![...jar.keys()].some((k) => k.endsWith("authjs.session-token"))) throw new Error("sign-in failed");
  return cookieHeader();
}

/** Milliseconds from sending the request to the first byte of the body and to its last byte, and the whole body. */
export function timeToFirstByte(
  url: string,
  cookie: string,
): Promise<{ ms: number; totalMs: number; status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let first = 0;
    let body = "";
    const req = httpRequest(url, { headers: { cookie, accept: "text/html" } }, (res) => {
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        if (!first) first = performance.now();
        body += chunk;
      });
      res.on("end", () => {
        const end = performance.now();
        resolve({ ms: (first || end) - started, totalMs: end - started, status: res.statusCode ?? 0, body });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * Median, min and max time to first byte of `requests` requests after `warmUp` unmeasured ones
 * (compilation caches, PGlite buffers), plus the median time to the last byte. Every answer must be
 * a 200 containing `expectText`.
 */
export async function measureTtfb(url: string, cookie: string, requests: number, expectText: string, warmUp = 3) {
  for (let i = 0; i < warmUp; i++) await timeToFirstByte(url, cookie);
  const times: number[] = [];
  const totals: number[] = [];
  for (let i = 0; i < requests; i++) {
    const { ms, totalMs, status, body } = await timeToFirstByte(url, cookie);
    if (status !== 200 || !body.includes(expectText)) throw new Error(`unexpected answer from ${url}: ${status}`);
    times.push(ms);
    totals.push(totalMs);
  }
  return {
    medianMs: round(median(times)),
    minMs: round(Math.min(...times)),
    maxMs: round(Math.max(...times)),
    lastByteMedianMs: round(median(totals)),
    requests,
  };
}
