import { getDb } from "../db";

export const GROUPS_PAGE_SIZE = 50;

export type GroupSummary = {
  id: string;
  displayName: string;
  externalId: string | null;
  memberCount: number;
  updatedAt: string;
};

/** The team's groups (provisioned by Entra), paged on the server, with member counts. */
export async function listGroups(
  teamId: string,
  page = 1,
): Promise<{ groups: GroupSummary[]; total: number; page: number; pageSize: number }> {
  const db = await getDb();
  const safePage = Number.isInteger(page) && page > 0 ? page : 1;
  const [rows, total] = await Promise.all([
    db.group.findMany({
      where: { teamId },
      orderBy: [{ displayName: "asc" }, { id: "asc" }],
      skip: (safePage - 1) * GROUPS_PAGE_SIZE,
      take: GROUPS_PAGE_SIZE,
      select: { id: true, displayName: true, externalId: true, updatedAt: true, _count: { select: { members: true } } },
    }),
    db.group.count({ where: { teamId } }),
  ]);
  return {
    groups: rows.map((g) => ({
      id: g.id,
      displayName: g.displayName,
      externalId: g.externalId,
      memberCount: g._count.members,
      updatedAt: g.updatedAt.toISOString(),
    })),
    total,
    page: safePage,
    pageSize: GROUPS_PAGE_SIZE,
  };
}
