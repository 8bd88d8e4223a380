import { z } from "zod";
import { getDb, type Prisma, type PrismaClient } from "../db";

/**
 * Entra app roles -> Storegate roles. Entra sends a user's app-role assignments in SCIM `roles`
 * (their `value` is the app role's value); the team's mapping turns them into the member's role on
 * every SCIM create and update, so a role removed in Entra demotes on the next PATCH.
 */

export type StoregateRole = "ADMIN" | "USER";
export type RoleMapping = { mappings: { appRole: string; role: StoregateRole }[]; defaultRole: StoregateRole };

/** Out of the box: the app roles named like the Storegate roles map to them; anything else is a User. */
export const DEFAULT_ROLE_MAPPING: RoleMapping = {
  mappings: [
    { appRole: "Administrator", role: "ADMIN" },
    { appRole: "User", role: "USER" },
  ],
  defaultRole: "USER",
};

export const MAX_ROLE_MAPPINGS = 50;

const roleSchema = z.enum(["ADMIN", "USER"], { error: "must be Administrator (ADMIN) or User (USER)" });

export const roleMappingSchema = z
  .object({
    mappings: z
      .array(
        z.object({
          appRole: z
            .string()
            .trim()
            .min(1, { error: "Enter the app role's value" })
            .max(120, { error: "At most 120 characters" }),
          role: roleSchema,
        }),
      )
      .max(MAX_ROLE_MAPPINGS, { error: `At most ${MAX_ROLE_MAPPINGS} mappings` }),
    defaultRole: roleSchema,
  })
  .superRefine((value, context) => {
    const seen = new Set<string>();
    value.mappings.forEach((mapping, index) => {
      const key = mapping.appRole.toLowerCase();
      if (seen.has(key))
        context.addIssue({
          code: "custom",
          path: ["mappings", index, "appRole"],
          message: `“${mapping.appRole}” is mapped twice (values compare case-insensitively)`,
        });
      seen.add(key);
    });
  });

type Db = Pick<PrismaClient, "provisioningRoleMapping">;

/** A stored mapping row (or none) as the mapping it means; an unreadable row means the default. */
export function roleMappingFromRow(row: { mappings: unknown; defaultRole: StoregateRole } | null): RoleMapping {
  if (!row) return DEFAULT_ROLE_MAPPING;
  const parsed = roleMappingSchema.safeParse({ mappings: row.mappings, defaultRole: row.defaultRole });
  return parsed.success ? parsed.data : DEFAULT_ROLE_MAPPING;
}

export async function getRoleMapping(teamId: string, db?: Db): Promise<RoleMapping> {
  const client = db ?? (await getDb());
  return roleMappingFromRow(
    await client.provisioningRoleMapping.findUnique({
      where: { teamId },
      select: { mappings: true, defaultRole: true },
    }),
  );
}

/**
 * The Storegate role for a user's app-role values: Administrator if any maps to it, else User if any maps to it, else
 * the default.
 */
export function mapAppRoles(mapping: RoleMapping, appRoles: readonly string[]): StoregateRole {
  const byKey = new Map(mapping.mappings.map((entry) => [entry.appRole.toLowerCase(), entry.role]));
  const mapped = appRoles.map((value) => byKey.get(value.trim().toLowerCase())).filter((role) => role !== undefined);
  if (mapped.includes("ADMIN")) return "ADMIN";
  if (mapped.includes("USER")) return "USER";
  return mapping.defaultRole;
}

/** Replaces the team's mapping (Administrators only; the route checks), audited. */
export async function saveRoleMapping(actor: { id: string; teamId: string }, input: unknown): Promise<RoleMapping> {
  const mapping = roleMappingSchema.parse(input);
  const db = await getDb();
  await db.$transaction([
    db.provisioningRoleMapping.upsert({
      where: { teamId: actor.teamId },
      create: { teamId: actor.teamId, mappings: mapping.mappings, defaultRole: mapping.defaultRole },
      update: { mappings: mapping.mappings, defaultRole: mapping.defaultRole },
    }),
    db.auditEvent.create({
      data: {
        teamId: actor.teamId,
        actorUserId: actor.id,
        action: "provisioning.role_mapping_update",
        targetType: "team",
        targetId: actor.teamId,
        outcome: "success",
        details: { mappings: mapping.mappings, defaultRole: mapping.defaultRole },
      },
    }),
  ]);
  return mapping;
}

