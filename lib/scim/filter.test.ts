import { describe, expect, it } from "vitest";
import { ScimError } from "./errors";
import { type Filter, matchesFilter, parseFilter, parsePatchPath } from "./filter";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

const eq = (
  attribute: string,
  value: string | number | boolean | null,
  extra: Record<string, unknown> = {},
): Filter => ({ kind: "compare", path: { attribute }, op: "eq", value, ...extra });

describe("parseFilter: every filter Entra sends (Microsoft's “Develop and plan provisioning for a SCIM endpoint”)", () => {
  const cases: Array<[string, string, Filter]> = [
    [
      "Test Connection probe on userName with a random GUID",
      'userName eq "cf4d78e8-0c0b-4a4e-9f35-3c8e2a7d9b11"',
      eq("userName", "cf4d78e8-0c0b-4a4e-9f35-3c8e2a7d9b11"),
    ],
    [
      "group probe on displayName",
      'displayName eq "7d3f0c52-4b7f-4a51-8a0c-1f2e3d4c5b6a"',
      eq("displayName", "7d3f0c52-4b7f-4a51-8a0c-1f2e3d4c5b6a"),
    ],
    [
      "user query by userName",
      'userName eq "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee"',
      eq("userName", "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee"),
    ],
    ["zero-result query with spaces", 'userName eq "non-existent user"', eq("userName", "non-existent user")],
    ["group query by displayName", 'displayName eq "displayName"', eq("displayName", "displayName")],
    ["legacy unquoted externalId", "externalId eq jyoung", eq("externalId", "jyoung", { rawValue: "jyoung" })],
    [
      "quoted externalId with objectId (C.6)",
      'externalId eq "5f6a1c3e-3f7b-4d6f-8a8e-0d2c9b7e6f51"',
      eq("externalId", "5f6a1c3e-3f7b-4d6f-8a8e-0d2c9b7e6f51"),
    ],
    [
      "legacy reference check with unquoted values",
      "id eq 4a1b and manager eq 9f2c",
      { kind: "and", left: eq("id", "4a1b", { rawValue: "4a1b" }), right: eq("manager", "9f2c", { rawValue: "9f2c" }) },
    ],
    [
      "membership check",
      'id eq "g1" and members eq "u1"',
      { kind: "and", left: eq("id", "g1"), right: eq("members", "u1") },
    ],
    [
      "matching on the work email",
      'emails[type eq "work"].value eq "a@contoso.com"',
      {
        kind: "valuePath",
        path: { attribute: "emails" },
        filter: { kind: "and", left: eq("type", "work"), right: eq("value", "a@contoso.com") },
      },
    ],
    [
      "enterprise manager by full URN",
      `${ENTERPRISE}:manager eq "m1"`,
      { kind: "compare", path: { schema: ENTERPRISE, attribute: "manager" }, op: "eq", value: "m1" },
    ],
  ];
  it.each(cases)("%s", (_name, input, expected) => {
    expect(parseFilter(input)).toEqual(expected);
  });
});

