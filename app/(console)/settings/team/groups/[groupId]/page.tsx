import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AdminsOnly } from "@/components/console/admins-only";
import { ProvisioningHistory } from "@/components/provisioning/provisioning-history";
import { Card } from "@/components/ui/card";
import { formatWhen } from "@/lib/format-dates";
import { DataTable } from "@/components/ui/table";
import { isAdmin, requireUser } from "@/lib/auth/guards";
import { AppError } from "@/lib/errors";
import { getGroup, type GroupDetail } from "@/lib/groups/get-group";
import { listGroupMembers, parseGroupMembersQuery } from "@/lib/groups/list-group-members";
import { listScimRequestLog } from "@/lib/provisioning/list-request-log";

export const metadata: Metadata = { title: "Group" };

const HISTORY_SIZE = 20;

type Search = Record<string, string | string[] | undefined>;

async function findGroup(teamId: string, groupId: string): Promise<GroupDetail> {
  try {
    return await getGroup(teamId, groupId);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
}

export default async function GroupPage({
  params,
  searchParams,
}: {
  params: Promise<{ groupId: string }>;
  searchParams: Promise<Search>;
}) {
  const user = await requireUser();
  if (!isAdmin(user)) return <AdminsOnly />;
  const { groupId } = await params;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(await searchParams)) if (typeof value === "string") search.set(key, value);
  const query = parseGroupMembersQuery(search);
  const group = await findGroup(user.teamId, groupId);
  const [members, history] = await Promise.all([
    listGroupMembers(user.teamId, group.id, query),
    listScimRequestLog(user.teamId, { filter: { target: group.id }, limit: HISTORY_SIZE }),
  ]);
  const base = `/settings/team/groups/${encodeURIComponent(group.id)}`;
  const next = new URLSearchParams();
  if (query.search) next.set("q", query.search);
  if (members.nextCursor) next.set("after", members.nextCursor);
  const link = "rounded-md px-3 py-1.5 ring-1 ring-inset ring-slate-300 hover:bg-slate-50";
  return (
    <div className="space-y-6">
      <Link href="/settings/team/groups" className="text-sm font-medium text-brand-700 hover:underline">
        ← All groups
      </Link>
      <Card title={group.displayName} description="Provisioned by Microsoft Entra ID.">
        <dl className="grid grid-cols-1 gap-x-4 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]">
          <dt className="text-slate-500">Display name</dt>
          <dd className="break-all">{group.displayName}</dd>
          <dt className="text-slate-500">Entra ID (externalId)</dt>
          <dd className="break-all font-mono text-xs">{group.externalId ?? "—"}</dd>
          <dt className="text-slate-500">Members</dt>
          <dd>{group.memberCount}</dd>
          <dt className="text-slate-500">Last change</dt>
          <dd>{formatWhen(group.updatedAt)}</dd>
        </dl>
      </Card>

      <Card
        title="Group members"
        description={`${group.memberCount} ${group.memberCount === 1 ? "member" : "members"}`}
      >
        <form
          method="get"
          action={base}
          role="search"
          aria-label="Search this group"
          className="mb-4 flex flex-wrap items-end gap-2 text-sm"
        >
          <label className="text-slate-700">
            Search group members
            <input
              name="q"
              defaultValue={query.search ?? ""}
              placeholder="Name, email or UPN starts with…"
              className="mt-1 block w-64 max-w-full rounded-md border-0 px-2 py-1.5 text-sm ring-1 ring-inset ring-slate-300"
            />
          </label>
          <button
            type="submit"
            className="rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700"
          >
            Search
          </button>
          {query.search && (
            <Link href={base} className={link}>
              Clear
            </Link>
          )}
        </form>
        {members.members.length > 0 ? (
          <DataTable caption="Group members" columns={["Name", "UPN", "Status"]}>
            {members.members.map((m) => (
              <tr key={m.id}>
                <td className="px-5 py-2.5 font-medium">
                  <Link
                    href={`/settings/team/members/${encodeURIComponent(m.id)}`}
                    className="text-brand-700 hover:underline"
                  >
                    {m.name}
                  </Link>
                </td>
                <td className="break-all px-5 py-2.5 text-slate-600">{m.userName ?? m.email}</td>
                <td className="px-5 py-2.5">{m.active ? "Active" : "Disabled"}</td>
              </tr>
            ))}
          </DataTable>
        ) : (
          <p className="text-sm text-slate-600">
            {query.search ? "No member of this group matches this search." : "This group has no members."}
          </p>
        )}
        {(query.after || members.nextCursor) && (
          <nav aria-label="Group members pages" className="mt-4 flex gap-3 text-sm">
            {query.after && (
              <Link className={link} href={query.search ? `${base}?q=${encodeURIComponent(query.search)}` : base}>
                First page
              </Link>
            )}
            {members.nextCursor && (
              <Link className={link} href={`${base}?${next}`}>
                Next page
              </Link>
            )}
          </nav>
        )}
      </Card>

      <ProvisioningHistory targetId={group.id} about="group" entries={history.entries} limit={HISTORY_SIZE} />
    </div>
  );
}
