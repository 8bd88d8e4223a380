/** Small JSON helpers shared by the SCIM core: one definition of each rule. */

export type Json = Record<string, unknown>;

/** A JSON object (not null, not an array). */
export function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * A SCIM boolean (RFC 7643 §2.3.2) as clients really send it: JSON `true`/`false`, or the strings
 * "True"/"False" in any case, as Microsoft Entra ID's default dialect does (“Known issues and
 * resolutions with SCIM 2.0 protocol compliance”). Anything else is not a boolean.
 */
export function parseBooleanLike(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value !== "string") return undefined;
  const lower = value.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  return undefined;
}
