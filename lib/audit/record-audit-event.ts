import type { Prisma } from "../db";
import { getDb } from "../db";

/** Every action the audit log knows; list-audit-events.ts describes each one to a reader. */
export type AuditAction =
  | "auth.password_failed"
  | "auth.password_throttled"
  | "auth.password_change"
  | "team.create"
  | "team.rename"
  | "member.add"
  | "member.disable"
  | "member.enable"
  | "member.role_change"
  | "member.sign_out_everywhere"
  | "member.rename"
  | "provisioning.role_mapping_update"
  | "sso.activate"
  | "sso.deactivate"
  | "sso.disconnect"
  | "scim_token.issue"
  | "scim_token.rotate"
  | "scim_token.revoke"
  | "provisioning.check_run";

export type AuditEventInput = {
  teamId: string;
  actorUserId: string | null;
  action: AuditAction;
  targetType?: string;
  targetId?: string | null;
  outcome: "success" | "failure";
  /** Never a secret: callers pass names and ids only. */
  details?: Prisma.InputJsonValue;
};

type Tx = Pick<Awaited<ReturnType<typeof getDb>>, "auditEvent">;

export async function recordAuditEvent(event: AuditEventInput, tx?: Tx): Promise<void> {
  const db = tx ?? (await getDb());
  await db.auditEvent.create({ data: event });
}
