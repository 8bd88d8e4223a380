import { isScimError, ScimError, toScimErrorBody } from "./errors";
import { type Filter, getProperty, parseFilter, parsePatchPath } from "./filter";
import { type GroupFields, type GroupRecord, parseGroupPayload, patchGroup as applyGroupPatch, renderGroup } from "./group";
import { checkGroupLimits, checkMembersPerRequest } from "./limits";
import { isObject, parseBooleanLike } from "./json";
import { entityTag, type ScimResource, trimBaseUrl } from "./payload";
import { parsePatchRequest, type PatchOperation } from "./patch";
import { listResponse, parseAttributeList, parsePaging, projectResource, type ProjectionParams } from "./projection";
import {
  findResourceTypeDocument,
  findSchemaDocument,
  getResourceTypeDocuments,
  getSchemaDocuments,
  getServiceProviderConfig,
  groupResourceType,
  type ResourceTypeDefinition,
  userResourceType,
} from "./schemas";
import type { Precondition, ResourceSort, ScimStore } from "./store";
import { parseUserPayload, patchUser as applyUserPatch, renderUser, type UserRecord } from "./user";
import { checkJsonStrings, checkString } from "./validate-string";

/**
 * The SCIM 2.0 request entry point (RFC 7644 §3): a plain request in, a plain response out. The
 * route handler only translates HTTP to this shape and back (authentication, body size and JSON
 * parsing happen there); everything the protocol decides happens here, against the store port.
 */

export const SCIM_CONTENT_TYPE = "application/scim+json";

/** What the route hands over when the body was not valid JSON: answered with 400 `invalidSyntax` and `detail` as given. */
export class InvalidJsonBody {
  constructor(readonly detail: string) {}
}

export type ScimRequest = {
  method: string;
  /** The path after the Tenant URL base, e.g. `/Users/1234` (percent-encoded segments are decoded here). */
  path: string;
  query: URLSearchParams;
  /** The parsed JSON body, `undefined` when there was none, or an `InvalidJsonBody`. */
  body: unknown;
  /** The Tenant URL base (`https://host/api/scim/v2`), for `meta.location`, `$ref` and `Location`. */
  baseUrl: string;
  /** From the bearer token, never from the request. */
  teamId: string;
  /** RFC 7644 §3.14 / RFC 9110 §13.1: the `If-Match` and `If-None-Match` request headers, when sent. */
  ifMatch?: string | null;
  ifNoneMatch?: string | null;
};

export type ScimResponse = {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** For the provisioning log: "Create user", "Disable user", "Add members", … */
  operation: string;
  /** The resource the request was about, when there is one. */
  targetId?: string;
  /** For the provisioning log on a success: something the server decided that the client did not ask for. */
  detail?: string;
  /** An unexpected failure behind a 500, for the route to log (never sent to the client). */
  cause?: unknown;
};

type Context = {
  request: ScimRequest;
  store: ScimStore;
  operation: string;
  targetId?: string;
  /** RFC 9110 §15.5.6: a 405 lists the methods the resource supports. */
  allow?: string;
};

const JSON_HEADERS = { "Content-Type": SCIM_CONTENT_TYPE };

function respond(context: Context, status: number, body?: unknown, headers: Record<string, string> = {}): ScimResponse {
  const response: ScimResponse = { status, operation: context.operation };
  if (body !== undefined) {
    response.body = body;
    response.headers = { ...JSON_HEADERS, ...headers };
  } else if (Object.keys(headers).length > 0) {
    response.headers = headers;
  }
  if (context.targetId !== undefined) response.targetId = context.targetId;
  return response;
}

export async function handleScimRequest(request: ScimRequest, store: ScimStore): Promise<ScimResponse> {
  const context: Context = { request, store, operation: "Unknown endpoint" };
  try {
    return await route(context);
  } catch (error) {
    if (isScimError(error)) {
      const headers: Record<string, string> = error.status === 405 && context.allow ? { Allow: context.allow } : {};
      return respond(context, error.status, toScimErrorBody(error), headers);
    }
    // RFC 7644 §3.12: still the SCIM envelope; the real error goes to the route's log only.
    const response = respond(context, 500, toScimErrorBody(new ScimError(500, "The SCIM service failed to process the request. It can be retried.")));
    response.cause = error;
    return response;
  }
}

