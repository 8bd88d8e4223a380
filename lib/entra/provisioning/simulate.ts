/**
 * Replays what Microsoft Entra ID's provisioning service does against a SCIM Tenant URL:
 * Test Connection, an initial cycle and an incremental cycle, in either PATCH dialect, on a
 * synthetic directory generated from a seed (the same seed always sends the same requests).
 * Sources: Microsoft's "Tutorial: Develop and plan provisioning for a SCIM endpoint", "How
 * Application Provisioning works" and "Known issues and resolutions with SCIM 2.0 protocol compliance".
 */
import { checks, ScimClient, type Dialect, type Failure } from "./client";
import { createPrng, type Prng } from "./prng";

export type { Dialect, Failure };
export type Cycle = "initial" | "incremental";

export type SimulationOptions = {
  tenantUrl: string;
  token: string;
  users?: number;
  groups?: number;
  membersPerGroup?: number;
  dialect?: Dialect;
  cycles?: Cycle[];
  concurrency?: number;
  seed?: string | number;
  /** Members per PATCH when filling a group. */
  memberBatchSize?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  onProgress?: (progress: { phase: string; done: number; total: number }) => void;
};

export type SimulationReport = {
  ok: boolean;
  seed: string | number;
  dialect: Dialect;
  cycles: Cycle[];
  users: number;
  groups: number;
  operations: Record<string, { ok: number; failed: number }>;
  requests: number;
  throttled: number;
  failureCount: number;
  failures: Failure[];
  durationMs: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number };
};

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const GROUP_AAD = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const GIVEN = [
  "Adele",
  "Alex",
  "Diego",
  "Grady",
  "Henrietta",
  "Isaiah",
  "Johanna",
  "Joni",
  "Lee",
  "Lidia",
  "Lynne",
  "Megan",
  "Miriam",
  "Nestor",
  "Patti",
  "Pradeep",
];
const FAMILY = [
  "Vance",
  "Wilber",
  "Siciliani",
  "Archie",
  "Mueller",
  "Langer",
  "Lorenz",
  "Sherman",
  "Gu",
  "Holloway",
  "Robbins",
  "Bowen",
  "Graham",
  "Wilke",
  "Fernandez",
  "Gupta",
];
const APP_ROLES = ["User", "Reader", "Contributor"].map((value, i) => ({
  id: `5d3c7e0${i}-9a4b-4c1d-8e2f-0a1b2c3d4e5f`,
  value,
  displayName: `${value} role`,
}));

type SimUser = {
  index: number;
  objectId: string;
  userName: string;
  givenName: string;
  familyName: string;
  mail: string;
  role: (typeof APP_ROLES)[number];
  manager?: number;
  id?: string;
  deleted?: boolean;
};
type SimGroup = { index: number; objectId: string; displayName: string; members: number[]; id?: string };

