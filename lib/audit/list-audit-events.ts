import { getDb } from "../db";
import type { AuditAction } from "./record-audit-event";

export type AuditEventView = {
  id: string;
  at: string;
  actor: string;
  action: string;
  summary: string;
  outcome: string;
};

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
const text = (value: unknown, fallback = ""): string => (typeof value === "string" ? value : typeof value === "number" ? String(value) : fallback);
const str = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);
const tenantOf = (d: Record<string, unknown>, target: string | null) => str(d.tenantName) ?? str(d.tenantDomain) ?? target ?? "";
const viaAccount = (d: Record<string, unknown>) => (str(d.entraUpn) ? ` with Microsoft account ${text(d.entraUpn)}` : "");

// What each recorded action means to an Administrator reading the log.
const DESCRIPTIONS: Record<AuditAction, (d: Record<string, unknown>, target: string | null) => string> = {
  "team.create": () => "Created the team",
  "team.rename": (d) => `Renamed the team to “${text(d.name)}”`,
  "member.add": (d) => `Added ${d.member ? text(d.member) : "a member"} (${d.role === "ADMIN" ? "Administrator" : "User"})`,
  "member.disable": (d) => `Disabled ${d.member ? text(d.member) : "a member"}`,
  "member.enable": (d) => `Enabled ${d.member ? text(d.member) : "a member"}`,
  "member.sign_out_everywhere": (d) => `Signed ${d.member ? text(d.member) : "a member"} out everywhere (${Number(d.sessionsEnded ?? 0)} session(s) ended)`,
  "member.rename": (d) => `Changed their name from “${text(d.oldName)}” to “${text(d.member)}”`,
  "auth.password_change": (d) => (d.reason ? "Tried to change their password: the current password was wrong" : `Changed their password; ended ${Number(d.sessionsEnded ?? 0)} other session(s)`),
  "sso.activate": (d, t) =>
    d.reason
      ? `Tried to activate single sign-on${viaAccount(d)}: ${ACTIVATION_FAILURES[text(d.reason)] ?? text(d.reason)}`
      : `Activated single sign-on for tenant ${tenantOf(d, t)}${viaAccount(d)}`,
  "sso.deactivate": (d, t) => `Deactivated single sign-on for tenant ${tenantOf(d, t)}${typeof d.sessionsEnded === "number" ? `; ended ${d.sessionsEnded} Microsoft sign-in session(s)` : ""}`,
  "sso.disconnect": (d, t) =>
    `Disconnected tenant ${tenantOf(d, t)}: revoked ${Number(d.tokensRevoked ?? 0)} token(s), ended ${Number(d.sessionsEnded ?? 0)} Microsoft sign-in session(s), unlinked ${Number(d.membersUnlinked ?? 0)} member(s)`,
  "scim_token.issue": (d) => `Generated provisioning token “${text(d.name)}”`,
  "scim_token.rotate": (d) => `Rotated provisioning token “${text(d.name)}”`,
  "scim_token.revoke": (d) => `Revoked provisioning token “${text(d.name)}”`,
  "provisioning.role_mapping_update": () => "Changed the provisioning role mapping",
  "member.role_change": (d) => {
    const label = (role: unknown) => (role === "ADMIN" ? "Administrator" : role === "USER" ? "User" : "none");
    const change = `${text(d.member, "a member")} from ${label(d.oldRole)} to ${label(d.newRole)}`;
    return d.reason ? `Kept ${text(d.member, "a member")} as Administrator instead of changing to ${label(d.newRole)}: ${text(d.reason)}` : `Changed the role of ${change}`;
  },
  "auth.password_failed": (d) => `Wrong password at sign-in for ${text(d.email)}${d.clientAddress ? ` from ${text(d.clientAddress)}` : ""}`,
  "auth.password_throttled": (d) =>
    `Password sign-in paused for ${Number(d.retryAfterSeconds ?? 0)} s after repeated failures (${Array.isArray(d.limitedBy) && d.limitedBy.includes("address") ? `address ${text(d.clientAddress)}` : text(d.email)})`,
};

/** The team's audit trail, newest first: who did what, when, and whether it worked. */
export async function listAuditEvents(teamId: string, limit = 25): Promise<AuditEventView[]> {
  const db = await getDb();
  const events = await db.auditEvent.findMany({ where: { teamId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: Math.min(limit, 200) });
  const actorIds = [...new Set(events.map((e) => e.actorUserId).filter((id): id is string => id !== null))];
  const actors = new Map((await db.user.findMany({ where: { id: { in: actorIds }, teamId }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  return events.map((e) => {
    const details = e.details && typeof e.details === "object" && !Array.isArray(e.details) ? (e.details as Record<string, unknown>) : {};
    const describe = DESCRIPTIONS[e.action as AuditAction] as (typeof DESCRIPTIONS)[AuditAction] | undefined;
    return {
      id: e.id,
      at: e.createdAt.toISOString(),
      actor: e.actorUserId
        ? (actors.get(e.actorUserId) ?? "A former member")
        : details.via === "scim"
          ? "Provisioning (Entra)"
          : e.action.startsWith("auth.")
            ? "Someone signing in"
            : "Operations",
      action: e.action,
      summary: describe ? describe(details, e.targetId) : e.action,
      outcome: e.outcome,
    };
  });
}
