import { ScimError } from "../../lib/scim/errors";
import { type AttrPath, getProperty, matchesFilter } from "../../lib/scim/filter";
import { type GroupFields, type GroupRecord, renderGroup } from "../../lib/scim/group";
import {
  caseExactLookup,
  groupResourceType,
  type ResourceTypeDefinition,
  userResourceType,
} from "../../lib/scim/schemas";
import {
  type Precondition,
  type QueryResult,
  type ResourceQuery,
  type ScimStore,
  uniquenessKey,
} from "../../lib/scim/store";
import { renderUser, type UserFields, type UserRecord } from "../../lib/scim/user";

/**
 * An in-memory SCIM store for unit tests of the protocol core: the port's rules (lib/scim/store.ts)
 * without a database. Filters and sorts are evaluated on the rendered resources, so a test can
 * compare it with the SQL translation.
 */

const BASE = "https://console.example.com/api/scim/v2";

type Json = Record<string, unknown>;

/**
 * RFC 7644 §3.4.2.3 in memory: the value a resource sorts by (primary value of a multi-valued attribute, else its
 * first).
 */
function sortValue(resource: Json, path: AttrPath, resourceType: ResourceTypeDefinition): unknown {
  let value: unknown;
  if (path.schema !== undefined && path.schema.toLowerCase() !== resourceType.core.id.toLowerCase()) {
    value = getProperty(getProperty(resource, path.schema), path.attribute);
  } else {
    value = getProperty(resource, path.attribute);
    if (value === undefined) {
      for (const extension of resourceType.extensions) {
        value = getProperty(getProperty(resource, extension.id), path.attribute);
        if (value !== undefined) break;
      }
    }
  }
  if (Array.isArray(value)) value = value.find((item) => getProperty(item, "primary") === true) ?? value[0];
  if (value !== null && typeof value === "object") value = getProperty(value, path.subAttribute ?? "value");
  else if (path.subAttribute !== undefined) value = undefined;
  return value === "" ? value : (value ?? null);
}

function compareForSort(a: unknown, b: unknown, caseExact: boolean): number {
  const norm = (v: unknown) => (typeof v === "string" && !caseExact ? v.toLowerCase() : v);
  const [x, y] = [norm(a), norm(b)];
  if (x === y) return 0;
  if (x === null) return 1;
  if (y === null) return -1;
  if (typeof x === "string" && typeof y === "string") return x < y ? -1 : 1;
  return (x as number) < (y as number) ? -1 : 1;
}

function sortResources<T>(
  items: T[],
  query: ResourceQuery,
  render: (item: T) => Json,
  resourceType: ResourceTypeDefinition,
): T[] {
  const sort = query.sort;
  if (!sort) return items;
  const lookup = caseExactLookup(resourceType);
  const pathName = `${sort.path.schema ? `${sort.path.schema}:` : ""}${sort.path.attribute}${sort.path.subAttribute ? `.${sort.path.subAttribute}` : ""}`;
  const caseExact = lookup(pathName);
  const keyed = items.map((item, index) => ({ item, index, key: sortValue(render(item), sort.path, resourceType) }));
  keyed.sort((left, right) => {
    // Missing values last ascending, first descending: reversing the whole comparison does both.
    const order = compareForSort(left.key, right.key, caseExact);
    return (sort.descending ? -order : order) || left.index - right.index;
  });
  return keyed.map((entry) => entry.item);
}

/** An in-memory ScimStore for the protocol core's unit tests. */
export class MemoryStore implements ScimStore {
  users = new Map<string, UserRecord & { teamId: string }>();
  groups = new Map<string, GroupRecord & { teamId: string }>();
  revokedSessions: string[] = [];
  failWith: Error | undefined;
  private sequence = 0;
  private clock = Date.parse("2026-01-01T00:00:00Z");

  private nextId(prefix: string) {
    return `${prefix}-${++this.sequence}`;
  }
  private now() {
    return new Date((this.clock += 1000));
  }
  private checkUser(teamId: string, fields: UserFields, id?: string) {
    if (this.failWith) throw this.failWith;
    for (const user of this.users.values()) {
      if (user.teamId === teamId && user.id !== id && uniquenessKey(user.userName) === uniquenessKey(fields.userName)) {
        throw ScimError.conflict(`userName ${JSON.stringify(fields.userName)} is already taken`);
      }
    }
  }
  private checkGroup(teamId: string, fields: GroupFields, id?: string) {
    for (const group of this.groups.values()) {
      if (
        group.teamId === teamId &&
        group.id !== id &&
        uniquenessKey(group.displayName) === uniquenessKey(fields.displayName)
      ) {
        throw ScimError.conflict(`displayName ${JSON.stringify(fields.displayName)} is already taken`);
      }
    }
    for (const member of fields.members) {
      if (this.users.get(member.value)?.teamId !== teamId)
        throw ScimError.badRequest(
          "invalidValue",
          `members: ${JSON.stringify(member.value)} is not a user of this team`,
        );
    }
  }
  private page<T>(items: T[], query: ResourceQuery): QueryResult<T> {
    return {
      totalResults: items.length,
      resources: items.slice(query.startIndex - 1, query.startIndex - 1 + query.count),
    };
  }