const quote = (value: string) => `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
const filterQuery = (expr: string) => `filter=${encodeURIComponent(expr)}`;

function buildDirectory(prng: Prng, seed: string | number, users: number, groups: number, membersPerGroup: number) {
  const tag =
    String(seed)
      .replace(/[^0-9A-Za-z]/g, "")
      .slice(0, 16) || "0";
  const domain = `sim${tag}.example.com`;
  const simUsers: SimUser[] = Array.from({ length: users }, (_, index) => {
    const givenName = prng.pick(GIVEN);
    const familyName = prng.pick(FAMILY);
    const userName = `${givenName}.${familyName}.${index}@${domain}`.toLowerCase();
    // About two thirds report to someone created before them: Entra writes these references last.
    const manager = index > 0 && prng.next() < 0.66 ? prng.int(index) : undefined;
    return {
      index,
      objectId: prng.guid(),
      userName,
      givenName,
      familyName,
      mail: userName,
      role: prng.pick(APP_ROLES),
      manager,
    };
  });
  const simGroups: SimGroup[] = Array.from({ length: groups }, (_, index) => {
    const members = new Set<number>();
    const want = Math.min(membersPerGroup, users);
    while (members.size < want) members.add(prng.int(users));
    return {
      index,
      objectId: prng.guid(),
      displayName: `Sim ${tag} Group ${index}`,
      members: [...members].sort((a, b) => a - b),
    };
  });
  return { simUsers, simGroups };
}

/** Runs `tasks` with at most `limit` objects in progress at once, as Entra works several objects in parallel. */
async function pool<T>(items: T[], limit: number, task: (item: T) => Promise<void>, tick: () => void) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await task(item);
      tick();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

export async function simulateProvisioning(options: SimulationOptions): Promise<SimulationReport> {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const dialect: Dialect =
    options.dialect ?? (/[?&]aadOptscim062020\b/.test(options.tenantUrl) ? "aadOptscim062020" : "default");
  const cycles = options.cycles ?? ["initial", "incremental"];
  const concurrency = options.concurrency ?? 5;
  const batchSize = options.memberBatchSize ?? 50;
  const prng = createPrng(seed);
  const { simUsers, simGroups } = buildDirectory(
    prng,
    seed,
    options.users ?? 20,
    options.groups ?? 2,
    options.membersPerGroup ?? 5,
  );
  const client = new ScimClient({
    tenantUrl: options.tenantUrl,
    token: options.token,
    concurrency,
    fetch: options.fetch,
    sleep: options.sleep,
  });
  const flagged = dialect === "aadOptscim062020";
  // Default dialect: capitalised ops and booleans as "True"/"False"; aadOptscim062020: RFC 7644 forms.
  const op = (name: "add" | "replace" | "remove") => (flagged ? name : name[0]!.toUpperCase() + name.slice(1));
  const bool = (value: boolean) => (flagged ? value : value ? "True" : "False");
  const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });
  const roleValue = (role: (typeof APP_ROLES)[number]) => ({
    primary: false,
    type: "WindowsAzureActiveDirectoryRole",
    display: role.displayName,
    value: JSON.stringify(role),
  });
  const started = performance.now();

  const phase = async <T>(name: string, items: T[], task: (item: T) => Promise<void>) => {
    let done = 0;
    options.onProgress?.({ phase: name, done, total: items.length });
    await pool(items, concurrency, task, () =>
      options.onProgress?.({ phase: name, done: ++done, total: items.length }),
    );
  };

  // Test Connection: a user and a group that cannot exist, by a random GUID; only 200 + empty list is right.
  await phase("test connection", ["users", "groups"], async (kind) => {
    const probe = prng.guid();
    if (kind === "users")
      await client.send(
        "testConnectionUsers",
        probe,
        "GET",
        `/Users?${filterQuery(`userName eq ${quote(probe)}`)}`,
        undefined,
        checks.list(0),
      );
    else
      await client.send(
        "testConnectionGroups",
        probe,
        "GET",
        `/Groups?excludedAttributes=members&${filterQuery(`displayName eq ${quote(probe)}`)}`,
        undefined,
        checks.list(0),
      );
  });

  const findUser = async (user: SimUser) => {
    const found = await client.send(
      "findUser",
      user.userName,
      "GET",
      `/Users?${filterQuery(`userName eq ${quote(user.userName)}`)}`,
      undefined,
      checks.list(1),
    );
    if (!found) return null;
    const resources =
      (found.body as { Resources?: { id: string; active?: unknown; displayName?: unknown }[] }).Resources ?? [];
    return { found: true, resource: resources[0] };
  };

  if (cycles.includes("initial")) {
    await phase("users", simUsers, async (user) => {
      const match = await findUser(user);
      if (!match) return;
      if (match.resource) {
        user.id = match.resource.id;
        // Matched: Entra sends only what differs; the synthetic directory always owns these values.
        await client.send(
          "updateUser",
          user.userName,
          "PATCH",
          `/Users/${encodeURIComponent(user.id)}`,
          patch(...userReplaceOps(user)),
          checks.patched,
        );
        return;
      }
      const created = await client.send(
        "createUser",
        user.userName,
        "POST",
        "/Users",
        {
          schemas: [USER, ENTERPRISE],
          externalId: user.objectId,
          userName: user.userName,
          active: true,
          displayName: `${user.givenName} ${user.familyName}`,
          emails: [{ primary: true, type: "work", value: user.mail }],
          meta: { resourceType: "User" },
          name: {
            formatted: `${user.givenName} ${user.familyName}`,
            familyName: user.familyName,
            givenName: user.givenName,
          },
          roles: [roleValue(user.role)],
          [ENTERPRISE]: { employeeNumber: String(1000 + user.index) },
        },
        checks.created({ userName: user.userName }),
      );
      if (created) user.id = (created.body as { id: string }).id;
    });

    await phase("groups", simGroups, async (group) => {
      const found = await client.send(
        "findGroup",
        group.displayName,
        "GET",
        `/Groups?excludedAttributes=members&${filterQuery(`displayName eq ${quote(group.displayName)}`)}`,
        undefined,
        checks.list(1),
      );
      if (!found) return;
      const existing = ((found.body as { Resources?: { id: string }[] }).Resources ?? [])[0];
      if (existing) group.id = existing.id;
      else {
        // Groups are created without members; members follow by PATCH.
        const created = await client.send(
          "createGroup",
          group.displayName,
          "POST",
          "/Groups",
          {
            schemas: [GROUP, GROUP_AAD],
            externalId: group.objectId,
            displayName: group.displayName,
            meta: { resourceType: "Group" },
          },
          checks.created({ displayName: group.displayName }),
        );
        if (!created) return;
        group.id = (created.body as { id: string }).id;
      }
      const ids = group.members.map((m) => simUsers[m]!.id).filter((id): id is string => !!id);
      for (let i = 0; i < ids.length; i += batchSize) {
        const value = ids.slice(i, i + batchSize).map((id) => ({ $ref: null, value: id }));
        await client.send(
          "addMembers",
          group.displayName,
          "PATCH",
          `/Groups/${encodeURIComponent(group.id)}`,
          patch({ op: op("add"), path: "members", value }),
          checks.groupPatched,
        );
      }
    });

    // References last, once both ends exist: the manager as a bare string id.
    await phase(
      "managers",
      simUsers.filter((u) => u.manager !== undefined && u.id && simUsers[u.manager]!.id),
      async (user) => {
        await client.send(
          "setManager",
          user.userName,
          "PATCH",
          `/Users/${encodeURIComponent(user.id!)}`,
          patch({ op: op("add"), path: `${ENTERPRISE}:manager`, value: simUsers[user.manager!]!.id }),
          checks.patched,
        );
      },
    );
  }

  if (cycles.includes("incremental")) {
    if (!cycles.includes("initial")) {
      // Entra keeps the ids it linked; without the initial cycle in this run, recover them by the matching attribute.
      await phase("link", simUsers, async (user) => {
        const match = await findUser(user);
        if (match?.resource) user.id = match.resource.id;
      });
      await phase("link groups", simGroups, async (group) => {
        const found = await client.send(
          "findGroup",
          group.displayName,
          "GET",
          `/Groups?excludedAttributes=members&${filterQuery(`displayName eq ${quote(group.displayName)}`)}`,
          undefined,
          checks.list(1),
        );
        group.id = ((found?.body as { Resources?: { id: string }[] } | undefined)?.Resources ?? [])[0]?.id;
      });
    }
    const linked = simUsers.filter((u) => u.id);
    const order = [...linked];
    for (let i = order.length - 1; i > 0; i--) {
      const j = prng.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    // About 10 % of users change; each kind of change gets at least one user when there are enough.
    const kinds = ["attributes", "role", "disable", "restore", "rename", "hardDelete"] as const;
    const touched = Math.min(order.length, Math.max(kinds.length, Math.ceil(linked.length * 0.1)));
    // Values are drawn here, in a fixed order, so that concurrency cannot change what a seed sends.
    const changes = order
      .slice(0, touched)
      .map((user, i) => ({ user, kind: kinds[i % kinds.length]!, suffix: prng.int(1000) }));

    await phase(
      "user changes",
      changes.filter((c) => c.kind !== "hardDelete"),
      async ({ user, kind, suffix }) => {
        const path = `/Users/${encodeURIComponent(user.id!)}`;
        if (kind === "attributes") {
          user.familyName = `${user.familyName}-${suffix}`;
          user.mail = `${user.givenName}.${user.familyName}.${user.index}@mail.example.com`.toLowerCase();
          await client.send(
            "updateAttributes",
            user.userName,
            "PATCH",
            path,
            patch(...userReplaceOps(user)),
            checks.patched,
          );
        } else if (kind === "role") {
          const previous = user.role;
          user.role = APP_ROLES.find((r) => r !== previous)!;
          await client.send(
            "changeRole",
            user.userName,
            "PATCH",
            path,
            patch(
              { op: op("remove"), path: "roles", value: [roleValue(previous)] },
              { op: op("add"), path: "roles", value: [roleValue(user.role)] },
            ),
            checks.patched,
          );
        } else if (kind === "disable" || kind === "restore") {
          // Soft delete (unassigned, blocked, or deleted in Entra) is PATCH active=false; the user stays findable.
          if (
            !(await client.send(
              "disableUser",
              user.userName,
              "PATCH",
              path,
              patch({ op: op("replace"), path: "active", value: bool(false) }),
              checks.patched,
            ))
          )
            return;
          // A soft-deleted user must still be found by its userName.
          await client.send(
            "findDisabledUser",
            user.userName,
            "GET",
            `/Users?${filterQuery(`userName eq ${quote(user.userName)}`)}`,
            undefined,
            checks.list(1, 1),
          );
          if (kind === "restore")
            await client.send(
              "enableUser",
              user.userName,
              "PATCH",
              path,
              patch({ op: op("replace"), path: "active", value: bool(true) }),
              checks.patched,
            );
        } else if (kind === "rename") {
          user.userName = user.userName.replace("@", ".renamed@");
          await client.send(
            "renameUser",
            user.userName,
            "PATCH",
            path,
            patch({ op: op("replace"), path: "userName", value: user.userName }),
            checks.patched,
          );
        }
      },
    );

    const deleted = changes.filter((c) => c.kind === "hardDelete").map((c) => c.user);
    const deletedIds = new Set(deleted.map((u) => u.index));
    const groupChanges = simGroups.filter((g) => g.id).slice(0, Math.max(1, Math.ceil(simGroups.length * 0.1)));
    await phase("group changes", groupChanges, async (group) => {
      const path = `/Groups/${encodeURIComponent(group.id!)}`;
      const outsider = linked.find((u) => !group.members.includes(u.index) && !deletedIds.has(u.index));
      if (outsider) {
        await client.send(
          "addMembers",
          group.displayName,
          "PATCH",
          path,
          patch({ op: op("add"), path: "members", value: [{ $ref: null, value: outsider.id }] }),
          checks.groupPatched,
        );
        group.members.push(outsider.index);
      }
      const leaver = group.members
        .map((m) => simUsers[m]!)
        .find((u) => u.id && u !== outsider && !deletedIds.has(u.index));
      if (leaver) {
        // Default dialect removes by a value list; aadOptscim062020 by a value filter in the path.
        const removal = flagged
          ? { op: "remove", path: `members[value eq ${quote(leaver.id!)}]` }
          : { op: "Remove", path: "members", value: [{ $ref: null, value: leaver.id }] };
        await client.send("removeMembers", group.displayName, "PATCH", path, patch(removal), checks.groupPatched);
        group.members = group.members.filter((m) => m !== leaver.index);
      }
      group.displayName = `${group.displayName} (renamed)`;
      await client.send(
        "renameGroup",
        group.displayName,
        "PATCH",
        path,
        patch({ op: op("replace"), path: "displayName", value: group.displayName }),
        checks.groupPatched,
      );
    });

    // Hard delete (deleted in Entra for good): DELETE, after which the id must answer 404.
    await phase("deletes", deleted, async (user) => {
      const path = `/Users/${encodeURIComponent(user.id!)}`;
      if (!(await client.send("deleteUser", user.userName, "DELETE", path, undefined, checks.deleted))) return;
      user.deleted = true;
      await client.send("getDeletedUser", user.userName, "GET", path, undefined, checks.notFound);
    });
  }

  const durationMs = performance.now() - started;
  const sorted = [...client.latencies].sort((a, b) => a - b);
  const percentile = (p: number) =>
    sorted.length
      ? Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! * 10) / 10
      : 0;
  return {
    ok: client.failures.length === 0,
    seed,
    dialect,
    cycles,
    users: simUsers.length,
    groups: simGroups.length,
    operations: client.counts,
    requests: client.requests,
    throttled: client.throttled,
    failureCount: client.failures.length,
    failures: client.failures.slice(0, 20),
    durationMs: Math.round(durationMs),
    requestsPerSecond: durationMs > 0 ? Math.round((client.requests / durationMs) * 10000) / 10 : 0,
    latencyMs: { p50: percentile(50), p99: percentile(99) },
  };

  function userReplaceOps(user: SimUser) {
    const displayName = `${user.givenName} ${user.familyName}`;
    const email = { op: op("replace"), path: 'emails[type eq "work"].value', value: user.mail };
    // Default dialect: one Replace per path; aadOptscim062020: the filtered path plus one path-less replace with dotted
    // keys.
    if (flagged)
      return [
        email,
        {
          op: "replace",
          value: {
            displayName,
            "name.givenName": user.givenName,
            "name.familyName": user.familyName,
            "name.formatted": displayName,
            active: true,
          },
        },
      ];
    return [
      { op: "Replace", path: "displayName", value: displayName },
      email,
      { op: "Replace", path: "name.givenName", value: user.givenName },
      { op: "Replace", path: "name.familyName", value: user.familyName },
      { op: "Replace", path: "name.formatted", value: displayName },
      { op: "Replace", path: "active", value: "True" },
    ];
  }
}