// ---------------------------------------------------------------------------------------------
// Routing (RFC 7644 §3.2 endpoints, §4 discovery).

type Endpoint = "Users" | "Groups" | "ServiceProviderConfig" | "Schemas" | "ResourceTypes";
const ENDPOINTS: readonly Endpoint[] = ["Users", "Groups", "ServiceProviderConfig", "Schemas", "ResourceTypes"];

function notFound(what: string): ScimError {
  return ScimError.notFound(what);
}

function splitPath(path: string): string[] | null {
  const trimmed = path.split("?")[0]?.replace(/^\/+|\/+$/g, "") ?? "";
  if (trimmed === "") return [];
  try {
    return trimmed.split("/").map((segment) => decodeURIComponent(segment));
  } catch {
    return null;
  }
}

function methodNotAllowed(context: Context, allow: string): never {
  context.allow = allow;
  throw new ScimError(405, `${context.request.method.toUpperCase()} is not supported on ${context.request.path}; use ${allow}`);
}

async function route(context: Context): Promise<ScimResponse> {
  const { request } = context;
  const method = request.method.toUpperCase();
  const segments = splitPath(request.path);
  const endpoint = segments && ENDPOINTS.find((name) => name.toLowerCase() === segments[0]?.toLowerCase());
  if (segments && segments.length === 0) return baseUrl(context);
  if (!segments || !endpoint || segments.length > 2) {
    throw notFound(`There is no SCIM endpoint at ${JSON.stringify(request.path)}; the endpoints are /Users, /Groups, /ServiceProviderConfig, /Schemas and /ResourceTypes`);
  }
  const id = segments[1];
  // Nothing the database would refuse gets past here: ids in the path and query parameters (the
  // filter is checked by its parser, as invalidFilter).
  if (id !== undefined) checkString(id, "The id in the path");
  for (const [key, value] of request.query) {
    checkString(key, "A query parameter name");
    if (key.toLowerCase() !== "filter") checkString(value, `The query parameter '${key}'`);
  }

  if (endpoint === "Users" || endpoint === "Groups") {
    const resource = endpoint === "Users" ? USERS : GROUPS;
    if (id === undefined) {
      if (method === "GET") return query(context, resource, searchParams(request.query));
      if (method === "POST") return resource.create(context);
      return methodNotAllowed(context, "GET, POST");
    }
    // RFC 7644 §3.4.3: POST {endpoint}/.search carries the query in the body.
    if (id === ".search") {
      if (method === "POST") return query(context, resource, searchBody(request.body));
      return methodNotAllowed(context, "POST");
    }
    context.targetId = id;
    if (method === "GET") return resource.get(context, id);
    if (method === "PUT") return resource.replace(context, id);
    if (method === "PATCH") return resource.patch(context, id);
    if (method === "DELETE") return resource.remove(context, id);
    return methodNotAllowed(context, "GET, PUT, PATCH, DELETE");
  }

  context.operation = endpoint === "ServiceProviderConfig" ? "Get service provider config" : endpoint === "Schemas" ? "Get schemas" : "Get resource types";
  if (method !== "GET") return methodNotAllowed(context, "GET");
  // RFC 7644 §4: discovery endpoints do not filter; a filter SHOULD be refused with 403.
  if (param(request.query, "filter")) throw new ScimError(403, `Filtering is not supported on /${endpoint}`);
  const base = request.baseUrl;
  if (endpoint === "ServiceProviderConfig") {
    if (id !== undefined) throw notFound(`/ServiceProviderConfig has no sub-resources`);
    return respond(context, 200, getServiceProviderConfig(base));
  }
  const documents: { id: string }[] = endpoint === "Schemas" ? getSchemaDocuments(base) : getResourceTypeDocuments(base);
  if (id === undefined) return respond(context, 200, listResponse(documents, { totalResults: documents.length, startIndex: 1 }));
  context.targetId = id;
  const document = endpoint === "Schemas" ? findSchemaDocument(id, base) : findResourceTypeDocument(id, base);
  if (!document) throw notFound(`${endpoint === "Schemas" ? "Schema" : "Resource type"} ${JSON.stringify(id)} not found`);
  return respond(context, 200, document);
}

