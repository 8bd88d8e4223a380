import { z } from "zod";
import { checkGroupLimits } from "./limits";
import { applyPatch, type PatchOperation } from "./patch";
import { ScimError } from "./errors";
import { isObject } from "./json";
import {
  compact,
  looseObject,
  optionalString,
  parseWith,
  renderMeta,
  requireObject,
  type ScimResource,
  trimBaseUrl,
} from "./payload";
import { GROUP_SCHEMA, groupResourceType } from "./schemas";

/** A member is a SCIM user id; `display` as sent, when sent. */
export type GroupMember = { value: string; display: string | null };

/** Everything a client can write. */
export type GroupFields = { displayName: string; externalId: string | null; members: GroupMember[] };

/**
 * A stored group, as a store hands it back for rendering. `memberNames` (user id -> display name)
 * fills `members[].display` where the client sent none, when the store loaded them.
 */
export type GroupRecord = GroupFields & {
  id: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
  memberNames?: ReadonlyMap<string, string>;
};

const groupSchema = looseObject({
  // Stored exactly as sent (no trimming): Entra matches groups by the exact displayName it sent.
  displayName: z
    .string({ error: "is required" })
    .refine((value) => value.trim() !== "", { error: "is required and cannot be blank" }),
  externalId: optionalString,
});

function invalidMember(index: number, attribute: string, problem: string): ScimError {
  return ScimError.badRequest("invalidValue", `'members.${index}${attribute}': ${problem}`);
}

/**
 * `members` (RFC 7643 §4.2): a list of `{value, display}` or bare ids; null/absent is none, null
 * items are dropped. `$ref` arrives as null from Entra (Microsoft's “Develop and plan provisioning for a SCIM
 * endpoint”) and is derived from
 * `value` on output. Written out rather than as a zod schema: a group carries 20,000 of them and
 * this runs on every group PATCH.
 */
function parseMembers(value: unknown): GroupMember[] {
  if (value === null || value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  const members: GroupMember[] = [];
  items.forEach((item, index) => {
    if (item === null || item === undefined) return;
    if (typeof item === "string") {
      if (item === "") throw invalidMember(index, ".value", "must be the member's id");
      members.push({ value: item, display: null });
      return;
    }
    if (!isObject(item)) throw invalidMember(index, "", "must be an object with the member's id as 'value'");
    let memberValue: unknown;
    let display: unknown;
    let exactValue = false;
    let exactDisplay = false;
    // Names are case-insensitive (RFC 7643 §2.1); the exact spelling wins over a differently-cased duplicate.
    for (const key of Object.keys(item)) {
      const lower = key.toLowerCase();
      if (lower === "value" && (key === "value" || !exactValue)) {
        memberValue = item[key];
        exactValue = key === "value";
      } else if (lower === "display" && (key === "display" || !exactDisplay)) {
        display = item[key];
        exactDisplay = key === "display";
      }
    }
    if (typeof memberValue !== "string" || memberValue === "")
      throw invalidMember(index, ".value", "must be the member's id");
    if (typeof display === "number" && Number.isFinite(display)) display = String(display);
    if (display !== undefined && display !== null && typeof display !== "string")
      throw invalidMember(index, ".display", "must be a string");
    members.push({ value: memberValue, display: display === undefined || display === "" ? null : display });
  });
  return members;
}

/**
 * Normalises a POST/PUT Group body (or a patched resource) into `GroupFields`. Accepts Entra's
 * non-standard second schema URN (`…/ADSCIM/2.0/Group`, Microsoft's “Develop and plan provisioning for a SCIM
 * endpoint”), nulls and unknown
 * attributes. Duplicate members collapse to one. Throws ScimError 400 `invalidValue`.
 */
export function parseGroupPayload(body: unknown): GroupFields {
  const object = requireObject(body, "Group");
  const parsed = parseWith(groupSchema, object);
  const membersKey =
    Object.keys(object).find((key) => key === "members") ??
    Object.keys(object).find((key) => key.toLowerCase() === "members");
  const seen = new Set<string>();
  const members = parseMembers(membersKey === undefined ? undefined : object[membersKey]).filter(
    (member) => !seen.has(member.value) && seen.add(member.value),
  );
  const fields = { displayName: parsed.displayName, externalId: parsed.externalId, members };
  checkGroupLimits(fields);
  return fields;
}

/**
 * Renders a stored group. `members` is always present, `[]` when empty (Entra creates groups
 * empty); callers drop it with `excludedAttributes=members`. A member's `display` is the one the
 * client sent, else the member's name (RFC 7643 §4.2), unless `sentDisplayOnly`.
 */
export function renderGroup(
  record: GroupRecord,
  baseUrl: string,
  { sentDisplayOnly = false }: { sentDisplayOnly?: boolean } = {},
): ScimResource {
  const base = trimBaseUrl(baseUrl);
  return compact({
    schemas: [GROUP_SCHEMA],
    id: record.id,
    externalId: record.externalId,
    displayName: record.displayName,
    members: record.members.map((member) =>
      compact({
        value: member.value,
        $ref: `${base}/Users/${member.value}`,
        display: member.display ?? (sentDisplayOnly ? null : (record.memberNames?.get(member.value) ?? null)),
      }),
    ),
    meta: renderMeta("Group", record, `${base}/Groups/${record.id}`),
  });
}

/**
 * PATCH /Groups/{id}: applies the operations atomically and returns the new `GroupFields`. The
 * resource is patched with the displays the client sent only, so a derived display is never stored.
 */
/** RFC 7644 §3.5.2: applies PATCH operations (already parsed by `parsePatchRequest`) to a group. */
export function patchGroup(record: GroupRecord, operations: readonly PatchOperation[], baseUrl: string): GroupFields {
  return parseGroupPayload(
    applyPatch(renderGroup(record, baseUrl, { sentDisplayOnly: true }), operations, groupResourceType),
  );
}
