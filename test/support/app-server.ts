import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { createTestDatabase, type TestDatabase } from "./test-database";
import { serverArgs } from "../../scripts/node-flags";

const root = path.resolve(import.meta.dirname, "..", "..");

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

export type AppServer = {
  url: string;
  env: Record<string, string>;
  stop(): Promise<void>;
  /** SIGKILL, as a power cut or the OOM killer ends it: no shutdown code runs. */
  kill(): Promise<void>;
  /** Everything the server printed on stdout and stderr so far. */
  output(): string;
};

/** Environment for a fresh app: its own data directory, or its own database when databaseUrl is given. */
export function appEnv(port: number, databaseUrl?: string): Record<string, string> {
  return {
    PORT: String(port),
    APP_URL: `http://localhost:${port}`,
    STOREGATE_DATA_DIR: mkdtempSync(path.join(tmpdir(), "storegate-it-")),
    DATABASE_URL: databaseUrl ?? "",
  };
}

/** Runs the ops CLI against that environment and returns its one JSON line. */
export function runCli(
  env: Record<string, string>,
  args: string[],
): { status: number; json?: unknown; stdout: string; stderr: string } {
  const result = spawnSync(
    process.execPath,
    [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/cli.ts", ...args],
    {
      cwd: root,
      env: { ...process.env, ...env },
      encoding: "utf8",
    },
  );
  const stdout = result.stdout.trim();
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    json = undefined;
  }
  return { status: result.status ?? -1, json, stdout, stderr: result.stderr };
}

/** Serves the production build (`next build` must have run) and waits until it is healthy. */
export async function startAppServer(env: Record<string, string>): Promise<AppServer> {
  const url = env.APP_URL!;
  // The production server, with its Node.js flags (heap limits, lazy WebAssembly compilation).
  const child: ChildProcess = spawn(process.execPath, serverArgs(env.PORT!, "127.0.0.1"), {
    cwd: root,
    env: { ...process.env, ...env, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  // "close", not "exit": the process has ended and everything it printed has been read.
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`app server exited early:\n${output}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
    if (i === 599) throw new Error(`app server did not become healthy:\n${output}`);
  }
  return {
    url,
    env,
    output: () => output,
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** A cookie jar over fetch, signed in through next-auth's credentials endpoint. */
export class HttpClient {
  private cookies = new Map<string, string>();
  constructor(readonly baseUrl: string) {}

  async fetch(pathname: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await fetch(`${this.baseUrl}${pathname}`, { ...init, headers, redirect: "manual" });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === "" || /max-age=0|expires=thu, 01 jan 1970/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  json(pathname: string, method: string, body?: unknown, origin: string | null = this.baseUrl): Promise<Response> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (origin) headers.origin = origin;
    return this.fetch(pathname, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  }

  async signIn(email: string, password: string): Promise<boolean> {
    const { csrfToken } = (await (await this.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
    await this.fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: this.baseUrl },
      body: new URLSearchParams({ email, password, csrfToken, callbackUrl: "/" }),
    });
    return [...this.cookies.keys()].some((k) => k.endsWith("authjs.session-token"));
  }
}

/**
 * For HTTP integration tests: a fresh database (embedded, or PostgreSQL with TEST_DATABASE_URL),
 * seeded through the ops CLI before the server opens it, then the built app on a free port.
 */
export function useTestApp(seed: (env: Record<string, string>) => void = () => {}): {
  readonly server: AppServer;
  readonly storeKind: TestDatabase["kind"];
} {
  let database: TestDatabase | undefined;
  let server: AppServer | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    const env = appEnv(
      await freePort(),
      database.storeOptions.kind === "postgres" ? database.storeOptions.databaseUrl : undefined,
    );
    seed(env);
    server = await startAppServer(env);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    if (server) rmSync(server.env.STOREGATE_DATA_DIR!, { recursive: true, force: true });
  });
  return {
    get server() {
      return server!;
    },
    get storeKind() {
      return database!.kind;
    },
  };
}

/** runCli that must succeed: its JSON line. */
export function runCliOk<T = Record<string, string>>(env: Record<string, string>, args: string[]): T {
  const result = runCli(env, args);
  if (result.status !== 0) throw new Error(`cli ${args[0]} failed (${result.status}): ${result.stderr}`);
  return result.json as T;
}
