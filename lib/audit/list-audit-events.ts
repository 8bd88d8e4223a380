import { getDb, type Prisma } from "../db";
import type { AuditAction } from "./record-audit-event";

export type AuditTargetKind = "member" | "group" | "token" | "tenant" | "team";

export type AuditEventView = {
  id: string;
  at: string;
  actor: string;
  action: string;
  summary: string;
  outcome: string;
  /** What the action was done to, named for a reader (e.g. "Dave Disabled (dave@adatum.onmicrosoft.com)"). */
  target: { kind: AuditTargetKind; name: string } | null;
};

/** Categories an Administrator filters the audit log by: each is one action prefix. */
export const AUDIT_CATEGORIES = {
  member: "Members",
  auth: "Sign-in and passwords",
  team: "Team",
  sso: "Single sign-on",
  scim_token: "Provisioning tokens",
  provisioning: "Provisioning settings",
} as const;
export type AuditCategory = keyof typeof AUDIT_CATEGORIES;

export const AUDIT_PAGE_SIZE = 50;

export type AuditQuery = {
  category?: AuditCategory;
  /** Opaque cursor: the page of older events after that position in (createdAt, id) order. */
  after?: string;
};

/** Reads the audit log's query from URL search params, ignoring what it does not know. */
export function parseAuditQuery(params: URLSearchParams): AuditQuery {
  const query: AuditQuery = {};
  const category = params.get("category");
  if (category && Object.hasOwn(AUDIT_CATEGORIES, category)) query.category = category as AuditCategory;
  const after = params.get("after");
  if (after) query.after = after.slice(0, 200);
  return query;
}

export function encodeAuditCursor(row: { at: string; id: string }): string {
  return Buffer.from(`${row.at}|${row.id}`, "utf8").toString("base64url");
}

function decodeAuditCursor(cursor: string): { at: Date; id: string } | null {
  const [at, id, ...rest] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const date = new Date(at ?? "");
  if (rest.length > 0 || !id || Number.isNaN(date.getTime())) return null;
  return { at: date, id };
}

const ACTIVATION_FAILURES: Record<string, string> = {
  not_entra_admin: "the Microsoft account is not an administrator of its Entra tenant",
  tenant_change_requires_disconnect: "the team is connected to another tenant",
  tenant_bound_elsewhere: "the tenant is connected to another Storegate team",
  tenant_mismatch: "Microsoft's answer named another tenant",
  not_admin: "only team Administrators can activate",
  expired: "the activation had expired",
  access_denied: "consent was cancelled",
};

/** A detail as text: strings and numbers as they are, anything else as `fallback`. */
const text = (value: unknown, fallback = ""): string =>
  typeof value === "string" ? value : typeof value === "number" ? String(value) : fallback;
const str = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);
const tenantOf = (d: Record<string, unknown>, target: string | null) =>
  str(d.tenantName) ?? str(d.tenantDomain) ?? target ?? "";
const viaAccount = (d: Record<string, unknown>) =>
  str(d.entraUpn) ? ` with Microsoft account ${text(d.entraUpn)}` : "";

