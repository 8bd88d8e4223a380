import { z } from "zod";
import { ScimError } from "./errors";
import { isObject, type Json, parseBooleanLike } from "./json";

/** Shared building blocks for normalising incoming SCIM payloads (user.ts, group.ts). */

/** A SCIM resource as sent on the wire. */
export type ScimResource = Record<string, unknown>;

export function requireObject(body: unknown, what: string): Json {
  if (!isObject(body)) throw ScimError.badRequest("invalidSyntax", `The ${what} body must be a JSON object`);
  return body;
}

/**
 * An object schema whose member names match case-insensitively (RFC 7643 §2.1; Entra sends
 * `DisplayName`, `Primary`, “Known issues and resolutions with SCIM 2.0 protocol compliance”). Unknown members are
 * dropped (Microsoft's “Develop and plan provisioning for a SCIM endpoint”).
 */
export function looseObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const names = new Map(Object.keys(shape).map((name) => [name.toLowerCase(), name]));
  return z.preprocess((value) => {
    if (!isObject(value)) return value;
    const renamed: Json = {};
    for (const [key, item] of Object.entries(value)) {
      const name = names.get(key.toLowerCase());
      // The exact spelling wins over a differently-cased duplicate.
      if (name !== undefined && (key === name || !(name in renamed))) renamed[name] = item;
    }
    return renamed;
  }, z.object(shape));
}

/**
 * An optional string: null, absent and "" all mean unassigned (RFC 7643 §2.5, Microsoft's “Develop and plan
 * provisioning for a SCIM endpoint”).
 */
export const optionalString = z
  .preprocess(
    (value) => (value === "" ? null : typeof value === "number" && Number.isFinite(value) ? String(value) : value),
    z.string().nullish(),
  )
  .transform((value) => value ?? null);

/**
 * Entra sends booleans as strings: `"active": "True"`, `"primary": "false"` (“Known issues and resolutions with SCIM
 * 2.0 protocol compliance”).
 */
export const booleanLike = z
  .union(
    [
      z.boolean({ error: "must be true or false" }),
      z.string({ error: "must be true or false" }).regex(/^(true|false)$/i, { error: "must be true or false" }),
    ],
    {
      error: "must be true or false",
    },
  )
  .transform((value) => parseBooleanLike(value) === true);

export const optionalBoolean = z
  .preprocess((value) => (value === "" ? null : value), booleanLike.nullish())
  .transform((value) => value ?? null);

/** A multi-valued attribute: null/absent → [], a single item → [item], null items dropped. */
export function multiValued<Item extends z.ZodType>(item: Item) {
  return z.preprocess(
    (value) =>
      value === null || value === undefined
        ? []
        : (Array.isArray(value) ? (value as unknown[]) : [value]).filter(
            (entry) => entry !== null && entry !== undefined,
          ),
    z.array(item),
  );
}

export function toScimError(error: z.ZodError): ScimError {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? `'${issue.path.join(".")}'` : "the body";
  return ScimError.badRequest("invalidValue", `${where}: ${issue?.message ?? "invalid value"}`);
}

export function parseWith<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw toScimError(parsed.error);
  return parsed.data;
}

/** Drops null/undefined members: unassigned attributes are omitted from responses (RFC 7643 §2.5). */
export function compact<T extends Json>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, item]) => item !== null && item !== undefined),
  ) as Partial<T>;
}

export function trimBaseUrl(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, "");
}

/** RFC 7644 §3.14: the weak entity tag of a resource version, also its `meta.version`. */
export function entityTag(version: number): string {
  return `W/"${version}"`;
}

/** RFC 7643 §3.1 `meta`; Entra requires resourceType, created and lastModified on create. */
export function renderMeta(
  resourceType: "User" | "Group",
  record: { createdAt: Date; updatedAt: Date; version: number },
  location: string,
) {
  return {
    resourceType,
    created: record.createdAt.toISOString(),
    lastModified: record.updatedAt.toISOString(),
    location,
    version: entityTag(record.version),
  };
}
