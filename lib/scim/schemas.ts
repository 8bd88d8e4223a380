import { describeLimit } from "./limits";
import { trimBaseUrl } from "./payload";

/**
 * Schema definitions (RFC 7643 §2, §4, §8.7) and the discovery documents of RFC 7644 §4:
 * /ServiceProviderConfig, /Schemas, /ResourceTypes. The same definitions drive the PATCH engine
 * and projection, so what we advertise is what we accept.
 */

export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
/** RFC 7643 §4.3: the enterprise extension's URN; its User schema adds `:User`. All lower-case but for the `User`. */
export const ENTERPRISE_EXTENSION_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0";
export const ENTERPRISE_USER_SCHEMA = `${ENTERPRISE_EXTENSION_URN}:User`;
export const LIST_RESPONSE_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const PATCH_OP_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const SERVICE_PROVIDER_CONFIG_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
export const RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
export const SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";

/** Upper bound on resources in one list response (advertised as `filter.maxResults`). */
export const MAX_RESULTS = 200;
/** Page size when the client sends no `count` (RFC 7644 §3.4.2.4 leaves it to the provider). */
export const DEFAULT_PAGE_SIZE = 100;

export type AttributeType = "string" | "boolean" | "decimal" | "integer" | "dateTime" | "reference" | "complex";
export type Mutability = "readOnly" | "readWrite" | "immutable" | "writeOnly";
export type Returned = "always" | "never" | "default" | "request";
export type Uniqueness = "none" | "server" | "global";

/**
 * RFC 7643 §7 attribute definition. Optional members are omitted, never null (Entra rejects nulls, Microsoft's “Develop
 * and plan provisioning for a SCIM endpoint”).
 */
export type AttributeDefinition = {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: Uniqueness;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeDefinition[];
};

export type SchemaDefinition = { id: string; name: string; description: string; attributes: AttributeDefinition[] };

type AttributeOptions = Partial<Omit<AttributeDefinition, "name" | "type" | "description">>;

function attribute(
  name: string,
  type: AttributeType,
  description: string,
  options: AttributeOptions = {},
): AttributeDefinition {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: "readWrite",
    returned: "default",
    uniqueness: "none",
    ...options,
  };
}

const str = (name: string, description: string, options?: AttributeOptions) =>
  attribute(name, "string", description, options);

const typeAttribute = (canonicalValues: string[], what: string) =>
  str("type", `A label indicating the ${what}'s function.`, { canonicalValues });
const primaryAttribute = (what: string) =>
  attribute(
    "primary",
    "boolean",
    `A Boolean value indicating the 'primary' or preferred ${what}. The primary attribute value 'true' MUST appear no more than once.`,
  );

const idAttribute = str("id", "Unique identifier for the SCIM resource as defined by the service provider.", {
  caseExact: true,
  mutability: "readOnly",
  returned: "always",
  uniqueness: "server",
});
// RFC 7643 §3.1 makes externalId a common attribute, but Entra's schema discovery and the Microsoft
// SCIM Validator only count what a schema document describes, and Entra maps externalId on both
// resources: it is listed in the User and Group schemas. Not unique: two resources may share one.
const externalIdAttribute = str(
  "externalId",
  "A String that is an identifier for the resource as defined by the provisioning client.",
  {
    caseExact: true,
  },
);

// RFC 7643 §3.1: `meta` is common to every resource; advertised so projection and PATCH can see it is readOnly.
const metaAttribute = attribute("meta", "complex", "A complex attribute containing resource metadata.", {
  mutability: "readOnly",
  subAttributes: [
    str("resourceType", "The name of the resource type of the resource.", { caseExact: true, mutability: "readOnly" }),
    attribute("created", "dateTime", "The DateTime that the resource was added to the service provider.", {
      mutability: "readOnly",
    }),
    attribute(
      "lastModified",
      "dateTime",
      "The most recent DateTime that the details of this resource were updated at the service provider.",
      {
        mutability: "readOnly",
      },
    ),
    attribute("location", "reference", "The URI of the resource being returned.", {
      caseExact: true,
      mutability: "readOnly",
      referenceTypes: ["uri"],
    }),
    str("version", "The version of the resource: the same value as the weak ETag header (RFC 7644 §3.14).", {
      caseExact: true,
      mutability: "readOnly",
    }),
  ],
});