/**
 * The Tenant URL itself: RFC 7644 defines nothing there, but clients probe it. It answers what
 * /ResourceTypes answers (the endpoints and their schemas), so a probe sees a SCIM service.
 */
function baseUrl(context: Context): ScimResponse {
  context.operation = "Get base URL";
  if (context.request.method.toUpperCase() !== "GET") return methodNotAllowed(context, "GET");
  const documents = getResourceTypeDocuments(context.request.baseUrl);
  return respond(context, 200, listResponse(documents, { totalResults: documents.length, startIndex: 1 }));
}

// ---------------------------------------------------------------------------------------------
// Entity tags (RFC 7644 §3.14): weak, from the resource's version.

/** The entity tags of an If-Match / If-None-Match header; `*` matches any. Weak and strong forms compare alike. */
function parseEntityTags(header: string): string[] | "*" {
  if (header.trim() === "*") return "*";
  return (header.match(/(?:W\/)?"[^"]*"/g) ?? []).map((tag) => tag.replace(/^W\//, ""));
}

function matchesEntityTag(header: string, version: number): boolean {
  const tags = parseEntityTags(header);
  return tags === "*" || tags.includes(entityTag(version).replace(/^W\//, ""));
}

/** If-Match on PUT/PATCH/DELETE: 412 when the resource changed since the client read it. */
function ifMatch(context: Context, kind: string): Precondition | undefined {
  const header = context.request.ifMatch;
  if (header === undefined || header === null) return undefined;
  return (current) => {
    if (!matchesEntityTag(header, current.version)) {
      throw new ScimError(412, `The ${kind} has changed: its version is ${entityTag(current.version)}, the request expected ${header.trim()}. Read it again and retry.`);
    }
  };
}

function etagHeader(record: { version: number }): Record<string, string> {
  return { ETag: entityTag(record.version) };
}

// ---------------------------------------------------------------------------------------------
// Query parameters.

/** Query parameter names matched case-insensitively; the first occurrence wins. */
function param(query: URLSearchParams, name: string): string | null {
  const exact = query.get(name);
  if (exact !== null) return exact;
  const lower = name.toLowerCase();
  for (const [key, value] of query) if (key.toLowerCase() === lower) return value;
  return null;
}

type SearchParams = ProjectionParams & {
  filter: string | null;
  startIndex: string | null;
  count: string | null;
  sortBy: string | null;
  sortOrder: string | null;
};

function searchParams(query: URLSearchParams): SearchParams {
  return {
    filter: param(query, "filter"),
    attributes: param(query, "attributes"),
    excludedAttributes: param(query, "excludedAttributes"),
    startIndex: param(query, "startIndex"),
    count: param(query, "count"),
    sortBy: param(query, "sortBy"),
    sortOrder: param(query, "sortOrder"),
  };
}

/** RFC 7644 §3.4.2.3: `sortBy` is an attribute path; `sortOrder` defaults to ascending. */
function parseSort(search: SearchParams): ResourceSort | undefined {
  const order = search.sortOrder?.trim().toLowerCase();
  if (order && order !== "ascending" && order !== "descending") {
    throw ScimError.badRequest("invalidValue", `'sortOrder' must be "ascending" or "descending", got ${JSON.stringify(search.sortOrder)}`);
  }
  if (search.sortBy === null || search.sortBy.trim() === "") return undefined;
  let parsed;
  try {
    parsed = parsePatchPath(search.sortBy);
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.filter !== undefined) {
    throw ScimError.badRequest("invalidValue", `'sortBy' must be an attribute name such as "userName" or "name.familyName", got ${JSON.stringify(search.sortBy)}`);
  }
  return { path: parsed.path, descending: order === "descending" };
}

/** RFC 7644 §3.4.3 SearchRequest body: attribute lists are arrays, paging values are numbers. */
function searchBody(body: unknown): SearchParams {
  const filter = getProperty(body, "filter");
  if (typeof filter === "string") checkString(filter, "The filter", "invalidFilter");
  const object = requireBody(body, "SearchRequest");
  const text = (name: string): string | null => {
    const value = getProperty(object, name);
    if (value === undefined || value === null) return null;
    if (typeof value === "string") return value;
    if (typeof value === "number" && (name === "startIndex" || name === "count")) return String(value);
    if (Array.isArray(value) && value.every((item) => typeof item === "string") && (name === "attributes" || name === "excludedAttributes")) {
      return value.join(",");
    }
    throw ScimError.badRequest("invalidValue", `'${name}' has the wrong type in the SearchRequest (RFC 7644 §3.4.3)`);
  };
  return {
    filter: text("filter"),
    attributes: text("attributes"),
    excludedAttributes: text("excludedAttributes"),
    startIndex: text("startIndex"),
    count: text("count"),
    sortBy: text("sortBy"),
    sortOrder: text("sortOrder"),
  };
}

function parseOptionalFilter(value: string | null): Filter | undefined {
  // An empty `filter=` means no filter: some clients send the parameter unconditionally.
  if (value === null || value.trim() === "") return undefined;
  return parseFilter(value);
}

/**
 * Whether a projection keeps the top-level attribute `name` — `members` and `groups` are joins the
 * store can skip (Entra always sends `excludedAttributes=members`, Microsoft's “Develop and plan provisioning for a SCIM endpoint”).
 */
function keepsAttribute(projection: ProjectionParams, name: string, resourceType: ResourceTypeDefinition): boolean {
  const topLevel = (entry: string) => {
    let lower = entry.toLowerCase();
    const core = `${resourceType.core.id.toLowerCase()}:`;
    if (lower.startsWith(core)) lower = lower.slice(core.length);
    return lower.split(/[.[]/)[0];
  };
  const excluded = parseAttributeList(projection.excludedAttributes);
  if (excluded.some((entry) => entry.toLowerCase() === name.toLowerCase() || entry.toLowerCase() === `${resourceType.core.id}:${name}`.toLowerCase())) {
    return false;
  }
  const requested = parseAttributeList(projection.attributes);
  return requested.length === 0 || requested.some((entry) => topLevel(entry) === name.toLowerCase());
}

function projection(search: ProjectionParams): ProjectionParams {
  return { attributes: search.attributes ?? null, excludedAttributes: search.excludedAttributes ?? null };
}

// ---------------------------------------------------------------------------------------------
// Bodies.

function requireBody(body: unknown, what: string): Record<string, unknown> {
  if (body instanceof InvalidJsonBody) throw ScimError.badRequest("invalidSyntax", body.detail);
  if (body === undefined) throw ScimError.badRequest("invalidSyntax", `The request needs a JSON ${what} body`);
  if (!isObject(body)) throw ScimError.badRequest("invalidSyntax", `The ${what} body must be a JSON object`);
  checkJsonStrings(body);
  return body;
}

/** RFC 7643 §3.1: `id` is assigned by the service provider; a PUT naming another id is a mutability error. */
function checkBodyId(body: Record<string, unknown>, id: string): void {
  const bodyId = getProperty(body, "id");
  if (bodyId !== undefined && bodyId !== null && bodyId !== id) {
    throw ScimError.badRequest("mutability", `'id' is readOnly: the body says ${JSON.stringify(bodyId)} but the URL names ${JSON.stringify(id)}`);
  }
}

/** The value a PATCH writes to `active`, in either Entra dialect (“Known issues and resolutions with SCIM 2.0 protocol compliance”). */
function activeWrittenBy(operations: readonly PatchOperation[]): boolean | undefined {
  let written: boolean | undefined;
  for (const operation of operations) {
    if (operation.op === "remove") continue;
    if (operation.path?.toLowerCase() === "active") written = parseBooleanLike(operation.value) ?? written;
    else if (operation.path === undefined && isObject(operation.value)) {
      const value = getProperty(operation.value, "active");
      if (value !== undefined) written = parseBooleanLike(value) ?? written;
    }
  }
  return written;
}

/** "Add members" / "Remove members" when every operation is about `members` (Microsoft's “Develop and plan provisioning for a SCIM endpoint”). */
function groupPatchLabel(operations: readonly PatchOperation[]): string {
  const onMembers = (operation: PatchOperation) => /^members(\[|\.|$)/i.test(operation.path ?? "");
  if (!operations.every(onMembers)) return "Update group";
  if (operations.every((operation) => operation.op === "add")) return "Add members";
  if (operations.every((operation) => operation.op === "remove")) return "Remove members";
  return "Update members";
}

/** A member as the PATCH engine holds it between operations: `type` is kept until the end (lower-cased, for matching). */
type MemberElement = { value: string; type: string | undefined; display: string | undefined };

function memberKey(value: string, type: string | undefined): string {
  return JSON.stringify([value, type ?? null]);
}

/**
 * Member PATCHes (Microsoft's “Develop and plan provisioning for a SCIM endpoint”, and directory syncs that send `type`): only `add`/`remove`
 * with path "members" and a list of `{value}` (optionally `$ref`, `display`, `type`). Applied with
 * keyed lookups in linear time, without rendering the group: the generic engine's result for these
 * shapes costs hundreds of milliseconds at 17,000 members, all of it on the only JavaScript thread.
 * It is the engine's result exactly (dispatch.test.ts checks that): within the request a member is
 * matched by `value` and `type` (RFC 7643 §2.4), a legacy removal without `type` by `value` alone,
 * stored members have no `type`, and duplicates collapse to the first at the end. Any other shape
 * returns undefined and goes to the engine.
 */
export function memberSetPatch(operations: readonly PatchOperation[]): ((current: GroupRecord) => GroupFields) | undefined {
  const steps: { op: "add" | "remove"; members: MemberElement[] }[] = [];
  for (const operation of operations) {
    if (operation.op === "replace" || operation.path?.toLowerCase() !== "members") return undefined;
    // RFC 7644 §3.5.2.2: remove without a value removes every member; the engine does that.
    if (operation.value === undefined || operation.value === null) return undefined;
    const items = Array.isArray(operation.value) ? operation.value : [operation.value];
    if (items.length === 0) return undefined;
    const members: MemberElement[] = [];
    for (const item of items) {
      if (item === null) continue; // the engine drops null values
      if (!isObject(item)) return undefined;
      const keys = Object.keys(item).map((key) => key.toLowerCase());
      if (keys.some((key) => !["value", "$ref", "display", "type"].includes(key)) || new Set(keys).size !== keys.length) return undefined;
      const value = getProperty(item, "value");
      const ref = getProperty(item, "$ref");
      const display = getProperty(item, "display");
      const type = getProperty(item, "type");
      if (typeof value !== "string" || value === "") return undefined;
      if (ref !== undefined && ref !== null && typeof ref !== "string") return undefined;
      if (display !== undefined && display !== null && typeof display !== "string") return undefined;
      if (type !== undefined && type !== null && typeof type !== "string") return undefined;
      // As in the engine: a null `display` is no change, "" clears it (Microsoft's “Develop and plan provisioning for a SCIM endpoint”).
      members.push({ value, type: typeof type === "string" ? type.toLowerCase() : undefined, display: display ?? undefined });
    }
    if (members.length === 0) return undefined;
    steps.push({ op: operation.op, members });
  }
  return (current) => {
    let elements: MemberElement[] = current.members.map((member) => ({ value: member.value, type: undefined, display: member.display ?? undefined }));
    let positions = new Map<string, number>();
    const index = () => {
      positions = new Map();
      elements.forEach((element, at) => {
        const key = memberKey(element.value, element.type);
        if (!positions.has(key)) positions.set(key, at);
      });
    };
    index();
    for (const step of steps) {
      if (step.op === "remove") {
        const byValue = new Set(step.members.filter((member) => member.type === undefined).map((member) => member.value));
        const byKey = new Set(step.members.filter((member) => member.type !== undefined).map((member) => memberKey(member.value, member.type)));
        elements = elements.filter((element) => !byValue.has(element.value) && !byKey.has(memberKey(element.value, element.type)));
        index();
        continue;
      }
      for (const member of step.members) {
        const key = memberKey(member.value, member.type);
        const at = positions.get(key);
        if (at === undefined) {
          positions.set(key, elements.length);
          elements.push({ ...member });
        } else if (member.display !== undefined) {
          // A new object: `current` stays as loaded, for the store to diff.
          elements[at] = { ...(elements[at] as MemberElement), display: member.display };
        }
      }
    }
    const seen = new Set<string>();
    const members = elements
      .filter((element) => !seen.has(element.value) && seen.add(element.value))
      .map((element) => ({ value: element.value, display: element.display === undefined || element.display === "" ? null : element.display }));
    const fields = { displayName: current.displayName, externalId: current.externalId, members };
    checkGroupLimits(fields);
    return fields;
  };
}

// ---------------------------------------------------------------------------------------------
// Resources.

type ResourceHandlers = {
  create(context: Context): Promise<ScimResponse>;
  get(context: Context, id: string): Promise<ScimResponse>;
  replace(context: Context, id: string): Promise<ScimResponse>;
  patch(context: Context, id: string): Promise<ScimResponse>;
  remove(context: Context, id: string): Promise<ScimResponse>;
  list(context: Context, search: SearchParams): Promise<{ totalResults: number; resources: ScimResource[] }>;
  /** For operation labels: "Find users", "List groups". */
  plural: string;
};

/**
 * Lets other requests run between the parsing of a large body and the store's work on it, so
 * neither piece holds the only JavaScript thread for the whole request.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function location(context: Context, endpoint: string, id: string): string {
  return `${trimBaseUrl(context.request.baseUrl)}/${endpoint}/${encodeURIComponent(id)}`;
}

async function query(context: Context, resource: ResourceHandlers, search: SearchParams): Promise<ScimResponse> {
  const filtered = search.filter !== null && search.filter.trim() !== "";
  context.operation = `${filtered ? "Find" : "List"} ${resource.plural}`;
  const paging = parsePaging(search);
  const page = await resource.list(context, search);
  // Microsoft's “Develop and plan provisioning for a SCIM endpoint”: always a ListResponse, also for zero results (Test Connection's probe).
  return respond(context, 200, listResponse(page.resources, { totalResults: page.totalResults, startIndex: paging.startIndex }));
}

const USERS: ResourceHandlers = {
  plural: "users",

  async list(context, search) {
    const { request, store } = context;
    const filter = parseOptionalFilter(search.filter);
    const paging = parsePaging(search);
    const shape = projection(search);
    const sort = parseSort(search);
    const result = await store.queryUsers(
      request.teamId,
      { ...(filter ? { filter } : {}), ...(sort ? { sort } : {}), ...paging },
      { groups: keepsAttribute(shape, "groups", userResourceType) },
    );
    return { totalResults: result.totalResults, resources: result.resources.map((user) => renderProjectedUser(context, user, shape)) };
  },

  async create(context) {
    context.operation = "Create user";
    const { request, store } = context;
    const fields = parseUserPayload(requireBody(request.body, "User"));
    const user = await store.createUser(request.teamId, fields);
    context.targetId = user.id;
    // RFC 7644 §3.3: 201 with the resource and its Location.
    const response = respond(context, 201, renderProjectedUser(context, user, projection(searchParams(request.query))), {
      Location: location(context, "Users", user.id),
      ...etagHeader(user),
    });
    return withNotices(response, user);
  },

  async get(context, id) {
    context.operation = "Get user";
    const shape = projection(searchParams(context.request.query));
    const user = await context.store.findUser(context.request.teamId, id, { groups: keepsAttribute(shape, "groups", userResourceType) });
    if (!user) throw notFound(`User ${JSON.stringify(id)} not found`);
    if (notModified(context, user)) return respond(context, 304, undefined, etagHeader(user));
    return respond(context, 200, renderProjectedUser(context, user, shape), etagHeader(user));
  },

  async replace(context, id) {
    context.operation = "Replace user";
    const { request, store } = context;
    const body = requireBody(request.body, "User");
    checkBodyId(body, id);
    const fields = parseUserPayload(body);
    const user = await store.replaceUser(request.teamId, id, fields, ifMatch(context, "user"));
    if (!user) throw notFound(`User ${JSON.stringify(id)} not found`);
    return withNotices(respond(context, 200, renderProjectedUser(context, user, projection(searchParams(request.query))), etagHeader(user)), user);
  },

  async patch(context, id) {
    const { request, store } = context;
    context.operation = "Update user";
    const operations = parsePatchRequest(requireBody(request.body, "PatchOp"));
    const active = activeWrittenBy(operations);
    // Entra disables by PATCH active=false (“How Application Provisioning works”); label it so the log reads like Entra's.
    if (active === false) context.operation = "Disable user";
    const expect = ifMatch(context, "user");
    const user = await store.patchUser(request.teamId, id, (current) => {
      expect?.(current);
      if (active === true && !current.active) context.operation = "Enable user";
      return applyUserPatch(current, request.body, request.baseUrl);
    });
    if (!user) throw notFound(`User ${JSON.stringify(id)} not found`);
    // PATCH answers 204 (RFC 7644 §3.5.2 allows 200 or 204), with the new version's ETag.
    return withNotices(respond(context, 204, undefined, etagHeader(user)), user);
  },

  async remove(context, id) {
    context.operation = "Delete user";
    if (!(await context.store.deleteUser(context.request.teamId, id, ifMatch(context, "user")))) throw notFound(`User ${JSON.stringify(id)} not found`);
    return respond(context, 204);
  },
};

/** RFC 9110 §13.1.2: a GET whose If-None-Match names the current version answers 304. */
function notModified(context: Context, record: { version: number }): boolean {
  const header = context.request.ifNoneMatch;
  return header !== undefined && header !== null && matchesEntityTag(header, record.version);
}

function withNotices(response: ScimResponse, user: UserRecord): ScimResponse {
  if (user.notices && user.notices.length > 0) response.detail = user.notices.join(" ");
  return response;
}

function renderProjectedUser(context: Context, user: UserRecord, shape: ProjectionParams): ScimResource {
  return projectResource(renderUser(user, context.request.baseUrl), shape, userResourceType);
}

function renderProjectedGroup(context: Context, group: GroupRecord, shape: ProjectionParams): ScimResource {
  return projectResource(renderGroup(group, context.request.baseUrl), shape, groupResourceType);
}

const GROUPS: ResourceHandlers = {
  plural: "groups",

  async list(context, search) {
    const { request, store } = context;
    const filter = parseOptionalFilter(search.filter);
    const paging = parsePaging(search);
    const shape = projection(search);
    const sort = parseSort(search);
    const result = await store.queryGroups(
      request.teamId,
      { ...(filter ? { filter } : {}), ...(sort ? { sort } : {}), ...paging },
      { members: keepsAttribute(shape, "members", groupResourceType) },
    );
    return { totalResults: result.totalResults, resources: result.resources.map((group) => renderProjectedGroup(context, group, shape)) };
  },

  async create(context) {
    context.operation = "Create group";
    const { request, store } = context;
    const fields = parseGroupPayload(requireBody(request.body, "Group"));
    checkMembersPerRequest(fields.members.length);
    await yieldToEventLoop();
    const group = await store.createGroup(request.teamId, fields);
    context.targetId = group.id;
    return respond(context, 201, renderProjectedGroup(context, group, projection(searchParams(request.query))), {
      Location: location(context, "Groups", group.id),
      ...etagHeader(group),
    });
  },

  async get(context, id) {
    context.operation = "Get group";
    const shape = projection(searchParams(context.request.query));
    const group = await context.store.findGroup(context.request.teamId, id, { members: keepsAttribute(shape, "members", groupResourceType) });
    if (!group) throw notFound(`Group ${JSON.stringify(id)} not found`);
    if (notModified(context, group)) return respond(context, 304, undefined, etagHeader(group));
    return respond(context, 200, renderProjectedGroup(context, group, shape), etagHeader(group));
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
    if (!group) throw notFound(`Group ${JSON.stringify(id)} not found`);
    return respond(context, 200, renderProjectedGroup(context, group, projection(searchParams(request.query))), etagHeader(group));
  },

  async patch(context, id) {
    const { request, store } = context;
    context.operation = "Update group";
    const operations = parsePatchRequest(requireBody(request.body, "PatchOp"));
    context.operation = groupPatchLabel(operations);
    const patch = memberSetPatch(operations) ?? ((current: GroupRecord) => applyGroupPatch(current, request.body, request.baseUrl));
    const expect = ifMatch(context, "group");
    await yieldToEventLoop();
    const group = await store.patchGroup(request.teamId, id, (current) => {
      expect?.(current);
      return patch(current);
    });
    if (!group) throw notFound(`Group ${JSON.stringify(id)} not found`);
    // Group PATCH answers 204: Microsoft advises against returning the member list.
    return respond(context, 204, undefined, etagHeader(group));
  },

  async remove(context, id) {
    context.operation = "Delete group";
    if (!(await context.store.deleteGroup(context.request.teamId, id, ifMatch(context, "group")))) throw notFound(`Group ${JSON.stringify(id)} not found`);
    return respond(context, 204);
  },
};
