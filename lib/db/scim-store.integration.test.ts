import { beforeAll, describe, expect, it } from "vitest";
import { createSession, findActiveSession } from "../auth/sessions";
import { handleScimRequest, type ScimResponse } from "../scim/dispatch";
import { matchesFilter, parseFilter } from "../scim/filter";
import { caseExactLookup, groupResourceType, userResourceType } from "../scim/schemas";
import type { ScimStore } from "../scim/store";
import { saveRoleMapping } from "../provisioning/role-mapping";
import { createTeam } from "../teams/create-team";
import { useFreshStore } from "../../test/support/test-database";
import { getDb, getStore } from "./index";
import type { PrismaClient } from "./generated/client";
import { createScimStore, scimStoreOf } from "./scim-store";

// The dispatcher on the real Prisma store: PGlite by default, PostgreSQL with TEST_DATABASE_URL
// (.ci/with-postgres.sh). Each test seeds its own teams.

const BASE = "https://console.example.com/api/scim/v2";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

let prisma: PrismaClient;
let store: ScimStore;

useFreshStore();
beforeAll(async () => {
  prisma = await getDb();
  store = scimStoreOf(await getStore());
});

type Body = Record<string, unknown>;
type List = { totalResults: number; Resources: Body[] };

const unique = () => Math.random().toString(36).slice(2, 10);

async function newTeam() {
  const { teamId, adminUserId } = await createTeam({
    teamName: "Contoso",
    adminName: "Ada Admin",
    email: `admin-${unique()}@example.com`,
    password: "Sturdy-Passw0rd",
  });
  return { teamId, adminUserId };
}

function client(teamId: string) {
  const send = (method: string, path: string, body?: unknown): Promise<ScimResponse> => {
    const [pathname = "", search = ""] = path.split("?");
    return handleScimRequest(
      { method, path: pathname, query: new URLSearchParams(search), body, baseUrl: BASE, teamId },
      store,
    );
  };
  const ok = async (method: string, path: string, body?: unknown, status = 200) => {
    const response = await send(method, path, body);
    if (response.status !== status)
      throw new Error(
        `${method} ${path}: expected ${status}, got ${response.status} ${JSON.stringify(response.body)}; cause ${String(response.cause)}`,
      );
    return response;
  };
  return {
    send,
    ok,
    async createUser(userName: string, extra: Body = {}) {
      const body = {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
        externalId: `ext-${userName}`,
        userName,
        active: true,
        emails: [{ primary: true, type: "work", value: userName }],
        name: { formatted: "Test User", familyName: "User", givenName: "Test" },
        ...extra,
      };
      return ((await ok("POST", "/Users", body, 201)).body as Body).id as string;
    },
    async createGroup(displayName: string, members: string[] = []) {
      const body = {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        displayName,
        externalId: `ext-${displayName}`,
        members: members.map((value) => ({ value })),
      };
      return ((await ok("POST", "/Groups", body, 201)).body as Body).id as string;
    },
    async list(path: string) {
      return (await ok("GET", path)).body as List;
    },
  };
}

/** The Prisma client, recording the name of every method called on it into `ormCalls`. */
function recordingOrmCalls(ormCalls: string[]): PrismaClient {
  return new Proxy(prisma, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        ormCalls.push(String(property));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });
const q = (filter: string) => encodeURIComponent(filter);
const ids = (list: List) => list.Resources.map((resource) => resource.id as string).sort();

