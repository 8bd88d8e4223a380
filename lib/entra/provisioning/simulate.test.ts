import { createServer, type IncomingMessage, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { simulateProvisioning, type SimulationOptions } from "./simulate";

// A tiny SCIM server that records what the emulator sends; `quirk` makes it break one rule.
type Quirk = "probe404" | "createWithoutId" | "throttleOnce" | "echoToken" | "managerAsString" | "slow" | null;
type Seen = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown> | undefined;
};
type Json = Record<string, unknown>;

const TOKEN = "sgp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGhIjKlM";
const LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
let server: Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

async function fakeScim(quirk: Quirk = null) {
  const seen: Seen[] = [];
  const users = new Map<string, Json & { members: string[] }>();
  const groups = new Map<string, Json & { members: string[] }>();
  let nextId = 1;
  let throttled = false;
  const load = { inFlight: 0, maxInFlight: 0 };
  server = createServer(async (req, res) => {
    load.maxInFlight = Math.max(load.maxInFlight, ++load.inFlight);
    res.once("finish", () => load.inFlight--);
    let raw = "";
    for await (const chunk of req) raw += chunk;
    // Holds each response a moment so that the client's parallelism shows.
    if (quirk === "slow") await new Promise((resolve) => setTimeout(resolve, 5));
    const url = new URL(req.url!, "http://x");
    const path = url.pathname.replace(/^\/scim/, "");
    const body = raw ? (JSON.parse(raw) as Json) : undefined;
    seen.push({ method: req.method!, path, query: url.searchParams, headers: req.headers, body });
    const send = (status: number, payload?: unknown) => {
      res.writeHead(status, payload === undefined ? {} : { "content-type": "application/scim+json" });
      res.end(payload === undefined ? undefined : JSON.stringify(payload));
    };
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { status: "401" });
    if (quirk === "throttleOnce" && !throttled && req.method === "POST") {
      throttled = true;
      res.writeHead(429, { "retry-after": "1", "content-type": "application/scim+json" });
      return res.end(JSON.stringify({ status: "429" }));
    }
    const [, kind, id] = path.split("/");
    const store = kind === "Users" ? users : groups;
    const filter = url.searchParams.get("filter");
    if (req.method === "GET" && !id) {
      if (quirk === "probe404") return send(404, { status: "404" });
      const [, attr, value] = /^(\w+) eq "(.*)"$/.exec(filter ?? "") ?? [];
      const found = [...store.values()].filter((r) => r[attr!] === value);
      return send(200, {
        schemas: [LIST],
        totalResults: found.length,
        Resources: found,
        startIndex: 1,
        itemsPerPage: 20,
      });
    }
    if (req.method === "GET") return store.has(id!) ? send(200, store.get(id!)) : send(404, { status: "404" });
    if (req.method === "POST") {
      const created = { ...body!, id: String(nextId++), ...(kind === "Groups" ? { members: [] } : {}) } as Json & {
        members: string[];
      };
      store.set(created.id as string, created);
      if (quirk === "echoToken") return send(409, { status: "409", detail: `duplicate for token ${TOKEN}` });
      const { id: _id, ...withoutId } = created;
      return send(quirk === "createWithoutId" ? 200 : 201, quirk === "createWithoutId" ? withoutId : created);
    }
    const resource = store.get(id!);
    if (!resource) return send(404, { status: "404" });
    if (req.method === "DELETE") {
      store.delete(id!);
      return send(204);
    }
    for (const op of (body!.Operations as Json[]) ?? []) {
      const name = String(op.op).toLowerCase();
      if (op.path === "members" && name === "add")
        resource.members.push(...(op.value as { value: string }[]).map((m) => m.value));
      else if (op.path === "members" && name === "remove")
        resource.members = resource.members.filter(
          (m) => !(op.value as { value: string }[]).some((v) => v.value === m),
        );
      else if (typeof op.path === "string" && op.path.startsWith("members["))
        resource.members = resource.members.filter((m) => !(op.path as string).includes(`"${m}"`));
      else if (op.path === "userName" || op.path === "displayName") resource[op.path] = op.value;
      else if (op.path === `${ENTERPRISE}:manager`)
        resource[ENTERPRISE] = { manager: quirk === "managerAsString" ? op.value : { value: op.value } };
    }
    return kind === "Groups" ? send(204) : send(200, resource);
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  return { seen, users, groups, load, tenantUrl: `http://127.0.0.1:${address.port}/scim` };
}

const run = (tenantUrl: string, extra: Partial<SimulationOptions> = {}) =>
  simulateProvisioning({
    tenantUrl,
    token: TOKEN,
    users: 12,
    groups: 2,
    membersPerGroup: 4,
    seed: 7,
    sleep: async () => {},
    ...extra,
  });

const patches = (seen: Seen[]): (Json & { target: string })[] =>
  seen
    .filter((s) => s.method === "PATCH")
    .flatMap((s) => (s.body!.Operations as Json[]).map((op) => ({ ...op, target: s.path })));

describe("Entra provisioning emulator, default dialect", () => {
  it("probes, creates, fills groups, writes managers and sends Entra's body shapes", async () => {
    const fake = await fakeScim();
    const report = await run(fake.tenantUrl);
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.operations.createUser).toEqual({ ok: 12, failed: 0 });
    expect(report.operations.createGroup).toEqual({ ok: 2, failed: 0 });

    const [probeGroups, probeUsers] = [fake.seen[0]!, fake.seen[1]!].sort((a, b) => a.path.localeCompare(b.path)) as [
      Seen,
      Seen,
    ];
    expect(probeGroups.path).toBe("/Groups");
    expect(probeGroups.query.get("excludedAttributes")).toBe("members");
    expect(probeGroups.query.get("filter")).toMatch(/^displayName eq "[0-9a-f-]{36}"$/);
    expect(probeUsers.query.get("filter")).toMatch(/^userName eq "[0-9a-f-]{36}"$/);
    for (const request of fake.seen) {
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
      if (request.body) expect(request.headers["content-type"]).toMatch(/^application\/scim\+json/);
    }

    const createUser = fake.seen.find((s) => s.method === "POST" && s.path === "/Users")!.body!;
    expect(createUser).toMatchObject({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
      active: true,
      meta: { resourceType: "User" },
    });
    const role = (createUser.roles as Json[])[0]!;
    expect(role).toMatchObject({ primary: false, type: "WindowsAzureActiveDirectoryRole" });
    expect(JSON.parse(role.value as string)).toMatchObject({
      id: expect.any(String),
      value: expect.any(String),
      displayName: expect.any(String),
    });
    const createGroup = fake.seen.find((s) => s.method === "POST" && s.path === "/Groups")!.body!;
    expect(createGroup).not.toHaveProperty("members");
    expect(createGroup.schemas).toEqual([
      "urn:ietf:params:scim:schemas:core:2.0:Group",
      "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group",
    ]);

    const ops = patches(fake.seen);
    expect(ops.find((o) => o.path === "members" && o.op === "Add")!.value).toContainEqual({
      $ref: null,
      value: expect.any(String),
    });
    const manager = ops.find((o) => o.path === `${ENTERPRISE}:manager`)!;
    expect(manager).toMatchObject({ op: "Add", value: expect.any(String) });
    expect(ops).toContainEqual(expect.objectContaining({ op: "Replace", path: "active", value: "False" }));
    expect(ops).toContainEqual(expect.objectContaining({ op: "Replace", path: "active", value: "True" }));
    expect(ops).toContainEqual(
      expect.objectContaining({ op: "Remove", path: "members", value: [{ $ref: null, value: expect.any(String) }] }),
    );
    expect(ops).toContainEqual(expect.objectContaining({ op: "Remove", path: "roles" }));
    expect(ops.every((o) => /^[A-Z]/.test(String(o.op)))).toBe(true);
    // Hard delete, then the id answers 404.
    const deleted = fake.seen.find((s) => s.method === "DELETE")!;
    expect(fake.users.has(deleted.path.split("/")[2]!)).toBe(false);
    expect(fake.groups.size).toBe(2);
  });

  it("sends the same requests for the same seed", async () => {
    const first = await fakeScim();
    await run(first.tenantUrl, { concurrency: 1 });
    const a = first.seen.map(
      (s) => `${s.method} ${s.path} ${s.query.get("filter") ?? ""} ${JSON.stringify(s.body ?? null)}`,
    );
    await new Promise((resolve) => server!.close(resolve));
    const second = await fakeScim();
    await run(second.tenantUrl, { concurrency: 1 });
    const b = second.seen.map(
      (s) => `${s.method} ${s.path} ${s.query.get("filter") ?? ""} ${JSON.stringify(s.body ?? null)}`,
    );
    // The probe GUIDs are random per run in Entra too, but seeded here: everything matches.
    expect(b).toEqual(a);
    await new Promise((resolve) => server!.close(resolve));
    const third = await fakeScim();
    await run(third.tenantUrl, { concurrency: 1, seed: 8 });
    expect(third.seen.find((s) => s.method === "POST")!.body).not.toEqual(
      second.seen.find((s) => s.method === "POST")!.body,
    );
  });
});

