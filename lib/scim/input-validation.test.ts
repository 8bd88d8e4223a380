import { describe, expect, it } from "vitest";
import { handleScimRequest, type ScimResponse } from "./dispatch";
import type { GroupFields, GroupRecord } from "./group";
import { MAX_START_INDEX, SCIM_LIMITS } from "./limits";
import type { ResourceQuery, ScimStore } from "./store";
import type { UserFields, UserRecord } from "./user";

// Input the database would refuse (RFC 7644 §3.12: a client's mistake is a 400 naming the
// attribute) must be refused before the store is called. The store here records what reached it.

const BASE = "https://console.example.com/api/scim/v2";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const at = new Date("2026-01-01T00:00:00Z");

const user: UserRecord = {
  id: "u1",
  userName: "a@contoso.test",
  externalId: null,
  active: true,
  displayName: null,
  nickName: null,
  title: null,
  userType: null,
  preferredLanguage: null,
  locale: null,
  timezone: null,
  name: null,
  emails: [],
  phoneNumbers: [],
  addresses: [],
  roles: [],
  employeeNumber: null,
  costCenter: null,
  organization: null,
  division: null,
  department: null,
  managerId: null,
  customExtensions: {},
  createdAt: at,
  updatedAt: at,
  version: 1,
};
const group: GroupRecord = {
  id: "g1",
  displayName: "Sales",
  externalId: null,
  members: [],
  createdAt: at,
  updatedAt: at,
  version: 1,
};

function recordingStore() {
  const calls: { method: string; args: unknown[] }[] = [];
  const record = (method: string, args: unknown[]) => void calls.push({ method, args });
  const store: ScimStore = {
    async createUser(...args) {
      record("createUser", args);
      return { ...user, ...args[1] };
    },
    async findUser(...args) {
      record("findUser", args);
      return null;
    },
    async replaceUser(...args) {
      record("replaceUser", args);
      return { ...user, ...args[2] };
    },
    async patchUser(teamId, id, apply) {
      record("patchUser", [teamId, id]);
      return { ...user, ...apply(user) };
    },
    async deleteUser(...args) {
      record("deleteUser", args);
      return false;
    },
    async queryUsers(...args) {
      record("queryUsers", args);
      return { totalResults: 0, resources: [] };
    },
    async createGroup(...args) {
      record("createGroup", args);
      return { ...group, ...args[1] };
    },
    async findGroup(...args) {
      record("findGroup", args);
      return null;
    },
    async replaceGroup(...args) {
      record("replaceGroup", args);
      return { ...group, ...args[2] };
    },
    async patchGroup(teamId, id, apply) {
      record("patchGroup", [teamId, id]);
      return { ...group, ...apply(group) };
    },
    async deleteGroup(...args) {
      record("deleteGroup", args);
      return false;
    },
    async queryGroups(...args) {
      record("queryGroups", args);
      return { totalResults: 0, resources: [] };
    },
  };
  return { store, calls };
}

async function send(method: string, path: string, body?: unknown) {
  const { store, calls } = recordingStore();
  const [pathname, search] = path.split("?");
  const response = await handleScimRequest(
    { method, path: pathname!, query: new URLSearchParams(search ?? ""), body, baseUrl: BASE, teamId: "team-a" },
    store,
  );
  return { response, calls };
}

function expectRefused(
  { response, calls }: { response: ScimResponse; calls: unknown[] },
  scimType: string,
  detail: RegExp,
) {
  expect(response.status, JSON.stringify(response.body)).toBe(400);
  expect(response.body).toMatchObject({ status: "400", scimType, detail: expect.stringMatching(detail) });
  expect(calls, "nothing reaches the store").toEqual([]);
}

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

