import { getDb } from "../db";

export const MEMBERS_PAGE_SIZE = 50;

export type MemberSummary = {
  id: string;
  name: string;
  email: string;
  role: "ADMIN" | "USER";
  active: boolean;
  hasPassword: boolean;
  /** Created by Entra provisioning (SCIM); signs in with Microsoft. */
  provisioned: boolean;
  createdAt: string;
};

export async function listMembers(teamId: string, page = 1): Promise<{ members: MemberSummary[]; total: number; page: number; pageSize: number }> {
  const db = await getDb();
  const safePage = Number.isInteger(page) && page > 0 ? page : 1;
  const [rows, total] = await Promise.all([
    db.user.findMany({
      where: { teamId },
      orderBy: [{ name: "asc" }, { id: "asc" }],
      skip: (safePage - 1) * MEMBERS_PAGE_SIZE,
      take: MEMBERS_PAGE_SIZE,
      select: { id: true, name: true, email: true, role: true, active: true, createdAt: true, userName: true, credential: { select: { userId: true } } },
    }),
    db.user.count({ where: { teamId } }),
  ]);
  return {
    members: rows.map(({ credential, createdAt, userName, ...m }) => ({ ...m, hasPassword: credential !== null, provisioned: userName !== null, createdAt: createdAt.toISOString() })),
    total,
    page: safePage,
    pageSize: MEMBERS_PAGE_SIZE,
  };
}
