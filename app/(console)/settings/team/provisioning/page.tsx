import type { Metadata } from "next";
import Link from "next/link";
import { AdminsOnly } from "@/components/console/admins-only";
import { Card, EmptyState } from "@/components/ui/card";
import { formatLogTime } from "@/lib/format-dates";
import { isAdmin, requireUser } from "@/lib/auth/guards";
import { getProvisioningHealth } from "@/lib/provisioning/health";
import {
  decodeCursor,
  listScimRequestLog,
  LOG_RANGES,
  logFilterParams,
  parseLogFilter,
  type LogFilter,
  type ScimLogView,
} from "@/lib/provisioning/list-request-log";
import { getRequestLogStats } from "@/lib/provisioning/request-log";
import { getRoleMappingView } from "@/lib/provisioning/role-mapping";
import { SCIM_OPERATIONS } from "@/lib/scim/operation-labels";
import { DataTable } from "@/components/ui/table";
import { ProvisioningActivityPanel } from "./_components/activity";
import { ProvisioningHealthPanel } from "@/components/provisioning/provisioning-health";
import { ProvisioningCheck } from "./_components/provisioning-check";
import { RoleMapping } from "./_components/role-mapping";

export const metadata: Metadata = { title: "Provisioning" };

type Search = Record<string, string | string[] | undefined>;

function toParams(search: Search): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) if (typeof value === "string") params.set(key, value);
  return params;
}

export default async function ProvisioningPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUser();
  if (!isAdmin(user)) return <AdminsOnly />;
  const params = toParams(await searchParams);
  const filter = parseLogFilter(params);
  const cursorParam = params.get("cursor");
  const cursor = cursorParam ? decodeCursor(cursorParam) : null;
  const now = new Date();
  const [log, roleMapping, health] = await Promise.all([
    listScimRequestLog(user.teamId, { filter, cursor, now }),
    getRoleMappingView(user.teamId),
    getProvisioningHealth(user.teamId, now),
  ]);
  const filtered = logFilterParams(filter).size > 0 || cursor !== null;
  return (
    <div className="space-y-6">
      <ProvisioningHealthPanel health={health} now={now} />
      <ProvisioningActivityPanel teamId={user.teamId} now={now} />
      <ProvisioningCheck teamId={user.teamId} />
      <Card title="Role mapping" description="Entra app roles → Storegate roles for provisioned members.">
        <RoleMapping teamId={user.teamId} initial={roleMapping} />
      </Card>
      <ProvisioningLog
        teamId={user.teamId}
        entries={log.entries}
        nextCursor={log.nextCursor}
        filter={filter}
        filtered={filtered}
      />
    </div>
  );
}