describe("strings the database cannot store", () => {
  it.each([
    ["NUL", "\u0000"],
    ["a lone high surrogate", "\uD800"],
    ["a lone low surrogate", "\uDC00"],
  ])("refuses %s anywhere in a body, naming the attribute", async (_name, bad) => {
    expectRefused(
      await send("POST", "/Users", { userName: `a${bad}b` }),
      "invalidValue",
      /'userName'.*(NUL|surrogate)/,
    );
    expectRefused(
      await send("POST", "/Users", { userName: "ok", displayName: `x${bad}` }),
      "invalidValue",
      /'displayName'/,
    );
    expectRefused(await send("POST", "/Users", { userName: "ok", externalId: bad }), "invalidValue", /'externalId'/);
    expectRefused(
      await send("POST", "/Users", { userName: "ok", emails: [{ value: `a${bad}@b`, type: "work" }] }),
      "invalidValue",
      /'emails\[0\]\.value'/,
    );
    expectRefused(
      await send("POST", "/Users", { userName: "ok", unknownAttribute: { nested: [bad] } }),
      "invalidValue",
      /'unknownAttribute\.nested\[0\]'/,
    );
    expectRefused(await send("POST", "/Users", { userName: "ok", [`key${bad}`]: 1 }), "invalidValue", /attribute name/);
    expectRefused(await send("PUT", "/Users/u1", { userName: bad }), "invalidValue", /'userName'/);
    expectRefused(
      await send("PATCH", "/Users/u1", patch({ op: "replace", path: "title", value: bad })),
      "invalidValue",
      /'Operations\[0\]\.value'/,
    );
    expectRefused(
      await send("PATCH", "/Groups/g1", patch({ op: "add", path: "members", value: [{ value: `u${bad}` }] })),
      "invalidValue",
      /'Operations\[0\]\.value\[0\]\.value'/,
    );
    expectRefused(await send("POST", "/Groups", { displayName: `G${bad}` }), "invalidValue", /'displayName'/);
  });

  it("refuses them in the id of the path and in query parameters", async () => {
    expectRefused(await send("GET", "/Users/%00"), "invalidValue", /id in the path.*NUL/);
    expectRefused(await send("DELETE", "/Groups/a%00b"), "invalidValue", /id in the path/);
    expectRefused(await send("GET", "/Users?attributes=userName%00"), "invalidValue", /'attributes'/);
  });

  it("refuses them in filters as invalidFilter, whether sent raw or as a JSON escape", async () => {
    expectRefused(
      await send("GET", `/Users?filter=${encodeURIComponent('userName eq "a\u0000"')}`),
      "invalidFilter",
      /filter.*NUL/,
    );
    expectRefused(
      await send("GET", `/Users?filter=${encodeURIComponent('userName eq "a\\u0000"')}`),
      "invalidFilter",
      /NUL/,
    );
    expectRefused(
      await send("GET", `/Users?filter=${encodeURIComponent('displayName eq "\\ud800"')}`),
      "invalidFilter",
      /surrogate/,
    );
    expectRefused(await send("POST", "/Users/.search", { filter: 'userName eq "\u0000"' }), "invalidFilter", /NUL/);
  });

  it("accepts astral characters (valid surrogate pairs) and stores them as sent", async () => {
    const { response, calls } = await send("POST", "/Users", { userName: "emoji😀@contoso.test", displayName: "𝒜da" });
    expect(response.status).toBe(201);
    expect((calls[0]?.args[1] as UserFields).userName).toBe("emoji😀@contoso.test");
  });

  it("refuses nesting deeper than any SCIM resource has, without a stack overflow", async () => {
    let deep: unknown = "x";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expectRefused(await send("POST", "/Users", { userName: "ok", title: deep }), "invalidSyntax", /nests deeper/);
  });
});

