import { z } from "zod";
import { decodeAppRole } from "./app-roles";
import { collectCustomExtensions, type CustomExtensions } from "./custom-extensions";
import { ScimError } from "./errors";
import { isObject, type Json } from "./json";
import { applyPatch, type PatchOperation } from "./patch";
import {
  booleanLike,
  compact,
  looseObject,
  multiValued,
  optionalBoolean,
  optionalString,
  parseWith,
  renderMeta,
  requireObject,
  type ScimResource,
  trimBaseUrl,
} from "./payload";
import { checkUserLimits } from "./limits";
import { ENTERPRISE_EXTENSION_URN, ENTERPRISE_USER_SCHEMA, USER_SCHEMA, userResourceType } from "./schemas";

// ---------------------------------------------------------------------------------------------
// Domain shape: what a store keeps for a SCIM user. Strings are kept exactly as sent
// (RFC 7643 §2.1: the service keeps what the client sent); null means unassigned.

export type PersonName = {
  formatted: string | null;
  familyName: string | null;
  givenName: string | null;
  middleName: string | null;
  honorificPrefix: string | null;
  honorificSuffix: string | null;
};

export type ContactValue = { value: string; type: string | null; primary: boolean | null; display: string | null };

export type PostalAddress = {
  formatted: string | null;
  streetAddress: string | null;
  locality: string | null;
  region: string | null;
  postalCode: string | null;
  country: string | null;
  type: string | null;
  primary: boolean | null;
};

export type UserRole = { value: string; display: string | null; type: string | null; primary: boolean | null };

/** Everything a client can write. */
export type UserFields = {
  userName: string;
  externalId: string | null;
  active: boolean;
  displayName: string | null;
  nickName: string | null;
  title: string | null;
  userType: string | null;
  preferredLanguage: string | null;
  locale: string | null;
  timezone: string | null;
  name: PersonName | null;
  emails: ContactValue[];
  phoneNumbers: ContactValue[];
  addresses: PostalAddress[];
  roles: UserRole[];
  employeeNumber: string | null;
  costCenter: string | null;
  organization: string | null;
  division: string | null;
  department: string | null;
  /**
   * `manager.value` exactly as sent: our SCIM id of the manager (Entra sends the target id). It may
   * name a user that does not exist (yet); the store resolves it only to a user of the same team.
   */
  managerId: string | null;
  /** Custom extension attributes (`urn:…:extension:<Name>:2.0:User`), as sent. */
  customExtensions: CustomExtensions;
};

/** A stored user, as a store hands it back for rendering. */
export type UserRecord = UserFields & {
  id: string;
  createdAt: Date;
  updatedAt: Date;
  /** Bumped on every write: the weak ETag and `meta.version` (RFC 7644 §3.14). */
  version: number;
  /** The manager's displayName, when the reference names a user of the team. */
  managerDisplayName?: string | null;
  /** What the store decided beside the write, for the provisioning log (e.g. a role change it refused). */
  notices?: string[];
  /** Groups the user is a direct member of (readOnly `groups`, RFC 7643 §4.1.2). */
  groups?: { id: string; displayName: string | null }[];
};

// ---------------------------------------------------------------------------------------------
// Incoming payloads.

const nameSchema = looseObject({
  formatted: optionalString,
  familyName: optionalString,
  givenName: optionalString,
  middleName: optionalString,
  honorificPrefix: optionalString,
  honorificSuffix: optionalString,
});

/** A bare string is the `value` (RFC 7643 §2.4). */
const valueFirst = (item: unknown) => (typeof item === "string" ? { value: item } : item);

const contactSchema = z.preprocess(
  valueFirst,
  looseObject({ value: optionalString, type: optionalString, primary: optionalBoolean, display: optionalString }),
);

const addressSchema = looseObject({
  formatted: optionalString,
  streetAddress: optionalString,
  locality: optionalString,
  region: optionalString,
  postalCode: optionalString,
  country: optionalString,
  type: optionalString,
  primary: optionalBoolean,
});

const roleSchema = z.preprocess(
  decodeAppRole,
  z.object({ value: optionalString, display: optionalString, type: optionalString, primary: optionalBoolean }),
);

/**
 * `manager` as a bare id, `{value}` or `[{value}]` (Microsoft's “Develop and plan provisioning for a SCIM endpoint”).
 */
