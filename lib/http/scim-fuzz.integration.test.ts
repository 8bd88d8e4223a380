import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../db";
import { createRequestLogger, writeLogRows } from "../provisioning/request-log";
import { bindSsoTenantForOperations } from "../sso/sso-connection";
import { createTeam } from "../teams/create-team";
import { useFreshStore } from "../../test/support/test-database";
import { issueScimToken } from "../scim-tokens/scim-tokens";
import { serveScim } from "./scim-route";
import { createPrng } from "../entra/provisioning/prng";

// Fuzzing the SCIM route in-process: the real route handler, authentication, dispatcher, Prisma
// store and provisioning log on a fresh database. Requests are generated from a seeded PRNG, so a
// failure replays exactly with FUZZ_SEED=<seed> (printed at the start); FUZZ_COUNT changes the
// number of requests. Asserts what a client and an administrator would observe: no request is
// answered with a 5xx, every 4xx is a SCIM error body, and every request has its provisioning log
// entry. Each failure names the request that caused it.

process.env.APP_URL ??= "http://localhost:3000";
process.env.AUTH_SECRET ??= "fuzz-suite-secret-that-is-long-enough-0123456789";

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const COUNT = Number(process.env.FUZZ_COUNT ?? 10_000);
const BASE = "http://localhost:3000/api/scim/v2";
const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/** The emulator's seeded generator, plus a coin: one seed always replays the same requests. */
function prng(seed: number) {
  const random = createPrng(seed);
  return { ...random, chance: (p: number) => random.next() < p };
}

type Random = ReturnType<typeof prng>;

/**
 * Strings that have broken SCIM servers: unstorable characters, expanding case maps, astral and invisible characters,
 * sheer length.
 */
const EDGE_STRINGS = [
  "",
  " ",
  "a",
  "\u0000",
  "a\u0000b",
  "\uD800",
  "\uDC00",
  "x\uDBFF",
  "\uDFFFy",
  "😀",
  "a😀b",
  "e\u0301",
  "İstanbul",
  "ﬃ",
  "ß",
  "ΣΑΣ",
  "\u200B",
  "\uFEFF",
  "\uFFFF",
  "\u202Eevil",
  "שלום",
  "𝒜𝒷𝒸",
  "\uFB2C",
  "ǅ",
  "\\",
  '"',
  '\'; DROP TABLE "User"; --',
  "%00",
  "%",
  "_",
  "\n\r\t",
  "null",
  "true",
  "0",
  "-1",
  "1e999",
  "constructor",
  "__proto__",
  "toString",
  "hasOwnProperty",
  "prototype",
  "urn:x:y",
];
const ATTRIBUTE_NAMES = [
  "userName",
  "displayName",
  "externalId",
  "id",
  "active",
  "title",
  "emails",
  "emails.value",
  "emails.type",
  "name.givenName",
  "name",
  "groups",
  "members",
  "members.value",
  "members.display",
  "meta.created",
  "meta.lastModified",
  "roles",
  "roles.primary",
  "phoneNumbers",
  "addresses.locality",
  `${ENTERPRISE}:manager`,
  `${ENTERPRISE}:department`,
  "manager",
  "constructor",
  "constructor.value",
  "__proto__",
  "toString",
  "valueOf",
  "nope",
  `${CORE_USER}:userName`,
  "urn:unknown:schema:attr",
  "DisplayName",
  "EMAILS.VALUE",
  "a.b.c",
  "1abc",
  "",
];
const OPERATORS = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr", "EQ", "xx"];
const HUGE_NUMBERS = [
  "99999999999999999999",
  "-99999999999999999999",
  "9223372036854775808",
  "2147483648",
  "1e999",
  "0",
  "-1",
  "1.5",
  "NaN",
  "",
  "007",
  "1" + "0".repeat(400),
];

function randomString(r: Random, ids: string[]): string {
  const roll = r.next();
  if (roll < 0.35) return r.pick(EDGE_STRINGS);
  if (roll < 0.45 && ids.length > 0) return r.pick(ids);
  if (roll < 0.5) return r.pick(EDGE_STRINGS).repeat(r.pick([2, 100, 1100, 5000]));
  if (roll < 0.53) return "x".repeat(r.pick([320, 321, 1024, 1025, 4096, 4097, 50_000]));
  if (roll < 0.6) {
    // Random code units, including surrogates and controls.
    return Array.from({ length: 1 + r.int(12) }, () =>
      String.fromCharCode(r.pick([r.int(0x80), r.int(0x10000), 0xd800 + r.int(0x800)])),
    ).join("");
  }
  return `${r.pick(["alice", "bob", "Sales", "user"])}${r.int(1000)}${r.pick(["", "@contoso.test", " Team", "😀"])}`;
}