// What each recorded action means to an Administrator reading the log.
const DESCRIPTIONS: Record<AuditAction, (d: Record<string, unknown>, target: string | null) => string> = {
  "team.create": () => "Created the team",
  "team.rename": (d) => `Renamed the team to “${text(d.name)}”`,
  "member.add": (d) =>
    `Added ${d.member ? text(d.member) : "a member"} (${d.role === "ADMIN" ? "Administrator" : "User"})`,
  "member.disable": (d) => `Disabled ${d.member ? text(d.member) : "a member"}`,
  "member.enable": (d) => `Enabled ${d.member ? text(d.member) : "a member"}`,
  "member.sign_out_everywhere": (d) =>
    `Signed ${d.member ? text(d.member) : "a member"} out everywhere (${Number(d.sessionsEnded ?? 0)} session(s) ended)`,
  "member.rename": (d) => `Changed their name from “${text(d.oldName)}” to “${text(d.member)}”`,
  "auth.password_change": (d) =>
    d.reason
      ? "Tried to change their password: the current password was wrong"
      : `Changed their password; ended ${Number(d.sessionsEnded ?? 0)} other session(s)`,
  "sso.activate": (d, t) =>
    d.reason
      ? `Tried to activate single sign-on${viaAccount(d)}: ${ACTIVATION_FAILURES[text(d.reason)] ?? text(d.reason)}`
      : `Activated single sign-on for tenant ${tenantOf(d, t)}${viaAccount(d)}`,
  "sso.deactivate": (d, t) =>
    `Deactivated single sign-on for tenant ${tenantOf(d, t)}${typeof d.sessionsEnded === "number" ? `; ended ${d.sessionsEnded} Microsoft sign-in session(s)` : ""}`,
  "sso.disconnect": (d, t) =>
    `Disconnected tenant ${tenantOf(d, t)}: revoked ${Number(d.tokensRevoked ?? 0)} token(s), ended ${Number(d.sessionsEnded ?? 0)} Microsoft sign-in session(s), unlinked ${Number(d.membersUnlinked ?? 0)} member(s)`,
  "scim_token.issue": (d) => `Generated provisioning token “${text(d.name)}”`,
  "scim_token.rotate": (d) => `Rotated provisioning token “${text(d.name)}”`,
  "scim_token.revoke": (d) => `Revoked provisioning token “${text(d.name)}”`,
  "provisioning.role_mapping_update": () => "Changed the provisioning role mapping",
  "member.role_change": (d) => {
    const label = (role: unknown) => (role === "ADMIN" ? "Administrator" : role === "USER" ? "User" : "none");
    const change = `${text(d.member, "a member")} from ${label(d.oldRole)} to ${label(d.newRole)}`;
    return d.reason
      ? `Kept ${text(d.member, "a member")} as Administrator instead of changing to ${label(d.newRole)}: ${text(d.reason)}`
      : `Changed the role of ${change}`;
  },
  "auth.password_failed": (d) =>
    `Wrong password at sign-in for ${text(d.email)}${d.clientAddress ? ` from ${text(d.clientAddress)}` : ""}`,
  "auth.password_throttled": (d) =>
    `Password sign-in paused for ${Number(d.retryAfterSeconds ?? 0)} s after repeated failures (${Array.isArray(d.limitedBy) && d.limitedBy.includes("address") ? `address ${text(d.clientAddress)}` : text(d.email)})`,
  "provisioning.check_run": (d) =>
    `Ran a provisioning check: ${Number(d.passed ?? 0)} step(s) passed, ${Number(d.failed ?? 0)} failed`,
};

type EventRow = {
  id: string;
  actorUserId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  details: Prisma.JsonValue;
  createdAt: Date;
};

const detailsOf = (e: EventRow): Record<string, unknown> =>
  e.details && typeof e.details === "object" && !Array.isArray(e.details) ? e.details : {};

/** "Name (UPN or email)", or whichever of the two is known. */
const person = (name: string | null, account: string | null) =>
  name && account && name !== account ? `${name} (${account})` : (name ?? account);

/**
 * Names every event's target: from what was recorded with it (the name at the time), else from
 * the row it points at today; one query per kind of target for the whole page.
 */
