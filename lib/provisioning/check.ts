import { randomUUID } from "node:crypto";
import type { SessionUser } from "../auth/sessions";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb, type Prisma } from "../db";
import { checks, ScimClient, type Check } from "../entra/provisioning/client";
import { getEnv } from "../env";
import { AppError, isUniqueViolation } from "../errors";
import { generateToken } from "../scim-tokens/token-format";
import { getRequestLogger } from "./request-log";

/** The token of a check lives a few minutes at most and is revoked as soon as the run ends. */
export const CHECK_TOKEN_TTL_MS = 5 * 60 * 1000;
/** A sandbox older than this belongs to a run that died (server restart): it is cleared, not waited for. */
export const STALE_SANDBOX_MS = 10 * 60 * 1000;

export type CheckStep = {
  name: string;
  passed: boolean;
  durationMs: number;
  failure?: { reason: string; status?: number; body?: unknown };
};
export type ProvisioningCheckResult = {
  passed: boolean;
  passedCount: number;
  failedCount: number;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  steps: CheckStep[];
};

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const GROUP_AAD = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });
const filter = (expr: string) => `filter=${encodeURIComponent(expr)}`;

export function isProvisioningCheckResult(value: unknown): value is ProvisioningCheckResult {
  return (
    typeof value === "object" &&
    value !== null &&
    Array.isArray((value as { steps?: unknown }).steps) &&
    typeof (value as { finishedAt?: unknown }).finishedAt === "string"
  );
}

export async function findLastProvisioningCheck(teamId: string): Promise<ProvisioningCheckResult | null> {
  const db = await getDb();
  const team = await db.team.findUnique({ where: { id: teamId }, select: { provisioningCheck: true } });
  return isProvisioningCheckResult(team?.provisioningCheck) ? team.provisioningCheck : null;
}

/** Why the check cannot run now, or null when it can. */
export async function findProvisioningCheckBlocker(teamId: string): Promise<string | null> {
  const db = await getDb();
  const sso = await db.ssoConnection.findUnique({ where: { teamId }, select: { active: true } });
  return sso?.active ? null : "Single sign-on must be active: Entra provisioning only works while it is on.";
}

/** One hidden team per real team while a check runs; its unique link makes a second concurrent run fail. */
async function createSandbox(teamId: string, now: Date): Promise<string> {
  const db = await getDb();
  const create = () =>
    db.team.create({ data: { name: "Provisioning check", sandboxOfId: teamId, createdAt: now }, select: { id: true } });
  try {
    return (await create()).id;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const { count } = await db.team.deleteMany({
      where: { sandboxOfId: teamId, createdAt: { lt: new Date(now.getTime() - STALE_SANDBOX_MS) } },
    });
    if (count === 0)
      throw new AppError("conflict", "A provisioning check is already running for this team. Wait for it to finish.");
    try {
      return (await create()).id;
    } catch (retryError) {
      if (isUniqueViolation(retryError))
        throw new AppError("conflict", "A provisioning check is already running for this team. Wait for it to finish.");
      throw retryError;
    }
  }
}

/**
 * Replays a short Entra cycle against this console's own Tenant URL over HTTP, on synthetic objects
 * in a hidden sandbox team, so the team's real members and groups are never read or changed.
 */
export async function runProvisioningCheck(
  actor: Pick<SessionUser, "id" | "teamId" | "role">,
  now = new Date(),
): Promise<ProvisioningCheckResult> {
  if (actor.role !== "ADMIN") throw new AppError("forbidden", "Only team Administrators can run a provisioning check.");
  const blocker = await findProvisioningCheckBlocker(actor.teamId);
  if (blocker) throw new AppError("conflict", blocker);
  const db = await getDb();
  const sandboxId = await createSandbox(actor.teamId, now);
  let result: ProvisioningCheckResult;
  try {
    const generated = generateToken();
    const token = await db.scimToken.create({
      data: {
        teamId: sandboxId,
        name: "Provisioning check",
        tokenHash: generated.hash,
        last4: generated.last4,
        createdById: null,
        createdByName: "Provisioning check",
        createdAt: now,
        expiresAt: new Date(now.getTime() + CHECK_TOKEN_TTL_MS),
      },
      select: { id: true },
    });
    try {
      result = await runSteps(`${getEnv().appUrl}/api/scim/v2`, generated.token);
    } finally {
      await db.scimToken.updateMany({ where: { id: token.id }, data: { revokedAt: new Date() } });
    }
  } finally {
    // The sandbox's requests are logged in the background: write them before the cascade removes
    // their team, or they would count as lost log entries on every team's provisioning page.
    await getRequestLogger().flush();
    await db.team.deleteMany({ where: { id: sandboxId, sandboxOfId: actor.teamId } });
  }
  await db.team.update({
    where: { id: actor.teamId },
    data: { provisioningCheck: result as unknown as Prisma.InputJsonValue },
  });
  await recordAuditEvent({
    teamId: actor.teamId,
    actorUserId: actor.id,
    action: "provisioning.check_run",
    outcome: result.passed ? "success" : "failure",
    details: { passed: result.passedCount, failed: result.failedCount },
  });
  return result;
}

