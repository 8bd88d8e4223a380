import { type Context, location, respond, type ScimResponse } from "./context";
import { ScimError } from "./errors";
import { type GroupRecord, parseGroupPayload, patchGroup, renderGroup } from "./group";
import { checkMembersPerRequest } from "./limits";
import { memberSetPatch } from "./member-set-patch";
import { groupPatchLabel, searchLabel, userPatchLabel } from "./operation-labels";
import type { ScimResource } from "./payload";
import { parsePatchRequest } from "./patch";
import { etagHeader, ifMatch, notModified } from "./preconditions";
import { listResponse, parsePaging, projectResource, type ProjectionParams } from "./projection";
import {
  keepsAttribute,
  parseOptionalFilter,
  parseSort,
  projection,
  type SearchParams,
  searchParams,
} from "./query-params";
import { checkBodyId, requireBody } from "./request-body";
import { groupResourceType, userResourceType } from "./schemas";
import type { Precondition, ResourceQuery } from "./store";
import { parseUserPayload, patchUser, renderUser, type UserRecord } from "./user";

/**
 * The Users and Groups endpoints (RFC 7644 §3.3–§3.6). What the two share (search, read, delete)
 * is written once over a small description of each; create, replace and update differ enough to be
 * written out per resource.
 */

export type Versioned = { id: string; version: number };

export type Resource<R extends Versioned> = {
  endpoint: "Users" | "Groups";
  singular: "user" | "group";
  plural: "users" | "groups";
  /** The join a projection can skip: a user's `groups`, a group's `members`. */
  join: "groups" | "members";
  render(context: Context, record: R, shape: ProjectionParams): ScimResource;
  find(context: Context, id: string, withJoin: boolean): Promise<R | null>;
  query(context: Context, query: ResourceQuery, withJoin: boolean): Promise<{ totalResults: number; resources: R[] }>;
  remove(context: Context, id: string, expect: Precondition | undefined): Promise<boolean>;
  create(context: Context): Promise<ScimResponse>;
  replace(context: Context, id: string): Promise<ScimResponse>;
  patch(context: Context, id: string): Promise<ScimResponse>;
};

function notFound(resource: { singular: string }, id: string): ScimError {
  const name = resource.singular === "user" ? "User" : "Group";
  return ScimError.notFound(`${name} ${JSON.stringify(id)} not found`);
}

/**
 * Lets other requests run between the parsing of a large body and the store's work on it, so
 * neither piece holds the only JavaScript thread for the whole request.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Notes the store made while saving (e.g. a role mapping it could not apply), for the provisioning log. */
function withNotices(response: ScimResponse, user: UserRecord): ScimResponse {
  if (user.notices && user.notices.length > 0) response.detail = user.notices.join(" ");
  return response;
}

// ---------------------------------------------------------------------------------------------
// What Users and Groups share.

export async function search<R extends Versioned>(
  context: Context,
  resource: Resource<R>,
  search: SearchParams,
): Promise<ScimResponse> {
  const filter = parseOptionalFilter(search.filter);
  context.operation = searchLabel(resource.plural, filter !== undefined);
  const paging = parsePaging(search);
  const shape = projection(search);
  const sort = parseSort(search);
  const page = await resource.query(
    context,
    { ...(filter ? { filter } : {}), ...(sort ? { sort } : {}), ...paging },
    keepsAttribute(shape, resource.join, typeOf(resource)),
  );
  const resources = page.resources.map((record) => resource.render(context, record, shape));
  // Microsoft's “Develop and plan provisioning for a SCIM endpoint”: always a ListResponse, also for zero results (Test
  // Connection's probe).
  return respond(
    context,
    200,
    listResponse(resources, { totalResults: page.totalResults, startIndex: paging.startIndex }),
  );
}

export async function read<R extends Versioned>(
  context: Context,
  resource: Resource<R>,
  id: string,
): Promise<ScimResponse> {
  context.operation = resource.singular === "user" ? "Get user" : "Get group";
  const shape = projection(searchParams(context.request.query));
  const record = await resource.find(context, id, keepsAttribute(shape, resource.join, typeOf(resource)));
  if (!record) throw notFound(resource, id);
  if (notModified(context, record)) return respond(context, 304, undefined, etagHeader(record));
  return respond(context, 200, resource.render(context, record, shape), etagHeader(record));
}

export async function remove<R extends Versioned>(
  context: Context,
  resource: Resource<R>,
  id: string,
): Promise<ScimResponse> {
  context.operation = resource.singular === "user" ? "Delete user" : "Delete group";
  if (!(await resource.remove(context, id, ifMatch(context, resource.singular)))) throw notFound(resource, id);
  return respond(context, 204);
}

function typeOf(resource: { endpoint: "Users" | "Groups" }) {
  return resource.endpoint === "Users" ? userResourceType : groupResourceType;
}

/** The projection a write's response uses: the request's `attributes`/`excludedAttributes` (RFC 7644 §3.9). */
function responseShape(context: Context): ProjectionParams {
  return projection(searchParams(context.request.query));
}

