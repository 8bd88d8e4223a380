import { ScimError } from "./errors";
import { type Filter, getProperty, parseFilter, parsePatchPath } from "./filter";
import { parseAttributeList, type ProjectionParams } from "./projection";
import { requireBody } from "./request-body";
import type { ResourceTypeDefinition } from "./schemas";
import type { ResourceSort } from "./store";
import { checkString } from "./validate-string";

// Query parameters of a SCIM search (RFC 7644 §3.4.2), from the URL or a SearchRequest body (§3.4.3).

/** Query parameter names matched case-insensitively; the first occurrence wins. */
export function param(query: URLSearchParams, name: string): string | null {
  const exact = query.get(name);
  if (exact !== null) return exact;
  const lower = name.toLowerCase();
  for (const [key, value] of query) if (key.toLowerCase() === lower) return value;
  return null;
}

export type SearchParams = ProjectionParams & {
  filter: string | null;
  startIndex: string | null;
  count: string | null;
  sortBy: string | null;
  sortOrder: string | null;
};

const SEARCH_PARAMS = [
  "filter",
  "attributes",
  "excludedAttributes",
  "startIndex",
  "count",
  "sortBy",
  "sortOrder",
] as const;

export function searchParams(query: URLSearchParams): SearchParams {
  return Object.fromEntries(SEARCH_PARAMS.map((name) => [name, param(query, name)])) as SearchParams;
}

/** RFC 7644 §3.4.3 SearchRequest body: attribute lists are arrays, paging values are numbers. */
export function searchBody(body: unknown): SearchParams {
  const filter = getProperty(body, "filter");
  if (typeof filter === "string") checkString(filter, "The filter", "invalidFilter");
  const object = requireBody(body, "SearchRequest");
  const text = (name: (typeof SEARCH_PARAMS)[number]): string | null => {
    const value = getProperty(object, name);
    if (value === undefined || value === null) return null;
    if (typeof value === "string") return value;
    if (typeof value === "number" && (name === "startIndex" || name === "count")) return String(value);
    if (
      Array.isArray(value) &&
      value.every((item) => typeof item === "string") &&
      (name === "attributes" || name === "excludedAttributes")
    ) {
      return value.join(",");
    }
    throw ScimError.badRequest("invalidValue", `'${name}' has the wrong type in the SearchRequest (RFC 7644 §3.4.3)`);
  };
  return Object.fromEntries(SEARCH_PARAMS.map((name) => [name, text(name)])) as SearchParams;
}

/** RFC 7644 §3.4.2.3: `sortBy` is an attribute path; `sortOrder` defaults to ascending. */
export function parseSort(search: SearchParams): ResourceSort | undefined {
  const order = search.sortOrder?.trim().toLowerCase();
  if (order && order !== "ascending" && order !== "descending") {
    throw ScimError.badRequest(
      "invalidValue",
      `'sortOrder' must be "ascending" or "descending", got ${JSON.stringify(search.sortOrder)}`,
    );
  }
  if (search.sortBy === null || search.sortBy.trim() === "") return undefined;
  let parsed;
  try {
    parsed = parsePatchPath(search.sortBy);
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.filter !== undefined) {
    throw ScimError.badRequest(
      "invalidValue",
      `'sortBy' must be an attribute name such as "userName" or "name.familyName", got ${JSON.stringify(search.sortBy)}`,
    );
  }
  return { path: parsed.path, descending: order === "descending" };
}

export function parseOptionalFilter(value: string | null): Filter | undefined {
  // An empty `filter=` means no filter: some clients send the parameter unconditionally.
  if (value === null || value.trim() === "") return undefined;
  return parseFilter(value);
}

/** The projection part of a search: `attributes` and `excludedAttributes` (RFC 7644 §3.9). */
export function projection(search: ProjectionParams): ProjectionParams {
  return { attributes: search.attributes ?? null, excludedAttributes: search.excludedAttributes ?? null };
}

/**
 * Whether a projection keeps the top-level attribute `name` — `members` and `groups` are joins the
 * store can skip (Entra always sends `excludedAttributes=members`, Microsoft's “Develop and plan provisioning for a
 * SCIM endpoint”).
 */
export function keepsAttribute(shape: ProjectionParams, name: string, resourceType: ResourceTypeDefinition): boolean {
  const topLevel = (entry: string) => {
    let lower = entry.toLowerCase();
    const core = `${resourceType.core.id.toLowerCase()}:`;
    if (lower.startsWith(core)) lower = lower.slice(core.length);
    return lower.split(/[.[]/)[0];
  };
  const excluded = parseAttributeList(shape.excludedAttributes);
  if (
    excluded.some(
      (entry) =>
        entry.toLowerCase() === name.toLowerCase() ||
        entry.toLowerCase() === `${resourceType.core.id}:${name}`.toLowerCase(),
    )
  ) {
    return false;
  }
  const requested = parseAttributeList(shape.attributes);
  return requested.length === 0 || requested.some((entry) => topLevel(entry) === name.toLowerCase());
}
