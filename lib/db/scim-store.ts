import { randomUUID } from "node:crypto";
import { isGuid } from "../guid";
import { decideProvisionedRole, mapAppRoles, roleMappingFromRow } from "../provisioning/role-mapping";
import { ScimError } from "../scim/errors";
import { SCIM_LIMITS, tooManyMembersToReturn } from "../scim/limits";
import type { GroupFields, GroupMember, GroupRecord } from "../scim/group";
import {
  type GroupInclude,
  type QueryResult,
  type ResourceQuery,
  type ScimStore,
  uniquenessKey,
  type UserInclude,
  workEmailKeys,
} from "../scim/store";
import type { UserFields, UserRecord } from "../scim/user";
import { Prisma, type PrismaClient } from "./generated/client";
import type { DirectSql } from "./sql";
import type { Store } from "./store";
import { filterToSql, type FilterTarget, GROUP_FILTER_TARGET, sortToSql, USER_FILTER_TARGET } from "./scim-filter-sql";

/**
 * The Prisma ADAPTER behind the SCIM store port (lib/scim/store.ts). Users are rows of "User"
 * (the same members the console shows), with the columns filters look up through an index and the
 * remaining attributes in `scimAttributes`; groups are "Group" + "GroupMember".
 *
 * A user is visible to SCIM when it has a `userNameKey`, i.e. was provisioned: password-only
 * members (the Administrator who signed up) are not SCIM resources and answer 404.
 */

type Tx = Prisma.TransactionClient;

/**
 * Runs one read statement. Outside a transaction the SCIM store reads through the database driver
 * directly (see `createScimStore`); inside one, through the transaction's Prisma client.
 */
type Reader = <T>(query: Prisma.Sql) => Promise<T[]>;

const readerOf =
  (db: Tx | PrismaClient): Reader =>
  <T>(query: Prisma.Sql) =>
    db.$queryRaw<T[]>(query);
type Json = Prisma.InputJsonValue;

// ---------------------------------------------------------------------------------------------
// Users: fields <-> row.

/** What `scimAttributes` holds: every writable attribute that has no column of its own. */
type StoredAttributes = Omit<UserFields, "userName" | "externalId" | "active" | "managerId">;

const EMPTY_ATTRIBUTES: StoredAttributes = {
  displayName: null,
  nickName: null,
  title: null,
  userType: null,
  preferredLanguage: null,
  locale: null,
  timezone: null,
  name: null,
  emails: [],
  phoneNumbers: [],
  addresses: [],
  roles: [],
  employeeNumber: null,
  costCenter: null,
  organization: null,
  division: null,
  department: null,
  customExtensions: {},
};

function toStoredAttributes(fields: UserFields): Json {
  const stored: Record<string, unknown> = {};
  for (const key of Object.keys(EMPTY_ATTRIBUTES) as (keyof StoredAttributes)[]) {
    const value = fields[key];
    // Unassigned attributes are omitted (RFC 7643 §2.5); values are kept exactly as parsed.
    if (value === null || (Array.isArray(value) && value.length === 0)) continue;
    if (typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0) continue;
    stored[key] = value;
  }
  return stored as Json;
}

function fromStoredAttributes(value: unknown): StoredAttributes {
  const stored =
    value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Partial<StoredAttributes>) : {};
  return { ...EMPTY_ATTRIBUTES, ...stored };
}

/**
 * Entra's `oid` when the admin maps externalId <- objectId: SSO then finds the member by (tenant,
 * oid). Any other externalId (the default mailNickname) is not an object id.
 */
function objectIdFrom(externalId: string | null): string | null {
  return externalId !== null && isGuid(externalId) ? externalId.toLowerCase() : null;
}

/**
 * RFC 7643 §3.1: externalId is not unique, so two users may carry the same GUID. The object id is
 * pinned from it only while exactly one SCIM user of the team carries it and no other member holds
 * it; when a second one appears, a pin that came from externalId is withdrawn, and sign-in falls
 * back to the unambiguous userName match (lib/sso/resolve-member.ts), which pins the right member.
 * Called after every write that may change who carries `objectIds`, in the same transaction.
 */
async function settleObjectIdPins(tx: Tx, teamId: string, objectIds: readonly (string | null)[]): Promise<void> {
  for (const objectId of new Set(objectIds.filter((id): id is string => id !== null))) {
    const spellings = [...new Set([objectId, objectId.toUpperCase()])];
    const carriers = await tx.user.findMany({
      where: { teamId, userNameKey: { not: null }, externalId: { in: spellings } },
      select: { id: true, entraObjectId: true },
      take: 2,
    });
    const holder = await tx.user.findUnique({
      where: { teamId_entraObjectId: { teamId, entraObjectId: objectId } },
      select: { id: true, externalId: true },
    });
    const [only] = carriers;
    if (carriers.length === 1 && only) {
      if (!holder) await tx.user.update({ where: { id: only.id }, data: { entraObjectId: objectId } });
    } else if (carriers.length > 1 && holder && objectIdFrom(holder.externalId) === objectId) {
      await tx.user.update({ where: { id: holder.id }, data: { entraObjectId: null } });
    }
  }
}