// ---------------------------------------------------------------------------------------------
// Users.

const renderProjectedUser = (context: Context, user: UserRecord, shape: ProjectionParams) =>
  projectResource(renderUser(user, context.request.baseUrl), shape, userResourceType);

export const USERS: Resource<UserRecord> = {
  endpoint: "Users",
  singular: "user",
  plural: "users",
  join: "groups",
  render: renderProjectedUser,
  find: (context, id, groups) => context.store.findUser(context.request.teamId, id, { groups }),
  query: (context, query, groups) => context.store.queryUsers(context.request.teamId, query, { groups }),
  remove: (context, id, expect) => context.store.deleteUser(context.request.teamId, id, expect),

  async create(context) {
    context.operation = "Create user";
    const { request, store } = context;
    const fields = parseUserPayload(requireBody(request.body, "User"));
    const user = await store.createUser(request.teamId, fields);
    context.targetId = user.id;
    // RFC 7644 §3.3: 201 with the resource and its Location.
    const response = respond(context, 201, renderProjectedUser(context, user, responseShape(context)), {
      Location: location(context, "Users", user.id),
      ...etagHeader(user),
    });
    return withNotices(response, user);
  },

  async replace(context, id) {
    context.operation = "Replace user";
    const { request, store } = context;
    const body = requireBody(request.body, "User");
    checkBodyId(body, id);
    const user = await store.replaceUser(request.teamId, id, parseUserPayload(body), ifMatch(context, "user"));
    if (!user) throw notFound(USERS, id);
    return withNotices(
      respond(context, 200, renderProjectedUser(context, user, responseShape(context)), etagHeader(user)),
      user,
    );
  },

  async patch(context, id) {
    const { request, store } = context;
    context.operation = "Update user";
    const operations = parsePatchRequest(requireBody(request.body, "PatchOp"));
    context.operation = userPatchLabel(operations, undefined);
    const expect = ifMatch(context, "user");
    const user = await store.patchUser(request.teamId, id, (current) => {
      expect?.(current);
      context.operation = userPatchLabel(operations, current.active);
      return patchUser(current, operations, request.baseUrl);
    });
    if (!user) throw notFound(USERS, id);
    // PATCH answers 204 (RFC 7644 §3.5.2 allows 200 or 204), with the new version's ETag.
    return withNotices(respond(context, 204, undefined, etagHeader(user)), user);
  },
};

// ---------------------------------------------------------------------------------------------
// Groups.

const renderProjectedGroup = (context: Context, group: GroupRecord, shape: ProjectionParams) =>
  projectResource(renderGroup(group, context.request.baseUrl), shape, groupResourceType);

export const GROUPS: Resource<GroupRecord> = {
  endpoint: "Groups",
  singular: "group",
  plural: "groups",
  join: "members",
  render: renderProjectedGroup,
  find: (context, id, members) => context.store.findGroup(context.request.teamId, id, { members }),
  query: (context, query, members) => context.store.queryGroups(context.request.teamId, query, { members }),
  remove: (context, id, expect) => context.store.deleteGroup(context.request.teamId, id, expect),

  async create(context) {
    context.operation = "Create group";
    const { request, store } = context;
    const fields = parseGroupPayload(requireBody(request.body, "Group"));
    checkMembersPerRequest(fields.members.length);
    await yieldToEventLoop();
    const group = await store.createGroup(request.teamId, fields);
    context.targetId = group.id;
    return respond(context, 201, renderProjectedGroup(context, group, responseShape(context)), {
      Location: location(context, "Groups", group.id),
      ...etagHeader(group),
    });
  },

  async replace(context, id) {
    context.operation = "Replace group";
    const { request, store } = context;
    const body = requireBody(request.body, "Group");
    checkBodyId(body, id);
    const fields = parseGroupPayload(body);
    checkMembersPerRequest(fields.members.length);
    await yieldToEventLoop();
    const group = await store.replaceGroup(request.teamId, id, fields, ifMatch(context, "group"));
    if (!group) throw notFound(GROUPS, id);
    return respond(context, 200, renderProjectedGroup(context, group, responseShape(context)), etagHeader(group));
  },

  async patch(context, id) {
    const { request, store } = context;
    context.operation = "Update group";
    const operations = parsePatchRequest(requireBody(request.body, "PatchOp"));
    context.operation = groupPatchLabel(operations);
    const apply =
      memberSetPatch(operations) ?? ((current: GroupRecord) => patchGroup(current, operations, request.baseUrl));
    const expect = ifMatch(context, "group");
    await yieldToEventLoop();
    const group = await store.patchGroup(request.teamId, id, (current) => {
      expect?.(current);
      return apply(current);
    });
    if (!group) throw notFound(GROUPS, id);
    // Group PATCH answers 204: Microsoft advises against returning the member list.
    return respond(context, 204, undefined, etagHeader(group));
  },
};
