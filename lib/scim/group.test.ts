import { describe, expect, it } from "vitest";
import { ScimError } from "./errors";
import { parsePatchRequest, type PatchOperation } from "./patch";
import { type GroupRecord, parseGroupPayload, patchGroup, renderGroup } from "./group";

const BASE = "https://console.example.com/api/scim/v2";

describe("parseGroupPayload", () => {
  it("accepts Entra's create-group body with the ADSCIM schema URN and no members", () => {
    expect(
      parseGroupPayload({
        schemas: [
          "urn:ietf:params:scim:schemas:core:2.0:Group",
          "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group",
        ],
        externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
        displayName: "displayName",
        meta: { resourceType: "Group" },
      }),
    ).toEqual({ displayName: "displayName", externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159", members: [] });
  });

  it("accepts members with $ref null, bare ids, capitalised names and duplicates", () => {
    expect(
      parseGroupPayload({
        DisplayName: "G",
        members: [{ $ref: null, value: "u1" }, "u2", { Value: "u1", Display: "Dup" }, null],
      }).members,
    ).toEqual([
      { value: "u1", display: null },
      { value: "u2", display: null },
    ]);
  });

  it.each<[unknown, RegExp]>([
    [{ externalId: "x" }, /'displayName': is required/],
    [{ displayName: "" }, /'displayName': is required/],
    [{ displayName: "G", members: [{ display: "no id" }] }, /'members\.0\.value': must be the member's id/],
  ])("rejects %j with 400 invalidValue", (body, detail) => {
    try {
      parseGroupPayload(body);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ScimError);
      expect((error as ScimError).scimType).toBe("invalidValue");
      expect((error as ScimError).detail).toMatch(detail);
    }
  });
});

const record = (overrides: Partial<GroupRecord> = {}): GroupRecord => ({
  id: "g-1",
  version: 1,
  displayName: "Engineering",
  externalId: "ext-g",
  members: [],
  createdAt: new Date("2026-01-01T00:00:00.000Z"),
  updatedAt: new Date("2026-01-01T00:00:00.000Z"),
  ...overrides,
});

describe("renderGroup", () => {
  it("renders members: [] on create and meta", () => {
    expect(renderGroup(record(), BASE)).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      id: "g-1",
      externalId: "ext-g",
      displayName: "Engineering",
      members: [],
      meta: {
        resourceType: "Group",
        created: "2026-01-01T00:00:00.000Z",
        lastModified: "2026-01-01T00:00:00.000Z",
        location: `${BASE}/Groups/g-1`,
        version: 'W/"1"',
      },
    });
  });

  it("renders member references", () => {
    expect(
      renderGroup(
        record({
          members: [
            { value: "u1", display: "Ann" },
            { value: "u2", display: null },
          ],
        }),
        BASE,
      ).members,
    ).toEqual([
      { value: "u1", $ref: `${BASE}/Users/u1`, display: "Ann" },
      { value: "u2", $ref: `${BASE}/Users/u2` },
    ]);
  });

  it("fills a member's display with their name when none was sent (RFC 7643 §4.2), but never stores it", () => {
    const withNames = record({
      members: [
        { value: "u1", display: "Ann" },
        { value: "u2", display: null },
      ],
      memberNames: new Map([
        ["u1", "Ann B"],
        ["u2", "Bo"],
      ]),
    });
    expect(renderGroup(withNames, BASE).members).toEqual([
      { value: "u1", $ref: `${BASE}/Users/u1`, display: "Ann" },
      { value: "u2", $ref: `${BASE}/Users/u2`, display: "Bo" },
    ]);
    const patched = patchGroup(
      withNames,
      parsePatchRequest({
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "replace", path: "displayName", value: "X" }],
      }),
      BASE,
    );
    expect(patched.members).toEqual([
      { value: "u1", display: "Ann" },
      { value: "u2", display: null },
    ]);
  });
});

describe("patchGroup: Entra's member sequences", () => {
  const body = (...operations: unknown[]) =>
    parsePatchRequest({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: operations });
  const withMembers = record({ members: ["u1", "u2", "u3"].map((value) => ({ value, display: null })) });
  const ids = (fields: { members: { value: string }[] }) => fields.members.map((member) => member.value);

  it.each<[string, PatchOperation[], string[]]>([
    [
      "add several members",
      body({
        op: "Add",
        path: "members",
        value: [
          { $ref: null, value: "u4" },
          { $ref: null, value: "u5" },
        ],
      }),
      ["u1", "u2", "u3", "u4", "u5"],
    ],
    [
      "legacy remove with value array",
      body({ op: "Remove", path: "members", value: [{ $ref: null, value: "u2" }] }),
      ["u1", "u3"],
    ],
    ["flagged remove by filter", body({ op: "remove", path: 'members[value eq "u3"]' }), ["u1", "u2"]],
    ["remove all", body({ op: "remove", path: "members" }), []],
  ])("%s", (_name, patch, expected) => {
    expect(ids(patchGroup(withMembers, patch, BASE))).toEqual(expected);
  });

  it("renames", () => {
    expect(
      patchGroup(withMembers, body({ op: "Replace", path: "displayName", value: "Renamed" }), BASE).displayName,
    ).toBe("Renamed");
  });

  it("removes a member that is not there idempotently (both dialects answer alike)", () => {
    expect(ids(patchGroup(withMembers, body({ op: "remove", path: 'members[value eq "u9"]' }), BASE))).toEqual([
      "u1",
      "u2",
      "u3",
    ]);
    expect(
      ids(patchGroup(withMembers, body({ op: "Remove", path: "members", value: [{ value: "u9" }] }), BASE)),
    ).toEqual(["u1", "u2", "u3"]);
  });
});
