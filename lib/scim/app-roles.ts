import { isObject, type Json } from "./json";
/**
 * Entra sends a user's app-role assignments in `roles` in three shapes (Microsoft's "Customize
 * attribute mappings" documents the expressions): RFC 7643 §4.1.2 objects (POST, and
 * AssertiveAppRoleAssignmentsComplex replace), objects whose `value` is a JSON-encoded
 * `{"id","value","displayName"}` (AppRoleAssignmentsComplex add/remove), and `displayName` in place
 * of `display`. Every shape is decoded to the role itself before it is compared, stored or removed,
 * so the same role sent twice is stored once and a removal by the value Entra sent matches.
 */

function lowerKeys(object: Json): Map<string, unknown> {
  const map = new Map<string, unknown>();
  // The first spelling wins over a differently-cased duplicate, as everywhere else.
  for (const [key, value] of Object.entries(object)) if (!map.has(key.toLowerCase())) map.set(key.toLowerCase(), value);
  return map;
}

/**
 * The decoded role (`value`, `display`, `type`, `primary` as given); anything that is not a role object is returned
 * unchanged.
 */
export function decodeAppRole(item: unknown): unknown {
  const role = typeof item === "string" ? { value: item } : item;
  if (!isObject(role)) return role;
  const outer = lowerKeys(role);
  let value = outer.get("value");
  let display = outer.get("display") ?? outer.get("displayname");
  if (typeof value === "string" && value.trimStart().startsWith("{")) {
    try {
      const inner: unknown = JSON.parse(value);
      if (isObject(inner)) {
        const fields = lowerKeys(inner);
        // The app role's `value` is what an admin maps; an app role without one is known by its id.
        value = fields.get("value") ?? fields.get("id");
        display ??= fields.get("displayname") ?? fields.get("display");
      }
    } catch {
      // Not JSON after all: a role value that starts with "{" is kept as sent.
    }
  }
  const decoded: Json = {};
  if (value !== undefined) decoded.value = value;
  if (display !== undefined) decoded.display = display;
  if (outer.get("type") !== undefined) decoded.type = outer.get("type");
  if (outer.get("primary") !== undefined) decoded.primary = outer.get("primary");
  return decoded;
}
