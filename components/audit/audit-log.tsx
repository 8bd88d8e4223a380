import type { AuditEventView } from "@/lib/audit/list-audit-events";
import { formatLogTime } from "@/lib/format-dates";
import { DataTable } from "@/components/ui/table";

const KIND_LABELS = { member: "Member", group: "Group", token: "Token", tenant: "Tenant", team: "Team" } as const;

/** Audit lines: when, who, what, to what, and whether it worked. */
export function AuditLog({ events, caption = "Audit log" }: { events: AuditEventView[]; caption?: string }) {
  if (events.length === 0) return <p className="text-sm text-slate-600">Nothing recorded yet.</p>;
  return (
    <DataTable caption={caption} columns={["When (UTC)", "Who", "What", "Target", "Outcome"]}>
      {events.map((e) => (
        <tr key={e.id}>
          <td className="whitespace-nowrap px-5 py-2 text-slate-600">{formatLogTime(e.at)}</td>
          <td className="px-5 py-2">{e.actor}</td>
          <td className="px-5 py-2">{e.summary}</td>
          <td className="break-all px-5 py-2">
            {e.target ? (
              <>
                <span className="text-xs uppercase tracking-wide text-slate-500">{KIND_LABELS[e.target.kind]}</span>{" "}
                {e.target.name}
              </>
            ) : (
              "—"
            )}
          </td>
          <td className={`px-5 py-2 ${e.outcome === "success" ? "text-emerald-700" : "text-red-700"}`}>
            {e.outcome === "success" ? "Succeeded" : "Failed"}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
