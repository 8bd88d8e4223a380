import { ScimError } from "./errors";

/**
 * Entra's custom extension attributes (Microsoft's "Customize attribute mappings"): single-valued,
 * non-reference, named `urn:ietf:params:scim:schemas:extension:<Name>:2.0:User:<attribute>`, and
 * sent without their schema in `schemas`. They are stored exactly as sent (schema URN and attribute
 * spelling, value) and returned in the object keyed by their schema URN (RFC 7643 §3.3).
 */

export type CustomScalar = string | number | boolean;
/** Schema URN (as first sent) -> attribute name (as first sent) -> value. */
export type CustomExtensions = Record<string, Record<string, CustomScalar>>;

const CUSTOM_USER_EXTENSION = /^urn:ietf:params:scim:schemas:extension:([^:]+):2\.0:User$/i;
const ATTRIBUTE_NAME = /^[A-Za-z$][\w$-]*$/;

/** Bounds what one user can carry (each value is bounded by the request size). */
export const MAX_CUSTOM_ATTRIBUTES = 100;

/** A custom User extension schema URN; the enterprise extension is a schema of its own, not custom. */
export function isCustomUserExtension(urn: string): boolean {
  const match = CUSTOM_USER_EXTENSION.exec(urn);
  return match !== null && match[1]?.toLowerCase() !== "enterprise";
}

/** `URN:attribute` split into its parts, when the URN is a custom User extension. */
export function splitCustomAttributeKey(key: string): { schema: string; attribute: string } | undefined {
  if (!key.toLowerCase().startsWith("urn:")) return undefined;
  const colon = key.lastIndexOf(":");
  const schema = key.slice(0, colon);
  const attribute = key.slice(colon + 1);
  return isCustomUserExtension(schema) && attribute !== "" ? { schema, attribute } : undefined;
}

function findKey(object: Record<string, unknown>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(object).find((key) => key.toLowerCase() === lower);
}

/**
 * Sets (or with null/"" clears, RFC 7643 §2.5) one custom attribute, keeping the first spelling of
 * the schema URN and the latest of the attribute name. A value that is not single-valued is 400.
 */
export function setCustomAttribute(
  extensions: CustomExtensions,
  schema: string,
  attribute: string,
  value: unknown,
  where = "",
): void {
  const label = `${where}'${schema}:${attribute}'`;
  if (!ATTRIBUTE_NAME.test(attribute))
    throw ScimError.badRequest("invalidValue", `${label} is not a valid attribute name`);
  const schemaKey = findKey(extensions, schema) ?? schema;
  const attributes = { ...(extensions[schemaKey] ?? {}) };
  const existing = findKey(attributes, attribute);
  if (existing !== undefined) delete attributes[existing];
  if (value !== null && value !== undefined && value !== "") {
    const scalar =
      typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));
    if (!scalar) {
      throw ScimError.badRequest(
        "invalidValue",
        `${label}: custom extension attributes are single-valued strings, numbers or booleans, got ${JSON.stringify(value)}`,
      );
    }
    attributes[attribute] = value;
  }
  if (Object.keys(attributes).length > 0) extensions[schemaKey] = attributes;
  else delete extensions[schemaKey];
  const count = Object.values(extensions).reduce((total, object) => total + Object.keys(object).length, 0);
  if (count > MAX_CUSTOM_ATTRIBUTES) {
    throw ScimError.badRequest(
      "invalidValue",
      `A user can carry at most ${MAX_CUSTOM_ATTRIBUTES} custom extension attributes`,
    );
  }
}

/**
 * Collects the custom extension attributes of a User body: `{URN: {attr: value}}` objects and flat
 * `URN:attr` keys (Entra sends both shapes).
 */
export function collectCustomExtensions(body: Record<string, unknown>): CustomExtensions {
  const extensions: CustomExtensions = {};
  for (const [key, value] of Object.entries(body)) {
    if (isCustomUserExtension(key)) {
      if (value === null || value === undefined) continue;
      if (typeof value !== "object" || Array.isArray(value)) {
        throw ScimError.badRequest("invalidValue", `'${key}' must be an object of single-valued attributes`);
      }
      for (const [attribute, item] of Object.entries(value)) setCustomAttribute(extensions, key, attribute, item);
      continue;
    }
    const split = splitCustomAttributeKey(key);
    if (split) setCustomAttribute(extensions, split.schema, split.attribute, value);
  }
  return extensions;
}
