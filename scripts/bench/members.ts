// Members directory at scale: seeds one team with 100,000 provisioned members on the embedded
// store (one INSERT … SELECT generate_series, not a request per user), serves the production build
// on it (`next build` must have run), signs in as the team's Administrator and reports the time to
// first byte of the Members page (first page) and of a search by UPN prefix: the median of several
// requests after a warm-up. Target: < 300 ms each. Reported, not asserted.
//
//   npx tsx scripts/bench/members.ts            (prints one JSON object)
//   run({ members, requests, port })            (from another script)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { freePort, measureTtfb, signIn, startServer } from "./server";

const PASSWORD = "Sturdy-Passw0rd";
const ADMIN_EMAIL = "bench-admin@members.example";

export type MembersBenchOptions = { members?: number; requests?: number; port?: number };

/** Seeds the data directory in this process, then closes the store: PGlite allows one process per directory. */
async function seed(dataDir: string, members: number): Promise<{ teamId: string; seedMs: number }> {
  // The store is opened on the directory explicitly: when `npm run bench` runs scenarios in one
  // process, the environment (and its data directory) was read by an earlier scenario.
  const { closeStore, getDb, setStore } = await import("../../lib/db");
  const { openStore } = await import("../../lib/db/store");
  const { createTeam } = await import("../../lib/teams/create-team");
  const started = performance.now();
  setStore(await openStore({ kind: "pglite", dataDir, pgliteDir: path.join(dataDir, "pglite") }));
  const { teamId } = await createTeam({
    teamName: "Bench Members",
    adminName: "Bench Admin",
    email: ADMIN_EMAIL,
    password: PASSWORD,
  });
  const db = await getDb();
  // What provisioning writes for a user: userName (the UPN) and its lower-cased key, externalId,
  // console name and email, and the other attributes as Entra sent them.
  await db.$executeRaw`
    INSERT INTO "User" ("id", "teamId", "name", "email", "userName", "userNameKey", "externalId", "active", "role", "scimAttributes", "updatedAt", "lastSignInAt")
    SELECT md5('bench-member-' || i), ${teamId},
           'Member ' || lpad(i::text, 6, '0'),
           'member' || lpad(i::text, 6, '0') || '@members.example',
           'user' || lpad(i::text, 6, '0') || '@bench.onmicrosoft.com',
           'user' || lpad(i::text, 6, '0') || '@bench.onmicrosoft.com',
           md5('bench-ext-' || i),
           i % 50 <> 0, 'USER',
           jsonb_build_object('displayName', 'Member ' || lpad(i::text, 6, '0'), 'department', 'Dept ' || (i % 40)),
           now(), CASE WHEN i % 3 = 0 THEN now() - (i || ' minutes')::interval END
    FROM generate_series(1, ${members}) AS i`;
  await db.$executeRawUnsafe(`ANALYZE "User"`);
  const seedMs = Math.round(performance.now() - started);
  await closeStore();
  return { teamId, seedMs };
}

export async function run(opts: MembersBenchOptions = {}): Promise<Record<string, unknown>> {
  const members = opts.members ?? 100_000;
  const requests = opts.requests ?? 15;
  const dataDir = mkdtempSync(path.join(tmpdir(), "storegate-bench-members-"));
  try {
    const { seedMs } = await seed(dataDir, members);
    const server = await startServer({ STOREGATE_DATA_DIR: dataDir }, opts.port ?? (await freePort()));
    try {
      const cookie = await signIn(server.url, ADMIN_EMAIL, PASSWORD);
      const firstPage = await measureTtfb(`${server.url}/settings/team/members`, cookie, requests, "Member 000001");
      // The UPN prefix of ten members (user01234x@…), found through the userNameKey prefix index.
      const upnSearch = await measureTtfb(
        `${server.url}/settings/team/members?q=user01234`,
        cookie,
        requests,
        "user012345@bench.onmicrosoft.com",
      );
      const emailSearch = await measureTtfb(
        `${server.url}/settings/team/members?q=member09`,
        cookie,
        requests,
        "Member 090000",
      );
      return {
        scenario: "members directory",
        store: "embedded",
        members,
        seedMs,
        targetMs: 300,
        firstPage,
        upnSearch,
        emailPrefixSearch: emailSearch,
        withinTarget: firstPage.medianMs < 300 && upnSearch.medianMs < 300,
      };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await run({ members: process.env.BENCH_MEMBERS ? Number(process.env.BENCH_MEMBERS) : undefined });
  console.log(JSON.stringify(result, null, 2));
}