async function runSteps(tenantUrl: string, token: string): Promise<ProvisioningCheckResult> {
  const started = new Date();
  const client = new ScimClient({ tenantUrl, token, concurrency: 1, maxRetries: 2 });
  const steps: CheckStep[] = [];
  const tag = randomUUID();
  const userName = `check-${tag}@provisioning-check.invalid`;
  const groupName = `Provisioning check ${tag}`;
  const ids: { user?: string; group?: string } = {};

  const step = async (
    name: string,
    needs: (keyof typeof ids)[],
    method: string,
    path: string | (() => string),
    body: unknown,
    check: Check,
  ) => {
    if (needs.some((n) => !ids[n])) {
      steps.push({
        name,
        passed: false,
        durationMs: 0,
        failure: { reason: "Skipped: an earlier step it depends on failed." },
      });
      return null;
    }
    const before = client.failures.length;
    const t0 = performance.now();
    const response = await client.send(name, name, method, typeof path === "string" ? path : path(), body, check);
    const durationMs = Math.round(performance.now() - t0);
    const failure = client.failures[before];
    steps.push(
      response
        ? { name, passed: true, durationMs }
        : {
            name,
            passed: false,
            durationMs,
            failure: {
              reason: failure?.reason ?? "Failed",
              status: failure?.response?.status,
              body: failure?.response?.body,
            },
          },
    );
    return response;
  };
  const idOf = (body: unknown) =>
    typeof body === "object" && body !== null && typeof (body as { id?: unknown }).id === "string"
      ? (body as { id: string }).id
      : undefined;

  // Entra's Test Connection: a random userName and a random group name, both answered 200 with no results.
  await step(
    "Test Connection: users",
    [],
    "GET",
    `/Users?${filter(`userName eq "${randomUUID()}"`)}`,
    undefined,
    checks.list(0),
  );
  await step(
    "Test Connection: groups",
    [],
    "GET",
    `/Groups?excludedAttributes=members&${filter(`displayName eq "${randomUUID()}"`)}`,
    undefined,
    checks.list(0),
  );
  const created = await step(
    "Create user",
    [],
    "POST",
    "/Users",
    {
      schemas: [USER],
      externalId: randomUUID(),
      userName,
      active: true,
      displayName: "Provisioning Check",
      emails: [{ primary: true, type: "work", value: userName }],
      meta: { resourceType: "User" },
      name: { formatted: "Provisioning Check", familyName: "Check", givenName: "Provisioning" },
      roles: [],
    },
    checks.created({ userName }),
  );
  ids.user = idOf(created?.body);
  await step(
    "Find user",
    ["user"],
    "GET",
    `/Users?${filter(`userName eq "${userName}"`)}`,
    undefined,
    checks.list(1, 1),
  );
  const userPath = () => `/Users/${encodeURIComponent(ids.user!)}`;
  await step(
    "Update user",
    ["user"],
    "PATCH",
    userPath,
    patch(
      { op: "Replace", path: "name.familyName", value: "Checked" },
      { op: "Replace", path: "displayName", value: "Provisioning Checked" },
    ),
    checks.patched,
  );
  // Entra's default PATCH dialect sends active as the string "False"/"True".
  await step(
    "Disable user",
    ["user"],
    "PATCH",
    userPath,
    patch({ op: "Replace", path: "active", value: "False" }),
    checks.patched,
  );
  await step(
    "Re-enable user",
    ["user"],
    "PATCH",
    userPath,
    patch({ op: "Replace", path: "active", value: "True" }),
    checks.patched,
  );
  const group = await step(
    "Create group",
    [],
    "POST",
    "/Groups",
    { schemas: [GROUP, GROUP_AAD], externalId: randomUUID(), displayName: groupName, meta: { resourceType: "Group" } },
    checks.created({ displayName: groupName }),
  );
  ids.group = idOf(group?.body);
  const groupPath = () => `/Groups/${encodeURIComponent(ids.group!)}`;
  await step(
    "Add member",
    ["user", "group"],
    "PATCH",
    groupPath,
    patch({ op: "Add", path: "members", value: [{ $ref: null, value: ids.user }] }),
    checks.groupPatched,
  );
  await step(
    "Remove member",
    ["user", "group"],
    "PATCH",
    groupPath,
    patch({ op: "Remove", path: "members", value: [{ $ref: null, value: ids.user }] }),
    checks.groupPatched,
  );
  await step("Delete user", ["user"], "DELETE", userPath, undefined, checks.deleted);
  await step("Delete group", ["group"], "DELETE", groupPath, undefined, checks.deleted);

  const finished = new Date();
  const failedCount = steps.filter((s) => !s.passed).length;
  return {
    passed: failedCount === 0,
    passedCount: steps.length - failedCount,
    failedCount,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    steps,
  };
}