const managerSchema = z
  .preprocess(
    (raw) => {
      const single: unknown = Array.isArray(raw) ? (raw as unknown[])[0] : raw;
      // `{"value": ""}` clears the manager like "" and null (RFC 7643 §2.5; Entra's "Replace with empty").
      const value: unknown = isObject(single)
        ? (Object.entries(single).find(([key]) => key.toLowerCase() === "value")?.[1] ?? null)
        : single;
      return value === "" ? null : value;
    },
    z.string({ error: "must be the manager's id, {value} or [{value}]" }).nullish(),
  )
  .transform((value) => value ?? null);

const enterpriseSchema = looseObject({
  employeeNumber: optionalString,
  costCenter: optionalString,
  organization: optionalString,
  division: optionalString,
  department: optionalString,
  manager: managerSchema,
});

const userSchema = looseObject({
  // Stored exactly as sent (no trimming): Entra filters on the exact value it sent.
  userName: z
    .string({ error: "is required" })
    .refine((value) => value.trim() !== "", { error: "is required and cannot be blank" }),
  externalId: optionalString,
  active: z
    .preprocess((value) => (value === "" ? null : value), booleanLike.nullish())
    .transform((value) => value ?? true),
  displayName: optionalString,
  nickName: optionalString,
  title: optionalString,
  userType: optionalString,
  preferredLanguage: optionalString,
  locale: optionalString,
  timezone: optionalString,
  name: nameSchema.nullish(),
  emails: multiValued(contactSchema),
  phoneNumbers: multiValued(contactSchema),
  addresses: multiValued(addressSchema),
  roles: multiValued(roleSchema),
});

/**
 * Collects the enterprise extension from `{URN: {...}}`, from flat `URN:attr` keys, and from
 * garbled URNs such as the tutorial's `…enterprise:2.0User` (no colon, Microsoft's “Develop and plan provisioning for a
 * SCIM endpoint”).
 */
function collectEnterprise(body: Json): Json {
  const extension: Json = {};
  for (const [key, value] of Object.entries(body)) {
    if (!key.toLowerCase().startsWith(ENTERPRISE_EXTENSION_URN)) continue;
    const rest = key.slice(ENTERPRISE_EXTENSION_URN.length).replace(/^:?user/i, "");
    if (rest === "" && isObject(value)) Object.assign(extension, value);
    else if (rest.startsWith(":") && rest.length > 1) extension[rest.slice(1)] = value;
  }
  return extension;
}

function hasAnyValue(value: Json): boolean {
  return Object.values(value).some((item) => item !== null);
}

/**
 * RFC 7643 §2.4: `primary: true` appears at most once per attribute. A POST/PUT that marks several
 * keeps the first; PATCH has already made the value it wrote the only primary (patch.ts).
 */
function singlePrimary<T extends { primary: boolean | null }>(items: T[]): T[] {
  let seen = false;
  return items.map((item) => {
    if (item.primary !== true) return item;
    if (!seen) {
      seen = true;
      return item;
    }
    return { ...item, primary: false };
  });
}

/** Roles are one set: the same decoded role (value and type, case-insensitively) is kept once. */
function distinctRoles<T extends { value: string; type: string | null }>(roles: T[]): T[] {
  const seen = new Set<string>();
  return roles.filter((role) => {
    const key = JSON.stringify([role.value.toLowerCase(), role.type?.toLowerCase() ?? null]);
    return !seen.has(key) && seen.add(key) !== undefined;
  });
}

/**
 * Normalises a POST/PUT User body (or a patched resource) into `UserFields`. Tolerates nulls,
 * unknown attributes and unknown schema URNs; `userName` is required (RFC 7643 §4.1.1).
 * Throws ScimError 400 `invalidValue` naming the attribute, also for a value over SCIM_LIMITS.
 */