/** The distinct app-role values in the team's provisioned users, for the admin to map (at most 200). */
export async function listSeenAppRoles(teamId: string): Promise<string[]> {
  const db = await getDb();
  const rows = await db.$queryRaw<{ value: string }[]>`
    SELECT DISTINCT ON (lower(r.elem->>'value')) r.elem->>'value' AS value
    FROM "User" u, jsonb_array_elements(COALESCE(u."scimAttributes"->'roles', '[]'::jsonb)) AS r(elem)
    WHERE u."teamId" = ${teamId} AND u."userNameKey" IS NOT NULL AND jsonb_typeof(r.elem->'value') = 'string'
    ORDER BY lower(r.elem->>'value'), r.elem->>'value'
    LIMIT 200`;
  return rows.map((row) => row.value);
}

export type RoleMappingView = RoleMapping & { seenAppRoles: string[] };

export async function getRoleMappingView(teamId: string): Promise<RoleMappingView> {
  const [mapping, seenAppRoles] = await Promise.all([getRoleMapping(teamId), listSeenAppRoles(teamId)]);
  return { ...mapping, seenAppRoles };
}

// ---------------------------------------------------------------------------------------------
// Applying the mapping inside a SCIM write.

type Tx = Prisma.TransactionClient;

export type RoleDecision = { role: StoregateRole; notice?: string };

const LABEL: Record<StoregateRole, string> = { ADMIN: "Administrator", USER: "User" };

/**
 * Decides and records a provisioned member's role inside the SCIM write's transaction. A change is
 * audited with the member and the old and new role. Demoting the team's last active Administrator
 * is refused: the member keeps Administrator, the audit records why, and the returned notice goes
 * to the provisioning log — the SCIM request itself still succeeds, so Entra does not retry it.
 */
export async function decideProvisionedRole(
  tx: Tx,
  member: {
    teamId: string;
    userId: string;
    userName: string;
    current: { role: StoregateRole; active: boolean } | null;
    appRoles: readonly string[];
  },
): Promise<RoleDecision> {
  const wanted = mapAppRoles(await getRoleMapping(member.teamId, tx), member.appRoles);
  const before = member.current?.role ?? null;
  const audit = (outcome: "success" | "failure", details: Record<string, unknown>) =>
    tx.auditEvent.create({
      data: {
        teamId: member.teamId,
        actorUserId: null,
        action: "member.role_change",
        targetType: "user",
        targetId: member.userId,
        outcome,
        details: {
          via: "scim",
          member: member.userName,
          oldRole: before,
          newRole: wanted,
          appRoles: [...member.appRoles],
          ...details,
        },
      },
    });
  if (before === wanted || (before === null && wanted === "USER")) return { role: wanted };
  if (before === "ADMIN" && member.current?.active) {
    // Serialise demotions per team, so two concurrent ones cannot both see another Administrator.
    await tx.$queryRaw`SELECT "id" FROM "Team" WHERE "id" = ${member.teamId} FOR UPDATE`;
    const others = await tx.user.count({
      where: { teamId: member.teamId, role: "ADMIN", active: true, id: { not: member.userId } },
    });
    if (others === 0) {
      const reason = `${member.userName} stays Administrator: their app roles map to ${LABEL[wanted]}, but they are the team's last active Administrator.`;
      await audit("failure", { reason: "last active Administrator" });
      return { role: "ADMIN", notice: reason };
    }
  }
  await audit("success", {});
  return { role: wanted };
}