function LogFilters({ teamId, filter }: { teamId: string; filter: LogFilter }) {
  const csv = logFilterParams(filter);
  csv.set("format", "csv");
  const select = "mt-1 block rounded-md border-0 px-2 py-1.5 text-sm ring-1 ring-inset ring-slate-300";
  return (
    <form
      method="get"
      action="/settings/team/provisioning"
      className="mb-4 flex flex-wrap items-end gap-3 text-sm"
      aria-label="Filter the provisioning log"
    >
      <label className="text-slate-700">
        Outcome
        <select name="outcome" defaultValue={filter.outcome ?? "all"} className={select}>
          <option value="all">All</option>
          <option value="errors">Errors only</option>
        </select>
      </label>
      <label className="text-slate-700">
        Operation
        <select name="operation" defaultValue={filter.operation ?? ""} className={select}>
          <option value="">Any</option>
          {[...new Set<string>([...SCIM_OPERATIONS, ...(filter.operation ? [filter.operation] : [])])].map((op) => (
            <option key={op} value={op}>
              {op}
            </option>
          ))}
        </select>
      </label>
      <label className="text-slate-700">
        Target ID
        <input name="target" defaultValue={filter.target ?? ""} className={select} placeholder="Member or group id" />
      </label>
      <label className="text-slate-700">
        Time range
        <select name="range" defaultValue={filter.range ?? ""} className={select}>
          <option value="">All time</option>
          {Object.keys(LOG_RANGES).map((range) => (
            <option key={range} value={range}>
              Last {range}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700">
        Apply filters
      </button>
      <a
        href={`/api/teams/${teamId}/provisioning-log?${csv}`}
        className="rounded-md px-3 py-1.5 ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
        download
      >
        Export CSV
      </a>
    </form>
  );
}

const pretty = (value: unknown) => (value === null || value === undefined ? "(none)" : JSON.stringify(value, null, 2));

function ProvisioningLog({
  teamId,
  entries,
  nextCursor,
  filter,
  filtered,
}: {
  teamId: string;
  entries: ScimLogView[];
  nextCursor: string | null;
  filter: LogFilter;
  filtered: boolean;
}) {
  if (entries.length === 0 && !filtered) {
    return (
      <EmptyState title="No provisioning activity">
        When Microsoft Entra ID provisions your team, every user and group it creates, updates, disables or deletes will
        be listed here. Connect it under{" "}
        <Link href="/settings/team/settings" className="font-medium text-brand-700 hover:underline">
          Settings
        </Link>
        .
      </EmptyState>
    );
  }
  const { dropped } = getRequestLogStats();
  const next = logFilterParams(filter);
  if (nextCursor) next.set("cursor", nextCursor);
  return (
    <Card
      title="Provisioning log"
      description="Every request Microsoft Entra ID made with your provisioning tokens, newest first. Secrets are removed from the recorded bodies."
    >
      {dropped > 0 && (
        <p
          role="alert"
          className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 ring-1 ring-inset ring-amber-200"
        >
          {dropped === 1 ? "1 provisioning log entry" : `${dropped} provisioning log entries`} could not be saved since
          the server started; this log may be incomplete. The server log has a warning line for each.
        </p>
      )}
      <LogFilters teamId={teamId} filter={filter} />
      {entries.length === 0 ? (
        <p className="text-sm text-slate-600">No entries match these filters.</p>
      ) : (
        <DataTable caption="Provisioning log" columns={["When (UTC)", "Operation", "Target", "Request", "Result"]}>
          {entries.map((e) => (
            <tr key={e.id}>
              <td className="whitespace-nowrap px-5 py-2 text-slate-600">{formatLogTime(e.at)}</td>
              <td className="px-5 py-2 font-medium">{e.operation}</td>
              <td className="px-5 py-2">
                {e.target ? (
                  <Link
                    href={
                      e.target.kind === "group"
                        ? `/settings/team/groups/${encodeURIComponent(e.targetId ?? "")}`
                        : `/settings/team/provisioning?target=${encodeURIComponent(e.targetId ?? "")}`
                    }
                    className="text-brand-700 hover:underline"
                    title={`${e.target.kind === "user" ? "User" : "Group"} ${e.targetId}`}
                  >
                    {e.target.name}
                  </Link>
                ) : (
                  <span className="font-mono text-xs text-slate-500">{e.targetId ?? "—"}</span>
                )}
              </td>
              <td className="max-w-md break-all px-5 py-2 font-mono text-xs text-slate-600">
                {e.method} {e.path}
                <details className="mt-1 font-sans">
                  <summary className="cursor-pointer text-brand-700">Request and response</summary>
                  <p className="mt-1 text-xs font-medium text-slate-700">Request body</p>
                  <pre className="max-h-64 overflow-auto whitespace-pre-wrap rounded bg-slate-50 p-2 font-mono text-xs">
                    {pretty(e.requestBody)}
                  </pre>
                  <p className="mt-1 text-xs font-medium text-slate-700">Response body</p>
                  <pre className="max-h-64 overflow-auto whitespace-pre-wrap rounded bg-slate-50 p-2 font-mono text-xs">
                    {pretty(e.responseBody)}
                  </pre>
                </details>
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
      )}
      <nav aria-label="Provisioning log pages" className="mt-4 flex gap-3 text-sm">
        {filtered && (
          <Link
            className="rounded-md px-3 py-1.5 ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
            href="/settings/team/provisioning"
          >
            Newest, unfiltered
          </Link>
        )}
        {nextCursor && (
          <Link
            className="rounded-md px-3 py-1.5 ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
            href={`/settings/team/provisioning?${next}`}
          >
            Older entries
          </Link>
        )}
      </nav>
    </Card>
  );
}