/** `manager.value` names a SCIM user of this team: the resolved id, else null (kept unresolved in managerRef). */
async function resolveManager(tx: Tx, teamId: string, reference: string | null): Promise<string | null> {
  if (reference === null) return null;
  const row = await tx.user.findFirst({
    where: { id: reference, teamId, userNameKey: { not: null } },
    select: { id: true },
  });
  return row?.id ?? null;
}

/** The app-role values a user carries (roles[].value, already decoded from Entra's JSON strings). */
function appRolesOf(fields: UserFields): string[] {
  return fields.roles.map((role) => role.value);
}

/** The console's own `name`/`email` columns, kept in step with the SCIM attributes. */
function consoleName(fields: UserFields): string {
  const given = [fields.name?.givenName, fields.name?.familyName].filter((part) => part).join(" ");
  return fields.displayName ?? fields.name?.formatted ?? (given || fields.userName);
}

function consoleEmail(fields: UserFields): string {
  const email =
    fields.emails.find((e) => e.type?.toLowerCase() === "work") ??
    fields.emails.find((e) => e.primary === true) ??
    fields.emails[0];
  return email?.value ?? (fields.userName.includes("@") ? fields.userName : "");
}

function userColumns(fields: UserFields) {
  return {
    userName: fields.userName,
    userNameKey: uniquenessKey(fields.userName),
    externalId: fields.externalId,
    active: fields.active,
    managerRef: fields.managerId,
    workEmailKeys: workEmailKeys(fields),
    scimAttributes: toStoredAttributes(fields),
    name: consoleName(fields),
    email: consoleEmail(fields),
  };
}

const SCIM_USER = { userNameKey: { not: null } } as const;

const USER_SELECT = {
  id: true,
  userName: true,
  externalId: true,
  active: true,
  managerRef: true,
  scimAttributes: true,
  createdAt: true,
  updatedAt: true,
  version: true,
  manager: { select: { name: true } },
} satisfies Prisma.UserSelect;

const USER_WITH_GROUPS_SELECT = {
  ...USER_SELECT,
  memberships: {
    select: { group: { select: { id: true, displayName: true } } },
    orderBy: [{ createdAt: "asc" }, { groupId: "asc" }],
  },
} satisfies Prisma.UserSelect;

type UserRow = {
  id: string;
  userName: string | null;
  externalId: string | null;
  active: boolean;
  managerRef: string | null;
  scimAttributes: unknown;
  createdAt: Date;
  updatedAt: Date;
  version: number;
  manager: { name: string } | null;
  memberships?: { group: { id: string; displayName: string } }[];
};

function toUserRecord(row: UserRow): UserRecord {
  const record: UserRecord = {
    ...fromStoredAttributes(row.scimAttributes),
    id: row.id,
    userName: row.userName ?? "",
    externalId: row.externalId,
    active: row.active,
    managerId: row.managerRef,
    managerDisplayName: row.manager?.name ?? null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
  };
  if (row.memberships) record.groups = row.memberships.map((membership) => membership.group);
  return record;
}

// ---------------------------------------------------------------------------------------------
// Errors.

/** Which attribute a unique index guards, by the index's columns. */
const UNIQUE_ATTRIBUTES: [RegExp, string][] = [
  [/userNameKey/, "userName"],
  [/entraObjectId/, "externalId"],
  [/displayNameKey/, "displayName"],
];

function errorCode(error: unknown): string | undefined {
  // Prisma's codes, or PostgreSQL's SQLSTATE from the driver (the direct paths).
  return typeof error === "object" && error !== null
    ? ((error as { code?: unknown }).code as string | undefined)
    : undefined;
}

/**
 * P2002 from a unique index becomes 409 `uniqueness` naming the attribute (RFC 7644 §3.12); P2003 (a member or manager
 * deleted while we wrote) becomes 400 `invalidValue`.
 */
function translateWriteError(error: unknown, describe: (attribute: string) => string): unknown {
  const code = errorCode(error);
  if (code === "P2002" || code === "23505") {
    const { meta, constraint, detail } = error as { meta?: unknown; constraint?: unknown; detail?: unknown };
    const where = JSON.stringify(meta ?? {}) + String(constraint) + String(detail) + String((error as Error).message);
    const attribute = UNIQUE_ATTRIBUTES.find(([pattern]) => pattern.test(where))?.[1] ?? "a unique attribute";
    return ScimError.conflict(describe(attribute));
  }
  if (code === "P2003" || code === "23503") {
    return ScimError.badRequest(
      "invalidValue",
      "A referenced user (member or manager) does not exist in this team any more",
    );
  }
  return error;
}

async function writing<T>(work: () => Promise<T>, describe: (attribute: string) => string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translateWriteError(error, describe);
  }
}

function describeUserConflict(fields: UserFields) {
  return (attribute: string) =>
    attribute === "userName"
      ? `userName ${JSON.stringify(fields.userName)} is already taken by another user of this team (compared case-insensitively)`
      : attribute === "externalId"
        ? `externalId ${JSON.stringify(fields.externalId)} is already the Entra object id of another user of this team`
        : `The user conflicts with another user of this team on ${attribute}`;
}

