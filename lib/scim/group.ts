import { z } from "zod";
import { applyPatch, parsePatchRequest } from "./patch";
import { compact, looseObject, multiValued, optionalString, parseWith, renderMeta, requireObject, type ScimResource, trimBaseUrl } from "./payload";
import { GROUP_SCHEMA, groupResourceType } from "./schemas";

/** A member is a SCIM user id; `display` as sent, when sent. */
export type GroupMember = { value: string; display: string | null };

/** Everything a client can write. */
export type GroupFields = { displayName: string; externalId: string | null; members: GroupMember[] };

/**
 * A stored group, as a store hands it back for rendering. `memberNames` (user id -> display name)
 * fills `members[].display` where the client sent none, when the store loaded them.
 */
export type GroupRecord = GroupFields & { id: string; createdAt: Date; updatedAt: Date; version: number; memberNames?: ReadonlyMap<string, string> };

const memberSchema = z.preprocess(
  (item) => (typeof item === "string" ? { value: item } : item),
  // `$ref` arrives as null from Entra (contract A.3 #14) and is derived from `value` on output.
  looseObject({ value: z.string({ error: "must be the member's id" }).min(1, { error: "must be the member's id" }), display: optionalString }),
);

const groupSchema = looseObject({
  // Stored exactly as sent (no trimming): Entra matches groups by the exact displayName it sent.
  displayName: z.string({ error: "is required" }).refine((value) => value.trim() !== "", { error: "is required and cannot be blank" }),
  externalId: optionalString,
  // Entra creates groups without `members` and adds them by PATCH (contract A.3 #10).
  members: multiValued(memberSchema),
});

/**
 * Normalises a POST/PUT Group body (or a patched resource) into `GroupFields`. Accepts Entra's
 * non-standard second schema URN (`…/ADSCIM/2.0/Group`, contract A.3 #10), nulls and unknown
 * attributes. Duplicate members collapse to one. Throws ScimError 400 `invalidValue`.
 */
export function parseGroupPayload(body: unknown): GroupFields {
  const parsed = parseWith(groupSchema, requireObject(body, "Group"));
  const seen = new Set<string>();
  const members = parsed.members.filter((member) => !seen.has(member.value) && seen.add(member.value));
  return { displayName: parsed.displayName, externalId: parsed.externalId, members };
}

/**
 * Renders a stored group. `members` is always present, `[]` when empty (Entra creates groups
 * empty); callers drop it with `excludedAttributes=members`. A member's `display` is the one the
 * client sent, else the member's name (RFC 7643 §4.2), unless `sentDisplayOnly`.
 */
export function renderGroup(record: GroupRecord, baseUrl: string, { sentDisplayOnly = false }: { sentDisplayOnly?: boolean } = {}): ScimResource {
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
export function patchGroup(record: GroupRecord, body: unknown, baseUrl: string): GroupFields {
  return parseGroupPayload(applyPatch(renderGroup(record, baseUrl, { sentDisplayOnly: true }), parsePatchRequest(body), groupResourceType));
}
