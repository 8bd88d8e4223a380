import { getDb, Prisma } from "../db";
import { uniquenessKey } from "../scim/store";

export const GROUP_MEMBERS_PAGE_SIZE = 50;

export type GroupMemberSummary = { id: string; name: string; email: string; userName: string | null; active: boolean };

export type GroupMembersQuery = {
  /** Case-insensitive "starts with" over the member's name, email and userName (UPN). */
  search?: string;
  /** Opaque cursor: the page after that position in (name, id) order. */
  after?: string;
};

export type GroupMembersPage = { members: GroupMemberSummary[]; nextCursor: string | null; pageSize: number };

/** Reads the group page's query from URL search params. */
export function parseGroupMembersQuery(params: URLSearchParams): GroupMembersQuery {
  const query: GroupMembersQuery = {};
  const search = params.get("q")?.trim();
  if (search) query.search = search.slice(0, 200);
  const after = params.get("after");
  if (after) query.after = after.slice(0, 500);
  return query;
}

export function encodeGroupMemberCursor(row: { name: string; id: string }): string {
  return Buffer.from(JSON.stringify([row.name, row.id]), "utf8").toString("base64url");
}

function decodeGroupMemberCursor(cursor: string): { name: string; id: string } | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === "string" && typeof value[1] === "string")
      return { name: value[0], id: value[1] };
  } catch {
    // An edited or truncated cursor is treated as none: the first page.
  }
  return null;
}

const startsWith = (text: string) => `${text.replace(/[\\%_]/g, "\\$&")}%`;

/** The page query, exported so a test can check its plan. */
export function groupMembersSql(teamId: string, groupId: string, query: GroupMembersQuery, limit: number): Prisma.Sql {
  const conditions: Prisma.Sql[] = [Prisma.sql`u."teamId" = ${teamId}`, Prisma.sql`gm."groupId" = ${groupId}`];
  if (query.search) {
    const pattern = startsWith(query.search);
    conditions.push(Prisma.sql`(lower(u."name") LIKE lower(${pattern})
      OR lower(u."email") LIKE lower(${pattern})
      OR u."userNameKey" LIKE ${startsWith(uniquenessKey(query.search))})`);
  }
  const after = query.after ? decodeGroupMemberCursor(query.after) : null;
  if (after) conditions.push(Prisma.sql`(u."name", u."id") > (${after.name}, ${after.id})`);
  return Prisma.sql`
    SELECT u."id", u."name", u."email", u."userName", u."active"
    FROM "GroupMember" gm JOIN "User" u ON u."id" = gm."userId"
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY u."name", u."id"
    LIMIT ${limit}`;
}

/**
 * A group's members in (name, id) order, a page at a time with keyset paging, so members sharing a
 * name are neither skipped nor repeated. The membership rows are reached by the GroupMember primary
 * key (groupId, userId); a search uses the members directory's prefix expression indexes on
 * lower(name), lower(email) and userNameKey (migration 20261201151000_members_directory), so a
 * search in a large team does not read the team's rows.
 */
export async function listGroupMembers(
  teamId: string,
  groupId: string,
  query: GroupMembersQuery = {},
  pageSize = GROUP_MEMBERS_PAGE_SIZE,
): Promise<GroupMembersPage> {
  const db = await getDb();
  const take = Math.min(Math.max(Math.trunc(pageSize), 1), 200);
  const rows = await db.$queryRaw<GroupMemberSummary[]>(groupMembersSql(teamId, groupId, query, take + 1));
  const members = rows.slice(0, take);
  const last = members.at(-1);
  return { members, nextCursor: rows.length > take && last ? encodeGroupMemberCursor(last) : null, pageSize: take };
}
