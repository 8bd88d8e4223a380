import { isObject, type Json } from "./json";
import { ScimError } from "./errors";
import { type Filter, matchesValueFilter, parsePatchPath } from "./filter";
import { MAX_START_INDEX } from "./limits";
import {
  type AttributeDefinition,
  caseExactLookup,
  DEFAULT_PAGE_SIZE,
  findAttribute,
  LIST_RESPONSE_SCHEMA,
  MAX_RESULTS,
  type ResourceTypeDefinition,
} from "./schemas";

export type ProjectionParams = { attributes?: string | null; excludedAttributes?: string | null };

/**
 * One requested name, resolved: `extension` is the schema URN holding it, undefined for core;
 * `filter` selects elements of a multi-valued attribute (`emails[type eq "work"]`).
 */
type Selector = {
  extension: string | undefined;
  attribute: string | undefined;
  sub: string | undefined;
  filter?: Filter;
};

/**
 * RFC 7644 §3.4.2.5: a comma-separated list of attribute names. A name may carry a value filter
 * (`emails[type eq "work"]`, sent by Microsoft's own Postman collection), whose commas inside
 * brackets or quotes do not separate names.
 */
export function parseAttributeList(value: string | null | undefined): string[] {
  if (!value) return [];
  const names: string[] = [];
  let current = "";
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (quoted) {
      if (c === "\\") {
        current += c + (value[i + 1] ?? "");
        i++;
        continue;
      }
      if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === "[") depth++;
    else if (c === "]") depth = Math.max(0, depth - 1);
    else if (c === "," && depth === 0) {
      names.push(current);
      current = "";
      continue;
    }
    current += c;
  }
  names.push(current);
  return names.map((name) => name.trim()).filter((name) => name !== "");
}

function toSelector(name: string, resourceType: ResourceTypeDefinition): Selector | undefined {
  if (name.includes("[")) {
    // `attr[filter]` or `attr[filter].sub`: the PATCH path grammar (RFC 7644 §3.5.2).
    let parsed;
    try {
      parsed = parsePatchPath(name);
    } catch {
      throw ScimError.badRequest(
        "invalidValue",
        `'attributes' entry ${JSON.stringify(name)} is not a valid attribute path with a value filter`,
      );
    }
    const base = `${parsed.path.schema === undefined ? "" : `${parsed.path.schema}:`}${parsed.path.attribute}`;
    const sub = parsed.subAttribute ?? parsed.path.subAttribute;
    const selector = toSelector(sub === undefined ? base : `${base}.${sub}`, resourceType);
    return selector && parsed.filter ? { ...selector, filter: parsed.filter } : selector;
  }
  const lower = name.toLowerCase();
  const wholeExtension = resourceType.extensions.find((schema) => schema.id.toLowerCase() === lower);
  if (wholeExtension) return { extension: wholeExtension.id, attribute: undefined, sub: undefined };
  let rest = lower;
  let extension: string | undefined;
  let qualified = false;
  if (lower.startsWith("urn:")) {
    const colon = lower.lastIndexOf(":");
    const schema = lower.slice(0, colon);
    rest = lower.slice(colon + 1);
    qualified = true;
    const match = resourceType.extensions.find((candidate) => candidate.id.toLowerCase() === schema);
    if (match) extension = match.id;
    // Another resource's schema selects nothing.
    else if (schema !== resourceType.core.id.toLowerCase()) return undefined;
  }
  const [attribute, sub] = rest.split(".", 2);
  if (!attribute) return undefined;
  if (!qualified && !findAttribute([...resourceType.common, ...resourceType.core.attributes], attribute)) {
    // An unqualified name only an extension defines (e.g. `manager`) selects it there.
    const owner = resourceType.extensions.find((schema) => findAttribute(schema.attributes, attribute));
    if (owner) extension = owner.id;
  }
  return { extension, attribute, sub };
}

function alwaysReturned(resourceType: ResourceTypeDefinition): Set<string> {
  const names = new Set(["schemas"]);
  const collect = (definitions: readonly AttributeDefinition[]) => {
    for (const definition of definitions)
      if (definition.returned === "always") names.add(definition.name.toLowerCase());
  };
  collect(resourceType.common);
  collect(resourceType.core.attributes);
  return names;
}

type ElementMatcher = (selector: Selector, key: string, element: unknown) => boolean;

