import { describe, expect, it } from "vitest";
import {
  type AttributeDefinition,
  caseExactLookup,
  DEFAULT_PAGE_SIZE,
  ENTERPRISE_USER_SCHEMA,
  findResourceTypeDocument,
  findSchemaDocument,
  getResourceTypeDocuments,
  getSchemaDocuments,
  getServiceProviderConfig,
  GROUP_SCHEMA,
  MAX_RESULTS,
  USER_SCHEMA,
  userResourceType,
} from "./schemas";

const BASE = "https://console.example.com/api/scim/v2/";

function flatten(attributes: readonly AttributeDefinition[]): string[] {
  return attributes.flatMap((attribute) => [
    attribute.name,
    ...(attribute.subAttributes ?? []).map((sub) => `${attribute.name}.${sub.name}`),
  ]);
}

function containsNull(value: unknown): boolean {
  if (value === null) return true;
  if (Array.isArray(value)) return value.some(containsNull);
  if (typeof value === "object") return Object.values(value).some(containsNull);
  return false;
}

describe("ServiceProviderConfig (RFC 7643 §5)", () => {
  const config = getServiceProviderConfig(BASE);
  it("advertises what the server really does", () => {
    expect(config.patch).toEqual({ supported: true });
    expect(config.filter).toEqual({ supported: true, maxResults: MAX_RESULTS });
    expect(config.sort.supported).toBe(true);
    expect(config.etag.supported).toBe(true);
    expect(config.bulk.supported).toBe(false);
    expect(config.changePassword.supported).toBe(false);
    expect(config.authenticationSchemes.map((scheme) => scheme.type)).toEqual(["oauthbearertoken"]);
    expect(config.meta).toEqual({
      resourceType: "ServiceProviderConfig",
      location: "https://console.example.com/api/scim/v2/ServiceProviderConfig",
    });
  });
  it("has sensible paging constants", () => {
    expect(MAX_RESULTS).toBe(200);
    expect(DEFAULT_PAGE_SIZE).toBe(100);
  });
});

describe("/Schemas (Microsoft's “Develop and plan provisioning for a SCIM endpoint” Schema_Discoverability_Test)", () => {
  const documents = getSchemaDocuments(BASE);

  it("lists core User, EnterpriseUser and Group, with meta.location", () => {
    expect(documents.map((document) => document.id)).toEqual([USER_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA]);
    for (const document of documents) {
      expect(document.meta).toEqual({
        resourceType: "Schema",
        location: `https://console.example.com/api/scim/v2/Schemas/${document.id}`,
      });
    }
    expect(documents[0]?.description).toBe("User Account");
  });

  it("contains no nulls and every attribute has the RFC 7643 §7 characteristics", () => {
    expect(containsNull(documents)).toBe(false);
    const check = (attribute: AttributeDefinition) => {
      for (const key of [
        "name",
        "type",
        "multiValued",
        "description",
        "required",
        "caseExact",
        "mutability",
        "returned",
        "uniqueness",
      ]) {
        expect(attribute).toHaveProperty(key);
      }
      attribute.subAttributes?.forEach(check);
    };
    documents.flatMap((document) => document.attributes).forEach(check);
  });

  it("lists every attribute of Entra's default user mapping (“Customize attribute mappings”), flattened", () => {
    const user = flatten(documents[0]?.attributes ?? []).map((name) => name.toLowerCase());
    const enterprise = flatten(documents[1]?.attributes ?? []).map((name) =>
      `${ENTERPRISE_USER_SCHEMA}:${name}`.toLowerCase(),
    );
    const mapped = [
      "userName",
      "active",
      "displayName",
      "title",
      "emails.value",
      "emails.type",
      "preferredLanguage",
      "name.givenName",
      "name.familyName",
      "name.formatted",
      "addresses.formatted",
      "addresses.streetAddress",
      "addresses.locality",
      "addresses.region",
      "addresses.postalCode",
      "addresses.country",
      "phoneNumbers.value",
      "phoneNumbers.type",
      "roles.value",
    ];
    for (const name of mapped) expect(user).toContain(name.toLowerCase());
    for (const name of ["employeeNumber", "department", "manager"])
      expect(enterprise).toContain(`${ENTERPRISE_USER_SCHEMA}:${name}`.toLowerCase());
    const group = flatten(documents[2]?.attributes ?? []);
    expect(group).toEqual(expect.arrayContaining(["displayName", "members", "members.value"]));
  });

  it("marks userName required and server-unique, groups readOnly, phone types canonical", () => {
    const attributes = documents[0]?.attributes ?? [];
    expect(attributes.find((a) => a.name === "userName")).toMatchObject({
      required: true,
      uniqueness: "server",
      mutability: "readWrite",
    });
    expect(attributes.find((a) => a.name === "groups")).toMatchObject({ mutability: "readOnly", multiValued: true });
    expect(
      attributes.find((a) => a.name === "phoneNumbers")?.subAttributes?.find((s) => s.name === "type")?.canonicalValues,
    ).toEqual(expect.arrayContaining(["work", "mobile", "fax"]));
  });

  it("finds one schema case-insensitively, or null", () => {
    expect(findSchemaDocument(ENTERPRISE_USER_SCHEMA.toUpperCase(), BASE)?.name).toBe("EnterpriseUser");
    expect(findSchemaDocument("urn:nope", BASE)).toBeNull();
  });
});

describe("/ResourceTypes (RFC 7643 §6)", () => {
  it("lists User first with the enterprise extension, then Group", () => {
    const documents = getResourceTypeDocuments(BASE);
    expect(documents.map((document) => [document.id, document.endpoint, document.schema])).toEqual([
      ["User", "/Users", USER_SCHEMA],
      ["Group", "/Groups", GROUP_SCHEMA],
    ]);
    expect(documents[0]?.schemaExtensions).toEqual([{ schema: ENTERPRISE_USER_SCHEMA, required: false }]);
    expect(documents[0]?.meta.location).toBe("https://console.example.com/api/scim/v2/ResourceTypes/User");
    expect(findResourceTypeDocument("group", BASE)?.id).toBe("Group");
    expect(findResourceTypeDocument("Device", BASE)).toBeNull();
  });
});

describe("caseExactLookup", () => {
  const isCaseExact = caseExactLookup(userResourceType);
  it.each([
    ["id", true],
    ["externalid", true],
    ["username", false],
    ["emails.value", false],
    [`${ENTERPRISE_USER_SCHEMA}:manager`.toLowerCase(), true],
    [`${USER_SCHEMA}:id`.toLowerCase(), true],
    ["unknown", false],
  ])("%s → %s", (path, expected) => {
    expect(isCaseExact(path)).toBe(expected);
  });
});