// Every attribute of Entra's default user mapping plus the rest of the RFC 7643 §4.1 attributes we
// store, and nothing else. Not described, accepted and ignored: password, profileUrl, ims, photos,
// x509Certificates, entitlements (Entra does not provision them; the Microsoft SCIM Validator
// flags attributes a schema describes but the mapping lacks).
export const userSchema: SchemaDefinition = {
  id: USER_SCHEMA,
  name: "User",
  description: "User Account",
  attributes: [
    str(
      "userName",
      "Unique identifier for the User, typically used by the user to directly authenticate to the service provider.",
      {
        required: true,
        uniqueness: "server",
      },
    ),
    externalIdAttribute,
    attribute("name", "complex", "The components of the user's real name.", {
      subAttributes: [
        str(
          "formatted",
          "The full name, including all middle names, titles, and suffixes as appropriate, formatted for display.",
        ),
        str("familyName", "The family name of the User, or last name in most Western languages."),
        str("givenName", "The given name of the User, or first name in most Western languages."),
        str("middleName", "The middle name(s) of the User."),
        str("honorificPrefix", "The honorific prefix(es) of the User, or title in most Western languages."),
        str("honorificSuffix", "The honorific suffix(es) of the User, or suffix in most Western languages."),
      ],
    }),
    str("displayName", "The name of the User, suitable for display to end-users."),
    str("nickName", "The casual way to address the user in real life."),
    str("title", 'The user\'s title, such as "Vice President".'),
    str("userType", "Used to identify the relationship between the organization and the user."),
    str("preferredLanguage", "Indicates the User's preferred written or spoken language, e.g. 'en-US'."),
    str(
      "locale",
      "Used to indicate the User's default location for purposes of localizing items such as currency and date formats.",
    ),
    str("timezone", "The User's time zone in the 'Olson' time zone database format, e.g. 'America/Los_Angeles'."),
    attribute("active", "boolean", "A Boolean value indicating the User's administrative status."),
    attribute("emails", "complex", "Email addresses for the user.", {
      multiValued: true,
      subAttributes: [
        str("value", "Email addresses for the user."),
        str("display", "A human-readable name, primarily used for display purposes."),
        typeAttribute(["work", "home", "other"], "email address"),
        primaryAttribute("mailing address or primary email address"),
      ],
    }),
    attribute("phoneNumbers", "complex", "Phone numbers for the User.", {
      multiValued: true,
      subAttributes: [
        str("value", "Phone number of the User."),
        str("display", "A human-readable name, primarily used for display purposes."),
        typeAttribute(["work", "home", "mobile", "fax", "pager", "other"], "phone number"),
        primaryAttribute("phone number"),
      ],
    }),
    attribute("addresses", "complex", "A physical mailing address for this User.", {
      multiValued: true,
      subAttributes: [
        str("formatted", "The full mailing address, formatted for display or use with a mailing label."),
        str(
          "streetAddress",
          "The full street address component, which may include house number, street name, P.O. box, and multi-line extended street address information.",
        ),
        str("locality", "The city or locality component."),
        str("region", "The state or region component."),
        str("postalCode", "The zip code or postal code component."),
        str("country", "The country name component."),
        typeAttribute(["work", "home", "other"], "address"),
        primaryAttribute("address"),
      ],
    }),
    attribute(
      "roles",
      "complex",
      "A list of roles for the User that collectively represent who the User is, e.g. 'Student', 'Faculty'.",
      {
        multiValued: true,
        subAttributes: [
          str("value", "The value of a role."),
          str("display", "A human-readable name, primarily used for display purposes."),
          str("type", "A label indicating the role's function."),
          primaryAttribute("role"),
        ],
      },
    ),
    attribute(
      "groups",
      "complex",
      "A list of groups to which the user belongs, either through direct membership or through nested groups.",
      {
        multiValued: true,
        mutability: "readOnly",
        subAttributes: [
          str("value", "The identifier of the User's group.", { caseExact: true, mutability: "readOnly" }),
          attribute("$ref", "reference", "The URI of the corresponding 'Group' resource to which the user belongs.", {
            caseExact: true,
            mutability: "readOnly",
            referenceTypes: ["Group"],
          }),
          str("display", "A human-readable name, primarily used for display purposes.", { mutability: "readOnly" }),
          str("type", "A label indicating the attribute's function, e.g. 'direct' or 'indirect'.", {
            mutability: "readOnly",
            canonicalValues: ["direct", "indirect"],
          }),
        ],
      },
    ),
  ],
};