export function parseUserPayload(body: unknown): UserFields {
  const object = requireObject(body, "User");
  const core = parseWith(userSchema, object);
  const enterprise = parseWith(enterpriseSchema, collectEnterprise(object));
  const name = core.name && hasAnyValue(core.name) ? core.name : null;
  const withValue = <T extends { value: string | null }>(items: T[]) =>
    items.filter((item): item is T & { value: string } => item.value !== null);
  const fields: UserFields = {
    userName: core.userName,
    externalId: core.externalId,
    active: core.active,
    displayName: core.displayName,
    nickName: core.nickName,
    title: core.title,
    userType: core.userType,
    preferredLanguage: core.preferredLanguage,
    locale: core.locale,
    timezone: core.timezone,
    name,
    emails: singlePrimary(withValue(core.emails)),
    phoneNumbers: singlePrimary(withValue(core.phoneNumbers)),
    addresses: singlePrimary(
      core.addresses.filter((address) => hasAnyValue({ ...address, type: null, primary: null })),
    ),
    roles: singlePrimary(distinctRoles(withValue(core.roles))),
    employeeNumber: enterprise.employeeNumber,
    costCenter: enterprise.costCenter,
    organization: enterprise.organization,
    division: enterprise.division,
    department: enterprise.department,
    managerId: enterprise.manager,
    customExtensions: collectCustomExtensions(object),
  };
  checkUserLimits(fields);
  return fields;
}

// ---------------------------------------------------------------------------------------------
// Outgoing resources.

/**
 * Renders a stored user as SCIM JSON: values exactly as stored, unassigned attributes omitted,
 * `meta` with resourceType/created/lastModified/location (Microsoft's “Develop and plan provisioning for a SCIM
 * endpoint”), and `manager` always
 * as the complex `{value, $ref, displayName}` — a bare string makes Entra fail to deserialise the
 * user (Entra sends manager as a bare id; see docs/entra-scim-behaviour.md). `displayName` is included when the store
 * resolved it.
 */
export function renderUser(record: UserRecord, baseUrl: string): ScimResource {
  const base = trimBaseUrl(baseUrl);
  const enterprise = compact({
    employeeNumber: record.employeeNumber,
    costCenter: record.costCenter,
    organization: record.organization,
    division: record.division,
    department: record.department,
    manager:
      record.managerId === null
        ? null
        : compact({
            value: record.managerId,
            $ref: `${base}/Users/${record.managerId}`,
            displayName: record.managerDisplayName ?? null,
          }),
  });
  const hasEnterprise = Object.keys(enterprise).length > 0;
  const customSchemas = Object.keys(record.customExtensions);
  const list = <T extends Json>(items: T[]) => (items.length > 0 ? items.map((item) => compact(item)) : null);
  const resource = compact({
    schemas: [USER_SCHEMA, ...(hasEnterprise ? [ENTERPRISE_USER_SCHEMA] : []), ...customSchemas],
    id: record.id,
    externalId: record.externalId,
    userName: record.userName,
    name: record.name && hasAnyValue(record.name) ? compact(record.name) : null,
    displayName: record.displayName,
    nickName: record.nickName,
    title: record.title,
    userType: record.userType,
    preferredLanguage: record.preferredLanguage,
    locale: record.locale,
    timezone: record.timezone,
    active: record.active,
    emails: list(record.emails),
    phoneNumbers: list(record.phoneNumbers),
    addresses: list(record.addresses),
    roles: list(record.roles),
    groups:
      record.groups && record.groups.length > 0
        ? record.groups.map((group) =>
            compact({
              value: group.id,
              $ref: `${base}/Groups/${group.id}`,
              display: group.displayName,
              type: "direct",
            }),
          )
        : null,
    [ENTERPRISE_USER_SCHEMA]: hasEnterprise ? enterprise : null,
    ...Object.fromEntries(customSchemas.map((schema) => [schema, { ...record.customExtensions[schema] }])),
    meta: renderMeta("User", record, `${base}/Users/${record.id}`),
  });
  return resource;
}

/**
 * PATCH /Users/{id}: renders the stored user, applies the operations atomically and normalises
 * the result back into `UserFields` for the store to save.
 */
/** RFC 7644 §3.5.2: applies PATCH operations (already parsed by `parsePatchRequest`) to a user. */
export function patchUser(record: UserRecord, operations: readonly PatchOperation[], baseUrl: string): UserFields {
  const patched = applyPatch(renderUser(record, baseUrl), operations, userResourceType);
  if (patched.active === undefined) {
    // A cleared `active` would otherwise read back as the create default (true) and re-enable the user.
    throw ScimError.badRequest("invalidValue", "'active' cannot be cleared; send true or false");
  }
  return parseUserPayload(patched);
}