function describeGroupConflict(fields: GroupFields) {
  return (attribute: string) =>
    attribute === "displayName"
      ? `displayName ${JSON.stringify(fields.displayName)} is already taken by another group of this team (compared case-insensitively)`
      : `The group conflicts with another group of this team on ${attribute}`;
}

// ---------------------------------------------------------------------------------------------
// Reference checks (a member from another team or a missing id is refused).

/** The first of `ids` that is not a SCIM user of the team, if any: one statement, one array parameter. */
async function findForeignId(tx: Tx, teamId: string, ids: readonly string[]): Promise<string | undefined> {
  if (ids.length === 0) return undefined;
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT wanted.id FROM unnest(${[...ids]}::text[]) WITH ORDINALITY AS wanted(id, position)
    WHERE NOT EXISTS (SELECT 1 FROM "User" u WHERE u."id" = wanted.id AND u."teamId" = ${teamId} AND u."userNameKey" IS NOT NULL)
    ORDER BY wanted.position LIMIT 1`;
  return rows[0]?.id;
}

async function requireTeamUsers(
  tx: Tx,
  teamId: string,
  ids: readonly string[],
  what: (id: string) => string,
): Promise<void> {
  const missing = await findForeignId(tx, teamId, ids);
  if (missing !== undefined) throw ScimError.badRequest("invalidValue", what(missing));
}

// ---------------------------------------------------------------------------------------------
// Groups: fields <-> rows.

const GROUP_SELECT = {
  id: true,
  displayName: true,
  externalId: true,
  createdAt: true,
  updatedAt: true,
  version: true,
} satisfies Prisma.GroupSelect;

const GROUP_WITH_MEMBERS_SELECT = {
  ...GROUP_SELECT,
  members: {
    select: { userId: true, display: true, user: { select: { name: true } } },
    orderBy: [{ createdAt: "asc" }, { userId: "asc" }],
  },
} satisfies Prisma.GroupSelect;

function groupSelect(include: GroupInclude | undefined) {
  return include?.members === false ? GROUP_SELECT : GROUP_WITH_MEMBERS_SELECT;
}

type GroupRow = {
  id: string;
  displayName: string;
  externalId: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
  members?: { userId: string; display: string | null; user: { name: string } }[];
};

function toGroupRecord(row: GroupRow): GroupRecord {
  const members = row.members ?? [];
  return {
    id: row.id,
    displayName: row.displayName,
    externalId: row.externalId,
    members: members.map((member) => ({ value: member.userId, display: member.display })),
    memberNames: new Map(members.map((member) => [member.userId, member.user.name])),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
  };
}

const notMember = (id: string) => `members: ${JSON.stringify(id)} is not a user of this team`;

/**
 * Member writes go in statements of this many rows. On the embedded store a statement runs on the
 * server's only JavaScript thread: 1,000 rows take a few tens of milliseconds, and between chunks
 * the event loop runs, so other requests' work interleaves with a 20,000-member write instead of
 * waiting for one long statement.
 */
const MEMBER_CHUNK = 1000;

/**
 * Lets timers and sockets run. The embedded store settles its promises without returning to the
 * event loop, so a transaction of many statements would otherwise hold the only thread (every
 * other request's work) from its first statement to its commit.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function inChunks<T>(items: readonly T[], write: (chunk: T[]) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += MEMBER_CHUNK) {
    if (start > 0) await yieldToEventLoop();
    await write(items.slice(start, start + MEMBER_CHUNK));
  }
}

/**
 * Inserts members with array parameters (one statement per chunk, whatever the chunk's size), only
 * those that are SCIM users of the team; a shortfall names the first foreign id (one more query)
 * and aborts the transaction.
 */
async function insertMembers(tx: Tx, teamId: string, groupId: string, members: readonly GroupMember[]): Promise<void> {
  await inChunks(members, async (chunk) => {
    const inserted = await tx.$executeRaw`
      INSERT INTO "GroupMember" ("groupId", "userId", "display")
      SELECT ${groupId}, m.user_id, m.display FROM unnest(${chunk.map((m) => m.value)}::text[], ${chunk.map((m) => m.display)}::text[]) AS m(user_id, display)
      JOIN "User" u ON u."id" = m.user_id AND u."teamId" = ${teamId} AND u."userNameKey" IS NOT NULL`;
    if (inserted !== chunk.length) {
      await requireTeamUsers(
        tx,
        teamId,
        chunk.map((member) => member.value),
        notMember,
      );
      throw new Error(`inserted ${inserted} of ${chunk.length} group members`);
    }
  });
}

/** Writes the difference between the stored members and `next`: 10,000 unchanged members cost nothing. */
async function syncMembers(
  tx: Tx,
  teamId: string,
  groupId: string,
  current: readonly GroupMember[],
  next: readonly GroupMember[],
): Promise<void> {
  const before = new Map(current.map((member) => [member.value, member]));
  const after = new Set(next.map((member) => member.value));
  const added = next.filter((member) => !before.has(member.value));
  const removed = current.filter((member) => !after.has(member.value)).map((member) => member.value);
  const redisplayed = next.filter(
    (member) => before.has(member.value) && before.get(member.value)?.display !== member.display,
  );
  await inChunks(removed, async (chunk) => {
    await tx.$executeRaw`DELETE FROM "GroupMember" WHERE "groupId" = ${groupId} AND "userId" = ANY(${chunk}::text[])`;
  });
  await insertMembers(tx, teamId, groupId, added);
  await inChunks(redisplayed, async (chunk) => {
    await tx.$executeRaw`
      UPDATE "GroupMember" gm SET "display" = m.display
      FROM unnest(${chunk.map((m) => m.value)}::text[], ${chunk.map((m) => m.display)}::text[]) AS m(user_id, display)
      WHERE gm."groupId" = ${groupId} AND gm."userId" = m.user_id`;
  });
}

/**
 * A group's members in membership order. Raw SQL: Prisma's relation loading takes four times as
 * long for a 17,000-member group, all of it on the server's only JavaScript thread.
 */
async function loadMembers(read: Reader, groupId: string): Promise<GroupMember[]> {
  const rows = await read<{ userId: string; display: string | null }>(Prisma.sql`
    SELECT "userId", "display" FROM "GroupMember" WHERE "groupId" = ${groupId} ORDER BY "createdAt", "userId"`);
  return rows.map((row) => ({ value: row.userId, display: row.display }));
}

/** As `loadMembers`, with each member's name for a `display` the client did not send (one join). */
async function loadMembersWithNames(
  read: Reader,
  groupId: string,
): Promise<Pick<GroupRecord, "members" | "memberNames">> {
  await assertMembersFitResponse(read, [groupId]);
  const rows = await read<{ userId: string; display: string | null; name: string }>(Prisma.sql`
    SELECT gm."userId", gm."display", u."name" FROM "GroupMember" gm JOIN "User" u ON u."id" = gm."userId"
    WHERE gm."groupId" = ${groupId} ORDER BY gm."createdAt", gm."userId"`);
  return {
    members: rows.map((row) => ({ value: row.userId, display: row.display })),
    memberNames: new Map(rows.map((row) => [row.userId, row.name])),
  };
}

/** Counts before loading: a response never carries more than SCIM_LIMITS.membersPerResponse members. */
async function assertMembersFitResponse(read: Reader, groupIds: string[]): Promise<void> {
  const [row] = await read<{ total: number }>(
    Prisma.sql`SELECT count(*)::int AS "total" FROM "GroupMember" WHERE "groupId" = ANY(${groupIds}::text[])`,
  );
  const total = Number(row?.total ?? 0);
  if (total > SCIM_LIMITS.membersPerResponse) throw tooManyMembersToReturn(total);
}

// ---------------------------------------------------------------------------------------------
// Entra's ordinary create, without the ORM.

type RoleMappingRow = { mappings: unknown; defaultRole: "ADMIN" | "USER" };

/**
 * Each team's role mapping as this process last read it, for the create below. It needs no
 * invalidation signal: the create inserts only while the stored mapping is still exactly this one,
 * and forgets it otherwise, so a stale entry costs one create on the general path, never a wrong
 * role. Bounded: the oldest team is dropped first.
 */
const ROLE_MAPPINGS_KEPT = 1000;
const roleMappings = new WeakMap<DirectSql, Map<string, RoleMappingRow | null>>();

async function roleMappingFor(direct: DirectSql, teamId: string): Promise<RoleMappingRow | null> {
  let teams = roleMappings.get(direct);
  if (!teams) roleMappings.set(direct, (teams = new Map<string, RoleMappingRow | null>()));
  const known = teams.get(teamId);
  if (known !== undefined) return known;
  const [row] = await direct.query<RoleMappingRow>(
    `SELECT "mappings", "defaultRole" FROM "ProvisioningRoleMapping" WHERE "teamId" = $1`,
    [teamId],
  );
  if (teams.size >= ROLE_MAPPINGS_KEPT) teams.delete(teams.keys().next().value!);
  teams.set(teamId, row ?? null);
  return row ?? null;
}

/**
 * The create Entra sends for almost every user, as one statement on the driver (no transaction):
 * the insert, the role check and the read-back in one round trip, instead of Prisma's interactive
 * transaction or a driver transaction of six round trips (docs/performance.md).
 *
 * - The role is decided here from the team's mapping (`mapAppRoles`). Only a decision of User is
 *   made on this path; the row is inserted only while the stored mapping is still the one decided
 *   on. Otherwise (Administrator, or the mapping changed meanwhile) nothing is inserted, the cached
 *   mapping is forgotten, and null sends the create to the general path in `createUser`, which
 *   records the decision.
 * - An object-id externalId is pinned in the same statement while the new user is its only
 *   carrier; with another carrier the general path settles the pins.
 * - The read-back comes from RETURNING (the statement cannot see its own row through the table):
 *   the same columns as `selectUsers`, the manager's name by subquery, and no groups (a new user
 *   has none).
 * - No forward manager references can exist: the id is generated here, so no stored `managerRef`
 *   can name it yet.
 */
async function createUserDirect(direct: DirectSql, teamId: string, fields: UserFields): Promise<UserRecord | null> {
  const mapping = await roleMappingFor(direct, teamId);
  if (mapAppRoles(roleMappingFromRow(mapping), appRolesOf(fields)) !== "USER") return null;
  const id = randomUUID();
  const now = new Date().toISOString();
  const columns = userColumns(fields);
  const mappingUnchanged = mapping
    ? Prisma.sql`EXISTS (SELECT 1 FROM "ProvisioningRoleMapping" r WHERE r."teamId" = ${teamId}
        AND r."mappings" = ${JSON.stringify(mapping.mappings)}::jsonb AND r."defaultRole"::text = ${mapping.defaultRole})`
    : Prisma.sql`NOT EXISTS (SELECT 1 FROM "ProvisioningRoleMapping" r WHERE r."teamId" = ${teamId})`;
  // An Entra object id as externalId (`settleObjectIdPins`): when no other SCIM user of the team
  // carries it, the new user is its only carrier and is pinned to it unless a member already holds
  // it. Another carrier means a pin may have to be withdrawn: the general path does that.
  const objectId = objectIdFrom(fields.externalId);
  const spellings = objectId ? [...new Set([objectId, objectId.toUpperCase()])] : [];
  const onlyCarrier = objectId
    ? Prisma.sql`AND NOT EXISTS (SELECT 1 FROM "User" c WHERE c."teamId" = ${teamId} AND c."userNameKey" IS NOT NULL AND c."externalId" = ANY(${spellings}::text[]))`
    : Prisma.empty;
  const pin = objectId
    ? Prisma.sql`CASE WHEN NOT EXISTS (SELECT 1 FROM "User" h WHERE h."teamId" = ${teamId} AND h."entraObjectId" = ${objectId}) THEN ${objectId} END`
    : Prisma.sql`NULL`;
  // JSON travels as text: node-postgres would turn a JavaScript array into a PostgreSQL array.
  const query = Prisma.sql`
    INSERT INTO "User" AS nu ("id", "teamId", "name", "email", "active", "createdAt", "updatedAt", "userName", "userNameKey", "externalId",
      "managerRef", "managerId", "workEmailKeys", "scimAttributes", "entraObjectId")
    SELECT ${id}, ${teamId}, ${columns.name}, ${columns.email}, ${columns.active}, ${now}::timestamptz AT TIME ZONE 'UTC', ${now}::timestamptz AT TIME ZONE 'UTC',
      ${columns.userName}, ${columns.userNameKey}, ${columns.externalId}, ${columns.managerRef},
      (SELECT m."id" FROM "User" m WHERE m."id" = ${columns.managerRef} AND m."teamId" = ${teamId} AND m."userNameKey" IS NOT NULL),
      ${JSON.stringify(columns.workEmailKeys)}::jsonb, ${JSON.stringify(columns.scimAttributes)}::jsonb, ${pin}
    WHERE ${mappingUnchanged} ${onlyCarrier}
    RETURNING nu."id", nu."userName", nu."externalId", nu."active", nu."managerRef", nu."scimAttributes",
      (nu."createdAt" AT TIME ZONE 'UTC') AS "createdAt", (nu."updatedAt" AT TIME ZONE 'UTC') AS "updatedAt", nu."version",
      (SELECT m."name" FROM "User" m WHERE m."id" = nu."managerId") AS "managerName"`;
  const [row] = await direct.query<Omit<UserRow, "manager" | "memberships"> & { managerName: string | null }>(
    query.text,
    query.values,
  );
  if (!row) {
    // The mapping changed, or another user carries the object id: either way, read it again next time.
    roleMappings.get(direct)?.delete(teamId);
    return null;
  }
  const { managerName, ...user } = row;
  return toUserRecord({ ...user, manager: managerName === null ? null : { name: managerName }, memberships: [] });
}

// ---------------------------------------------------------------------------------------------
// Queries.

type QuerySpec = { table: "User" | "Group"; alias: "u" | "g"; scope: Prisma.Sql; target: FilterTarget };

/**
 * One statement for the page and the total (a window count), in creation order; the filter is
 * SQL (lib/db/scim-filter-sql.ts). Only when the page is past the end is the total counted apart.
 */
function filterCondition(spec: QuerySpec, query: ResourceQuery): Prisma.Sql {
  return query.filter ? filterToSql(query.filter, spec.target) : Prisma.sql`TRUE`;
}

/** The requested sort (RFC 7644 §3.4.2.3), then creation order so that pages are stable. */
function pageOrder(spec: QuerySpec, query: ResourceQuery): Prisma.Sql {
  const creation = Prisma.raw(`${spec.alias}."createdAt", ${spec.alias}."id"`);
  return query.sort
    ? Prisma.sql`${sortToSql(query.sort.path, query.sort.descending, spec.target)}, ${creation}`
    : creation;
}

async function countMatches(read: Reader, spec: QuerySpec, query: ResourceQuery): Promise<number> {
  const [row] = await read<{ total: number }>(Prisma.sql`
    SELECT count(*)::int AS total FROM ${Prisma.raw(`"${spec.table}" ${spec.alias}`)} WHERE ${spec.scope} AND ${filterCondition(spec, query)}`);
  return row?.total ?? 0;
}

/**
 * One statement for the page and the total (a window count), in creation order; the filter is
 * SQL (lib/db/scim-filter-sql.ts). Only when the page is past the end is the total counted apart.
 */
async function queryIds(
  read: Reader,
  spec: QuerySpec,
  query: ResourceQuery,
): Promise<{ totalResults: number; ids: string[] }> {
  if (query.count === 0) return { totalResults: await countMatches(read, spec, query), ids: [] };
  const rows = await read<{ id: string; total: number }>(Prisma.sql`
    SELECT ${Prisma.raw(spec.alias)}."id" AS id, (count(*) OVER ())::int AS total
    FROM ${Prisma.raw(`"${spec.table}" ${spec.alias}`)} WHERE ${spec.scope} AND ${filterCondition(spec, query)}
    ORDER BY ${pageOrder(spec, query)} LIMIT ${query.count} OFFSET ${query.startIndex - 1}`);
  if (rows.length === 0)
    return { totalResults: query.startIndex > 1 ? await countMatches(read, spec, query) : 0, ids: [] };
  return { totalResults: rows[0]?.total ?? 0, ids: rows.map((row) => row.id) };
}

type UserPageRow = UserRow & { total: number };

/** A user this transaction has just written, read back as SCIM returns it (one statement). */
async function readUser(read: Reader, id: string): Promise<UserPageRow> {
  const [row] = await selectUsers(read, Prisma.sql`u."id" = ${id}`, undefined, Prisma.empty);
  if (!row) throw new Error(`user ${id} vanished inside its own transaction`);
  return row;
}

/**
 * SCIM users matching `where` (over alias `u`), with the manager's name and, unless excluded,
 * the groups: the window count and the page are taken first, so the per-row subqueries run only
 * for the rows returned. `order` repeats the page's ORDER BY for the outer query.
 */
async function selectUsers(
  read: Reader,
  where: Prisma.Sql,
  include: UserInclude | undefined,
  page: Prisma.Sql,
  order?: Prisma.Sql,
): Promise<UserPageRow[]> {
  const groups =
    include?.groups === false
      ? Prisma.empty
      : Prisma.sql`, COALESCE((SELECT json_agg(json_build_object('id', g."id", 'displayName', g."displayName") ORDER BY gm."createdAt", gm."groupId")
          FROM "GroupMember" gm JOIN "Group" g ON g."id" = gm."groupId" WHERE gm."userId" = u."id"), '[]'::json) AS "memberships"`;
  // Timestamps are stored as UTC `timestamp(3)`; read as `timestamptz` so that every driver turns
  // them into the same instant whatever the process's time zone.
  const rows = await read<
    Omit<UserRow, "manager" | "memberships"> & {
      total: number;
      managerName: string | null;
      memberships?: { id: string; displayName: string }[];
    }
  >(Prisma.sql`
    SELECT u."id", u."userName", u."externalId", u."active", u."managerRef", u."scimAttributes",
      (u."createdAt" AT TIME ZONE 'UTC') AS "createdAt", (u."updatedAt" AT TIME ZONE 'UTC') AS "updatedAt", u."version", u."total",
      (SELECT m."name" FROM "User" m WHERE m."id" = u."managerId") AS "managerName" ${groups}
    FROM (SELECT u.*, (count(*) OVER ())::int AS "total" FROM "User" u WHERE ${where} ${page}) u
    ${order ? Prisma.sql`ORDER BY ${order}` : Prisma.empty}`);
  return rows.map(({ managerName, memberships, ...row }) => ({
    ...row,
    manager: managerName === null ? null : { name: managerName },
    ...(memberships ? { memberships: memberships.map((group) => ({ group })) } : {}),
  }));
}

function inOrder<T extends { id: string }>(ids: readonly string[], rows: readonly T[]): T[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id)).filter((row): row is T => row !== undefined);
}

// ---------------------------------------------------------------------------------------------

/** Locks the row for the rest of the transaction (RFC 7644 §3.5.2: each PATCH is atomic). */
async function lockUser(tx: Tx, teamId: string, id: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "User" WHERE "id" = ${id} AND "teamId" = ${teamId} AND "userNameKey" IS NOT NULL FOR UPDATE`;
  return rows.length === 1;
}