function randomValue(r: Random, ids: string[], depth = 0): unknown {
  const roll = r.next();
  if (roll < 0.45) return randomString(r, ids);
  if (roll < 0.55) return r.pick([true, false, "True", "False", null]);
  if (roll < 0.65) return r.pick([0, -1, 1.5, 1e20, Number.MAX_SAFE_INTEGER, -0, 2 ** 63]);
  if (depth > 3) return null;
  if (roll < 0.8) return Array.from({ length: r.int(4) }, () => randomValue(r, ids, depth + 1));
  return Object.fromEntries(
    Array.from({ length: r.int(4) }, () => [
      r.pick([...ATTRIBUTE_NAMES, "value", "type", "primary", "display", "$ref"]),
      randomValue(r, ids, depth + 1),
    ]),
  );
}

function filterValue(r: Random, ids: string[]): string {
  const roll = r.next();
  if (roll < 0.5) return JSON.stringify(randomString(r, ids)); // JSON escapes, e.g. "\u0000" and "\ud800"
  if (roll < 0.6) return r.pick(HUGE_NUMBERS);
  if (roll < 0.7) return r.pick(["true", "false", "null", "True"]);
  if (roll < 0.8)
    return r.pick([
      "2026-01-01T00:00:00Z",
      '"2026-13-45T99:00:00Z"',
      '"2026-01-01T00:00:00Z"',
      '"0000-01-01T00:00:00Z"',
      '"9999-12-31T23:59:59-14:00"',
      '"0001-01-01T00:00:00+14:00"',
      '"2026-02-30T00:00:00Z"',
    ]);
  return r.pick(["jyoung", "x", '"unterminated', '"\\x"', "(", ""]);
}

function randomFilter(r: Random, ids: string[], depth = 0): string {
  const roll = r.next();
  if (depth < 3 && roll < 0.15)
    return `${randomFilter(r, ids, depth + 1)} ${r.pick(["and", "or", "AND", "xor"])} ${randomFilter(r, ids, depth + 1)}`;
  if (depth < 3 && roll < 0.22) return `not (${randomFilter(r, ids, depth + 1)})`;
  if (depth < 3 && roll < 0.3) return `(${randomFilter(r, ids, depth + 1)})`;
  if (depth < 3 && roll < 0.4)
    return `${r.pick(["emails", "members", "roles", "addresses", "groups", "name", "constructor"])}[${randomFilter(r, ids, depth + 1)}]${r.chance(0.3) ? `.value eq ${filterValue(r, ids)}` : ""}`;
  const op = r.pick(OPERATORS);
  return op.toLowerCase() === "pr"
    ? `${r.pick(ATTRIBUTE_NAMES)} pr`
    : `${r.pick(ATTRIBUTE_NAMES)} ${op} ${filterValue(r, ids)}`;
}

/** Grammar output with a few random edits: dropped, duplicated or inserted characters, truncation. */
function mutate(r: Random, text: string): string {
  let out = text;
  for (let i = r.int(3); i > 0; i--) {
    const at = r.int(out.length + 1);
    const edit = r.int(4);
    if (edit === 0) out = out.slice(0, at) + out.slice(at + 1);
    else if (edit === 1)
      out =
        out.slice(0, at) + r.pick(['"', "(", ")", "[", "]", " ", "\\", "\u0000", ".", ":", "\uD800"]) + out.slice(at);
    else if (edit === 2) out = out.slice(0, at);
    else out = out + out.slice(at);
  }
  return out;
}

function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return "%ED%A0%80"; // a lone surrogate cannot be percent-encoded as UTF-8; send its CESU bytes
  }
}