describe("Entra provisioning emulator, parallelism", () => {
  it("keeps at most 5 requests in flight by default, and the same seed sends the same set of requests in parallel", async () => {
    const key = (s: Seen) => `${s.method} ${s.path} ${s.query.get("filter") ?? ""} ${JSON.stringify(s.body ?? null)}`;
    const first = await fakeScim("slow");
    const report = await run(first.tenantUrl, { users: 40, groups: 3, membersPerGroup: 10 });
    expect(report.ok).toBe(true);
    expect(first.load.maxInFlight).toBe(5);
    const a = first.seen.map(key).sort();
    await new Promise((resolve) => server!.close(resolve));
    const second = await fakeScim("slow");
    await run(second.tenantUrl, { users: 40, groups: 3, membersPerGroup: 10, concurrency: 2 });
    expect(second.load.maxInFlight).toBeLessThanOrEqual(2);
    // Server ids depend on arrival order, so compare the requests that do not carry them.
    const stable = (keys: string[]) => keys.filter((k) => !/^(PATCH|DELETE|GET) \/(Users|Groups)\//.test(k));
    expect(stable(second.seen.map(key).sort())).toEqual(stable(a));
  });
});

describe("Entra provisioning emulator, aadOptscim062020 dialect", () => {
  it("sends lower-case ops, real booleans, path-less replace and filtered member removal", async () => {
    const fake = await fakeScim();
    const report = await run(`${fake.tenantUrl}?aadOptscim062020`);
    expect(report.dialect).toBe("aadOptscim062020");
    expect(report.ok).toBe(true);
    expect(fake.seen.every((s) => !s.query.has("aadOptscim062020"))).toBe(true);
    const ops = patches(fake.seen);
    expect(ops.every((o) => /^[a-z]/.test(String(o.op)))).toBe(true);
    expect(ops).toContainEqual(expect.objectContaining({ op: "replace", path: "active", value: false }));
    expect(ops.find((o) => o.op === "replace" && o.path === undefined)!.value).toMatchObject({
      "name.familyName": expect.any(String),
    });
    const removal = ops.find((o) => o.op === "remove" && String(o.path).startsWith("members"))!;
    expect(removal.path).toMatch(/^members\[value eq "[^"]+"\]$/);
    expect(removal).not.toHaveProperty("value");
  });
});

describe("Entra provisioning emulator, non-conforming servers", () => {
  it("fails Test Connection on a 404 to the probe and records the request and response", async () => {
    const fake = await fakeScim("probe404");
    const report = await run(fake.tenantUrl, { cycles: ["initial"], users: 1, groups: 0 });
    expect(report.ok).toBe(false);
    const failure = report.failures.find((f) => f.operation === "testConnectionUsers")!;
    expect(failure.reason).toMatch(/Expected 200/);
    expect(failure.request).toMatchObject({ method: "GET", headers: { authorization: "Bearer [REDACTED]" } });
    expect(failure.response!.status).toBe(404);
  });

  it("fails a create answered 200 without an id", async () => {
    const fake = await fakeScim("createWithoutId");
    const report = await run(fake.tenantUrl, { cycles: ["initial"], users: 2, groups: 0 });
    expect(report.operations.createUser).toEqual({ ok: 0, failed: 2 });
    expect(report.failures[0]!.reason).toMatch(/Expected 201/);
  });

  it("fails a manager returned as a bare string, which Entra cannot deserialise", async () => {
    const fake = await fakeScim("managerAsString");
    const report = await run(fake.tenantUrl, { cycles: ["initial"], groups: 0 });
    expect(report.operations.setManager!.failed).toBeGreaterThan(0);
    expect(report.failures.find((f) => f.operation === "setManager")!.reason).toMatch(
      /manager must be returned as a complex object/,
    );
  });

  it("waits out a 429 for its Retry-After period and retries only the throttled request", async () => {
    const fake = await fakeScim("throttleOnce");
    const pauses: number[] = [];
    const report = await run(fake.tenantUrl, {
      cycles: ["initial"],
      users: 3,
      groups: 0,
      sleep: async (ms) => void pauses.push(ms),
    });
    expect(report.ok).toBe(true);
    expect(report.throttled).toBe(1);
    expect(fake.users.size).toBe(3);
    expect(pauses.length).toBeGreaterThan(0);
    expect(Math.max(...pauses)).toBeGreaterThan(900);
    expect(Math.max(...pauses)).toBeLessThanOrEqual(1000);
    expect(fake.seen.filter((s) => s.method === "POST")).toHaveLength(4);
  });

  it("never reports the token, even when the server echoes it", async () => {
    const fake = await fakeScim("echoToken");
    const report = await run(fake.tenantUrl, { cycles: ["initial"], users: 2, groups: 0 });
    expect(report.ok).toBe(false);
    expect(JSON.stringify(report)).not.toContain(TOKEN);
    expect(JSON.stringify(report.failures[0]!.response)).toContain("sgp_[REDACTED]");
  });
});
