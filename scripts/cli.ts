// Operations CLI: `npm run cli -- <command> [--flag value …]`. Prints one JSON line on success.
import { parseArgs } from "node:util";
import { closeStore } from "../lib/db";
import { StoreInUseError } from "../lib/db/pglite-lock";
import { EnvError } from "../lib/env";
import { AppError } from "../lib/errors";
import { getEnv } from "../lib/env";
import { bindSsoTenantForOperations } from "../lib/sso/sso-connection";
import { createTeam } from "../lib/teams/create-team";
import { getTeam } from "../lib/teams/get-team";
import { issueScimToken } from "../lib/tokens/scim-tokens";

const USAGE = `Usage:
  npm run cli -- team:create --name <team name> --admin-email <email> --admin-password <password> [--admin-name <name>] [--entra-tenant <tenant-guid>]
  npm run cli -- scim-token:issue --team <teamId> [--name <label>] [--expires-days <n>|never]`;

class UsageError extends Error {}

async function teamCreate(args: string[]) {
  const { values } = parseArgs({
    args,
    options: { name: { type: "string" }, "admin-email": { type: "string" }, "admin-password": { type: "string" }, "admin-name": { type: "string" }, "entra-tenant": { type: "string" } },
    strict: true,
  });
  const missing = ["name", "admin-email", "admin-password"].filter((k) => !values[k as keyof typeof values]);
  if (missing.length) throw new UsageError(`Missing ${missing.map((m) => `--${m}`).join(", ")}.`);
  const email = values["admin-email"]!;
  const created = await createTeam({ teamName: values.name!, adminName: values["admin-name"] ?? email.split("@")[0] ?? email, email, password: values["admin-password"]! });
  if (values["entra-tenant"] !== undefined) await bindSsoTenantForOperations(created.teamId, values["entra-tenant"]);
  return created;
}

async function scimTokenIssue(args: string[]) {
  const { values } = parseArgs({ args, options: { team: { type: "string" }, name: { type: "string" }, "expires-days": { type: "string" } }, strict: true });
  if (!values.team) throw new UsageError("Missing --team.");
  await getTeam(values.team);
  const days = values["expires-days"];
  const issued = await issueScimToken(
    { teamId: values.team, id: null, name: "Operations CLI", role: "ADMIN" },
    { name: values.name ?? "Microsoft Entra ID", expiresInDays: days === undefined ? undefined : days === "never" ? "never" : Number(days) },
  );
  return { tokenId: issued.token.id, token: issued.secret, tenantUrl: `${getEnv().appUrl}/api/scim/v2` };
}

const COMMANDS: Record<string, (args: string[]) => Promise<unknown>> = { "team:create": teamCreate, "scim-token:issue": scimTokenIssue };

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  const run = command ? COMMANDS[command] : undefined;
  try {
    if (!run) throw new UsageError(command ? `Unknown command "${command}".` : "No command given.");
    const result = await run(args);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith("ERR_PARSE_ARGS"))) {
      console.error(`${error.message}\n${USAGE}`);
      return 2;
    }
    if (error instanceof AppError) {
      const details = error.fields ? Object.entries(error.fields).map(([field, message]) => `\n  ${field}: ${message}`).join("") : "";
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