function randomQuery(r: Random, ids: string[]): string {
  const params: string[] = [];
  if (r.chance(0.5)) {
    const filter = r.chance(0.3) ? mutate(r, randomFilter(r, ids)) : randomFilter(r, ids);
    params.push(`${r.pick(["filter", "Filter", "FILTER"])}=${encodeSegment(filter)}`);
  }
  if (r.chance(0.3)) params.push(`startIndex=${encodeSegment(r.pick(HUGE_NUMBERS))}`);
  if (r.chance(0.3)) params.push(`count=${encodeSegment(r.pick([...HUGE_NUMBERS, "5", "200", "201"]))}`);
  if (r.chance(0.2))
    params.push(
      `${r.pick(["attributes", "excludedAttributes"])}=${encodeSegment(Array.from({ length: 1 + r.int(3) }, () => r.pick(ATTRIBUTE_NAMES)).join(","))}`,
    );
  if (r.chance(0.1)) params.push(`${encodeSegment(randomString(r, ids))}=${encodeSegment(randomString(r, ids))}`);
  if (r.chance(0.1)) params.push("aadOptscim062020");
  return params.length > 0 ? `?${params.join("&")}` : "";
}

function userBody(r: Random, ids: string[], n: number): Record<string, unknown> {
  const body: Record<string, unknown> = {
    schemas: [CORE_USER, ENTERPRISE],
    userName: r.chance(0.7) ? `fuzz-${n}@contoso.test` : randomValue(r, ids),
  };
  const optional: [string, () => unknown][] = [
    ["externalId", () => (r.chance(0.5) ? crypto.randomUUID() : randomString(r, ids))],
    ["displayName", () => randomString(r, ids)],
    ["active", () => randomValue(r, ids)],
    ["title", () => randomString(r, ids)],
    [
      "name",
      () => ({ givenName: randomString(r, ids), familyName: randomValue(r, ids), formatted: randomString(r, ids) }),
    ],
    [
      "emails",
      () =>
        Array.from({ length: r.int(3) }, () => ({
          value: randomString(r, ids),
          type: r.pick(["work", "home", randomString(r, ids)]),
          primary: randomValue(r, ids),
        })),
    ],
    ["roles", () => [r.pick([{ value: randomString(r, ids) }, '{"id":"1","value":"Admin"}', randomValue(r, ids)])]],
    [
      ENTERPRISE,
      () => ({
        department: randomString(r, ids),
        manager: r.pick([
          r.chance(0.5) && ids.length ? r.pick(ids) : randomString(r, ids),
          { value: randomString(r, ids) },
          null,
        ]),
      }),
    ],
    [randomString(r, ids), () => randomValue(r, ids)],
  ];
  for (const [key, make] of optional) if (r.chance(0.4)) body[key] = make();
  return body;
}

function groupBody(r: Random, ids: string[], n: number): Record<string, unknown> {
  const body: Record<string, unknown> = {
    schemas: [CORE_GROUP],
    displayName: r.chance(0.7) ? `Group ${n}` : randomValue(r, ids),
  };
  if (r.chance(0.4)) body.externalId = randomString(r, ids);
  if (r.chance(0.5)) {
    body.members = Array.from({ length: r.int(6) }, () =>
      r.pick([
        { value: ids.length ? r.pick(ids) : "u" },
        { value: randomString(r, ids), display: randomString(r, ids) },
        randomString(r, ids),
        randomValue(r, ids),
      ]),
    );
  }
  return body;
}

const PATCH_PATHS = [
  "title",
  "active",
  "displayName",
  "userName",
  "externalId",
  "name.givenName",
  "emails",
  'emails[type eq "work"].value',
  'emails[type eq "work"]',
  "roles",
  'addresses[type eq "work"].locality',
  "members",
  'members[value eq "x"]',
  `${ENTERPRISE}:manager`,
  `${ENTERPRISE}:department`,
  "manager",
  "id",
  "meta",
  "groups",
  "constructor",
  "__proto__",
  "emails[type eq",
  "a.b.c",
  "",
  'members[value eq "\\u0000"]',
  'emails[value co "\\ud800"].type',
];

