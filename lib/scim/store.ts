import type { AttrPath, Filter } from "./filter";
import type { GroupFields, GroupRecord } from "./group";
import type { UserFields, UserRecord } from "./user";

/**
 * The storage PORT the SCIM dispatcher drives. Every method is scoped by the team that the
 * bearer token belongs to: a resource of another team is indistinguishable from a missing one
 * (`null` / `false`, which the dispatcher answers with 404).
 *
 * Adapters must:
 * - run every write in one transaction, all-or-nothing;
 * - settle uniqueness races in the database and throw `ScimError.conflict` (409 `uniqueness`)
 *   naming the attribute (userName, externalId or displayName);
 * - refuse group members that are not users of the same team with 400 `invalidValue` naming the
 *   id (never a silent success);
 * - keep a manager reference exactly as sent, resolving it (for `displayName`) only to a user of
 *   the same team, so a reference to a user that does not exist yet is stored, not refused;
 * - increase `version` on every write, and call `expect` (the dispatcher's If-Match check) with
 *   the locked current record before writing or deleting: when it throws, nothing is written;
 * - evaluate `filter` in the database, never by loading a team's rows into memory, and answer
 *   400 `invalidFilter` for an attribute they cannot filter on;
 * - end the user's sessions when `active` goes from true to false, and on delete.
 */
export interface ScimStore {
  createUser(teamId: string, fields: UserFields): Promise<UserRecord>;
  findUser(teamId: string, id: string, include?: UserInclude): Promise<UserRecord | null>;
  replaceUser(teamId: string, id: string, fields: UserFields, expect?: Precondition): Promise<UserRecord | null>;
  /**
   * Loads and locks the user, calls `apply` with the current record, saves what it returns.
   * `apply` may throw (a ScimError from the PATCH engine): nothing is written then.
   */
  patchUser(teamId: string, id: string, apply: (current: UserRecord) => UserFields): Promise<UserRecord | null>;
  deleteUser(teamId: string, id: string, expect?: Precondition): Promise<boolean>;
  queryUsers(teamId: string, query: ResourceQuery, include?: UserInclude): Promise<QueryResult<UserRecord>>;

  createGroup(teamId: string, fields: GroupFields): Promise<GroupRecord>;
  findGroup(teamId: string, id: string, include?: GroupInclude): Promise<GroupRecord | null>;
  replaceGroup(teamId: string, id: string, fields: GroupFields, expect?: Precondition): Promise<GroupRecord | null>;
  /** As `patchUser`; the group row is locked, so concurrent member adds to one group all land. */
  patchGroup(teamId: string, id: string, apply: (current: GroupRecord) => GroupFields): Promise<GroupRecord | null>;
  deleteGroup(teamId: string, id: string, expect?: Precondition): Promise<boolean>;
  queryGroups(teamId: string, query: ResourceQuery, include?: GroupInclude): Promise<QueryResult<GroupRecord>>;
}

/** Throws (a 412 ScimError) when the current version is not the one the client expects. */
export type Precondition = (current: { version: number }) => void;

/**
 * RFC 7644 §3.4.2.3 `sortBy`/`sortOrder`: strings compare case-insensitively unless caseExact, in
 * code-point order; resources without a value come last in ascending order (first in descending);
 * a multi-valued attribute sorts by its primary value, else its first. Ties keep creation order.
 */
export type ResourceSort = { path: AttrPath; descending: boolean };

/**
 * RFC 7644 §3.4.2: a parsed filter (absent: every resource), an optional sort and a page.
 * `startIndex` is 1-based; `count` may be 0 (only `totalResults` is wanted). Without a sort,
 * resources come in a stable order (creation).
 */
export type ResourceQuery = { filter?: Filter; sort?: ResourceSort; startIndex: number; count: number };

export type QueryResult<T> = { totalResults: number; resources: T[] };

/** `groups` (RFC 7643 §4.1.2, readOnly) costs a join: skip it when the response drops it. */
export type UserInclude = { groups?: boolean };

/**
 * `members` can be 10,000 rows: skip them for `excludedAttributes=members` (Microsoft's “Develop and plan provisioning
 * for a SCIM endpoint”).
 */
export type GroupInclude = { members?: boolean };

/**
 * The comparison key for `userName` and group `displayName` uniqueness: NFC-normalised and
 * lower-cased (RFC 7643 §4.1.1 userName is caseExact false). The value itself is stored exactly as
 * sent; adapters store this key beside it so a unique index settles races.
 */
export function uniquenessKey(value: string): string {
  return value.toLowerCase().normalize("NFC");
}

/**
 * The lower-cased values of a user's `type eq "work"` emails: Entra's email matching key (Microsoft's “Develop and plan
 * provisioning for a SCIM endpoint”).
 */
export function workEmailKeys(fields: Pick<UserFields, "emails">): string[] {
  const keys = fields.emails
    .filter((email) => email.type?.toLowerCase() === "work")
    .map((email) => email.value.toLowerCase());
  return [...new Set(keys)];
}
