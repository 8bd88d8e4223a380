import type { Metadata } from "next";
import Link from "next/link";
import { AuditLog } from "@/components/audit/audit-log";
import { AdminsOnly } from "@/components/console/admins-only";
import { Card } from "@/components/ui/card";
import { AUDIT_CATEGORIES, listAuditPage, parseAuditQuery } from "@/lib/audit/list-audit-events";
import { isAdmin, requireUser } from "@/lib/auth/guards";

export const metadata: Metadata = { title: "Audit log" };

type Search = Record<string, string | string[] | undefined>;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUser();
  if (!isAdmin(user)) return <AdminsOnly />;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(await searchParams)) if (typeof value === "string") params.set(key, value);
  const query = parseAuditQuery(params);
  const { events, nextCursor } = await listAuditPage(user.teamId, query);
  const base = "/settings/team/audit";
  const first = query.category ? `${base}?category=${query.category}` : base;
  const next = new URLSearchParams();
  if (query.category) next.set("category", query.category);
  if (nextCursor) next.set("after", nextCursor);
  const link = "rounded-md px-3 py-1.5 ring-1 ring-inset ring-slate-300 hover:bg-slate-50";
  return (
    <Card
      title="Audit log"
      description="Everything done to the team, its members, single sign-on and provisioning tokens, newest first. Secrets are never recorded."
    >
      <form
        method="get"
        action={base}
        aria-label="Filter the audit log"
        className="mb-4 flex flex-wrap items-end gap-3 text-sm"
      >
        <label className="text-slate-700">
          Category
          <select
            name="category"
            defaultValue={query.category ?? ""}
            className="mt-1 block rounded-md border-0 px-2 py-1.5 text-sm ring-1 ring-inset ring-slate-300"
          >
            <option value="">All</option>
            {Object.entries(AUDIT_CATEGORIES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700">
          Apply filter
        </button>
      </form>
      {events.length === 0 && query.category ? (
        <p className="text-sm text-slate-600">Nothing recorded in this category.</p>
      ) : (
        <AuditLog events={events} />
      )}
      {(query.after || nextCursor) && (
        <nav aria-label="Audit log pages" className="mt-4 flex gap-3 text-sm">
          {query.after && (
            <Link className={link} href={first}>
              Newest
            </Link>
          )}
          {nextCursor && (
            <Link className={link} href={`${base}?${next}`}>
              Older entries
            </Link>
          )}
        </nav>
      )}
    </Card>
  );
}
