import { ScimError } from "./errors";
import type { GroupFields } from "./group";
import { uniquenessKey } from "./store";
import type { UserFields } from "./user";

/**
 * Size limits on what a client can write: generous enough that no real directory reaches them
 * (Entra ID caps a userPrincipalName at 113 characters and a displayName at 256), small enough
 * that every value fits the database's indexes and one request cannot occupy the server. Each is
 * answered with 400 and a detail naming the attribute and the limit. Advertised in the attribute
 * descriptions of /Schemas (RFC 7643 §7 leaves `description` free text) and in the README.
 */
export const SCIM_LIMITS = {
  /** userName, externalId, group displayName, ids: indexed columns. */
  identifierChars: 1024,
  /**
   * The same values in UTF-8 bytes (after lower-casing and NFC for the compared keys): a btree
   * index entry holds at most 2,704 bytes in PostgreSQL, team id included.
   */
  identifierBytes: 2048,
  /** A user's displayName. */
  displayNameChars: 1024,
  /** An email address (RFC 5321 §4.5.3.1: 64 + 1 + 255). */
  emailChars: 320,
  /** Any other string attribute or sub-attribute. */
  stringChars: 4096,
  /** Values of one multi-valued user attribute (emails, phoneNumbers, addresses, roles). */
  valuesPerUserAttribute: 1000,
  /** Operations in one PATCH request. */
  operationsPerPatch: 1000,
  /** Values in one PATCH operation's `value` array. */
  valuesPerOperation: 20_000,
  /** Members in one group create or replace (a PATCH adds at most valuesPerOperation per operation). */
  membersPerGroupRequest: 20_000,
  /**
   * Members one response may carry, across the groups of a page or in one group. Entra never asks
   * for members (it sends excludedAttributes=members); without this a GET of huge groups would
   * load millions of rows on the server's one JavaScript thread.
   */
  membersPerResponse: 50_000,
} as const;

/** RFC 7644 §3.12 `tooMany`: the response would carry more members than `membersPerResponse`. */
export function tooManyMembersToReturn(total: number): ScimError {
  return ScimError.badRequest(
    "tooMany",
    `The requested group(s) have ${total.toLocaleString("en-US")} members, more than the ${SCIM_LIMITS.membersPerResponse.toLocaleString("en-US")} one response returns. Add excludedAttributes=members (as Microsoft Entra ID does), or ask for fewer groups with count.`,
  );
}

/**
 * RFC 7644 §3.4.2.4 paging bounds: `startIndex` above this is treated as this (it is past the end
 * of any team; an unbounded one overflows the database's 64-bit OFFSET).
 */
export const MAX_START_INDEX = 2_147_483_647;

const encoder = new TextEncoder();

/** Length in Unicode code points (what an admin calls characters; a surrogate pair is one). */
function codePoints(value: string): number {
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

function tooLong(label: string, limit: number, unit: string): ScimError {
  return ScimError.badRequest(
    "invalidValue",
    `'${label}' is longer than ${limit.toLocaleString("en-US")} ${unit}, the limit for this attribute`,
  );
}

export function checkLength(label: string, value: string | null | undefined, maxChars: number): void {
  // Code units are never fewer than code points: only count when the cheap check fails.
  if (value === null || value === undefined || value.length <= maxChars) return;
  if (codePoints(value) > maxChars) throw tooLong(label, maxChars, "characters");
}

/** An indexed value: a character limit and a byte limit on the form the index stores. */
export function checkIdentifier(
  label: string,
  value: string | null | undefined,
  indexed: string | null | undefined = value,
): void {
  checkLength(label, value, SCIM_LIMITS.identifierChars);
  if (indexed === null || indexed === undefined || indexed.length * 3 <= SCIM_LIMITS.identifierBytes) return;
  if (encoder.encode(indexed).length > SCIM_LIMITS.identifierBytes)
    throw tooLong(label, SCIM_LIMITS.identifierBytes, "bytes of UTF-8");
}

function checkObjectStrings(
  label: string,
  value: Record<string, unknown> | null,
  limits: Record<string, number> = {},
): void {
  if (value === null) return;
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === "string") checkLength(`${label}.${key}`, item, limits[key] ?? SCIM_LIMITS.stringChars);
  }
}

function checkValues(
  label: string,
  items: readonly Record<string, unknown>[],
  limits: Record<string, number> = {},
): void {
  if (items.length > SCIM_LIMITS.valuesPerUserAttribute) {
    throw ScimError.badRequest(
      "invalidValue",
      `'${label}' has ${items.length} values; at most ${SCIM_LIMITS.valuesPerUserAttribute} are accepted`,
    );
  }
  items.forEach((item, index) => checkObjectStrings(`${label}[${index}]`, item, limits));
}

/**
 * Refuses a normalised user that exceeds SCIM_LIMITS (userName's bytes are counted on its uniqueness key, which the
 * index holds).
 */
