import { type Context, respond, type ScimRequest, type ScimResponse } from "./context";
import { isScimError, ScimError, toScimErrorBody } from "./errors";
import { listResponse } from "./projection";
import { param, searchBody, searchParams } from "./query-params";
import { GROUPS, read, remove, type Resource, search, USERS, type Versioned } from "./resources";
import {
  findResourceTypeDocument,
  findSchemaDocument,
  getResourceTypeDocuments,
  getSchemaDocuments,
  getServiceProviderConfig,
} from "./schemas";
import type { ScimStore } from "./store";
import { checkString } from "./validate-string";

/**
 * The SCIM 2.0 request entry point (RFC 7644 §3): a plain request in, a plain response out. The
 * route handler only translates HTTP to this shape and back (authentication, body size and JSON
 * parsing happen there); this file routes the request to its endpoint. What each endpoint does is
 * in resources.ts (Users, Groups) and schemas.ts (discovery); query parameters in query-params.ts,
 * bodies in request-body.ts, ETags in preconditions.ts, log labels in operation-labels.ts.
 */

export { SCIM_CONTENT_TYPE, type ScimRequest, type ScimResponse } from "./context";
export { InvalidJsonBody } from "./request-body";

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
    const response = respond(
      context,
      500,
      toScimErrorBody(new ScimError(500, "The SCIM service failed to process the request. It can be retried.")),
    );
    response.cause = error;
    return response;
  }
}

// ---------------------------------------------------------------------------------------------
// Routing (RFC 7644 §3.2 endpoints, §4 discovery).

type Endpoint = "Users" | "Groups" | "ServiceProviderConfig" | "Schemas" | "ResourceTypes";
const ENDPOINTS: readonly Endpoint[] = ["Users", "Groups", "ServiceProviderConfig", "Schemas", "ResourceTypes"];

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
  throw new ScimError(
    405,
    `${context.request.method.toUpperCase()} is not supported on ${context.request.path}; use ${allow}`,
  );
}

async function route(context: Context): Promise<ScimResponse> {
  const { request } = context;
  const method = request.method.toUpperCase();
  const segments = splitPath(request.path);
  const endpoint = segments && ENDPOINTS.find((name) => name.toLowerCase() === segments[0]?.toLowerCase());
  if (segments && segments.length === 0) return baseUrl(context);
  if (!segments || !endpoint || segments.length > 2) {
    throw ScimError.notFound(
      `There is no SCIM endpoint at ${JSON.stringify(request.path)}; the endpoints are /Users, /Groups, /ServiceProviderConfig, /Schemas and /ResourceTypes`,
    );
  }
  const id = segments[1];
  // Nothing the database would refuse gets past here: ids in the path and query parameters (the
  // filter is checked by its parser, as invalidFilter).
  if (id !== undefined) checkString(id, "The id in the path");
  for (const [key, value] of request.query) {
    checkString(key, "A query parameter name");
    if (key.toLowerCase() !== "filter") checkString(value, `The query parameter '${key}'`);
  }

  if (endpoint === "Users") return resourceRequest(context, USERS, method, id);
  if (endpoint === "Groups") return resourceRequest(context, GROUPS, method, id);
  return discovery(context, endpoint, id);
}

/** RFC 7644 §3.2: /Users and /Groups, one resource (`id`) or the collection. */
function resourceRequest<R extends Versioned>(
  context: Context,
  resource: Resource<R>,
  method: string,
  id: string | undefined,
): Promise<ScimResponse> {
  const { request } = context;
  if (id === undefined) {
    if (method === "GET") return search(context, resource, searchParams(request.query));
    if (method === "POST") return resource.create(context);
    return methodNotAllowed(context, "GET, POST");
  }
  // RFC 7644 §3.4.3: POST {endpoint}/.search carries the query in the body.
  if (id === ".search") {
    if (method === "POST") return search(context, resource, searchBody(request.body));
    return methodNotAllowed(context, "POST");
  }
  context.targetId = id;
  if (method === "GET") return read(context, resource, id);
  if (method === "PUT") return resource.replace(context, id);
  if (method === "PATCH") return resource.patch(context, id);
  if (method === "DELETE") return remove(context, resource, id);
  return methodNotAllowed(context, "GET, PUT, PATCH, DELETE");
}

/** RFC 7644 §4: /ServiceProviderConfig, /Schemas and /ResourceTypes. */
function discovery(
  context: Context,
  endpoint: "ServiceProviderConfig" | "Schemas" | "ResourceTypes",
  id: string | undefined,
): ScimResponse {
  const { request } = context;
  context.operation =
    endpoint === "ServiceProviderConfig"
      ? "Get service provider config"
      : endpoint === "Schemas"
        ? "Get schemas"
        : "Get resource types";
  if (request.method.toUpperCase() !== "GET") return methodNotAllowed(context, "GET");
  // RFC 7644 §4: discovery endpoints do not filter; a filter SHOULD be refused with 403.
  if (param(request.query, "filter")) throw new ScimError(403, `Filtering is not supported on /${endpoint}`);
  const base = request.baseUrl;
  if (endpoint === "ServiceProviderConfig") {
    if (id !== undefined) throw ScimError.notFound(`/ServiceProviderConfig has no sub-resources`);
    return respond(context, 200, getServiceProviderConfig(base));
  }
  const documents: { id: string }[] =
    endpoint === "Schemas" ? getSchemaDocuments(base) : getResourceTypeDocuments(base);
  if (id === undefined)
    return respond(context, 200, listResponse(documents, { totalResults: documents.length, startIndex: 1 }));
  context.targetId = id;
  const document = endpoint === "Schemas" ? findSchemaDocument(id, base) : findResourceTypeDocument(id, base);
  if (!document)
    throw ScimError.notFound(`${endpoint === "Schemas" ? "Schema" : "Resource type"} ${JSON.stringify(id)} not found`);
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
