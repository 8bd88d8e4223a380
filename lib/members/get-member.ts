import { listActiveSessions, type SessionView } from "../auth/sessions";
import { getDb } from "../db";
import { AppError } from "../errors";

export type SignInMethod = "password" | "microsoft";

export type MemberDetail = {
  id: string;
  name: string;
  email: string;
  role: "ADMIN" | "USER";
  active: boolean;
  provisioned: boolean;
  /** The userName Entra provisioned (the UPN by default). */
  userName: string | null;
  externalId: string | null;
  entraObjectId: string | null;
  manager: string | null;
  /** Every other SCIM attribute exactly as Entra sent it (core, enterprise extension, custom extensions). */
  scimAttributes: Record<string, unknown>;
  groups: { id: string; displayName: string }[];
  signInMethods: SignInMethod[];
  sessions: SessionView[];
  lastSignInAt: string | null;
  createdAt: string;
  updatedAt: string;
};

/**
 * One member of `teamId`, everything an Administrator needs on the member page; another team's member is "not found".
 */
export async function getMember(teamId: string, userId: string): Promise<MemberDetail> {
  const db = await getDb();
  const row = await db.user.findFirst({
    where: { id: userId, teamId },
    select: {
      id: true,
      name: true,
      email: true,
      role: true,
      active: true,
      userName: true,
      externalId: true,
      entraObjectId: true,
      managerRef: true,
      manager: { select: { name: true } },
      scimAttributes: true,
      lastSignInAt: true,
      createdAt: true,
      updatedAt: true,
      credential: { select: { userId: true } },
      memberships: {
        select: { group: { select: { id: true, displayName: true } } },
        orderBy: [{ group: { displayName: "asc" } }],
        take: 500,
      },
    },
  });
  if (!row) throw new AppError("not_found", "No such member in your team.");
  const attributes =
    row.scimAttributes && typeof row.scimAttributes === "object" && !Array.isArray(row.scimAttributes)
      ? (row.scimAttributes as Record<string, unknown>)
      : {};
  const signInMethods: SignInMethod[] = [];
  if (row.credential) signInMethods.push("password");
  if (row.userName !== null || row.entraObjectId !== null) signInMethods.push("microsoft");
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    active: row.active,
    provisioned: row.userName !== null,
    userName: row.userName,
    externalId: row.externalId,
    entraObjectId: row.entraObjectId,
    manager: row.manager?.name ?? row.managerRef,
    scimAttributes: attributes,
    groups: row.memberships.map((m) => m.group),
    signInMethods,
    sessions: await listActiveSessions(row.id),
    lastSignInAt: row.lastSignInAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
