import { getDb } from "../db";

export type AuditEventView = {
  id: string;
  at: string;
  actor: string;
  action: string;
  summary: string;
  outcome: string;
};

// What each recorded action means to an Administrator reading the log.
const DESCRIPTIONS: Record<string, (d: Record<string, unknown>, target: string | null) => string> = {
  "team.create": () => "Created the team",
  "team.rename": (d) => `Renamed the team to “${String(d.name ?? "")}”`,
  "member.add": (d) => `Added a member (${d.role === "ADMIN" ? "Administrator" : "User"})`,
  "member.disable": () => "Disabled a member",
  "member.enable": () => "Enabled a member",
  "sso.activate": (d, t) => (d.reason ? `Tried to activate single sign-on: ${String(d.reason)}` : `Activated single sign-on for tenant ${t ?? ""}`),
  "sso.deactivate": (_d, t) => `Deactivated single sign-on for tenant ${t ?? ""}`,
  "scim_token.issue": (d) => `Generated provisioning token “${String(d.name ?? "")}”`,
  "scim_token.rotate": (d) => `Rotated provisioning token “${String(d.name ?? "")}”`,
  "scim_token.revoke": (d) => `Revoked provisioning token “${String(d.name ?? "")}”`,
  "auth.password_failed": (d) => `Wrong password at sign-in for ${String(d.email ?? "")}${d.clientAddress ? ` from ${String(d.clientAddress)}` : ""}`,
  "auth.password_throttled": (d) =>
    `Password sign-in paused for ${Number(d.retryAfterSeconds ?? 0)} s after repeated failures (${Array.isArray(d.limitedBy) && d.limitedBy.includes("address") ? `address ${String(d.clientAddress ?? "")}` : String(d.email ?? "")})`,
};

/** The team's audit trail, newest first: who did what, when, and whether it worked. */
export async function listAuditEvents(teamId: string, limit = 25): Promise<AuditEventView[]> {
  const db = await getDb();
  const events = await db.auditEvent.findMany({ where: { teamId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: Math.min(limit, 200) });
  const actorIds = [...new Set(events.map((e) => e.actorUserId).filter((id): id is string => id !== null))];
  const actors = new Map((await db.user.findMany({ where: { id: { in: actorIds }, teamId }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  return events.map((e) => {
    const details = e.details && typeof e.details === "object" && !Array.isArray(e.details) ? (e.details as Record<string, unknown>) : {};
    const describe = DESCRIPTIONS[e.action];
    return {
      id: e.id,
      at: e.createdAt.toISOString(),
      actor: e.actorUserId ? (actors.get(e.actorUserId) ?? "A former member") : e.action.startsWith("auth.") ? "Someone signing in" : "Operations",
      action: e.action,
      summary: describe ? describe(details, e.targetId) : e.action,
      outcome: e.outcome,
    };
  });
}