export const enterpriseUserSchema: SchemaDefinition = {
  id: ENTERPRISE_USER_SCHEMA,
  name: "EnterpriseUser",
  description: "Enterprise User",
  attributes: [
    str(
      "employeeNumber",
      "Numeric or alphanumeric identifier assigned to a person, typically based on order of hire or association with an organization.",
    ),
    str("costCenter", "Identifies the name of a cost center."),
    str("organization", "Identifies the name of an organization."),
    str("division", "Identifies the name of a division."),
    str("department", "Identifies the name of a department."),
    attribute("manager", "complex", "The User's manager.", {
      subAttributes: [
        str(
          "value",
          "The id of the SCIM resource representing the User's manager. Kept as sent, also before such a user exists.",
          { caseExact: true },
        ),
        // Derived from `value` on output, so a client cannot set it apart from `value`.
        attribute("$ref", "reference", "The URI of the SCIM resource representing the User's manager.", {
          caseExact: true,
          mutability: "readOnly",
          referenceTypes: ["User"],
        }),
        str("displayName", "The displayName of the User's manager.", { mutability: "readOnly" }),
      ],
    }),
  ],
};

export const groupSchema: SchemaDefinition = {
  id: GROUP_SCHEMA,
  name: "Group",
  description: "Group",
  attributes: [
    // Entra's group matching attribute; unique per team, compared case-insensitively.
    str("displayName", "A human-readable name for the Group.", { required: true, uniqueness: "server" }),
    externalIdAttribute,
    attribute("members", "complex", "A list of members of the Group. Members are Users of the same team.", {
      multiValued: true,
      subAttributes: [
        str("value", "Identifier of the member of this Group.", { caseExact: true, mutability: "immutable" }),
        // Derived from `value` on output.
        attribute("$ref", "reference", "The URI corresponding to a SCIM resource that is a member of this Group.", {
          caseExact: true,
          mutability: "readOnly",
          referenceTypes: ["User"],
        }),
        str(
          "display",
          "A human-readable name, primarily used for display purposes: as sent, otherwise the member's display name.",
        ),
      ],
    }),
  ],
};

/** A resource type with its core schema, extensions and the RFC 7643 §3.1 common attributes. */
export type ResourceTypeDefinition = {
  name: "User" | "Group";
  endpoint: string;
  description: string;
  core: SchemaDefinition;
  extensions: SchemaDefinition[];
  /** `id` and `meta` (RFC 7643 §3.1): part of every resource, not of its schema document. */
  common: AttributeDefinition[];
};

export const userResourceType: ResourceTypeDefinition = {
  name: "User",
  endpoint: "/Users",
  description: "User Account",
  core: userSchema,
  extensions: [enterpriseUserSchema],
  common: [idAttribute, metaAttribute],
};

export const groupResourceType: ResourceTypeDefinition = {
  name: "Group",
  endpoint: "/Groups",
  description: "Group",
  core: groupSchema,
  extensions: [],
  common: [idAttribute, metaAttribute],
};

const attributeIndexes = new WeakMap<readonly AttributeDefinition[], Map<string, AttributeDefinition>>();

/**
 * Finds an attribute definition by name, case-insensitively (RFC 7643 §2.1). Indexed per list: the
 * PATCH engine looks sub-attributes up for every element of a 20,000-value operation.
 */
export function findAttribute(
  attributes: readonly AttributeDefinition[],
  name: string,
): AttributeDefinition | undefined {
  let index = attributeIndexes.get(attributes);
  if (!index) {
    index = new Map();
    for (const candidate of attributes)
      if (!index.has(candidate.name.toLowerCase())) index.set(candidate.name.toLowerCase(), candidate);
    attributeIndexes.set(attributes, index);
  }
  return index.get(name.toLowerCase());
}

/**
 * `caseExact` for a lower-cased full path (`emails.value`, `urn:…:user:manager.value`), for filter
 * evaluation. Unknown paths compare case-insensitively.
 */