export function checkUserLimits(fields: UserFields): void {
  checkIdentifier("userName", fields.userName, uniquenessKey(fields.userName));
  checkIdentifier("externalId", fields.externalId);
  checkIdentifier("manager", fields.managerId);
  checkLength("displayName", fields.displayName, SCIM_LIMITS.displayNameChars);
  for (const key of [
    "nickName",
    "title",
    "userType",
    "preferredLanguage",
    "locale",
    "timezone",
    "employeeNumber",
    "costCenter",
    "organization",
    "division",
    "department",
  ] as const) {
    checkLength(key, fields[key], SCIM_LIMITS.stringChars);
  }
  checkObjectStrings("name", fields.name);
  checkValues("emails", fields.emails, { value: SCIM_LIMITS.emailChars });
  checkValues("phoneNumbers", fields.phoneNumbers);
  checkValues("addresses", fields.addresses);
  checkValues("roles", fields.roles);
}

/** Refuses a group create or replace with more members than SCIM_LIMITS allows in one request. */
export function checkMembersPerRequest(count: number): void {
  if (count > SCIM_LIMITS.membersPerGroupRequest) {
    throw ScimError.badRequest(
      "invalidValue",
      `'members' has ${count.toLocaleString("en-US")} values; at most ${SCIM_LIMITS.membersPerGroupRequest.toLocaleString("en-US")} are accepted per request (add more with PATCH)`,
    );
  }
}

/** Refuses a normalised group whose values exceed SCIM_LIMITS (displayName's bytes counted on its uniqueness key). */
export function checkGroupLimits(fields: GroupFields): void {
  checkIdentifier("displayName", fields.displayName, uniquenessKey(fields.displayName));
  checkIdentifier("externalId", fields.externalId);
  fields.members.forEach((member, index) => {
    checkIdentifier(`members[${index}].value`, member.value);
    checkLength(`members[${index}].display`, member.display, SCIM_LIMITS.stringChars);
  });
}

/** RFC 7644 §3.5.2: refuses a PATCH with more operations, or an operation with more values, than SCIM_LIMITS allows. */
export function checkPatchLimits(operations: readonly unknown[], valueOf: (operation: unknown) => unknown): void {
  if (operations.length > SCIM_LIMITS.operationsPerPatch) {
    throw ScimError.badRequest(
      "invalidValue",
      `The PATCH has ${operations.length.toLocaleString("en-US")} operations; at most ${SCIM_LIMITS.operationsPerPatch.toLocaleString("en-US")} are accepted per request`,
    );
  }
  operations.forEach((operation, index) => {
    const value = valueOf(operation);
    if (Array.isArray(value) && value.length > SCIM_LIMITS.valuesPerOperation) {
      throw ScimError.badRequest(
        "invalidValue",
        `Operations[${index}] has ${value.length.toLocaleString("en-US")} values; at most ${SCIM_LIMITS.valuesPerOperation.toLocaleString("en-US")} are accepted per operation`,
      );
    }
  });
}

const characters = (n: number) => `${n.toLocaleString("en-US")} characters`;

/**
 * What /Schemas says about each limited attribute (appended to its RFC 7643 §7 `description`), by
 * `Schema.attribute[.sub]`.
 */
const LIMIT_NOTES: Record<string, string> = {
  "User.userName": `At most ${characters(SCIM_LIMITS.identifierChars)} (${SCIM_LIMITS.identifierBytes.toLocaleString("en-US")} bytes of UTF-8).`,
  "User.displayName": `At most ${characters(SCIM_LIMITS.displayNameChars)}.`,
  "User.emails": `At most ${SCIM_LIMITS.valuesPerUserAttribute.toLocaleString("en-US")} values.`,
  "User.emails.value": `At most ${characters(SCIM_LIMITS.emailChars)}.`,
  "User.phoneNumbers": `At most ${SCIM_LIMITS.valuesPerUserAttribute.toLocaleString("en-US")} values.`,
  "User.addresses": `At most ${SCIM_LIMITS.valuesPerUserAttribute.toLocaleString("en-US")} values.`,
  "User.roles": `At most ${SCIM_LIMITS.valuesPerUserAttribute.toLocaleString("en-US")} values.`,
  "Group.displayName": `At most ${characters(SCIM_LIMITS.identifierChars)} (${SCIM_LIMITS.identifierBytes.toLocaleString("en-US")} bytes of UTF-8).`,
  "Group.members.value": `At most ${characters(SCIM_LIMITS.identifierChars)}.`,
  "EnterpriseUser.manager.value": `At most ${characters(SCIM_LIMITS.identifierChars)}.`,
  "Group.members": `At most ${SCIM_LIMITS.membersPerGroupRequest.toLocaleString("en-US")} values in one create or replace, and ${SCIM_LIMITS.valuesPerOperation.toLocaleString("en-US")} in one PATCH operation.`,
};

/**
 * The limit note for an attribute, for its /Schemas description: a specific one, or for any other
 * writable string the general limit. Undefined for attributes without a limit.
 */
export function describeLimit(
  schemaName: string,
  path: string,
  attribute: { type: string; mutability: string },
): string | undefined {
  const note = Object.hasOwn(LIMIT_NOTES, `${schemaName}.${path}`) ? LIMIT_NOTES[`${schemaName}.${path}`] : undefined;
  if (note !== undefined) return note;
  if (attribute.type === "string" && attribute.mutability !== "readOnly")
    return `At most ${characters(SCIM_LIMITS.stringChars)}.`;
  return undefined;
}