function patchBody(r: Random, ids: string[]): unknown {
  const operations = Array.from({ length: 1 + r.int(4) }, () => {
    const op: Record<string, unknown> = {
      op: r.pick(["add", "replace", "remove", "Add", "Replace", "Remove", "jump", randomString(r, ids)]),
    };
    const roll = r.next();
    if (roll < 0.7) op.path = r.chance(0.2) ? mutate(r, r.pick(PATCH_PATHS)) : r.pick(PATCH_PATHS);
    else if (roll < 0.75) op.path = randomValue(r, ids);
    if (r.chance(0.85)) {
      const members = () =>
        Array.from({ length: r.int(5) }, () =>
          r.pick([
            { value: ids.length ? r.pick(ids) : "x", type: "x" },
            { value: randomString(r, ids) },
            { $ref: null, value: ids.length ? r.pick(ids) : "y" },
          ]),
        );
      op.value = r.pick([
        () => randomValue(r, ids),
        members,
        () => ({
          active: r.pick([true, "False", "maybe"]),
          "name.givenName": randomString(r, ids),
          [ENTERPRISE]: { department: randomString(r, ids) },
          [randomString(r, ids)]: randomValue(r, ids),
        }),
        () => randomString(r, ids),
      ])();
    }
    return op;
  });
  const body: Record<string, unknown> = {
    schemas: r.chance(0.9) ? [PATCH_OP] : randomValue(r, ids),
    Operations: r.chance(0.95) ? operations : randomValue(r, ids),
  };
  return body;
}

type FuzzRequest = { method: string; path: string; body?: string };

/**
 * The JSON text, sometimes with a `__proto__` key or a literal too large for a double spliced in, sometimes not JSON at
 * all.
 */
function bodyText(r: Random, value: unknown): string {
  const text = JSON.stringify(value) ?? "null";
  const roll = r.next();
  if (roll < 0.05 && text.startsWith("{"))
    return `{"__proto__": ${JSON.stringify(randomValue(r, []))}, ${text.slice(1)}`;
  if (roll < 0.08 && text.startsWith("{"))
    return `{"count": 1e999, "startIndex": 99999999999999999999, ${text.slice(1)}`;
  if (roll < 0.12) return mutate(r, text);
  if (roll < 0.13) return "[".repeat(5000) + "]".repeat(5000);
  return text;
}

function nextRequest(r: Random, users: string[], groups: string[], n: number): FuzzRequest {
  const all = [...users.slice(-50), ...groups.slice(-20)];
  const idFor = (known: string[]) =>
    r.chance(0.7) && known.length > 0 ? encodeSegment(r.pick(known.slice(-50))) : encodeSegment(randomString(r, all));
  const roll = r.next();
  if (roll < 0.002) {
    // A large member add: unknown ids (one query finds the first), known ones, or more than a PATCH operation may
    // carry.
    const size = r.pick([3000, 20_001, 30_000]);
    const value = Array.from({ length: size }, (_, i) =>
      r.chance(0.5) && users.length > 0 ? { value: r.pick(users), type: "x" } : { value: `unknown-${i}` },
    );
    return {
      method: "PATCH",
      path: `/Groups/${idFor(groups)}`,
      body: JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: "Add", path: "members", value }] }),
    };
  }
  if (roll < 0.2) return { method: "POST", path: "/Users", body: bodyText(r, userBody(r, all, n)) };
  if (roll < 0.3) return { method: "POST", path: "/Groups", body: bodyText(r, groupBody(r, all, n)) };
  if (roll < 0.45) return { method: "GET", path: `/${r.pick(["Users", "Groups"])}${randomQuery(r, all)}` };
  if (roll < 0.5)
    return {
      method: "POST",
      path: `/${r.pick(["Users", "Groups"])}/.search`,
      body: bodyText(r, {
        filter: randomFilter(r, all),
        startIndex: r.pick([1, 1e20, -5, "x"]),
        count: r.pick([1, 1e20, null]),
        attributes: r.pick([["userName"], "x", null]),
      }),
    };
  if (roll < 0.62)
    return {
      method: "PATCH",
      path: `/Users/${idFor(users)}${r.chance(0.2) ? "?aadOptscim062020" : ""}`,
      body: bodyText(r, patchBody(r, all)),
    };
  if (roll < 0.72) return { method: "PATCH", path: `/Groups/${idFor(groups)}`, body: bodyText(r, patchBody(r, all)) };
  if (roll < 0.77) return { method: "PUT", path: `/Users/${idFor(users)}`, body: bodyText(r, userBody(r, all, n)) };
  if (roll < 0.8) return { method: "PUT", path: `/Groups/${idFor(groups)}`, body: bodyText(r, groupBody(r, all, n)) };
  if (roll < 0.88)
    return {
      method: "GET",
      path: `/${r.pick(["Users", "Groups"])}/${idFor(r.chance(0.5) ? users : groups)}${randomQuery(r, all)}`,
    };
  if (roll < 0.92)
    return { method: "DELETE", path: `/${r.pick(["Users", "Groups"])}/${idFor(r.chance(0.5) ? users : groups)}` };
  const odd = [
    "/Users/%00",
    "/Users/%ED%A0%80",
    "/Users/%E0%A4%A",
    "/Users/a/b/c",
    "/Schemas",
    `/Schemas/${encodeSegment(randomString(r, all))}`,
    "/ServiceProviderConfig",
    "/ResourceTypes/User",
    "/ResourceTypes/constructor",
    "/Schemas/__proto__",
    "/constructor",
    "/__proto__",
    "/Users/.search",
    "/",
    `/${"x".repeat(5000)}`,
  ];
  return {
    method: r.pick(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]),
    path: `${r.pick(odd)}${randomQuery(r, all)}`,
    body: r.chance(0.5) ? bodyText(r, randomValue(r, all)) : undefined,
  };
}