export function caseExactLookup(resourceType: ResourceTypeDefinition): (path: string) => boolean {
  const table = new Map<string, boolean>();
  const add = (prefix: string, attributes: readonly AttributeDefinition[]) => {
    for (const definition of attributes) {
      const key = `${prefix}${definition.name}`.toLowerCase();
      table.set(key, definition.caseExact);
      // A complex attribute compared without a sub-attribute compares its `value`.
      const value = definition.subAttributes && findAttribute(definition.subAttributes, "value");
      if (value) table.set(key, value.caseExact);
      for (const sub of definition.subAttributes ?? []) table.set(`${key}.${sub.name}`.toLowerCase(), sub.caseExact);
    }
  };
  add("", [...resourceType.common, ...resourceType.core.attributes]);
  add(`${resourceType.core.id}:`, [...resourceType.common, ...resourceType.core.attributes]);
  for (const extension of resourceType.extensions) add(`${extension.id}:`, extension.attributes);
  return (path) => table.get(path.toLowerCase()) ?? false;
}

// ---------------------------------------------------------------------------------------------
// Discovery documents (RFC 7644 §4). `baseUrl` is the SCIM base, e.g. https://host/api/scim/v2.

export function getServiceProviderConfig(baseUrl: string) {
  const base = trimBaseUrl(baseUrl);
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    documentationUri: "https://datatracker.ietf.org/doc/html/rfc7644",
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    // RFC 7644 §3.4.2.3: sortBy/sortOrder, evaluated in the database.
    sort: { supported: true },
    // RFC 7644 §3.14: weak ETags, meta.version, If-Match on PUT/PATCH/DELETE, If-None-Match on GET.
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "OAuth Bearer Token",
        description:
          "Authentication scheme using the OAuth Bearer Token Standard (the Secret Token issued in the console).",
        specUri: "https://www.rfc-editor.org/info/rfc6750",
        primary: true,
      },
    ],
    meta: { resourceType: "ServiceProviderConfig", location: `${base}/ServiceProviderConfig` },
  };
}

/**
 * An attribute as /Schemas shows it: its description ends with its size limit, when it has one (RFC 7643 §7 leaves
 * `description` free).
 */
function withLimits(schemaName: string, definition: AttributeDefinition, parent = ""): AttributeDefinition {
  const path = parent === "" ? definition.name : `${parent}.${definition.name}`;
  const note = describeLimit(schemaName, path, definition);
  const shown: AttributeDefinition = {
    ...definition,
    description: note === undefined ? definition.description : `${definition.description} ${note}`,
  };
  if (definition.subAttributes)
    shown.subAttributes = definition.subAttributes.map((sub) => withLimits(schemaName, sub, path));
  return shown;
}

export function toSchemaDocument(schema: SchemaDefinition, baseUrl: string) {
  return {
    schemas: [SCHEMA_SCHEMA],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map((definition) => withLimits(schema.name, definition)),
    meta: { resourceType: "Schema", location: `${trimBaseUrl(baseUrl)}/Schemas/${schema.id}` },
  };
}

/**
 * The /Schemas resources: core User, EnterpriseUser, core Group (Microsoft's “Develop and plan provisioning for a SCIM
 * endpoint”).
 */
export function getSchemaDocuments(baseUrl: string) {
  return [userSchema, enterpriseUserSchema, groupSchema].map((schema) => toSchemaDocument(schema, baseUrl));
}

/** /Schemas/{id}; the URN compares case-insensitively. Null when unknown (the route answers 404). */
export function findSchemaDocument(id: string, baseUrl: string) {
  return getSchemaDocuments(baseUrl).find((document) => document.id.toLowerCase() === id.toLowerCase()) ?? null;
}

function toResourceTypeDocument(resourceType: ResourceTypeDefinition, baseUrl: string) {
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: resourceType.name,
    name: resourceType.name,
    endpoint: resourceType.endpoint,
    description: resourceType.description,
    schema: resourceType.core.id,
    schemaExtensions: resourceType.extensions.map((extension) => ({ schema: extension.id, required: false })),
    meta: { resourceType: "ResourceType", location: `${trimBaseUrl(baseUrl)}/ResourceTypes/${resourceType.name}` },
  };
}

/** The /ResourceTypes resources, User first (Microsoft's “Develop and plan provisioning for a SCIM endpoint”). */
export function getResourceTypeDocuments(baseUrl: string) {
  return [userResourceType, groupResourceType].map((resourceType) => toResourceTypeDocument(resourceType, baseUrl));
}

export function findResourceTypeDocument(name: string, baseUrl: string) {
  return getResourceTypeDocuments(baseUrl).find((document) => document.id.toLowerCase() === name.toLowerCase()) ?? null;
}
