import { afterAll, describe, expect, it } from "vitest";
import { getDb, getStore } from "../db";
import { openStore, type Store } from "../db/store";
import { bindSsoTenantForOperations } from "../sso/sso-connection";
import { createTeam } from "../teams/create-team";
import { useFreshStore } from "../../test/support/test-database";
import { authenticateScimToken } from "./authenticate-scim-token";
import { issueScimToken, revokeScimToken, rotateScimToken } from "./scim-tokens";
import { tokenCacheFor } from "./token-cache";

// Token authentication answers from memory, yet any change to a token or to the team's single
// sign-on state, made by whoever, is seen on the next request once the database's signal arrives.
const fresh = useFreshStore();

const CLIENT = "203.0.113.9";
let counter = 0;

async function teamWithToken() {
  counter++;
  const { teamId, adminUserId } = await createTeam({
    teamName: `Cache ${counter}`,
    adminName: "Ada",
    email: `ada${counter}@cache.test`,
    password: "Sturdy-Passw0rd",
  });
  await bindSsoTenantForOperations(teamId, `0c1e2c3d-000${counter}-4a5b-8c6d-7e8f90a1b2c3`);
  const actor = { teamId, id: adminUserId, name: "Ada", role: "ADMIN" as const };
  const issued = await issueScimToken(actor, { name: "Entra" });
  return { teamId, actor, tokenId: issued.token.id, secret: issued.secret };
}

const auth = (secret: string) => authenticateScimToken(`Bearer ${secret}`, CLIENT);

/** Runs `work` with every raw query of the store failing, to prove it needs none. */
async function withoutQueries<T>(store: Store, work: () => Promise<T>): Promise<T> {
  const prisma = store.prisma as unknown as { $queryRaw: unknown };
  const original = prisma.$queryRaw;
  prisma.$queryRaw = () => Promise.reject(new Error("the database was queried"));
  try {
    return await work();
  } finally {
    prisma.$queryRaw = original;
  }
}

describe("SCIM token cache", () => {
  it("authenticates a known token again without a database query", async () => {
    const { teamId, secret } = await teamWithToken();
    await expect.poll(async () => (await tokenCacheFor(await getStore())).live).toBe(true);
    expect(await auth(secret)).toMatchObject({ ok: true, teamId });
    expect(await withoutQueries(await getStore(), () => auth(secret))).toMatchObject({ ok: true, teamId });
  });

  it("refuses a token once it is revoked", async () => {
    const { actor, tokenId, secret } = await teamWithToken();
    expect(await auth(secret)).toMatchObject({ ok: true });
    await revokeScimToken(actor, tokenId);
    await expect.poll(async () => (await auth(secret)).ok).toBe(false);
    expect(await auth(secret)).toMatchObject({ ok: false, status: 401, detail: expect.stringMatching(/revoked/) });
  });

  it("refuses the old token when a rotation ends its overlap immediately", async () => {
    const { actor, tokenId, secret } = await teamWithToken();
    expect(await auth(secret)).toMatchObject({ ok: true });
    const rotated = await rotateScimToken(actor, tokenId, { overlapHours: 0 });
    await expect.poll(async () => (await auth(secret)).ok).toBe(false);
    expect(await auth(rotated.secret)).toMatchObject({ ok: true });
  });

  it("refuses every token of a team whose single sign-on is switched off by a direct database change", async () => {
    const { teamId, secret } = await teamWithToken();
    expect(await auth(secret)).toMatchObject({ ok: true });
    await (await getDb()).ssoConnection.update({ where: { teamId }, data: { active: false } });
    await expect.poll(async () => (await auth(secret)).ok).toBe(false);
    expect(await auth(secret)).toMatchObject({
      status: 401,
      detail: expect.stringMatching(/Single sign-on is deactivated/),
    });
  });

  it("does not signal for 'last used' updates, which every instance makes", async () => {
    const { tokenId, secret } = await teamWithToken();
    expect(await auth(secret)).toMatchObject({ ok: true });
    const cache = await tokenCacheFor(await getStore());
    const before = cache.size;
    expect(before).toBeGreaterThan(0);
    await (await getDb()).scimToken.update({ where: { id: tokenId }, data: { lastUsedAt: new Date(0) } });
    // A signal would have emptied the cache; a later statement proves the update was committed first.
    await (
      await getDb()
    ).$queryRaw`SELECT 1`;
    expect(cache.size).toBe(before);
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)("SCIM token cache across instances (PostgreSQL)", () => {
  let other: Store | undefined;
  afterAll(async () => {
    await other?.close();
  });

  it("a revocation or an SSO switch-off made through another instance is refused here", async () => {
    const first = await teamWithToken();
    const second = await teamWithToken();
    const here = await getStore();
    await expect.poll(async () => (await tokenCacheFor(here)).live).toBe(true);
    for (const { secret } of [first, second]) {
      expect(await auth(secret)).toMatchObject({ ok: true });
      expect(await withoutQueries(here, () => auth(secret))).toMatchObject({ ok: true });
    }

    // Another console instance on the same database: its own pool, its own listener.
    other = await openStore(fresh.database.storeOptions);
    await other.prisma.scimToken.update({ where: { id: first.tokenId }, data: { revokedAt: new Date() } });
    await expect.poll(async () => (await auth(first.secret)).ok).toBe(false);
    await other.prisma.ssoConnection.update({ where: { teamId: second.teamId }, data: { active: false } });
    await expect.poll(async () => (await auth(second.secret)).ok).toBe(false);
  });
});
