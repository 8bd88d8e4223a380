import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

// The only reader of process.env. Every variable is optional so `npm start` needs none.
const rawEnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  APP_URL: z
    .url({ protocol: /^https?$/, message: "must be an http(s) URL such as https://console.example.com" })
    .optional(),
  STOREGATE_DATA_DIR: z.string().min(1).default(".data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// connection URL")
    .optional(),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -base64 33`)").optional(),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
});

export type Env = {
  port: number;
  appUrl: string;
  dataDir: string;
  pgliteDir: string;
  databaseUrl: string | undefined;
  authSecret: string;
  nodeEnv: "development" | "production" | "test";
};

export class EnvError extends Error {
  override name = "EnvError";
}

function emptyToUndefined(source: Record<string, string | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const key of Object.keys(rawEnvSchema.shape)) {
    const value = source[key];
    out[key] = value === undefined || value.trim() === "" ? undefined : value;
  }
  return out;
}

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = rawEnvSchema.safeParse(emptyToUndefined(source));
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new EnvError(`Invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  const raw = result.data;
  const dataDir = path.resolve(raw.STOREGATE_DATA_DIR);
  return {
    port: raw.PORT,
    appUrl: (raw.APP_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, ""),
    dataDir,
    pgliteDir: path.join(dataDir, "pglite"),
    databaseUrl: raw.DATABASE_URL,
    authSecret: raw.AUTH_SECRET ?? readOrCreateAuthSecret(dataDir),
    nodeEnv: raw.NODE_ENV,
  };
}

// Generated once and kept beside the data, so sessions survive restarts without any setup.
// Several instances sharing one PostgreSQL must share AUTH_SECRET explicitly (README).
function readOrCreateAuthSecret(dataDir: string): string {
  const file = path.join(dataDir, "auth-secret");
  try {
    return readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(33).toString("base64url");
  try {
    writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
    return secret;
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readFileSync(file, "utf8").trim();
    throw error;
  }
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv();
  return cached;
}
