import type { AuditEventView } from "@/lib/audit/list-audit-events";

export function AuditLog({ events }: { events: AuditEventView[] }) {
  if (events.length === 0) return <p className="text-sm text-slate-600">Nothing recorded yet.</p>;
  return (
    <div className="-mx-5 overflow-x-auto">
      <table className="min-w-full text-left text-sm">
        <caption className="sr-only">Audit log</caption>
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-5 py-2 font-medium">When (UTC)</th>
            <th scope="col" className="px-5 py-2 font-medium">Who</th>
            <th scope="col" className="px-5 py-2 font-medium">What</th>
            <th scope="col" className="px-5 py-2 font-medium">Outcome</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {events.map((e) => (
            <tr key={e.id}>
              <td className="whitespace-nowrap px-5 py-2 text-slate-600">{e.at.slice(0, 19).replace("T", " ")}</td>
              <td className="px-5 py-2">{e.actor}</td>
              <td className="px-5 py-2">{e.summary}</td>
              <td className={`px-5 py-2 ${e.outcome === "success" ? "text-emerald-700" : "text-red-700"}`}>{e.outcome === "success" ? "Succeeded" : "Failed"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
