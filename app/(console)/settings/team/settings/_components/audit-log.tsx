import type { AuditEventView } from "@/lib/audit/list-audit-events";
import { DataTable } from "@/components/ui/table";

export function AuditLog({ events }: { events: AuditEventView[] }) {
  if (events.length === 0) return <p className="text-sm text-slate-600">Nothing recorded yet.</p>;
  return (
    <DataTable caption="Audit log" columns={["When (UTC)", "Who", "What", "Outcome"]}>
      {events.map((e) => (
        <tr key={e.id}>
          <td className="whitespace-nowrap px-5 py-2 text-slate-600">{e.at.slice(0, 19).replace("T", " ")}</td>
          <td className="px-5 py-2">{e.actor}</td>
          <td className="px-5 py-2">{e.summary}</td>
          <td className={`px-5 py-2 ${e.outcome === "success" ? "text-emerald-700" : "text-red-700"}`}>{e.outcome === "success" ? "Succeeded" : "Failed"}</td>
        </tr>
      ))}
    </DataTable>
  );
}
