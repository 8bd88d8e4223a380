import { describe, expect, it } from "vitest";
import { useFreshStore } from "../../test/support/test-database";
import { getDb, Prisma } from "../db";
import { AppError } from "../errors";
import { uniquenessKey } from "../scim/store";
import { createTeam } from "../teams/create-team";
import { getGroup } from "./get-group";
import { groupMembersSql, listGroupMembers, type GroupMembersQuery } from "./list-group-members";

useFreshStore();

const unique = () => Math.random().toString(36).slice(2, 10);

async function team() {
  return createTeam({
    teamName: "Contoso",
    adminName: "Ada Admin",
    email: `admin-${unique()}@example.com`,
    password: "Sturdy-Passw0rd",
  });
}

async function provision(teamId: string, name: string, userName: string, email = userName) {
  const db = await getDb();
  return db.user.create({
    data: { teamId, name, email, userName, userNameKey: uniquenessKey(userName) },
    select: { id: true },
  });
}

async function group(teamId: string, displayName: string, userIds: string[]) {
  const db = await getDb();
  return db.group.create({
    data: {
      teamId,
      displayName,
      displayNameKey: uniquenessKey(displayName),
      externalId: `ext-${unique()}`,
      members: { create: userIds.map((userId) => ({ userId })) },
    },
    select: { id: true },
  });
}

const names = async (teamId: string, groupId: string, query: GroupMembersQuery = {}) =>
  (await listGroupMembers(teamId, groupId, query)).members.map((m) => m.name);

describe("group members", () => {
  it("lists only the group's members, in name order, and searches by the start of name, email or UPN", async () => {
    const { teamId } = await team();
    const alice = await provision(teamId, "Alice Archer", "alice.a@contoso.onmicrosoft.com", "alice@contoso.com");
    const bob = await provision(teamId, "Bob Baker", "bob@contoso.onmicrosoft.com", "robert@fabrikam.com");
    const zed = await provision(teamId, "Zed 100%_off", "zed@contoso.onmicrosoft.com");
    await provision(teamId, "Alan Outsider", "alan@contoso.onmicrosoft.com");
    const { id } = await group(teamId, "Engineers", [bob.id, alice.id, zed.id]);

    expect(await names(teamId, id)).toEqual(["Alice Archer", "Bob Baker", "Zed 100%_off"]);
    expect(await names(teamId, id, { search: "AL" })).toEqual(["Alice Archer"]);
    expect(await names(teamId, id, { search: "robert@FAB" })).toEqual(["Bob Baker"]);
    expect(await names(teamId, id, { search: "Alice.A@Contoso" })).toEqual(["Alice Archer"]);
    // Prefix, not substring; LIKE wildcards are matched literally.
    expect(await names(teamId, id, { search: "archer" })).toEqual([]);
    expect(await names(teamId, id, { search: "Zed 100%_" })).toEqual(["Zed 100%_off"]);
    expect(await names(teamId, id, { search: "%" })).toEqual([]);
  });

  it("pages with a cursor through members sharing a name, with no skips or duplicates", async () => {
    const { teamId } = await team();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await provision(teamId, "Sam Same", `sam${i}@contoso.onmicrosoft.com`)).id);
    ids.push((await provision(teamId, "Ann First", "ann@contoso.onmicrosoft.com")).id);
    const { id } = await group(teamId, "Same names", ids);

    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await listGroupMembers(teamId, id, { after }, 3);
      seen.push(...page.members.map((m) => m.id));
      after = page.nextCursor ?? undefined;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
    expect(new Set(seen)).toEqual(new Set(ids));
    // A search pages the same way.
    const first = await listGroupMembers(teamId, id, { search: "sam" }, 4);
    expect(first.members).toHaveLength(4);
    const second = await listGroupMembers(teamId, id, { search: "sam", after: first.nextCursor ?? undefined }, 4);
    expect(second.members).toHaveLength(3);
    expect(second.nextCursor).toBeNull();
  });

  it("answers not found for another team's group, and lists none of its members", async () => {
    const mine = await team();
    const theirs = await team();
    const member = await provision(theirs.teamId, "Their Member", "their@fabrikam.onmicrosoft.com");
    const { id } = await group(theirs.teamId, "Theirs", [member.id]);

    await expect(getGroup(mine.teamId, id)).rejects.toSatisfy((e) => e instanceof AppError && e.code === "not_found");
    await expect(getGroup(mine.teamId, "no-such-group")).rejects.toBeInstanceOf(AppError);
    expect(await names(mine.teamId, id)).toEqual([]);
    expect(await getGroup(theirs.teamId, id)).toMatchObject({ displayName: "Theirs", memberCount: 1 });
  });

  it("searches a group's members through the members directory's prefix indexes", async () => {
    const { teamId } = await team();
    const db = await getDb();
    // Enough members that reading them all costs more than an index range scan.
    await db.$executeRaw`
      INSERT INTO "User" ("id", "teamId", "name", "email", "userName", "userNameKey", "updatedAt")
      SELECT md5('plan-' || i), ${teamId}, 'Person ' || lpad(i::text, 5, '0'), 'p' || i || '@contoso.com',
             'upn' || i || '@contoso.onmicrosoft.com', 'upn' || i || '@contoso.onmicrosoft.com', now()
      FROM generate_series(1, 3000) AS i`;
    const { id } = await group(teamId, "Planned", []);
    await db.$executeRaw`INSERT INTO "GroupMember" ("groupId", "userId") SELECT ${id}, md5('plan-' || i) FROM generate_series(1, 3000, 3) AS i`;
    await db.$executeRawUnsafe(`ANALYZE "User"`);
    await db.$executeRawUnsafe(`ANALYZE "GroupMember"`);
    const plan = (
      await db.$queryRaw<{ "QUERY PLAN": string }[]>(
        Prisma.sql`EXPLAIN ${groupMembersSql(teamId, id, { search: "upn12" }, 51)}`,
      )
    )
      .map((r) => r["QUERY PLAN"])
      .join("\n");
    expect(plan).toContain("User_members_name_prefix_idx");
    expect(plan).toContain("User_members_email_prefix_idx");
    expect(plan).not.toMatch(/Seq Scan on "User"/);
    expect(await names(teamId, id, { search: "upn1234@" })).toEqual(["Person 01234"]);
  });
});