describe("parseFilter: RFC 7644 §3.4.2.2 grammar", () => {
  const cases: Array<[string, Filter]> = [
    ['title ne "x"', { kind: "compare", path: { attribute: "title" }, op: "ne", value: "x" }],
    ['userName co "jen"', { kind: "compare", path: { attribute: "userName" }, op: "co", value: "jen" }],
    ['userName sw "J"', { kind: "compare", path: { attribute: "userName" }, op: "sw", value: "J" }],
    ['userName ew "@x.com"', { kind: "compare", path: { attribute: "userName" }, op: "ew", value: "@x.com" }],
    ["title pr", { kind: "present", path: { attribute: "title" } }],
    [
      'meta.lastModified gt "2011-05-13T04:42:34Z"',
      {
        kind: "compare",
        path: { attribute: "meta", subAttribute: "lastModified" },
        op: "gt",
        value: "2011-05-13T04:42:34Z",
      },
    ],
    [
      "meta.version ge 2",
      { kind: "compare", path: { attribute: "meta", subAttribute: "version" }, op: "ge", value: 2, rawValue: "2" },
    ],
    ["x lt -1.5e3", { kind: "compare", path: { attribute: "x" }, op: "lt", value: -1500, rawValue: "-1.5e3" }],
    ["x le 0", { kind: "compare", path: { attribute: "x" }, op: "le", value: 0, rawValue: "0" }],
    ["active eq true", eq("active", true)],
    ["active eq false", eq("active", false)],
    ["title eq null", eq("title", null)],
    ['USERNAME EQ "a"', { kind: "compare", path: { attribute: "USERNAME" }, op: "eq", value: "a" }],
    ['userName eq "a\\"b\\\\c\\u0041\\n"', eq("userName", 'a"b\\cA\n')],
    ['userName eq "with [brackets] (and parens)"', eq("userName", "with [brackets] (and parens)")],
    [
      'userName eq "a" or userName eq "b" and active eq true',
      {
        kind: "or",
        left: eq("userName", "a"),
        right: { kind: "and", left: eq("userName", "b"), right: eq("active", true) },
      },
    ],
    [
      '(userName eq "a" or userName eq "b") and active eq true',
      {
        kind: "and",
        left: { kind: "or", left: eq("userName", "a"), right: eq("userName", "b") },
        right: eq("active", true),
      },
    ],
    [
      'a eq "1" and b eq "2" and c eq "3"',
      { kind: "and", left: { kind: "and", left: eq("a", "1"), right: eq("b", "2") }, right: eq("c", "3") },
    ],
    [
      'not (userName eq "x") and title pr',
      {
        kind: "and",
        left: { kind: "not", filter: eq("userName", "x") },
        right: { kind: "present", path: { attribute: "title" } },
      },
    ],
    ['NOT(userName eq "x")', { kind: "not", filter: eq("userName", "x") }],
    [
      'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp"]',
      {
        kind: "or",
        left: {
          kind: "valuePath",
          path: { attribute: "emails" },
          filter: {
            kind: "and",
            left: eq("type", "work"),
            right: { kind: "compare", path: { attribute: "value" }, op: "co", value: "@example.com" },
          },
        },
        right: { kind: "valuePath", path: { attribute: "ims" }, filter: eq("type", "xmpp") },
      },
    ],
    ['members[value eq "x"]', { kind: "valuePath", path: { attribute: "members" }, filter: eq("value", "x") }],
    [
      'emails[not (type eq "work")]',
      { kind: "valuePath", path: { attribute: "emails" }, filter: { kind: "not", filter: eq("type", "work") } },
    ],
    [
      'urn:ietf:params:scim:schemas:core:2.0:User:name.givenName eq "A"',
      {
        kind: "compare",
        path: { schema: "urn:ietf:params:scim:schemas:core:2.0:User", attribute: "name", subAttribute: "givenName" },
        op: "eq",
        value: "A",
      },
    ],
    [
      `${ENTERPRISE}:manager.value eq "m1"`,
      {
        kind: "compare",
        path: { schema: ENTERPRISE, attribute: "manager", subAttribute: "value" },
        op: "eq",
        value: "m1",
      },
    ],
    ['  userName   eq   "a"  ', eq("userName", "a")],
  ];
  it.each(cases)("%s", (input, expected) => {
    expect(parseFilter(input)).toEqual(expected);
  });
});