  async createUser(teamId: string, fields: UserFields) {
    this.checkUser(teamId, fields);
    const now = this.now();
    const user = { ...fields, id: this.nextId("u"), teamId, createdAt: now, updatedAt: now, version: 1, groups: [] };
    this.users.set(user.id, user);
    return user;
  }
  /** The manager reference as sent; its displayName only when it names a user of the same team. */
  private resolveManager<T extends UserRecord & { teamId: string }>(user: T): T {
    const manager = user.managerId === null ? undefined : this.users.get(user.managerId);
    return {
      ...user,
      managerDisplayName: manager?.teamId === user.teamId ? (manager.displayName ?? manager.userName) : null,
    };
  }
  async findUser(teamId: string, id: string) {
    const user = this.users.get(id);
    return user?.teamId === teamId ? this.resolveManager(user) : null;
  }
  async replaceUser(teamId: string, id: string, fields: UserFields, expect?: Precondition) {
    return this.patchUser(teamId, id, (current) => {
      expect?.(current);
      return fields;
    });
  }
  async patchUser(teamId: string, id: string, apply: (current: UserRecord) => UserFields) {
    const current = await this.findUser(teamId, id);
    if (!current) return null;
    const fields = apply(structuredClone(current));
    this.checkUser(teamId, fields, id);
    if (current.active && !fields.active) this.revokedSessions.push(id);
    const updated = { ...current, ...fields, updatedAt: this.now(), version: current.version + 1 };
    this.users.set(id, updated);
    return this.resolveManager(updated);
  }
  async deleteUser(teamId: string, id: string, expect?: Precondition) {
    const current = await this.findUser(teamId, id);
    if (!current) return false;
    expect?.(current);
    this.users.delete(id);
    for (const user of this.users.values())
      if (user.managerId === id) this.users.set(user.id, { ...user, managerId: null, version: user.version + 1 });
    this.revokedSessions.push(id);
    for (const group of this.groups.values()) group.members = group.members.filter((member) => member.value !== id);
    return true;
  }
  async queryUsers(teamId: string, query: ResourceQuery) {
    const isCaseExact = caseExactLookup(userResourceType);
    const matching = [...this.users.values()].filter(
      (user) =>
        user.teamId === teamId &&
        (!query.filter || matchesFilter(query.filter, renderUser(user, BASE), { isCaseExact })),
    );
    return this.page(
      sortResources(matching, query, (user) => renderUser(user, BASE), userResourceType),
      query,
    );
  }
  async createGroup(teamId: string, fields: GroupFields) {
    this.checkGroup(teamId, fields);
    const now = this.now();
    const group = { ...fields, id: this.nextId("g"), teamId, createdAt: now, updatedAt: now, version: 1 };
    this.groups.set(group.id, group);
    return group;
  }
  async findGroup(teamId: string, id: string) {
    const group = this.groups.get(id);
    if (group?.teamId !== teamId) return null;
    const memberNames = new Map(
      group.members.map((member) => [
        member.value,
        this.users.get(member.value)?.displayName ?? this.users.get(member.value)?.userName ?? "",
      ]),
    );
    return { ...group, memberNames };
  }
  async replaceGroup(teamId: string, id: string, fields: GroupFields, expect?: Precondition) {
    return this.patchGroup(teamId, id, (current) => {
      expect?.(current);
      return fields;
    });
  }
  async patchGroup(teamId: string, id: string, apply: (current: GroupRecord) => GroupFields) {
    const current = await this.findGroup(teamId, id);
    if (!current) return null;
    const fields = apply(structuredClone(current));
    this.checkGroup(teamId, fields, id);
    const { memberNames: _names, ...stored } = current;
    const updated = { ...stored, ...fields, updatedAt: this.now(), version: current.version + 1 };
    this.groups.set(id, updated);
    return updated;
  }
  async deleteGroup(teamId: string, id: string, expect?: Precondition) {
    const current = await this.findGroup(teamId, id);
    if (!current) return false;
    expect?.(current);
    return this.groups.delete(id);
  }
  async queryGroups(teamId: string, query: ResourceQuery) {
    const isCaseExact = caseExactLookup(groupResourceType);
    const matching = [...this.groups.values()].filter(
      (group) =>
        group.teamId === teamId &&
        (!query.filter || matchesFilter(query.filter, renderGroup(group, BASE), { isCaseExact })),
    );
    return this.page(
      sortResources(matching, query, (group) => renderGroup(group, BASE), groupResourceType),
      query,
    );
  }
}