/**
 * The part of an attribute's value the selectors ask for: per element, the selectors whose filter
 * (if any) it matches decide whether it is kept whole, reduced to sub-attributes, or dropped.
 */
function pickSelected(key: string, value: unknown, selectors: Selector[], matches: ElementMatcher): unknown {
  const pick = (item: unknown) => {
    const applicable = selectors.filter((selector) => selector.filter === undefined || matches(selector, key, item));
    if (applicable.length === 0) return undefined;
    if (applicable.some((selector) => selector.sub === undefined)) return item;
    if (!isObject(item)) return undefined;
    const subs = new Set(applicable.map((selector) => selector.sub as string));
    const picked = Object.fromEntries(Object.entries(item).filter(([name]) => subs.has(name.toLowerCase())));
    return Object.keys(picked).length > 0 ? picked : undefined;
  };
  if (Array.isArray(value)) {
    const items = value.map(pick).filter((item) => item !== undefined);
    return items.length > 0 ? items : undefined;
  }
  return pick(value);
}

function dropSub(value: unknown, sub: string): unknown {
  const drop = (item: unknown) =>
    isObject(item) ? Object.fromEntries(Object.entries(item).filter(([key]) => key.toLowerCase() !== sub)) : item;
  return Array.isArray(value) ? value.map(drop) : drop(value);
}

/** Keeps the requested attributes of one container (the resource or an extension object). */
function selectFrom(
  container: Json,
  selectors: Selector[],
  keep: (key: string) => boolean,
  matches: ElementMatcher,
): Json {
  const result: Json = {};
  for (const [key, value] of Object.entries(container)) {
    const lower = key.toLowerCase();
    if (keep(lower)) {
      result[key] = value;
      continue;
    }
    const matching = selectors.filter((selector) => selector.attribute === lower);
    if (matching.length === 0) continue;
    const picked = pickSelected(key, value, matching, matches);
    if (picked !== undefined) result[key] = picked;
  }
  return result;
}

/**
 * RFC 7644 §3.4.2.5 / §3.9 `attributes` and `excludedAttributes`, case-insensitive, with
 * sub-attributes (`name.givenName`) and URN-qualified names. RFC 7643 §7: attributes `returned:
 * "always"` (`id`) and `schemas` are kept whatever is asked; so is `meta.resourceType`, so every
 * projected resource still says what it is (Entra asks `attributes=id` on reference checks).
 */
export function projectResource(resource: Json, params: ProjectionParams, resourceType: ResourceTypeDefinition): Json {
  const always = alwaysReturned(resourceType);
  const isCaseExact = caseExactLookup(resourceType);
  const matches: ElementMatcher = (selector, key, element) =>
    selector.filter !== undefined &&
    matchesValueFilter(
      selector.filter,
      element,
      { attribute: key, ...(selector.extension ? { schema: selector.extension } : {}) },
      { isCaseExact },
    );
  const extensionOf = (key: string) =>
    resourceType.extensions.find((schema) => schema.id.toLowerCase() === key.toLowerCase());
  const withResourceType = (meta: unknown) =>
    isObject(meta) && meta.resourceType !== undefined ? { resourceType: meta.resourceType } : undefined;
  let result: Json = resource;

  const requestedNames = parseAttributeList(params.attributes);
  const requested = requestedNames
    .map((name) => toSelector(name, resourceType))
    .filter((selector) => selector !== undefined);
  if (requestedNames.length > 0) {
    const core = requested.filter((selector) => selector.extension === undefined);
    result = selectFrom(resource, core, (key) => always.has(key), matches);
    for (const [key, value] of Object.entries(resource)) {
      const extension = extensionOf(key);
      if (!extension || !isObject(value)) continue;
      const selectors = requested.filter((selector) => selector.extension === extension.id);
      if (selectors.some((selector) => selector.attribute === undefined)) {
        result[key] = value;
        continue;
      }
      const picked = selectFrom(value, selectors, () => false, matches);
      if (Object.keys(picked).length > 0) result[key] = picked;
    }
    const metaKey = Object.keys(resource).find((key) => key.toLowerCase() === "meta");
    const meta = metaKey === undefined ? undefined : withResourceType(resource[metaKey]);
    if (metaKey !== undefined && meta)
      result[metaKey] = { ...meta, ...(isObject(result[metaKey]) ? result[metaKey] : {}) };
  }

  const excluded = parseAttributeList(params.excludedAttributes)
    .map((name) => toSelector(name, resourceType))
    .filter((selector) => selector !== undefined);
  for (const selector of excluded) result = exclude(result, selector, always, matches);
  return result;
}