describe(`SCIM store on ${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"}`, () => {
  it("runs Entra's full user and group sequence (Microsoft's “Develop and plan provisioning for a SCIM endpoint”)", async () => {
    const { teamId } = await newTeam();
    const scim = client(teamId);
    expect(await scim.list(`/Users?filter=${q('userName eq "cf4d78e8-9f1a-4b3e-8c2d-1a2b3c4d5e6f"')}`)).toMatchObject({
      totalResults: 0,
      Resources: [],
      startIndex: 1,
    });
    expect(
      await scim.list(`/Groups?excludedAttributes=members&filter=${q('displayName eq "44ab1c5c-2d1e-4f0a-9b8c"')}`),
    ).toMatchObject({ totalResults: 0 });

    const userName = "Test_User_ab6490ee@testuser.com";
    const created = await scim.ok(
      "POST",
      "/Users",
      {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
        externalId: "0A21F0F2-8D2A-4F8E-BF98-7363C4AED4EF",
        userName,
        active: "True",
        emails: [{ primary: true, type: "work", value: "Test_User@testuser.com" }],
        meta: { resourceType: "User" },
        name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
        roles: [],
        [ENTERPRISE]: { department: "Finance", employeeNumber: "0042" },
        phoneNumbers: [{ type: "work", value: "+1 (425) 555-0100" }],
      },
      201,
    );
    const id = (created.body as Body).id as string;
    expect(created.headers?.Location).toBe(`${BASE}/Users/${id}`);
    expect(created.body).toMatchObject({
      id,
      userName,
      active: true,
      externalId: "0A21F0F2-8D2A-4F8E-BF98-7363C4AED4EF",
      phoneNumbers: [{ type: "work", value: "+1 (425) 555-0100" }],
      [ENTERPRISE]: { department: "Finance", employeeNumber: "0042" },
      meta: { resourceType: "User", location: `${BASE}/Users/${id}` },
    });
    // The console's own columns follow the SCIM attributes; entraObjectId follows a GUID externalId.
    expect(
      await prisma.user.findUniqueOrThrow({
        where: { id },
        select: { name: true, email: true, entraObjectId: true, teamId: true },
      }),
    ).toEqual({
      name: "givenName familyName",
      email: "Test_User@testuser.com",
      entraObjectId: "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
      teamId,
    });

    expect(ids(await scim.list(`/Users?filter=${q(`userName eq "${userName.toUpperCase()}"`)}`))).toEqual([id]);
    expect(ids(await scim.list(`/Users?filter=${q('externalId eq "0A21F0F2-8D2A-4F8E-BF98-7363C4AED4EF"')}`))).toEqual([
      id,
    ]);
    expect((await scim.ok("GET", `/Users/${id}`)).body).toMatchObject({ id, userName });

    await scim.ok(
      "PATCH",
      `/Users/${id}`,
      patch(
        { op: "Replace", path: 'emails[type eq "work"].value', value: "updated@testuser.com" },
        { op: "Replace", path: "name.familyName", value: "updatedFamilyName" },
        { op: "Replace", path: "externalId", value: "1b32a1a3-9e3b-4f9f-8fa9-8474d5bfe5f0" },
      ),
      204,
    );
    expect(
      ids(await scim.list(`/Users?filter=${q('emails[type eq "work"].value eq "UPDATED@testuser.com"')}`)),
    ).toEqual([id]);
    expect((await prisma.user.findUniqueOrThrow({ where: { id } })).entraObjectId).toBe(
      "1b32a1a3-9e3b-4f9f-8fa9-8474d5bfe5f0",
    );

    const disabled = await scim.ok(
      "PATCH",
      `/Users/${id}`,
      patch({ op: "Replace", path: "active", value: "False" }),
      204,
    );
    expect(disabled.operation).toBe("Disable user");
    expect((await scim.ok("GET", `/Users/${id}`)).body).toMatchObject({
      active: false,
      name: { familyName: "updatedFamilyName" },
    });
    expect(
      (await scim.ok("PATCH", `/Users/${id}`, patch({ op: "replace", path: "active", value: true }), 204)).operation,
    ).toBe("Enable user");

    const group = await scim.ok(
      "POST",
      "/Groups",
      {
        schemas: [
          "urn:ietf:params:scim:schemas:core:2.0:Group",
          "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group",
        ],
        externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
        displayName: "Sales",
        meta: { resourceType: "Group" },
      },
      201,
    );
    const groupId = (group.body as Body).id as string;
    expect(group.body).toMatchObject({ displayName: "Sales", members: [] });
    expect(ids(await scim.list(`/Groups?excludedAttributes=members&filter=${q('displayName eq "sales"')}`))).toEqual([
      groupId,
    ]);
    const other = await scim.createUser(`other-${unique()}@contoso.com`);
    expect(
      (
        await scim.ok(
          "PATCH",
          `/Groups/${groupId}`,
          patch({
            op: "Add",
            path: "members",
            value: [
              { $ref: null, value: id },
              { $ref: null, value: other },
            ],
          }),
          204,
        )
      ).operation,
    ).toBe("Add members");
    expect(
      ids(await scim.list(`/Groups?filter=${q(`id eq "${groupId}" and members eq "${id}"`)}&attributes=id`)),
    ).toEqual([groupId]);
    await scim.ok(
      "PATCH",
      `/Groups/${groupId}`,
      patch({ op: "Remove", path: "members", value: [{ $ref: null, value: id }] }),
      204,
    );
    expect(
      ((await scim.ok("GET", `/Groups/${groupId}`)).body as { members: Body[] }).members.map((member) => member.value),
    ).toEqual([other]);
    expect(
      ids(await scim.list(`/Groups?filter=${q(`id eq "${groupId}" and members eq "${id}"`)}&attributes=id`)),
    ).toEqual([]);
    await scim.ok(
      "PATCH",
      `/Groups/${groupId}`,
      patch({ op: "Replace", path: "displayName", value: "Sales EMEA" }),
      204,
    );
    expect((await scim.ok("GET", `/Groups/${groupId}?excludedAttributes=members`)).body).not.toHaveProperty("members");

    await scim.ok("DELETE", `/Users/${id}`, undefined, 204);
    expect((await scim.send("GET", `/Users/${id}`)).status).toBe(404);
    expect((await scim.send("DELETE", `/Users/${id}`)).status).toBe(404);
    await scim.ok("DELETE", `/Groups/${groupId}`, undefined, 204);
    expect((await scim.send("GET", `/Groups/${groupId}`)).status).toBe(404);
    expect(await prisma.groupMember.count({ where: { groupId } })).toBe(0);
  });

  it("keeps teams apart: another team's ids answer 404 and filters never cross teams", async () => {
    const a = client((await newTeam()).teamId);
    const bTeam = await newTeam();
    const b = client(bTeam.teamId);
    const shared = `shared-${unique()}@contoso.com`;
    const aUser = await a.createUser(shared);
    // userName is unique per team, not across teams.
    const bUser = await b.createUser(shared);
    const bGroup = await b.createGroup("Team B group", [bUser]);

    for (const [method, body] of [
      ["GET"],
      ["PUT", { userName: "taken-over@contoso.com" }],
      ["PATCH", patch({ op: "Replace", path: "active", value: false })],
      ["DELETE"],
    ] as const) {
      expect((await a.send(method, `/Users/${bUser}`, body)).status).toBe(404);
    }
    for (const [method, body] of [
      ["GET"],
      ["PUT", { displayName: "x" }],
      ["PATCH", patch({ op: "Add", path: "members", value: [{ value: aUser }] })],
      ["DELETE"],
    ] as const) {
      expect((await a.send(method, `/Groups/${bGroup}`, body)).status).toBe(404);
    }
    expect(ids(await a.list(`/Users?filter=${q(`userName eq "${shared}"`)}`))).toEqual([aUser]);
    expect(ids(await a.list(`/Users?filter=${q(`id eq "${bUser}"`)}`))).toEqual([]);
    expect(ids(await a.list(`/Users?filter=${q(`id eq "${bUser}" or userName pr`)}`))).toEqual([aUser]);
    expect(ids(await a.list(`/Groups?filter=${q(`members eq "${bUser}"`)}`))).toEqual([]);
    expect((await a.list("/Users")).totalResults).toBe(1);

    // A member id of another team is refused, naming it, and nothing is written.
    const aGroup = await a.createGroup("Team A group");
    const refused = await a.send(
      "PATCH",
      `/Groups/${aGroup}`,
      patch({ op: "Add", path: "members", value: [{ value: aUser }, { value: bUser }] }),
    );
    expect(refused).toMatchObject({
      status: 400,
      body: { scimType: "invalidValue", detail: expect.stringContaining(bUser) },
    });
    expect(await prisma.groupMember.count({ where: { groupId: aGroup } })).toBe(0);
    expect(
      (await a.send("POST", "/Groups", { displayName: "With stranger", members: [{ value: bUser }] })).status,
    ).toBe(400);
    // A manager id of another team is kept as sent but never resolved to that user (no displayName).
    expect((await a.send("PATCH", `/Users/${aUser}`, patch({ op: "Add", path: "manager", value: bUser }))).status).toBe(
      204,
    );
    expect(((await a.ok("GET", `/Users/${aUser}`)).body as Body)[ENTERPRISE]).toEqual({
      manager: { value: bUser, $ref: `${BASE}/Users/${bUser}` },
    });
    expect(await prisma.user.findUniqueOrThrow({ where: { id: aUser }, select: { managerId: true } })).toEqual({
      managerId: null,
    });

    // Untouched on team B's side.
    expect((await b.ok("GET", `/Users/${bUser}`)).body).toMatchObject({ active: true });
    expect(((await b.ok("GET", `/Groups/${bGroup}`)).body as { members: Body[] }).members).toHaveLength(1);
  });

  it("does not expose members created outside SCIM (the Administrator who signed up)", async () => {
    const { teamId, adminUserId } = await newTeam();
    const scim = client(teamId);
    expect((await scim.send("GET", `/Users/${adminUserId}`)).status).toBe(404);
    expect((await scim.send("DELETE", `/Users/${adminUserId}`)).status).toBe(404);
    expect((await scim.list("/Users")).totalResults).toBe(0);
    expect(
      (await scim.send("POST", "/Groups", { displayName: "Admins", members: [{ value: adminUserId }] })).status,
    ).toBe(400);
    expect(await prisma.user.count({ where: { id: adminUserId } })).toBe(1);
  });

  it("gives exactly one 201 and one 409 for two simultaneous POSTs of the same userName", async () => {
    const scim = client((await newTeam()).teamId);
    const userName = `race-${unique()}@contoso.com`;
    const body = (name: string) => ({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: name });
    const responses = await Promise.all([
      scim.send("POST", "/Users", body(userName)),
      scim.send("POST", "/Users", body(userName.toUpperCase())),
    ]);
    expect(responses.map((response) => response.status).sort()).toEqual([201, 409]);
    expect(responses.find((response) => response.status === 409)?.body).toMatchObject({
      scimType: "uniqueness",
      detail: expect.stringContaining("userName"),
    });
    expect((await scim.list(`/Users?filter=${q(`userName eq "${userName}"`)}`)).totalResults).toBe(1);

    const groups = await Promise.all([
      scim.send("POST", "/Groups", { displayName: "Race" }),
      scim.send("POST", "/Groups", { displayName: "race" }),
    ]);
    expect(groups.map((response) => response.status).sort()).toEqual([201, 409]);
    expect(groups.find((response) => response.status === 409)?.body).toMatchObject({
      detail: expect.stringContaining("displayName"),
    });
  });

  it("lands every one of many concurrent member adds to one group", async () => {
    const scim = client((await newTeam()).teamId);
    const users = [];
    for (let i = 0; i < 12; i++) users.push(await scim.createUser(`member${i}-${unique()}@contoso.com`));
    const group = await scim.createGroup(`Concurrent ${unique()}`);
    const responses = await Promise.all(
      users.map((user) =>
        scim.send("PATCH", `/Groups/${group}`, patch({ op: "Add", path: "members", value: [{ value: user }] })),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(users.map(() => 204));
    const members = ((await scim.ok("GET", `/Groups/${group}`)).body as { members: Body[] }).members.map(
      (member) => member.value,
    );
    expect(members.sort()).toEqual([...users].sort());
  });

  it("answers a userName rename onto a taken name with 409; a shared externalId is accepted and pins no object id", async () => {
    const scim = client((await newTeam()).teamId);
    const first = await scim.createUser(`first-${unique()}@contoso.com`, {
      externalId: "5e3c1a7e-0000-4000-8000-000000000001",
    });
    const second = await scim.createUser(`second-${unique()}@contoso.com`);
    const firstName = ((await scim.ok("GET", `/Users/${first}`)).body as Body).userName as string;
    const rename = await scim.send(
      "PATCH",
      `/Users/${second}`,
      patch({ op: "Replace", path: "userName", value: firstName.toUpperCase() }),
    );
    expect(rename).toMatchObject({
      status: 409,
      body: { scimType: "uniqueness", detail: expect.stringContaining("userName") },
    });
    expect(await prisma.user.findUniqueOrThrow({ where: { id: first }, select: { entraObjectId: true } })).toEqual({
      entraObjectId: "5e3c1a7e-0000-4000-8000-000000000001",
    });
    // RFC 7643 §3.1: externalId is not unique. The second carrier makes the object id ambiguous, so
    // neither user is pinned by it; removing the second makes the first unambiguous again.
    const sameOid = await scim.send("POST", "/Users", {
      userName: `third-${unique()}@contoso.com`,
      externalId: "5E3C1A7E-0000-4000-8000-000000000001",
    });
    expect(sameOid.status).toBe(201);
    const third = (sameOid.body as Body).id as string;
    const pins = () =>
      prisma.user.findMany({
        where: { id: { in: [first, third] } },
        select: { id: true, entraObjectId: true },
        orderBy: { id: "asc" },
      });
    expect((await pins()).map((row) => row.entraObjectId)).toEqual([null, null]);
    expect(ids(await scim.list(`/Users?filter=${q('externalId eq "5e3c1a7e-0000-4000-8000-000000000001"')}`))).toEqual([
      first,
    ]);
    await scim.ok("DELETE", `/Users/${third}`, undefined, 204);
    expect((await pins()).map((row) => row.entraObjectId)).toEqual(["5e3c1a7e-0000-4000-8000-000000000001"]);
  });

  it("compares userName after NFC normalisation", async () => {
    const scim = client((await newTeam()).teamId);
    const composed = `Jos\u00e9-${unique()}@contoso.com`;
    const id = await scim.createUser(composed);
    const decomposed = composed.normalize("NFD").toUpperCase();
    expect(ids(await scim.list(`/Users?filter=${q(`userName eq "${decomposed}"`)}`))).toEqual([id]);
    expect((await scim.send("POST", "/Users", { userName: decomposed })).status).toBe(409);
  });

  it("ends sessions when a user is disabled (PATCH or PUT) and when deleted, in the same write", async () => {
    const scim = client((await newTeam()).teamId);
    const userName = `sessions-${unique()}@contoso.com`;
    const id = await scim.createUser(userName);
    const first = await createSession(id);
    expect(await findActiveSession(first)).not.toBeNull();
    await scim.ok("PATCH", `/Users/${id}`, patch({ op: "Replace", path: "active", value: "False" }), 204);
    expect(await findActiveSession(first)).toBeNull();
    expect((await prisma.session.findUniqueOrThrow({ where: { id: first } })).revokedAt).toBeInstanceOf(Date);

    await scim.ok("PATCH", `/Users/${id}`, patch({ op: "Replace", path: "active", value: "True" }), 204);
    const second = await createSession(id);
    await scim.ok("PUT", `/Users/${id}`, { userName, active: false }, 200);
    expect((await prisma.session.findUniqueOrThrow({ where: { id: second } })).revokedAt).toBeInstanceOf(Date);

    await scim.ok("PUT", `/Users/${id}`, { userName, active: true }, 200);
    const third = await createSession(id);
    await scim.ok("DELETE", `/Users/${id}`, undefined, 204);
    expect(await findActiveSession(third)).toBeNull();
    expect(await prisma.session.count({ where: { userId: id } })).toBe(0);
  });

  it("keeps memberships while a user is disabled and drops them (and manager links) on delete", async () => {
    const scim = client((await newTeam()).teamId);
    const user = await scim.createUser(`leaver-${unique()}@contoso.com`);
    const report = await scim.createUser(`report-${unique()}@contoso.com`);
    await scim.ok("PATCH", `/Users/${report}`, patch({ op: "Add", path: `${ENTERPRISE}:manager`, value: user }), 204);
    const g1 = await scim.createGroup(`G1 ${unique()}`, [user, report]);
    const g2 = await scim.createGroup(`G2 ${unique()}`, [user]);
    await scim.ok("PATCH", `/Users/${user}`, patch({ op: "Replace", path: "active", value: false }), 204);
    expect(await prisma.groupMember.count({ where: { userId: user } })).toBe(2);
    expect((await scim.ok("GET", `/Users/${user}`)).body).toMatchObject({ groups: [{ value: g1 }, { value: g2 }] });

    await scim.ok("DELETE", `/Users/${user}`, undefined, 204);
    expect(await prisma.groupMember.count({ where: { userId: user } })).toBe(0);
    expect(
      ((await scim.ok("GET", `/Groups/${g1}`)).body as { members: Body[] }).members.map((member) => member.value),
    ).toEqual([report]);
    expect(((await scim.ok("GET", `/Users/${report}`)).body as Body)[ENTERPRISE]).toBeUndefined();
  });

  it("applies a PATCH all-or-nothing", async () => {
    const scim = client((await newTeam()).teamId);
    const user = await scim.createUser(`atomic-${unique()}@contoso.com`);
    const member = await scim.createUser(`m-${unique()}@contoso.com`);
    const group = await scim.createGroup(`Atomic ${unique()}`);
    const bad = await scim.send(
      "PATCH",
      `/Users/${user}`,
      patch({ op: "Replace", path: "displayName", value: "Changed" }, { op: "Replace", path: "meta", value: {} }),
    );
    expect(bad.status).toBe(400);
    expect(((await scim.ok("GET", `/Users/${user}`)).body as Body).displayName).toBeUndefined();
    const half = await scim.send(
      "PATCH",
      `/Groups/${group}`,
      patch(
        { op: "Add", path: "members", value: [{ value: member }] },
        { op: "Replace", path: "displayName", value: "Renamed" },
        { op: "Add", path: "members", value: [{ value: "missing-id" }] },
      ),
    );
    expect(half).toMatchObject({ status: 400, body: { detail: expect.stringContaining("missing-id") } });
    expect((await scim.ok("GET", `/Groups/${group}`)).body).toMatchObject({
      displayName: expect.stringMatching(/^Atomic/),
      members: [],
    });
  });

  it("adds 2,000 members in one PATCH and removes half of them by value list", async () => {
    const { teamId } = await newTeam();
    const scim = client(teamId);
    const now = new Date();
    const rows = Array.from({ length: 2000 }, (_, i) => ({
      teamId,
      name: `Bulk ${i}`,
      email: `bulk${i}@contoso.com`,
      userName: `bulk${i}@contoso.com`,
      userNameKey: `bulk${i}@contoso.com`,
      scimAttributes: {},
      createdAt: now,
    }));
    await prisma.user.createMany({ data: rows });
    const users = (
      await prisma.user.findMany({ where: { teamId, userNameKey: { startsWith: "bulk" } }, select: { id: true } })
    ).map((user) => user.id);
    const group = await scim.createGroup(`Bulk ${unique()}`);
    await scim.ok(
      "PATCH",
      `/Groups/${group}`,
      patch({ op: "add", path: "members", value: users.map((value) => ({ value })) }),
      204,
    );
    expect(await prisma.groupMember.count({ where: { groupId: group } })).toBe(2000);
    await scim.ok(
      "PATCH",
      `/Groups/${group}`,
      patch({ op: "Remove", path: "members", value: users.slice(0, 1000).map((value) => ({ value })) }),
      204,
    );
    expect(await prisma.groupMember.count({ where: { groupId: group } })).toBe(1000);
    expect(
      ids(await scim.list(`/Groups?filter=${q(`members eq "${users[1500]}"`)}&excludedAttributes=members`)),
    ).toEqual([group]);
    expect(ids(await scim.list(`/Groups?filter=${q(`members eq "${users[10]}"`)}&excludedAttributes=members`))).toEqual(
      [],
    );
  });
});

describe("filters run in SQL and agree with the RFC 7644 §3.4.2.2 evaluator", () => {
  let teamId: string;
  let scim: ReturnType<typeof client>;
  const people: Record<string, string> = {};
  let groupId = "";

  beforeAll(async () => {
    teamId = (await newTeam()).teamId;
    scim = client(teamId);
    people.alice = await scim.createUser("Alice@Contoso.com", {
      displayName: "Alice Smith",
      title: "Engineer",
      name: { givenName: "Alice", familyName: "Smith" },
      emails: [
        { type: "work", value: "Alice@Contoso.com", primary: true },
        { type: "home", value: "alice@home.example" },
      ],
      phoneNumbers: [{ type: "mobile", value: "+1 555 0100" }],
      addresses: [{ type: "work", locality: "Seattle", country: "US" }],
      roles: [{ value: "admin", primary: "True" }],
      [ENTERPRISE]: { department: "Finance", employeeNumber: "100" },
    });
    people.bob = await scim.createUser("bob@fabrikam.com", {
      displayName: "Bob Jones",
      title: "Manager",
      active: false,
      name: { givenName: "Bob", familyName: "Jones" },
      emails: [{ type: "Work", value: "BOB@fabrikam.com" }],
      [ENTERPRISE]: { department: "Sales", manager: people.alice },
    });
    people.carol = await scim.createUser("carol_100%@contoso.com", {
      externalId: null,
      emails: [],
      name: { givenName: "Carol" },
    });
    groupId = await scim.createGroup("Engineering", [people.alice, people.carol]);
    await scim.createGroup("Sales", [people.bob]);
    await scim.createGroup("Empty");
    // Noise in another team that no filter may return.
    const other = client((await newTeam()).teamId);
    await other.createUser("alice@contoso.com", {
      displayName: "Alice Smith",
      [ENTERPRISE]: { department: "Finance" },
    });
    await other.createGroup("Engineering");
  });

  const userFilters = [
    'userName eq "ALICE@contoso.com"',
    'userName co "o"',
    'userName sw "BOB"',
    'userName ew "@contoso.com"',
    'userName co "_100%"',
    'userName gt "b"',
    'userName le "bob@fabrikam.com"',
    'externalId eq "ext-Alice@Contoso.com"',
    'externalId eq "EXT-ALICE@CONTOSO.COM"',
    "externalId pr",
    "externalId eq null",
    'displayName eq "alice smith"',
    "displayName pr",
    "not (displayName pr)",
    'title ne "engineer"',
    "active eq false",
    'active eq "True"',
    'name.givenName sw "a"',
    'name.familyName eq "SMITH" or name.familyName eq "jones"',
    "name pr",
    'emails[type eq "work"].value eq "alice@contoso.com"',
    'emails[type eq "work"].value eq "bob@FABRIKAM.com"',
    'emails[type eq "home"].value eq "alice@contoso.com"',
    'emails[type eq "work" and value ew "fabrikam.com"]',
    'emails.value co "HOME"',
    'emails eq "alice@home.example"',
    "emails pr",
    "emails[primary eq true]",
    'phoneNumbers[type eq "mobile"].value eq "+1 555 0100"',
    'addresses[type eq "work"].locality eq "seattle"',
    'roles[primary eq "True"].value eq "admin"',
    `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "finance"`,
    'department eq "Sales" and active eq false',
    "manager pr",
    'meta.created gt "2000-01-01T00:00:00Z"',
    'meta.lastModified lt "2000-01-01T00:00:00Z"',
    '(userName sw "a" or userName sw "b") and not (active eq false)',
    'not (emails[type eq "work"].value eq "alice@contoso.com")',
    'USERNAME Eq "alice@contoso.com"',
    'title gt "F"',
  ];

  it.each(userFilters)("/Users?filter=%s", async (filter) => {
    const all = (await scim.list("/Users?count=200")).Resources;
    const isCaseExact = caseExactLookup(userResourceType);
    const expected = all
      .filter((user) => matchesFilter(parseFilter(filter), user, { isCaseExact }))
      .map((user) => user.id as string)
      .sort();
    expect(ids(await scim.list(`/Users?filter=${q(filter)}&count=200`))).toEqual(expected);
  });

  it("answers id, manager and group references from SQL", async () => {
    expect(
      ids(
        await scim.list(`/Users?filter=${q(`id eq "${people.bob}" and manager eq "${people.alice}"`)}&attributes=id`),
      ),
    ).toEqual([people.bob]);
    expect(ids(await scim.list(`/Users?filter=${q(`manager.value eq "${people.bob}"`)}`))).toEqual([]);
    expect(ids(await scim.list(`/Users?filter=${q(`groups eq "${groupId}"`)}`))).toEqual(
      [people.alice, people.carol].sort(),
    );
    expect(ids(await scim.list(`/Users?filter=${q('groups.display eq "sales"')}`))).toEqual([people.bob]);
  });

  const groupFilters = (alice: () => string) => [
    () => 'displayName eq "engineering"',
    () => 'displayName sw "S"',
    () => `members eq "${alice()}"`,
    () => `members[value eq "${alice()}"]`,
    () => "members pr",
    () => "not (members pr)",
    () => 'externalId eq "ext-Sales"',
    () => `displayName eq "Engineering" and members eq "${alice()}"`,
  ];

  it.each(groupFilters(() => people.alice as string).map((make, index) => [index, make]))(
    "/Groups filter #%i",
    async (_index, make) => {
      const filter = make();
      const all = (await scim.list("/Groups?count=200")).Resources;
      const isCaseExact = caseExactLookup(groupResourceType);
      const expected = all
        .filter((group) => matchesFilter(parseFilter(filter), group, { isCaseExact }))
        .map((group) => group.id as string)
        .sort();
      expect(ids(await scim.list(`/Groups?filter=${q(filter)}`))).toEqual(expected);
    },
  );

  it("answers a matching lookup with one statement, straight through the driver, that returns only the matching page", async () => {
    const statements: string[] = [];
    const ormCalls: string[] = [];
    const spy = recordingOrmCalls(ormCalls);
    const { direct } = await getStore();
    const spied = createScimStore(spy, {
      transaction: (fn) => direct.transaction(fn),
      query<T>(sql: string, params?: unknown[]) {
        statements.push(sql);
        return direct.query<T>(sql, params);
      },
    });
    const result = await spied.queryUsers(teamId, {
      filter: parseFilter('userName eq "bob@fabrikam.com"'),
      startIndex: 1,
      count: 100,
    });
    expect(result.resources.map((user) => user.id)).toEqual([people.bob]);
    expect(result.totalResults).toBe(1);
    expect(statements).toHaveLength(1);
    const none = await spied.queryUsers(teamId, {
      filter: parseFilter('userName eq "nobody"'),
      startIndex: 1,
      count: 100,
    });
    expect(none).toEqual({ totalResults: 0, resources: [] });
    expect(statements).toHaveLength(2);
    expect(ormCalls).toEqual([]);
  });

  it("pages in creation order with a correct total", async () => {
    const page = await scim.list(`/Users?filter=${q("userName pr")}&startIndex=2&count=1`);
    expect(page).toMatchObject({ totalResults: 3, startIndex: 2, itemsPerPage: 1 });
    expect(ids(page)).toEqual([people.bob]);
    expect(await scim.list("/Users?startIndex=10&count=5")).toMatchObject({
      totalResults: 3,
      itemsPerPage: 0,
      Resources: [],
    });
  });

  it("refuses attributes it cannot filter in SQL with 400 invalidFilter naming them", async () => {
    for (const filter of [
      'manager.displayName eq "x"',
      'password eq "x"',
      'x509Certificates.value eq "x"',
      'meta.created co "2020"',
      "active gt true",
      'urn:example:Other:attr eq "x"',
    ]) {
      const response = await scim.send("GET", `/Users?filter=${q(filter)}`);
      expect(response.status, filter).toBe(400);
      expect(response.body).toMatchObject({ scimType: "invalidFilter" });
    }
    const response = await scim.send("GET", `/Groups?filter=${q('members.type eq "User"')}`);
    expect(response.body).toMatchObject({ scimType: "invalidFilter", detail: expect.stringContaining("members.type") });
  });
});

describe("creates are one statement unless the role decision must be recorded or a pin withdrawn", () => {
  function spiedStore(ormCalls: string[]) {
    return getStore().then(({ direct }) => createScimStore(recordingOrmCalls(ormCalls), direct));
  }
  const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
  /** POST /Users through the dispatcher on `store`, as Entra sends it. */
  const createUser = (store: ScimStore, teamId: string, body: Record<string, unknown>) =>
    handleScimRequest(
      {
        method: "POST",
        path: "/Users",
        query: new URLSearchParams(),
        body: { schemas: [USER], ...body },
        baseUrl: BASE,
        teamId,
      },
      store,
    );

  it("creates an ordinary user without the ORM, keeps a manager reference that names no user yet, and refuses a taken userName with 409", async () => {
    const { teamId } = await newTeam();
    const ormCalls: string[] = [];
    const store = await spiedStore(ormCalls);
    const send = (body: unknown) =>
      handleScimRequest(
        { method: "POST", path: "/Users", query: new URLSearchParams(), body, baseUrl: BASE, teamId },
        store,
      );
    const report = await send({
      schemas: [USER, ENTERPRISE],
      userName: "Rey@Contoso.test",
      externalId: "rey",
      [ENTERPRISE]: { manager: { value: "not-yet" } },
    });
    expect(report.status).toBe(201);
    const created = await send({ schemas: [USER], userName: "boss@contoso.test", externalId: "boss" });
    expect(created.status).toBe(201);
    expect(ormCalls).toEqual([]);
    expect((await send({ schemas: [USER], userName: "REY@contoso.test" })).status).toBe(409);
    expect(ormCalls).toEqual([]);
    const row = await prisma.user.findFirstOrThrow({
      where: { teamId, userNameKey: "rey@contoso.test" },
      select: { managerRef: true, managerId: true, role: true, createdAt: true },
    });
    expect(row).toMatchObject({ managerRef: "not-yet", managerId: null, role: "USER" });
    expect(Math.abs(row.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("answers a create exactly as a read of the new user answers, manager's name included, with or without app roles", async () => {
    const { teamId, adminUserId } = await newTeam();
    await saveRoleMapping(
      { id: adminUserId, teamId },
      { mappings: [{ appRole: "Storage.Readers", role: "USER" }], defaultRole: "USER" },
    );
    const ormCalls: string[] = [];
    const store = await spiedStore(ormCalls);
    const send = (method: string, path: string, body?: unknown) =>
      handleScimRequest({ method, path, query: new URLSearchParams(), body, baseUrl: BASE, teamId }, store);
    const boss = await send("POST", "/Users", {
      schemas: [USER],
      userName: "boss@contoso.test",
      displayName: "The Boss",
    });
    const bossId = (boss.body as { id: string }).id;
    for (const extra of [{}, { roles: [{ value: "Storage.Readers", primary: false }] }]) {
      const created = await send("POST", "/Users", {
        schemas: [USER, ENTERPRISE],
        userName: `report${Object.keys(extra).length}@contoso.test`,
        name: { givenName: "Rey", familyName: "Report" },
        emails: [{ value: "rey@contoso.test", type: "work", primary: true }],
        [ENTERPRISE]: { manager: { value: bossId }, department: "Storage" },
        ...extra,
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ [ENTERPRISE]: { manager: { value: bossId, displayName: "The Boss" } } });
      const id = (created.body as { id: string }).id;
      const read = await send("GET", `/Users/${id}`);
      expect(created.body).toEqual(read.body);
      expect(created.headers?.ETag).toMatch(/^W\/"\d+"$/);
      expect(created.headers?.ETag).toBe(read.headers?.ETag);
    }
    expect(ormCalls).toEqual([]);
  });

  it("pins an object-id externalId without the ORM while the new user is its only carrier, and leaves a second carrier to the general path", async () => {
    const { teamId } = await newTeam();
    const ormCalls: string[] = [];
    const store = await spiedStore(ormCalls);
    const create = (userName: string, externalId: string) => createUser(store, teamId, { userName, externalId });
    const oid = "7a0c2f9e-0000-4000-8000-0000000000aa";
    const first = await create("only@contoso.test", oid.toUpperCase());
    expect(first.status).toBe(201);
    expect(ormCalls).toEqual([]);
    const pinOf = async (userName: string) =>
      (
        await prisma.user.findFirstOrThrow({
          where: { teamId, userNameKey: userName },
          select: { entraObjectId: true },
        })
      ).entraObjectId;
    expect(await pinOf("only@contoso.test")).toBe(oid);

    expect((await create("twin@contoso.test", oid)).status).toBe(201);
    expect(ormCalls).toContain("$transaction");
    expect([await pinOf("only@contoso.test"), await pinOf("twin@contoso.test")]).toEqual([null, null]);
  });

  it("never decides a role from a mapping that changed since this process read it", async () => {
    const { teamId, adminUserId } = await newTeam();
    await saveRoleMapping(
      { id: adminUserId, teamId },
      { mappings: [{ appRole: "Storage.Owners", role: "USER" }], defaultRole: "USER" },
    );
    const ormCalls: string[] = [];
    const store = await spiedStore(ormCalls);
    const create = (userName: string) =>
      createUser(store, teamId, { userName, roles: [{ value: "Storage.Owners", primary: false }] });
    const roleOf = async (userName: string) =>
      (await prisma.user.findFirstOrThrow({ where: { teamId, userNameKey: userName }, select: { role: true } })).role;

    expect((await create("first@contoso.test")).status).toBe(201);
    expect(await roleOf("first@contoso.test")).toBe("USER");
    expect(ormCalls).toEqual([]);

    // Changed behind the store's back (another instance, the console): the app role now means Administrator.
    await saveRoleMapping(
      { id: adminUserId, teamId },
      { mappings: [{ appRole: "Storage.Owners", role: "ADMIN" }], defaultRole: "USER" },
    );
    expect((await create("second@contoso.test")).status).toBe(201);
    expect(await roleOf("second@contoso.test")).toBe("ADMIN");
    expect(ormCalls).toContain("$transaction");
    expect(await prisma.auditEvent.count({ where: { teamId, action: "member.role_change" } })).toBe(1);

    // And back: the refused statement made the store forget the mapping, so the next creates read
    // it again and need no ORM call.
    await saveRoleMapping(
      { id: adminUserId, teamId },
      { mappings: [{ appRole: "Storage.Owners", role: "USER" }], defaultRole: "USER" },
    );
    ormCalls.length = 0;
    expect((await create("third@contoso.test")).status).toBe(201);
    expect((await create("fourth@contoso.test")).status).toBe(201);
    expect(await roleOf("fourth@contoso.test")).toBe("USER");
    expect(ormCalls).toEqual([]);
  });

  it("takes the general path, which audits the decision, when the team's default role is Administrator", async () => {
    const { teamId, adminUserId } = await newTeam();
    await saveRoleMapping({ id: adminUserId, teamId }, { mappings: [], defaultRole: "ADMIN" });
    const ormCalls: string[] = [];
    const store = await spiedStore(ormCalls);
    const response = await createUser(store, teamId, { userName: "everyone-admin@contoso.test" });
    expect(response.status).toBe(201);
    expect(ormCalls).toContain("$transaction");
    expect(
      await prisma.user.findFirstOrThrow({
        where: { teamId, userNameKey: "everyone-admin@contoso.test" },
        select: { role: true },
      }),
    ).toEqual({ role: "ADMIN" });
    expect(await prisma.auditEvent.count({ where: { teamId, action: "member.role_change" } })).toBe(1);
  });

  it("takes the general path, which audits the decision, when app roles map to Administrator", async () => {
    const { teamId, adminUserId } = await newTeam();
    await saveRoleMapping(
      { id: adminUserId, teamId },
      { mappings: [{ appRole: "Storage.Owners", role: "ADMIN" }], defaultRole: "USER" },
    );
    const ormCalls: string[] = [];
    const store = await spiedStore(ormCalls);
    const response = await createUser(store, teamId, {
      userName: "owner@contoso.test",
      roles: [{ value: "Storage.Owners", primary: false }],
    });
    expect(response.status).toBe(201);
    expect(ormCalls).toContain("$transaction");
    expect(
      await prisma.user.findFirstOrThrow({
        where: { teamId, userNameKey: "owner@contoso.test" },
        select: { role: true },
      }),
    ).toEqual({ role: "ADMIN" });
    expect(await prisma.auditEvent.count({ where: { teamId, action: "member.role_change" } })).toBe(1);
  });
});
