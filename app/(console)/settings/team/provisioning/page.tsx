import type { Metadata } from "next";
import Link from "next/link";
import { AdminsOnly } from "@/components/console/admins-only";
import { Card, EmptyState } from "@/components/ui/card";
import { isAdmin, requireUser } from "@/lib/auth/guards";
import { listScimRequestLog } from "@/lib/provisioning/list-request-log";
import { getRequestLogStats } from "@/lib/provisioning/request-log";
import { getRoleMappingView } from "@/lib/provisioning/role-mapping";
import { DataTable } from "@/components/ui/table";
import { RoleMapping } from "./_components/role-mapping";

export const metadata: Metadata = { title: "Provisioning" };

export default async function ProvisioningPage({ searchParams }: { searchParams: Promise<{ before?: string }> }) {
  const user = await requireUser();
  if (!isAdmin(user)) return <AdminsOnly />;
  const beforeParam = (await searchParams).before;
  const before = beforeParam && !Number.isNaN(Date.parse(beforeParam)) ? new Date(beforeParam) : undefined;
  const [entries, roleMapping] = await Promise.all([listScimRequestLog(user.teamId, { before }), getRoleMappingView(user.teamId)]);
  return (
    <div className="space-y-6">
      <Card title="Role mapping" description="Entra app roles → Storegate roles for provisioned members.">
        <RoleMapping teamId={user.teamId} initial={roleMapping} />
      </Card>
      <ProvisioningLog entries={entries} before={before} />
    </div>
  );
}

function ProvisioningLog({ entries, before }: { entries: Awaited<ReturnType<typeof listScimRequestLog>>; before: Date | undefined }) {
  if (entries.length === 0 && !before) {
    return (
      <EmptyState title="No provisioning activity">
        When Microsoft Entra ID provisions your team, every user and group it creates, updates, disables or deletes will be listed here. Connect it under{" "}
        <Link href="/settings/team/settings" className="font-medium text-brand-700 hover:underline">Settings</Link>.
      </EmptyState>
    );
  }
  const last = entries.at(-1);
  const { dropped } = getRequestLogStats();
  return (
    <Card title="Provisioning log" description="Every request Microsoft Entra ID made with your provisioning tokens, newest first. Secrets are removed from the recorded bodies.">
      {dropped > 0 && (
        <p role="alert" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 ring-1 ring-inset ring-amber-200">
          {dropped === 1 ? "1 provisioning log entry" : `${dropped} provisioning log entries`} could not be saved since the server started; this log may be incomplete.
          The server log has a warning line for each.
        </p>
      )}
      <DataTable caption="Provisioning log" columns={["When (UTC)", "Operation", "Request", "Result"]}>
        {entries.map((e) => (
          <tr key={e.id}>
            <td className="whitespace-nowrap px-5 py-2 text-slate-600">{e.at.slice(0, 19).replace("T", " ")}</td>
            <td className="px-5 py-2 font-medium">{e.operation}</td>
            <td className="max-w-md break-all px-5 py-2 font-mono text-xs text-slate-600">
              {e.method} {e.path}
            </td>
            <td className="px-5 py-2">
              <span className={e.status < 400 ? "text-emerald-700" : "text-red-700"}>{e.status}</span>
              {e.scimType && <span className="ml-1 text-slate-600">{e.scimType}</span>}
              {e.detail && <p className="mt-0.5 max-w-sm text-xs text-slate-600">{e.detail}</p>}
              <span className="block text-xs text-slate-400">{e.durationMs} ms</span>
            </td>
          </tr>
        ))}
      </DataTable>
      {last && entries.length >= 50 && (
        <nav aria-label="Provisioning log pages" className="mt-4 text-sm">
          <Link className="rounded-md px-3 py-1.5 ring-1 ring-inset ring-slate-300 hover:bg-slate-50" href={`/settings/team/provisioning?before=${encodeURIComponent(last.at)}`}>
            Older entries
          </Link>
        </nav>
      )}
    </Card>
  );
}
