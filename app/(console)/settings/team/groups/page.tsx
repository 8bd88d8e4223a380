import type { Metadata } from "next";
import Link from "next/link";
import { Card, EmptyState } from "@/components/ui/card";
import { formatWhen } from "@/lib/format-dates";
import { Pager } from "@/components/ui/pager";
import { AdminsOnly } from "@/components/console/admins-only";
import { isAdmin, requireUser } from "@/lib/auth/guards";
import { listGroups } from "@/lib/groups/list-groups";
import { DataTable } from "@/components/ui/table";

export const metadata: Metadata = { title: "Groups" };

export default async function GroupsPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const user = await requireUser();
  if (!isAdmin(user)) return <AdminsOnly />;
  const { groups, total, page, pageSize } = await listGroups(user.teamId, Number((await searchParams).page ?? "1"));
  if (total === 0) {
    return (
      <EmptyState title="No groups yet">
        Groups arrive from Microsoft Entra ID once single sign-on and provisioning are connected. They will be listed
        here with their members.
      </EmptyState>
    );
  }
  return (
    <Card
      title="Groups"
      description={`${total} ${total === 1 ? "group" : "groups"}, provisioned by Microsoft Entra ID.`}
    >
      <DataTable caption="Groups" columns={["Name", "Members", "Entra ID", "Last change"]}>
        {groups.map((g) => (
          <tr key={g.id}>
            <td className="px-5 py-2.5 font-medium">
              <Link
                href={`/settings/team/groups/${encodeURIComponent(g.id)}`}
                className="text-brand-700 hover:underline"
              >
                {g.displayName}
              </Link>
            </td>
            <td className="px-5 py-2.5">{g.memberCount}</td>
            <td className="px-5 py-2.5 font-mono text-xs text-slate-600">{g.externalId ?? "—"}</td>
            <td className="px-5 py-2.5 text-slate-600">{formatWhen(g.updatedAt)}</td>
          </tr>
        ))}
      </DataTable>
      <Pager label="Groups pages" page={page} total={total} pageSize={pageSize} basePath="/settings/team/groups" />
    </Card>
  );
}