function describeRequest(request: FuzzRequest, index: number): string {
  const body =
    request.body === undefined
      ? "(no body)"
      : request.body.length > 20_000
        ? `${JSON.stringify(request.body.slice(0, 20_000))}… (${request.body.length} characters)`
        : JSON.stringify(request.body);
  return `request #${index} (replay: FUZZ_SEED=${SEED}): ${request.method} ${request.path}\n  body: ${body}`;
}

useFreshStore();
let token: string;
let teamId: string;
const logger = createRequestLogger(writeLogRows, { maxBatch: 200, delayMs: 50 });

beforeAll(async () => {
  console.log(`[fuzz] FUZZ_SEED=${SEED} FUZZ_COUNT=${COUNT}`);
  ({ teamId } = await createTeam({
    teamName: "Fuzz",
    adminName: "Fuzz",
    email: "fuzz@contoso.test",
    password: "Sturdy-Passw0rd",
  }));
  await bindSsoTenantForOperations(teamId, "0f1e2c3d-0001-4a5b-8c6d-7e8f90a1b2c3");
  ({ secret: token } = await issueScimToken({ teamId, id: null, name: "Fuzz", role: "ADMIN" }, { name: "Fuzz" }));
});

afterAll(async () => {
  await logger.flush();
});

describe(`SCIM fuzz (FUZZ_SEED=${SEED})`, () => {
  it(`answers ${COUNT} generated requests without a 5xx and logs every one`, { timeout: 300_000 }, async () => {
    const r = prng(SEED);
    const users: string[] = [];
    const groups: string[] = [];
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (let index = 0; index < COUNT; index++) {
      const request = nextRequest(r, users, groups, index);
      let status: number;
      let text = "";
      try {
        const response = await serveScim(
          new Request(`${BASE}${request.path}`, {
            method: request.method,
            headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
            ...(request.body !== undefined && request.method !== "GET" ? { body: request.body } : {}),
          }),
          { logger },
        );
        status = response.status;
        text = await response.text();
      } catch (error) {
        failures.push(`${describeRequest(request, index)}\n  threw: ${(error as Error).stack ?? String(error)}`);
        continue;
      }
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status >= 500)
        failures.push(`${describeRequest(request, index)}\n  answered ${status}: ${text.slice(0, 2000)}`);
      else if (status >= 400 && !text.includes('"urn:ietf:params:scim:api:messages:2.0:Error"'))
        failures.push(
          `${describeRequest(request, index)}\n  answered ${status} without a SCIM error body: ${text.slice(0, 500)}`,
        );
      if (status === 201) {
        const id = (JSON.parse(text) as { id?: string }).id;
        if (id) (request.path.startsWith("/Users") ? users : groups).push(id);
      }
      if (failures.length >= 20) break;
    }
    await logger.flush();
    console.log(
      `[fuzz] statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}; ${users.length} users and ${groups.length} groups created`,
    );
    expect(failures, failures.join("\n\n")).toEqual([]);

    // Every request carried a valid token, so every one is attributable to the team and logged.
    const logged = await (await getDb()).scimRequestLog.count({ where: { teamId } });
    expect(logger.stats()).toMatchObject({ dropped: 0, pending: 0 });
    expect(logged).toBe(COUNT);
  });
});