async function lockGroup(tx: Tx, teamId: string, id: string): Promise<boolean> {
  const rows = await tx.$queryRaw<
    { id: string }[]
  >`SELECT "id" FROM "Group" WHERE "id" = ${id} AND "teamId" = ${teamId} FOR UPDATE`;
  return rows.length === 1;
}

/**
 * `direct`, when given, is the database driver under `prisma` (lib/db/store.ts): the reads outside
 * a transaction go through it, skipping the ORM's query engine, which costs more than the
 * statement itself on the embedded store (docs/performance.md). Writes stay with Prisma.
 */
export function createScimStore(prisma: PrismaClient, direct?: DirectSql): ScimStore {
  const read: Reader = direct ? (query) => direct.query(query.text, query.values) : readerOf(prisma);
  async function updateUser(
    teamId: string,
    id: string,
    next: (current: UserRecord) => UserFields,
  ): Promise<UserRecord | null> {
    let fields: UserFields | undefined;
    return writing(
      () =>
        prisma.$transaction(async (tx) => {
          if (!(await lockUser(tx, teamId, id))) return null;
          const row = await tx.user.findUniqueOrThrow({
            where: { id },
            select: { ...USER_WITH_GROUPS_SELECT, entraObjectId: true, role: true },
          });
          const current = toUserRecord(row);
          fields = next(current);
          const previousObjectId = objectIdFrom(current.externalId);
          const objectId = objectIdFrom(fields.externalId);
          // A pin that came from the old externalId goes with it; an oid pinned at first SSO sign-in
          // (lib/sso/resolve-member.ts) stays. The new externalId is pinned below if unambiguous.
          const cameFromExternalId = row.entraObjectId !== null && row.entraObjectId === previousObjectId;
          const entraObjectId = objectId !== previousObjectId && cameFromExternalId ? null : row.entraObjectId;
          const decision = await decideProvisionedRole(tx, {
            teamId,
            userId: id,
            userName: fields.userName,
            current: { role: row.role, active: row.active },
            appRoles: appRolesOf(fields),
          });
          await tx.user.update({
            where: { id },
            data: {
              ...userColumns(fields),
              managerId: await resolveManager(tx, teamId, fields.managerId),
              entraObjectId,
              role: decision.role,
              version: { increment: 1 },
            },
          });
          await settleObjectIdPins(tx, teamId, [previousObjectId, objectId]);
          if (current.active && !fields.active) {
            // A disabled user's sessions end now, in the same transaction.
            await tx.session.updateMany({ where: { userId: id, revokedAt: null }, data: { revokedAt: new Date() } });
          }
          const saved = toUserRecord(await readUser(readerOf(tx), id));
          return decision.notice ? { ...saved, notices: [decision.notice] } : saved;
        }),
      (attribute) => describeUserConflict(fields as UserFields)(attribute),
    );
  }

  async function updateGroup(
    teamId: string,
    id: string,
    next: (current: GroupRecord) => GroupFields,
  ): Promise<GroupRecord | null> {
    let fields: GroupFields | undefined;
    return writing(
      () =>
        prisma.$transaction(
          async (tx) => {
            // The lock serialises concurrent PATCHes of one group, so concurrent member adds all land.
            if (!(await lockGroup(tx, teamId, id))) return null;
            const current = {
              ...toGroupRecord(await tx.group.findUniqueOrThrow({ where: { id }, select: GROUP_SELECT })),
              members: await loadMembers(readerOf(tx), id),
            };
            await yieldToEventLoop();
            fields = next(current);
            await yieldToEventLoop();
            await syncMembers(tx, teamId, id, current.members, fields.members);
            await yieldToEventLoop();
            const saved = await tx.group.update({
              where: { id },
              data: {
                displayName: fields.displayName,
                displayNameKey: uniquenessKey(fields.displayName),
                externalId: fields.externalId,
                updatedAt: new Date(),
                version: { increment: 1 },
              },
              select: GROUP_SELECT,
            });
            return { ...toGroupRecord(saved), members: fields.members };
          },
          { timeout: 60_000 },
        ),
      (attribute) => describeGroupConflict(fields as GroupFields)(attribute),
    );
  }

  return {
    async createUser(teamId, fields) {
      return writing(
        async () =>
          (direct ? await createUserDirect(direct, teamId, fields) : null) ??
          prisma.$transaction(async (tx) => {
            const created = await tx.user.create({
              data: { teamId, ...userColumns(fields), managerId: await resolveManager(tx, teamId, fields.managerId) },
              select: { id: true },
            });
            const decision = await decideProvisionedRole(tx, {
              teamId,
              userId: created.id,
              userName: fields.userName,
              current: null,
              appRoles: appRolesOf(fields),
            });
            if (decision.role !== "USER")
              await tx.user.update({ where: { id: created.id }, data: { role: decision.role } });
            // References sent before this user existed resolve now.
            await tx.user.updateMany({
              where: { teamId, managerRef: created.id, managerId: null },
              data: { managerId: created.id },
            });
            await settleObjectIdPins(tx, teamId, [objectIdFrom(fields.externalId)]);
            return toUserRecord(await readUser(readerOf(tx), created.id));
          }),
        describeUserConflict(fields),
      );
    },

    async findUser(teamId, id, include) {
      const [row] = await selectUsers(
        read,
        Prisma.sql`u."id" = ${id} AND u."teamId" = ${teamId} AND u."userNameKey" IS NOT NULL`,
        include,
        Prisma.sql`LIMIT 1`,
      );
      return row ? toUserRecord(row) : null;
    },

    replaceUser: (teamId, id, fields, expect) =>
      updateUser(teamId, id, (current) => {
        expect?.(current);
        return fields;
      }),
    patchUser: (teamId, id, apply) => updateUser(teamId, id, apply),

    async deleteUser(teamId, id, expect) {
      return prisma.$transaction(async (tx) => {
        const row = await tx.user.findFirst({
          where: { id, teamId, ...SCIM_USER },
          select: { version: true, externalId: true },
        });
        if (!row) return false;
        if (expect) {
          if (!(await lockUser(tx, teamId, id))) return false;
          expect(await tx.user.findUniqueOrThrow({ where: { id }, select: { version: true } }));
        }
        // The FK cascades drop the user's group memberships, sessions (which ends them) and
        // password credential; their reports lose the manager reference (RFC 7644 §3.6: a
        // deleted resource is gone, references to it too).
        await tx.user.updateMany({
          where: { teamId, managerRef: id },
          data: { managerRef: null, version: { increment: 1 } },
        });
        const { count } = await tx.user.deleteMany({ where: { id, teamId, ...SCIM_USER } });
        // Another user carrying the same externalId may now be the only one.
        await settleObjectIdPins(tx, teamId, [objectIdFrom(row.externalId)]);
        return count === 1;
      });
    },

    async queryUsers(teamId, query, include): Promise<QueryResult<UserRecord>> {
      const spec: QuerySpec = {
        table: "User",
        alias: "u",
        scope: Prisma.sql`u."teamId" = ${teamId} AND u."userNameKey" IS NOT NULL`,
        target: USER_FILTER_TARGET,
      };
      if (query.count === 0) return { totalResults: await countMatches(read, spec, query), resources: [] };
      // The hot path of every Entra matching lookup: the page, its total and each user's manager
      // and groups in one statement (one round trip instead of one per relation).
      const order = pageOrder(spec, query);
      const rows = await selectUsers(
        read,
        Prisma.sql`${spec.scope} AND ${filterCondition(spec, query)}`,
        include,
        Prisma.sql`ORDER BY ${order} LIMIT ${query.count} OFFSET ${query.startIndex - 1}`,
        order,
      );
      if (rows.length === 0)
        return { totalResults: query.startIndex > 1 ? await countMatches(read, spec, query) : 0, resources: [] };
      return { totalResults: rows[0]?.total ?? 0, resources: rows.map(toUserRecord) };
    },

    async createGroup(teamId, fields) {
      return writing(
        () =>
          prisma.$transaction(
            async (tx) => {
              const row = await tx.group.create({
                data: {
                  teamId,
                  displayName: fields.displayName,
                  displayNameKey: uniquenessKey(fields.displayName),
                  externalId: fields.externalId,
                },
                select: GROUP_SELECT,
              });
              await insertMembers(tx, teamId, row.id, fields.members);
              return { ...toGroupRecord(row), members: fields.members };
            },
            { timeout: 60_000 },
          ),
        describeGroupConflict(fields),
      );
    },

    async findGroup(teamId, id, include) {
      const row = await prisma.group.findFirst({ where: { id, teamId }, select: GROUP_SELECT });
      if (!row) return null;
      return {
        ...toGroupRecord(row),
        ...(include?.members === false ? { members: [] } : await loadMembersWithNames(read, id)),
      };
    },

    replaceGroup: (teamId, id, fields, expect) =>
      updateGroup(teamId, id, (current) => {
        expect?.(current);
        return fields;
      }),
    patchGroup: (teamId, id, apply) => updateGroup(teamId, id, apply),

    async deleteGroup(teamId, id, expect) {
      if (!expect) {
        const { count } = await prisma.group.deleteMany({ where: { id, teamId } });
        return count === 1;
      }
      return prisma.$transaction(async (tx) => {
        if (!(await lockGroup(tx, teamId, id))) return false;
        expect(await tx.group.findUniqueOrThrow({ where: { id }, select: { version: true } }));
        const { count } = await tx.group.deleteMany({ where: { id, teamId } });
        return count === 1;
      });
    },

    async queryGroups(teamId, query, include): Promise<QueryResult<GroupRecord>> {
      const page = await queryIds(
        read,
        { table: "Group", alias: "g", scope: Prisma.sql`g."teamId" = ${teamId}`, target: GROUP_FILTER_TARGET },
        query,
      );
      if (page.ids.length === 0) return { totalResults: page.totalResults, resources: [] };
      if (include?.members !== false) await assertMembersFitResponse(read, page.ids);
      const rows = await prisma.group.findMany({
        where: { id: { in: page.ids }, teamId },
        select: groupSelect(include),
      });
      return { totalResults: page.totalResults, resources: inOrder(page.ids, rows).map(toGroupRecord) };
    },
  };
}

/** The SCIM store over an opened database: Prisma for writes, the driver itself for reads. */
export function scimStoreOf(store: Pick<Store, "prisma" | "direct">): ScimStore {
  return createScimStore(store.prisma, store.direct);
}