async function describeEvents(teamId: string, events: EventRow[]): Promise<AuditEventView[]> {
  const db = await getDb();
  const idsOf = (types: string[]) => [
    ...new Set(events.flatMap((e) => (e.targetType && types.includes(e.targetType) && e.targetId ? [e.targetId] : []))),
  ];
  const userIds = [
    ...new Set([...idsOf(["user"]), ...events.map((e) => e.actorUserId).filter((id): id is string => id !== null)]),
  ];
  const [users, groups, tokens, tenants, teams] = await Promise.all([
    userIds.length
      ? db.user.findMany({
          where: { id: { in: userIds }, teamId },
          select: { id: true, name: true, userName: true, email: true },
        })
      : [],
    idsOf(["group"]).length
      ? db.group.findMany({ where: { id: { in: idsOf(["group"]) }, teamId }, select: { id: true, displayName: true } })
      : [],
    idsOf(["scim_token"]).length
      ? db.scimToken.findMany({
          where: { id: { in: idsOf(["scim_token"]) }, teamId },
          select: { id: true, name: true },
        })
      : [],
    idsOf(["entra_tenant"]).length
      ? db.ssoConnection.findMany({
          where: { tenantId: { in: idsOf(["entra_tenant"]) }, teamId },
          select: { tenantId: true, tenantName: true, tenantDomain: true },
        })
      : [],
    idsOf(["team"]).length ? db.team.findMany({ where: { id: teamId }, select: { id: true, name: true } }) : [],
  ]);
  const userById = new Map(users.map((u) => [u.id, u]));
  const groupById = new Map(groups.map((g) => [g.id, g.displayName]));
  const tokenById = new Map(tokens.map((t) => [t.id, t.name]));
  const tenantById = new Map(tenants.map((t) => [t.tenantId, t]));
  const teamById = new Map(teams.map((t) => [t.id, t.name]));

  const targetOf = (e: EventRow, d: Record<string, unknown>): AuditEventView["target"] => {
    const id = e.targetId;
    switch (e.targetType) {
      case "user": {
        const known = id ? userById.get(id) : undefined;
        const name = str(d.member) ?? known?.name ?? null;
        const account = str(d.userName) ?? str(d.email) ?? known?.userName ?? known?.email ?? null;
        return { kind: "member", name: person(name, account) ?? "a former member" };
      }
      case "group":
        return {
          kind: "group",
          name: str(d.displayName) ?? (id ? groupById.get(id) : undefined) ?? id ?? "a deleted group",
        };
      case "scim_token":
        return { kind: "token", name: `“${str(d.name) ?? (id ? tokenById.get(id) : undefined) ?? "a deleted token"}”` };
      case "entra_tenant": {
        const known = id ? tenantById.get(id) : undefined;
        const name = str(d.tenantName) ?? str(d.tenantDomain) ?? known?.tenantName ?? known?.tenantDomain ?? null;
        if (!id) return name ? { kind: "tenant", name } : null;
        return { kind: "tenant", name: name ? `${name} (${id})` : id };
      }
      case "team":
        return { kind: "team", name: (id ? teamById.get(id) : undefined) ?? "this team" };
      default:
        return str(d.email) ? { kind: "member", name: text(d.email) } : null;
    }
  };

  return events.map((e) => {
    const details = detailsOf(e);
    const describe = DESCRIPTIONS[e.action as AuditAction] as (typeof DESCRIPTIONS)[AuditAction] | undefined;
    return {
      id: e.id,
      at: e.createdAt.toISOString(),
      actor: e.actorUserId
        ? (userById.get(e.actorUserId)?.name ?? "A former member")
        : details.via === "scim"
          ? "Provisioning (Entra)"
          : e.action.startsWith("auth.")
            ? "Someone signing in"
            : "Operations",
      action: e.action,
      summary: describe ? describe(details, e.targetId) : e.action,
      outcome: e.outcome,
      target: targetOf(e, details),
    };
  });
}

/** The team's most recent audit events, newest first: who did what, to what, when, and whether it worked. */
export async function listAuditEvents(teamId: string, limit = 25): Promise<AuditEventView[]> {
  return (await listAuditPage(teamId, {}, limit)).events;
}

/**
 * One page of the team's audit trail, newest first, optionally one category of actions. Keyset
 * paging on (createdAt, id): events recorded in the same millisecond are neither skipped nor
 * repeated, and an old page costs what the first one costs. Served by the (teamId, createdAt) index.
 */
export async function listAuditPage(
  teamId: string,
  query: AuditQuery = {},
  pageSize = AUDIT_PAGE_SIZE,
): Promise<{ events: AuditEventView[]; nextCursor: string | null }> {
  const db = await getDb();
  const take = Math.min(Math.max(Math.trunc(pageSize), 1), 200);
  const where: Prisma.AuditEventWhereInput = { teamId };
  if (query.category) where.action = { startsWith: `${query.category}.` };
  const after = query.after ? decodeAuditCursor(query.after) : null;
  const rows = await db.auditEvent.findMany({
    where: after
      ? { AND: [where, { OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] }] }
      : where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: take + 1,
    select: {
      id: true,
      actorUserId: true,
      action: true,
      targetType: true,
      targetId: true,
      outcome: true,
      details: true,
      createdAt: true,
    },
  });
  const events = await describeEvents(teamId, rows.slice(0, take));
  const last = events.at(-1);
  return { events, nextCursor: rows.length > take && last ? encodeAuditCursor(last) : null };
}