describe("length limits", () => {
  const chars = (n: number, c = "a") => c.repeat(n);

  it("accepts values at the limit and refuses one character more, naming the attribute and the limit", async () => {
    expect((await send("POST", "/Users", { userName: chars(SCIM_LIMITS.identifierChars) })).response.status).toBe(201);
    expectRefused(
      await send("POST", "/Users", { userName: chars(SCIM_LIMITS.identifierChars + 1) }),
      "invalidValue",
      /'userName' is longer than 1,024 characters/,
    );
    expectRefused(
      await send("POST", "/Users", { userName: "ok", externalId: chars(1025) }),
      "invalidValue",
      /'externalId'/,
    );
    expectRefused(
      await send("POST", "/Users", { userName: "ok", displayName: chars(1025) }),
      "invalidValue",
      /'displayName'/,
    );
    expectRefused(
      await send("POST", "/Users", { userName: "ok", emails: [{ value: chars(321) }] }),
      "invalidValue",
      /'emails\[0\]\.value' is longer than 320/,
    );
    expectRefused(
      await send("POST", "/Users", { userName: "ok", title: chars(4097) }),
      "invalidValue",
      /'title' is longer than 4,096/,
    );
    expectRefused(
      await send("POST", "/Users", { userName: "ok", name: { givenName: chars(4097) } }),
      "invalidValue",
      /'name\.givenName'/,
    );
    expectRefused(await send("POST", "/Groups", { displayName: chars(1025) }), "invalidValue", /'displayName'/);
    // A PATCH result is checked inside the store's transaction, before anything is saved.
    const patched = await send("PATCH", "/Users/u1", patch({ op: "replace", path: "userName", value: chars(50_000) }));
    expect(patched.response).toMatchObject({
      status: 400,
      body: { scimType: "invalidValue", detail: expect.stringMatching(/'userName' is longer/) },
    });
  });

  it("counts characters as code points and bounds the bytes an index entry holds", async () => {
    // 1,024 astral characters are 1,024 characters but 4,096 bytes: too large for the unique index.
    expect((await send("POST", "/Users", { userName: chars(512, "😀") })).response.status).toBe(201);
    expectRefused(
      await send("POST", "/Users", { userName: chars(1024, "😀") }),
      "invalidValue",
      /'userName' is longer than 2,048 bytes/,
    );
    expectRefused(
      await send("POST", "/Groups", { displayName: chars(700, "ü") + chars(300, "😀") }),
      "invalidValue",
      /'displayName'.*bytes/,
    );
  });

  it("limits the operations of a PATCH, the values of an operation and the members of a group request", async () => {
    const ops = Array.from({ length: SCIM_LIMITS.operationsPerPatch + 1 }, () => ({
      op: "replace",
      path: "title",
      value: "t",
    }));
    expectRefused(
      await send("PATCH", "/Users/u1", { schemas: [PATCH_OP], Operations: ops }),
      "invalidValue",
      /1,001 operations; at most 1,000/,
    );
    const values = Array.from({ length: SCIM_LIMITS.valuesPerOperation + 1 }, (_, i) => ({ value: `u${i}` }));
    expectRefused(
      await send("PATCH", "/Groups/g1", patch({ op: "add", path: "members", value: values })),
      "invalidValue",
      /Operations\[0\] has 20,001 values; at most 20,000/,
    );
    expectRefused(
      await send("POST", "/Groups", { displayName: "Big", members: values }),
      "invalidValue",
      /'members' has 20,001 values/,
    );
  });
});

describe("paging (RFC 7644 §3.4.2.4)", () => {
  it("clamps a startIndex too large for the database and count to the page bounds", async () => {
    const { response, calls } = await send("GET", "/Users?startIndex=99999999999999999999&count=99999999999999999999");
    expect(response.status).toBe(200);
    expect(calls[0]?.args[1] as ResourceQuery).toMatchObject({ startIndex: MAX_START_INDEX, count: 200 });
    expect(response.body).toMatchObject({ startIndex: MAX_START_INDEX, Resources: [] });
    const negative = await send("GET", "/Groups?startIndex=-99999999999999999999&count=-5");
    expect(negative.calls[0]?.args[1] as ResourceQuery).toMatchObject({ startIndex: 1, count: 0 });
  });
});