describe("parseFilter: invalid filters are 400 invalidFilter naming the problem", () => {
  const cases: Array<[string, RegExp]> = [
    ["", /empty/],
    ["userName", /character 9: expected an operator .* found end of input/],
    ["userName eq", /character 12: expected a value after 'eq'/],
    ['userName xx "a"', /character 10: unknown operator 'xx'/],
    ['userName eq "a" and', /expected an attribute expression, found end of input/],
    ['userName eq "a" userName eq "b"', /character 17: unexpected 'userName'; expected 'and', 'or'/],
    ['(userName eq "a"', /expected '\)' to close '\('/],
    ['userName eq "a")', /unexpected '\)'/],
    ['userName eq "abc', /character 13: unterminated string/],
    ['userName eq "a\\q"', /invalid escape sequence/],
    ['not userName eq "a"', /expected '\(' after 'not'/],
    ['emails[type eq "work"', /expected '\]' to close the value filter/],
    ['emails[members[value eq "x"]]', /cannot be nested/],
    ['emails[urn:x:y:type eq "x"]', /schema URN is not allowed inside a value filter/],
    ['name.givenName.x eq "a"', /more than one sub-attribute level/],
    ['9lives eq "a"', /'9lives' is not a valid attribute name/],
    ['urn:ietf:params:scim:schemas:core:2.0:User: eq "a"', /expected an attribute name after the schema URN/],
    ["userName eq and", /expected a value after 'eq', found 'and'/],
    ['and eq "x"', /expected an attribute name, found 'and'/],
    ['"userName" eq "x"', /expected an attribute name, found "userName"/],
    [`${"(".repeat(40)}a pr${")".repeat(40)}`, /nesting deeper than 32/],
    [`userName eq "${"a".repeat(5000)}"`, /longer than 4096/],
  ];
  it.each(cases)("%j", (input, detail) => {
    let error: unknown;
    try {
      parseFilter(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ScimError);
    const scimError = error as ScimError;
    expect(scimError.status).toBe(400);
    expect(scimError.scimType).toBe("invalidFilter");
    expect(scimError.detail).toMatch(detail);
  });
});

describe("parsePatchPath (RFC 7644 §3.5.2 PATH)", () => {
  it.each([
    ["userName", { path: { attribute: "userName" } }],
    ["name.familyName", { path: { attribute: "name", subAttribute: "familyName" } }],
    [`${ENTERPRISE}:employeeNumber`, { path: { schema: ENTERPRISE, attribute: "employeeNumber" } }],
    [
      'emails[type eq "work"].value',
      { path: { attribute: "emails" }, filter: eq("type", "work"), subAttribute: "value" },
    ],
    [
      'addresses[type eq "other"].Formatted',
      { path: { attribute: "addresses" }, filter: eq("type", "other"), subAttribute: "Formatted" },
    ],
    ['members[value eq "2819c223"]', { path: { attribute: "members" }, filter: eq("value", "2819c223") }],
    [
      "members[value eq 2819c223]",
      { path: { attribute: "members" }, filter: eq("value", "2819c223", { rawValue: "2819c223" }) },
    ],
    [
      'roles[primary eq "True"].value',
      { path: { attribute: "roles" }, filter: eq("primary", "True"), subAttribute: "value" },
    ],
  ])("%s", (input, expected) => {
    expect(parsePatchPath(input)).toEqual(expected);
  });

  it.each([
    ["", /empty/],
    ['emails[type eq "work"] .value', /only '.subAttribute' may follow/],
    ['emails[type eq "work"].value.x', /not a valid sub-attribute name/],
    ['name.givenName[type eq "x"]', /must follow the multi-valued attribute itself/],
    ["userName extra", /unexpected 'extra'/],
  ])("rejects %j with invalidPath", (input, detail) => {
    expect(() => parsePatchPath(input)).toThrow(detail);
    try {
      parsePatchPath(input);
    } catch (error) {
      expect((error as ScimError).scimType).toBe("invalidPath");
    }
  });
});

describe("matchesFilter", () => {
  const user = {
    id: "2819c223",
    userName: "Bjensen@Example.com",
    externalId: "jyoung",
    active: true,
    title: "",
    name: { givenName: "Barbara", familyName: "Jensen" },
    emails: [
      { type: "work", value: "bjensen@example.com", primary: true },
      { type: "home", value: "babs@jensen.org" },
    ],
    roles: [{ value: "Admin", primary: "false" }],
    meta: { lastModified: "2026-03-01T10:00:00Z" },
    [ENTERPRISE]: { manager: { value: "m1" }, department: "Sales" },
    members: [{ value: "u1" }, { value: "u2" }],
  };
  const isCaseExact = (path: string) => path === "id" || path === "externalid";

  it.each([
    ['userName eq "bjensen@example.com"', true],
    ['UserName EQ "BJENSEN@EXAMPLE.COM"', true],
    ["externalId eq jyoung", true],
    ["externalId eq JYOUNG", false],
    ['id eq "2819C223"', false],
    ['userName ne "x"', true],
    ['userName sw "bjen"', true],
    ['userName ew ".COM"', true],
    ['userName co "@exa"', true],
    ["active eq true", true],
    ['active eq "True"', true],
    ["active eq false", false],
    ["title pr", false],
    ["title eq null", true],
    ["nickName eq null", true],
    ["nickName ne null", false],
    ["userName ne null", true],
    ["name.givenName pr", true],
    ['name.givenName eq "barbara"', true],
    ['emails[type eq "work"].value eq "bjensen@example.com"', true],
    // Both conditions must hold on the same element.
    ['emails[type eq "work"].value eq "babs@jensen.org"', false],
    ['emails[type eq "home" and value co "jensen"]', true],
    ['emails.value eq "babs@jensen.org"', true],
    ['emails ne "babs@jensen.org"', false],
    ['roles[primary eq "False"].value eq "Admin"', true],
    ['meta.lastModified gt "2026-02-28T23:59:59+01:00"', true],
    ['meta.lastModified lt "2026-03-01T09:00:00Z"', false],
    [`${ENTERPRISE}:manager eq "m1"`, true],
    ["id eq 2819c223 and manager eq m1", true],
    ["manager eq m2", false],
    [`${ENTERPRISE}:department eq "sales"`, true],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName sw "B"', true],
    ['id eq "2819c223" and members eq "u2"', true],
    ['id eq "2819c223" and members eq "u3"', false],
    ['not (members eq "u3")', true],
    ['userName eq "nobody" or (active eq true and title eq "")', true],
  ])("%s → %s", (input, expected) => {
    expect(matchesFilter(parseFilter(input), user, { isCaseExact })).toBe(expected);
  });
});