function excludeFrom(container: Json, selector: Selector, matches: ElementMatcher): Json {
  const result: Json = {};
  for (const [key, value] of Object.entries(container)) {
    if (key.toLowerCase() !== selector.attribute) result[key] = value;
    else if (selector.filter !== undefined && Array.isArray(value)) {
      // Only the elements the filter selects lose the attribute (or the sub-attribute).
      const items = value
        .map((item: unknown) =>
          !matches(selector, key, item) ? item : selector.sub === undefined ? undefined : dropSub(item, selector.sub),
        )
        .filter((item) => item !== undefined);
      if (items.length > 0) result[key] = items;
    } else if (selector.sub !== undefined) result[key] = dropSub(value, selector.sub);
  }
  return result;
}

function exclude(resource: Json, selector: Selector, always: ReadonlySet<string>, matches: ElementMatcher): Json {
  if (selector.extension === undefined) {
    if (selector.attribute === undefined || always.has(selector.attribute)) return resource;
    if (selector.attribute === "meta") {
      // meta.resourceType stays, like `id` (see projectResource).
      if (selector.sub === "resourcetype") return resource;
      return Object.fromEntries(
        Object.entries(resource).map(([key, value]) =>
          key.toLowerCase() !== "meta" || !isObject(value)
            ? [key, value]
            : [
                key,
                selector.sub === undefined
                  ? value.resourceType === undefined
                    ? {}
                    : { resourceType: value.resourceType }
                  : dropSub(value, selector.sub),
              ],
        ),
      );
    }
    return excludeFrom(resource, selector, matches);
  }
  const result: Json = {};
  for (const [key, value] of Object.entries(resource)) {
    if (key.toLowerCase() !== selector.extension.toLowerCase()) {
      result[key] = value;
    } else if (selector.attribute !== undefined && isObject(value)) {
      const remaining = excludeFrom(value, selector, matches);
      if (Object.keys(remaining).length > 0) result[key] = remaining;
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------

export type Paging = { startIndex: number; count: number };

function parseInteger(name: string, raw: string | null | undefined): number | undefined {
  if (raw === null || raw === undefined || raw.trim() === "") return undefined;
  if (!/^[+-]?\d+$/.test(raw.trim())) {
    throw ScimError.badRequest("invalidValue", `'${name}' must be an integer, got ${JSON.stringify(raw)}`);
  }
  return Number.parseInt(raw, 10);
}

/**
 * RFC 7644 §3.4.2.4: `startIndex` is 1-based and values below 1 mean 1; a negative `count` means
 * 0; `count` above the advertised `filter.maxResults` is clamped; no `count` means the default page.
 * A `startIndex` past MAX_START_INDEX is past the end of any team and is treated as that bound, so
 * `startIndex=99999999999999999999` is an empty page, not a number the database cannot hold.
 */
export function parsePaging(params: { startIndex?: string | null; count?: string | null }): Paging {
  const startIndex = parseInteger("startIndex", params.startIndex);
  const count = parseInteger("count", params.count);
  return {
    startIndex: startIndex === undefined || startIndex < 1 ? 1 : Math.min(startIndex, MAX_START_INDEX),
    count: count === undefined ? DEFAULT_PAGE_SIZE : Math.min(Math.max(count, 0), MAX_RESULTS),
  };
}

export type ListResponse<T> = {
  schemas: [typeof LIST_RESPONSE_SCHEMA];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: T[];
};

/**
 * RFC 7644 §3.4.2 ListResponse. A query always answers with one, even when empty (Microsoft's “Develop and plan
 * provisioning for a SCIM endpoint”:
 * Test Connection expects 200 with zero results). Numbers are JSON integers (Microsoft's “Develop and plan provisioning
 * for a SCIM endpoint”).
 */
export function listResponse<T>(resources: T[], page: { totalResults: number; startIndex: number }): ListResponse<T> {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: Math.trunc(page.totalResults),
    startIndex: Math.trunc(page.startIndex),
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
