import { getDb, Prisma } from "../db";
import { uniquenessKey } from "../scim/store";

export const MEMBERS_PAGE_SIZE = 50;
/**
 * The directory counts matches up to this many and then says "more than"; a full count(*) of a large team per page is
 * what made big teams slow.
 */
export const MEMBERS_COUNT_CAP = 1000;

export type MemberSource = "password" | "provisioned";

export type MemberSummary = {
  id: string;
  name: string;
  email: string;
  /** The userName Entra provisioned (the UPN by default); null for password members. */
  userName: string | null;
  role: "ADMIN" | "USER";
  active: boolean;
  hasPassword: boolean;
  /** Created by Entra provisioning (SCIM); signs in with Microsoft. */
  provisioned: boolean;
  lastSignInAt: string | null;
  createdAt: string;
};

export type MemberQuery = {
  /** Case-insensitive "starts with" over name, email, userName (UPN) and externalId. */
  search?: string;
  source?: MemberSource;
  status?: "active" | "disabled";
  role?: "ADMIN" | "USER";
  /** Opaque cursors from a previous page: the page after, or before, that position. */
  after?: string;
  before?: string;
};

export type MembersPage = {
  members: MemberSummary[];
  /** Matches, counted up to MEMBERS_COUNT_CAP; `totalCapped` says there are more. */
  total: number;
  totalCapped: boolean;
  pageSize: number;
  nextCursor: string | null;
  previousCursor: string | null;
};

/** Reads the directory's query from URL search params, ignoring what it does not know. */
export function parseMemberQuery(params: URLSearchParams): MemberQuery {
  const query: MemberQuery = {};
  const search = params.get("q")?.trim();
  if (search) query.search = search.slice(0, 200);
  const source = params.get("source");
  if (source === "password" || source === "provisioned") query.source = source;
  const status = params.get("status");
  if (status === "active" || status === "disabled") query.status = status;
  const role = params.get("role");
  if (role === "ADMIN" || role === "USER") query.role = role;
  const after = params.get("after");
  const before = params.get("before");
  if (after) query.after = after.slice(0, 500);
  else if (before) query.before = before.slice(0, 500);
  return query;
}

/** The query as URL search params (only what is set), for links. */
export function memberQueryParams(query: MemberQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.search) params.set("q", query.search);
  if (query.source) params.set("source", query.source);
  if (query.status) params.set("status", query.status);
  if (query.role) params.set("role", query.role);
  if (query.after) params.set("after", query.after);
  else if (query.before) params.set("before", query.before);
  return params;
}

/** A position in the (name, id) order: the row a page ends (or starts) at. */
export function encodeMemberCursor(row: { name: string; id: string }): string {
  return Buffer.from(JSON.stringify([row.name, row.id]), "utf8").toString("base64url");
}

export function decodeMemberCursor(cursor: string): { name: string; id: string } | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === "string" && typeof value[1] === "string")
      return { name: value[0], id: value[1] };
  } catch {
    // An edited or truncated cursor is treated as none: the first page.
  }
  return null;
}

/** A LIKE pattern matching values that start with `text` (its own % _ \ matched literally). */
function startsWith(text: string): string {
  return `${text.replace(/[\\%_]/g, "\\$&")}%`;
}

/**
 * The filter part of the directory query. Each search branch matches one expression index
 * (migration 20261201151000_members_directory), so PostgreSQL answers a search with a BitmapOr of
 * index range scans instead of reading the team's rows.
 */
function filterSql(teamId: string, query: MemberQuery): Prisma.Sql {
  const conditions: Prisma.Sql[] = [Prisma.sql`u."teamId" = ${teamId}`];
  if (query.source === "provisioned") conditions.push(Prisma.sql`u."userNameKey" IS NOT NULL`);
  if (query.source === "password") conditions.push(Prisma.sql`u."userNameKey" IS NULL`);
  if (query.status) conditions.push(Prisma.sql`u."active" = ${query.status === "active"}`);
  if (query.role) conditions.push(Prisma.sql`u."role" = ${query.role}::"Role"`);
  if (query.search) {
    const pattern = startsWith(query.search);
    const keyPattern = startsWith(uniquenessKey(query.search));
    conditions.push(Prisma.sql`(lower(u."name") LIKE lower(${pattern})
      OR lower(u."email") LIKE lower(${pattern})
      OR u."userNameKey" LIKE ${keyPattern}
      OR lower(u."externalId") LIKE lower(${pattern}))`);
  }
  return Prisma.join(conditions, " AND ");
}

type Row = {
  id: string;
  name: string;
  email: string;
  userName: string | null;
  role: "ADMIN" | "USER";
  active: boolean;
  lastSignInAt: Date | null;
  createdAt: Date;
  hasPassword: boolean;
};

/**
 * The team's members in (name, id) order, a page at a time with keyset paging: a page starts
 * after (or ends before) the cursor row, so members with the same name are neither skipped nor
 * repeated, and a deep page costs what the first one costs (no OFFSET).
 */
export async function listMembers(
  teamId: string,
  query: MemberQuery = {},
  pageSize = MEMBERS_PAGE_SIZE,
): Promise<MembersPage> {
  const db = await getDb();
  const take = Math.min(Math.max(Math.trunc(pageSize), 1), 200);
  const filter = filterSql(teamId, query);
  const after = query.after ? decodeMemberCursor(query.after) : null;
  const before = !after && query.before ? decodeMemberCursor(query.before) : null;
  const position = after
    ? Prisma.sql`AND (u."name", u."id") > (${after.name}, ${after.id})`
    : before
      ? Prisma.sql`AND (u."name", u."id") < (${before.name}, ${before.id})`
      : Prisma.empty;
  const order = before ? Prisma.sql`u."name" DESC, u."id" DESC` : Prisma.sql`u."name", u."id"`;
  const [rows, [counted]] = await Promise.all([
    db.$queryRaw<Row[]>`
      SELECT u."id", u."name", u."email", u."userName", u."role"::text AS "role", u."active", u."lastSignInAt", u."createdAt",
             EXISTS (SELECT 1 FROM "PasswordCredential" c WHERE c."userId" = u."id") AS "hasPassword"
      FROM "User" u
      WHERE ${filter} ${position}
      ORDER BY ${order}
      LIMIT ${take + 1}`,
    db.$queryRaw<{ total: number }[]>`
      SELECT count(*)::int AS "total" FROM (SELECT 1 FROM "User" u WHERE ${filter} LIMIT ${MEMBERS_COUNT_CAP + 1}) AS matches`,
  ]);
  const more = rows.length > take;
  const page = rows.slice(0, take);
  if (before) page.reverse();
  const first = page[0];
  const last = page.at(-1);
  const total = Number(counted?.total ?? 0);
  return {
    members: page.map(toSummary),
    total: Math.min(total, MEMBERS_COUNT_CAP),
    totalCapped: total > MEMBERS_COUNT_CAP,
    pageSize: take,
    // Paging forward: another page follows when one more row came back; there is a page before
    // whenever we started after a cursor. Paging backward mirrors that.
    nextCursor: last && (before ? true : more) ? encodeMemberCursor(last) : null,
    previousCursor: first && (before ? more : Boolean(after)) ? encodeMemberCursor(first) : null,
  };
}

function toSummary(row: Row): MemberSummary {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    userName: row.userName,
    role: row.role,
    active: row.active,
    hasPassword: row.hasPassword,
    provisioned: row.userName !== null,
    lastSignInAt: row.lastSignInAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