describe("inherited property names are ordinary unknown attributes", () => {
  // A PATCH path naming an attribute we do not store is ignored like the same key in a body (the
  // other operations still apply); `__proto__` is not even a valid attribute name (invalidPath).
  it.each(["constructor", "__proto__", "toString", "hasOwnProperty"])(
    "%s in a PATCH path or a body is never an attribute",
    async (name) => {
      const { response, calls } = await send(
        "PATCH",
        "/Users/u1",
        patch({ op: "replace", path: name, value: "x" }, { op: "replace", path: "title", value: "t" }),
      );
      if (name === "__proto__") expect(response.body).toMatchObject({ status: "400", scimType: "invalidPath" });
      else {
        expect(response.status).toBe(204);
        expect(calls.map((call) => call.method)).toEqual(["patchUser"]);
      }
      const body = JSON.parse(`{"userName": "ok", "${name}": {"value": "x"}}`) as unknown;
      const created = await send("POST", "/Users", body);
      expect(created.response.status).toBe(201);
      const group = await send(
        "POST",
        "/Groups",
        JSON.parse(`{"displayName": "G", "${name}": "x", "members": [{"value": "u1", "${name}": 1}]}`) as unknown,
      );
      expect(group.response.status).toBe(201);
      expect((group.calls[0]?.args[1] as GroupFields).members).toEqual([{ value: "u1", display: null }]);
    },
  );
});

describe("large member PATCHes (keyed matching)", () => {
  const ids = Array.from({ length: SCIM_LIMITS.valuesPerOperation }, (_, i) => `user-${i}`);
  const big: GroupRecord = {
    ...group,
    members: ids.map((value) => ({ value, display: value === "user-7" ? "Seven" : null })),
  };
  const patchBig = async (body: unknown) => {
    let saved: GroupFields | undefined;
    const { store } = recordingStore();
    store.patchGroup = async (_teamId, _id, apply) => ({ ...big, ...(saved = apply(big)) });
    const response = await handleScimRequest(
      { method: "PATCH", path: "/Groups/g1", query: new URLSearchParams(), body, baseUrl: BASE, teamId: "team-a" },
      store,
    );
    return { response, saved };
  };

  it("adding 20,000 existing members with a type changes nothing and duplicates nothing", async () => {
    const { response, saved } = await patchBig(
      patch({ op: "Add", path: "members", value: ids.map((value) => ({ value, type: "x" })) }),
    );
    expect(response.status).toBe(204);
    expect(saved?.members).toEqual(big.members);
  });

  it("removing 20,000 listed members (legacy dialect, with and without type) empties the group", async () => {
    const half = ids.length / 2;
    const value = ids.map((id, i) => (i < half ? { value: id } : { value: id, type: "x" }));
    const { saved } = await patchBig(patch({ op: "Remove", path: "members", value }));
    // Without `type` a listed value matches on `value`; with one it must match the element, and stored members have no
    // type.
    expect(saved?.members.map((member) => member.value)).toEqual(ids.slice(half));
  });
});

describe("/Schemas advertises the limits", () => {
  it("in the description of each limited attribute", async () => {
    const { response } = await send("GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User");
    type Attribute = { name: string; description: string; subAttributes?: Attribute[] };
    const attributes = (response.body as { attributes: Attribute[] }).attributes;
    const find = (name: string) => attributes.find((attribute) => attribute.name === name)!;
    expect(find("userName").description).toMatch(/At most 1,024 characters \(2,048 bytes of UTF-8\)\.$/);
    expect(find("emails").subAttributes?.find((sub) => sub.name === "value")?.description).toMatch(
      /At most 320 characters\.$/,
    );
    expect(find("title").description).toMatch(/At most 4,096 characters\.$/);
    expect(find("groups").description).not.toMatch(/At most/);
    const groupSchema = (await send("GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group")).response.body as {
      attributes: Attribute[];
    };
    expect(groupSchema.attributes.find((attribute) => attribute.name === "members")?.description).toMatch(
      /20,000 values in one create or replace/,
    );
  });
});
