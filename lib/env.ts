import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";

// The only reader of process.env. Every variable is optional so `npm start` needs none.
const rawEnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
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
  AUTH_MICROSOFT_ENTRA_ID_ID: z
    .string()
    .regex(/^[0-9a-f-]{36}$/i, "must be the Application (client) ID, a GUID")
    .optional(),
  AUTH_MICROSOFT_ENTRA_ID_SECRET: z.string().min(1).optional(),
  ENTRA_STAND_IN_PORT: z.coerce.number().int().min(1).max(65535).default(3443),
  ENTRA_STAND_IN_URL: z
    .url({ protocol: /^https$/, message: "must be the https:// URL of the local Entra stand-in" })
    .optional(),
  STOREGATE_DEMO_IDP: z.enum(["0", "1"], { message: "must be 1 (start the demo identity provider) or 0" }).optional(),
  TRUSTED_PROXIES: z
    .string()
    .transform((value, ctx) => {
      const parsed = parseTrustedProxies(value);
      if (typeof parsed === "string") {
        ctx.addIssue({ code: "custom", message: parsed });
        return z.NEVER;
      }
      return parsed;
    })
    .optional(),
});

/**
 * Which proxies may tell us the client's address in X-Forwarded-For: none (the header is ignored),
 * the number of proxy hops in front of the console, or the address ranges of those proxies.
 */
export type TrustedProxies =
  | { kind: "none" }
  | { kind: "hops"; hops: number }
  | { kind: "cidrs"; cidrs: { address: string; prefix: number; family: "ipv4" | "ipv6" }[] };

const MAX_PROXY_HOPS = 10;

function parseTrustedProxies(value: string): TrustedProxies | string {
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return hops >= 1 && hops <= MAX_PROXY_HOPS
      ? { kind: "hops", hops }
      : `a hop count must be between 1 and ${MAX_PROXY_HOPS}`;
  }
  const cidrs: Extract<TrustedProxies, { kind: "cidrs" }>["cidrs"] = [];
  for (const item of text.split(",").map((s) => s.trim())) {
    const [address = "", prefixText, extra] = item.split("/");
    const version = isIP(address);
    const max = version === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
    if (version === 0 || extra !== undefined || !(prefix >= 0 && prefix <= max)) {
      return "must be a hop count such as 1, or a comma-separated list of proxy addresses/CIDR ranges such as 10.0.0.0/8,2001:db8::/32";
    }
    cidrs.push({ address, prefix, family: version === 4 ? "ipv4" : "ipv6" });
  }
  return { kind: "cidrs", cidrs };
}

export const MICROSOFT_AUTHORITY = "https://login.microsoftonline.com";
export const MICROSOFT_GRAPH = "https://graph.microsoft.com";
// The stand-in's registered client (dev-tools/entra-stand-in/fixture.json): not a secret anywhere else.
const STAND_IN_CLIENT = { clientId: "storegate-console", clientSecret: "storegate-console-dev-secret" };

export type EntraConfig =
  | {
      mode: "microsoft" | "stand-in";
      authority: string;
      issuer: string;
      graphUrl: string;
      clientId: string;
      clientSecret: string;
    }
  | { mode: "off" };

export type Env = {
  port: number;
  /** Interface `npm start` binds to. */
  host: string;
  appUrl: string;
  dataDir: string;
  pgliteDir: string;
  databaseUrl: string | undefined;
  authSecret: string;
  nodeEnv: "development" | "production" | "test";
  entra: EntraConfig;
  /** Where `npm start` runs the local Entra stand-in when no real Entra app is configured. */
  entraStandInPort: number;
  /** STOREGATE_DEMO_IDP: 1 forces the demo identity provider on, 0 off; unset decides by APP_URL. */
  demoIdp: boolean | undefined;
  trustedProxies: TrustedProxies;
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
  if (!!raw.AUTH_MICROSOFT_ENTRA_ID_ID !== !!raw.AUTH_MICROSOFT_ENTRA_ID_SECRET) {
    throw new EnvError(
      "Invalid configuration:\n  AUTH_MICROSOFT_ENTRA_ID_SECRET: set both AUTH_MICROSOFT_ENTRA_ID_ID and AUTH_MICROSOFT_ENTRA_ID_SECRET, or neither",
    );
  }
  const dataDir = path.resolve(raw.STOREGATE_DATA_DIR);
  return {
    port: raw.PORT,
    host: raw.HOST,
    appUrl: (raw.APP_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, ""),
    dataDir,
    pgliteDir: path.join(dataDir, "pglite"),
    databaseUrl: raw.DATABASE_URL,
    authSecret: raw.AUTH_SECRET ?? readOrCreateAuthSecret(dataDir),
    nodeEnv: raw.NODE_ENV,
    entra: entraConfig(raw),
    entraStandInPort: raw.ENTRA_STAND_IN_PORT,
    demoIdp: raw.STOREGATE_DEMO_IDP === undefined ? undefined : raw.STOREGATE_DEMO_IDP === "1",
    trustedProxies: raw.TRUSTED_PROXIES ?? { kind: "none" },
  };
}

// Real Entra when an app registration is configured; otherwise the local stand-in when one runs
// (npm start starts it); otherwise single sign-on is unavailable and the page says why.
function entraConfig(raw: z.output<typeof rawEnvSchema>): EntraConfig {
  if (raw.AUTH_MICROSOFT_ENTRA_ID_ID && raw.AUTH_MICROSOFT_ENTRA_ID_SECRET) {
    // `organizations`: work and school accounts only ("OpenID Connect on the Microsoft identity platform").
    return {
      mode: "microsoft",
      authority: MICROSOFT_AUTHORITY,
      issuer: `${MICROSOFT_AUTHORITY}/organizations/v2.0`,
      graphUrl: MICROSOFT_GRAPH,
      clientId: raw.AUTH_MICROSOFT_ENTRA_ID_ID,
      clientSecret: raw.AUTH_MICROSOFT_ENTRA_ID_SECRET,
    };
  }
  if (raw.ENTRA_STAND_IN_URL) {
    const authority = raw.ENTRA_STAND_IN_URL.replace(/\/+$/, "");
    // Auth.js only recognises login.microsoftonline.com in its tenant regex and falls back to
    // `common`, so the stand-in is configured on /common. It also answers the few Graph calls we make.
    return { mode: "stand-in", authority, issuer: `${authority}/common/v2.0`, graphUrl: authority, ...STAND_IN_CLIENT };
  }
  return { mode: "off" };
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

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Whether `npm start` may run the demo identity provider: never beside a real Entra app; when
 * STOREGATE_DEMO_IDP is set, as it says; otherwise only for a console served on a loopback address,
 * so a public deployment never signs people in through invented accounts by accident.
 */
export function decideDemoIdp(env: Env): { start: true } | { start: false; why: string } {
  if (env.entra.mode === "microsoft")
    return { start: false, why: "a Microsoft Entra ID app is configured (AUTH_MICROSOFT_ENTRA_ID_ID)" };
  if (env.demoIdp === true) return { start: true };
  if (env.demoIdp === false) return { start: false, why: "STOREGATE_DEMO_IDP=0" };
  const host = new URL(env.appUrl).hostname;
  if (LOOPBACK_HOSTS.has(host)) return { start: true };
  return {
    start: false,
    why: `APP_URL (${env.appUrl}) is not a loopback address; configure a Microsoft Entra ID app, or set STOREGATE_DEMO_IDP=1 to run the demo anyway`,
  };
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv();
  return cached;
}
