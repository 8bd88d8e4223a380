// Operations CLI: `npm run cli -- <command> [--flag value …]`. Prints one JSON line on success.
import { parseArgs } from "node:util";
import { closeStore } from "../lib/db";
import { StoreInUseError } from "../lib/db/pglite-lock";
import { simulateProvisioning, type Cycle } from "../lib/entra/provisioning/simulate";
import { EnvError } from "../lib/env";
import { AppError } from "../lib/errors";
import { getEnv } from "../lib/env";
import { bindSsoTenantForOperations } from "../lib/sso/sso-connection";
import { createTeam } from "../lib/teams/create-team";
import { getTeam } from "../lib/teams/get-team";
import { issueScimToken } from "../lib/scim-tokens/scim-tokens";

const USAGE = `Usage:
  npm run cli -- team:create --name <team name> --admin-email <email> --admin-password <password> [--admin-name <name>] [--entra-tenant <tenant-guid>]
  npm run cli -- scim-token:issue --team <teamId> [--name <label>] [--expires-days <n>|never]
  npm run cli -- entra:simulate --tenant-url <url> --token <token> [--users N] [--groups M] [--members-per-group K] [--dialect default|aadOptscim062020] [--cycles initial,incremental] [--concurrency C] [--seed S]`;

class UsageError extends Error {}

/** A result printed as usual, with a non-zero exit code. */
class ExitWith {
  constructor(
    readonly result: unknown,
    readonly code: number,
  ) {}
}

function count(values: Record<string, string | undefined>, name: string, fallback: number, min: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer ≥ ${min}.`);
  return n;
}

async function entraSimulate(args: string[]) {
  const { values } = parseArgs({
    args,
    options: Object.fromEntries(
      ["tenant-url", "token", "users", "groups", "members-per-group", "dialect", "cycles", "concurrency", "seed"].map(
        (name) => [name, { type: "string" as const }],
      ),
    ),
    strict: true,
  });
  if (!values["tenant-url"] || !values.token) throw new UsageError("Missing --tenant-url or --token.");
  try {
    new URL(values["tenant-url"]);
  } catch {
    throw new UsageError("--tenant-url must be an absolute http(s) URL.");
  }
  const dialect = values.dialect;
  if (dialect !== undefined && dialect !== "default" && dialect !== "aadOptscim062020")
    throw new UsageError("--dialect must be default or aadOptscim062020.");
  const cycles = (values.cycles ?? "initial,incremental").split(",").map((c) => c.trim());
  if (!cycles.length || cycles.some((c) => c !== "initial" && c !== "incremental"))
    throw new UsageError("--cycles must list initial and/or incremental.");
  const seed = values.seed === undefined ? undefined : /^\d+$/.test(values.seed) ? Number(values.seed) : values.seed;
  const tty = process.stderr.isTTY;
  let lastPhase = "";
  const report = await simulateProvisioning({
    tenantUrl: values["tenant-url"],
    token: values.token,
    users: count(values, "users", 20, 0),
    groups: count(values, "groups", 2, 0),
    membersPerGroup: count(values, "members-per-group", 5, 0),
    concurrency: count(values, "concurrency", 5, 1),
    dialect: dialect,
    cycles: cycles as Cycle[],
    seed,
    onProgress: ({ phase, done, total }) => {
      if (tty) {
        const width = 30;
        const filled = total ? Math.round((done / total) * width) : width;
        process.stderr.write(
          `\r${phase.padEnd(16)} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total}${done === total ? "\n" : ""}`,
        );
      } else if (phase !== lastPhase) {
        lastPhase = phase;
        process.stderr.write(`${phase}: ${total}\n`);
      }
    },
  });
  return report.ok ? report : new ExitWith(report, 1);
}

async function teamCreate(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: "string" },
      "admin-email": { type: "string" },
      "admin-password": { type: "string" },
      "admin-name": { type: "string" },
      "entra-tenant": { type: "string" },
    },
    strict: true,
  });
  const missing = ["name", "admin-email", "admin-password"].filter((k) => !values[k as keyof typeof values]);
  if (missing.length) throw new UsageError(`Missing ${missing.map((m) => `--${m}`).join(", ")}.`);
  const email = values["admin-email"]!;
  const created = await createTeam({
    teamName: values.name!,
    adminName: values["admin-name"] ?? email.split("@")[0] ?? email,
    email,
    password: values["admin-password"]!,
  });
  if (values["entra-tenant"] !== undefined) await bindSsoTenantForOperations(created.teamId, values["entra-tenant"]);
  return created;
}

async function scimTokenIssue(args: string[]) {
  const { values } = parseArgs({
    args,
    options: { team: { type: "string" }, name: { type: "string" }, "expires-days": { type: "string" } },
    strict: true,
  });
  if (!values.team) throw new UsageError("Missing --team.");
  await getTeam(values.team);
  const days = values["expires-days"];
  const issued = await issueScimToken(
    { teamId: values.team, id: null, name: "Operations CLI", role: "ADMIN" },
    {
      name: values.name ?? "Microsoft Entra ID",
      expiresInDays: days === undefined ? undefined : days === "never" ? "never" : Number(days),
    },
  );
  return { tokenId: issued.token.id, token: issued.secret, tenantUrl: `${getEnv().appUrl}/api/scim/v2` };
}

const COMMANDS: Record<string, (args: string[]) => Promise<unknown>> = {
  "team:create": teamCreate,
  "scim-token:issue": scimTokenIssue,
  "entra:simulate": entraSimulate,
};

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  const run = command ? COMMANDS[command] : undefined;
  try {
    if (!run) throw new UsageError(command ? `Unknown command "${command}".` : "No command given.");
    const result = await run(args);
    process.stdout.write(`${JSON.stringify(result instanceof ExitWith ? result.result : result)}\n`);
    return result instanceof ExitWith ? result.code : 0;
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith("ERR_PARSE_ARGS"))
    ) {
      console.error(`${error.message}\n${USAGE}`);
      return 2;
    }
    if (error instanceof AppError) {
      const details = error.fields
        ? Object.entries(error.fields)
            .map(([field, message]) => `\n  ${field}: ${message}`)
            .join("")
        : "";
      console.error(`${error.message}${details}`);
      return 1;
    }
    if (error instanceof StoreInUseError || error instanceof EnvError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await closeStore();
  }
}

process.exitCode = await main();
