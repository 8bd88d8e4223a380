import type { MemberDetail } from "./get-member";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const CORE_SIMPLE = [
  "displayName",
  "nickName",
  "title",
  "userType",
  "preferredLanguage",
  "locale",
  "timezone",
] as const;
const ENTERPRISE_SIMPLE = ["employeeNumber", "costCenter", "organization", "division", "department"] as const;

export type AttributeRow = { name: string; value: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

/** A multi-valued item (email, phone number, address, role) on one line: its value, then its type and primary flag. */
function describeItem(item: unknown): string {
  if (!isRecord(item)) return text(item);
  const main =
    typeof item.value === "string"
      ? item.value
      : typeof item.formatted === "string"
        ? item.formatted
        : [item.streetAddress, item.locality, item.region, item.postalCode, item.country]
            .filter((part) => typeof part === "string" && part)
            .join(", ") || text(item);
  const notes = [typeof item.type === "string" ? item.type : null, item.primary === true ? "primary" : null].filter(
    Boolean,
  );
  return notes.length > 0 ? `${main} (${notes.join(", ")})` : main;
}

/**
 * The member's provisioned attributes as Entra sent them, one row per attribute, named by their
 * SCIM path (RFC 7643 §4.1 core, §4.3 enterprise extension; custom extensions by their schema URN).
 * Only attributes that were sent appear.
 */
export function memberAttributeRows(
  member: Pick<MemberDetail, "userName" | "externalId" | "active" | "manager" | "scimAttributes">,
): AttributeRow[] {
  const rows: AttributeRow[] = [];
  const stored = member.scimAttributes;
  if (member.userName !== null) rows.push({ name: "userName", value: member.userName });
  if (member.externalId !== null) rows.push({ name: "externalId", value: member.externalId });
  if (member.userName !== null) rows.push({ name: "active", value: String(member.active) });
  if (isRecord(stored.name)) {
    for (const [part, value] of Object.entries(stored.name))
      if (value !== null && value !== undefined && value !== "")
        rows.push({ name: `name.${part}`, value: text(value) });
  }
  for (const key of CORE_SIMPLE)
    if (stored[key] !== null && stored[key] !== undefined) rows.push({ name: key, value: text(stored[key]) });
  for (const key of ["emails", "phoneNumbers", "addresses", "roles"] as const) {
    const items = stored[key];
    if (Array.isArray(items))
      items.forEach((item, index) => rows.push({ name: `${key}[${index}]`, value: describeItem(item) }));
  }
  for (const key of ENTERPRISE_SIMPLE)
    if (stored[key] !== null && stored[key] !== undefined)
      rows.push({ name: `${ENTERPRISE}:${key}`, value: text(stored[key]) });
  if (member.manager !== null) rows.push({ name: `${ENTERPRISE}:manager`, value: member.manager });
  if (isRecord(stored.customExtensions)) {
    for (const [schema, attributes] of Object.entries(stored.customExtensions)) {
      if (!isRecord(attributes)) continue;
      for (const [attribute, value] of Object.entries(attributes))
        rows.push({ name: `${schema}:${attribute}`, value: text(value) });
    }
  }
  return rows;
}
