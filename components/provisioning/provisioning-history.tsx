import Link from "next/link";
import { Card } from "@/components/ui/card";
import { formatWhen } from "@/lib/format-dates";
import { DataTable } from "@/components/ui/table";
import type { ScimLogView } from "@/lib/provisioning/list-request-log";

/**
 * The latest provisioning log entries about one member or group (fetched with `limit`), with a link
 * to the whole log filtered to it.
 */
export function ProvisioningHistory({
  targetId,
  about,
  entries,
  limit,
}: {
  targetId: string;
  about: "member" | "group";
  entries: ScimLogView[];
  limit: number;
}) {
  return (
    <Card
      title="Provisioning history"
      description={`The latest ${limit} provisioning requests about this ${about}.`}
      actions={
        <Link
          href={`/settings/team/provisioning?target=${encodeURIComponent(targetId)}`}
          className="text-sm font-medium text-brand-700 hover:underline"
        >
          Open in the provisioning log
        </Link>
      }
    >
      {entries.length > 0 ? (
        <DataTable caption="Provisioning history" columns={["When", "Operation", "Result"]}>
          {entries.map((e) => (
            <tr key={e.id}>
              <td className="whitespace-nowrap px-5 py-2.5 text-slate-600">{formatWhen(e.at)}</td>
              <td className="px-5 py-2.5">{e.operation}</td>
              <td className="px-5 py-2.5">
                {e.status}
                {e.detail ? <span className="block break-all text-xs text-slate-500">{e.detail}</span> : null}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p className="text-sm text-slate-600">{`No provisioning requests about this ${about}.`}</p>
      )}
    </Card>
  );
}
