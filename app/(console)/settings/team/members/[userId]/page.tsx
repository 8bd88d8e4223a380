import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AdminsOnly } from "@/components/console/admins-only";
import { roleLabel, SIGN_IN_LABELS } from "@/components/members/format";
import { MemberGroups } from "@/components/members/member-groups";
import { formatWhen } from "@/lib/format-dates";
import { ProvisioningHistory } from "@/components/provisioning/provisioning-history";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/table";
import { isAdmin, requireUser } from "@/lib/auth/guards";
import { AppError } from "@/lib/errors";
import { getMember, type MemberDetail } from "@/lib/members/get-member";
import { memberAttributeRows } from "@/lib/members/member-attributes";
import { listScimRequestLog } from "@/lib/provisioning/list-request-log";
import { SignOutEverywhere } from "./_components/sign-out-everywhere";

export const metadata: Metadata = { title: "Member" };

const HISTORY_SIZE = 20;

async function findMember(teamId: string, userId: string): Promise<MemberDetail> {
  try {
    return await getMember(teamId, userId);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
}

export default async function MemberPage({ params }: { params: Promise<{ userId: string }> }) {
  const user = await requireUser();
  if (!isAdmin(user)) return <AdminsOnly />;
  const { userId } = await params;
  const member = await findMember(user.teamId, userId);
  const history = await listScimRequestLog(user.teamId, { filter: { target: member.id }, limit: HISTORY_SIZE });
  const attributes = memberAttributeRows(member);
  return (
    <div className="space-y-6">
      <Link href="/settings/team/members" className="text-sm font-medium text-brand-700 hover:underline">
        ← All members
      </Link>
      <Card title={member.name} description={member.userName ?? member.email}>
        <dl className="grid grid-cols-1 gap-x-4 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]">
          <dt className="text-slate-500">Email</dt>
          <dd className="break-all">{member.email || "—"}</dd>
          <dt className="text-slate-500">UPN</dt>
          <dd className="break-all">{member.userName ?? "—"}</dd>
          <dt className="text-slate-500">Role</dt>
          <dd>{roleLabel(member.role)}</dd>
          <dt className="text-slate-500">Status</dt>
          <dd>{member.active ? "Active" : "Disabled"}</dd>
          <dt className="text-slate-500">Source</dt>
          <dd>{member.provisioned ? "Provisioned by Microsoft Entra ID" : "Added in Storegate (password)"}</dd>
          <dt className="text-slate-500">Sign-in methods</dt>
          <dd>
            {member.signInMethods.length > 0 ? member.signInMethods.map((m) => SIGN_IN_LABELS[m]).join(", ") : "None"}
          </dd>
          <dt className="text-slate-500">Last sign-in</dt>
          <dd>{formatWhen(member.lastSignInAt)}</dd>
          <dt className="text-slate-500">Member since</dt>
          <dd>{formatWhen(member.createdAt)}</dd>
        </dl>
      </Card>

      <Card
        title="Attributes from Microsoft Entra ID"
        description={
          member.provisioned
            ? "As Entra last sent them by provisioning (SCIM)."
            : "This member was not provisioned by Entra."
        }
      >
        {attributes.length > 0 ? (
          <dl className="grid grid-cols-1 gap-x-4 gap-y-2 text-sm sm:grid-cols-[minmax(10rem,auto)_1fr]">
            {attributes.map((row) => (
              <div key={row.name} className="contents">
                <dt className="break-all font-mono text-xs text-slate-500">{row.name}</dt>
                <dd className="break-all">{row.value}</dd>
              </div>
            ))}
          </dl>
        ) : (
          <p className="text-sm text-slate-600">No attributes.</p>
        )}
      </Card>

      <Card title="Groups" description={`${member.groups.length} ${member.groups.length === 1 ? "group" : "groups"}`}>
        <MemberGroups groups={member.groups} none="Not a member of any group." />
      </Card>

      <Card
        title="Sessions"
        description={`${member.sessions.length} active ${member.sessions.length === 1 ? "session" : "sessions"}`}
        actions={
          <SignOutEverywhere
            teamId={user.teamId}
            userId={member.id}
            name={member.name}
            disabled={member.sessions.length === 0}
          />
        }
      >
        {member.sessions.length > 0 ? (
          <DataTable caption="Active sessions" columns={["Signed in with", "Started", "Expires"]}>
            {member.sessions.map((s) => (
              <tr key={s.id}>
                <td className="px-5 py-2.5">{s.method === "ENTRA" ? "Microsoft" : "Password"}</td>
                <td className="whitespace-nowrap px-5 py-2.5 text-slate-600">{formatWhen(s.startedAt)}</td>
                <td className="whitespace-nowrap px-5 py-2.5 text-slate-600">{formatWhen(s.expiresAt)}</td>
              </tr>
            ))}
          </DataTable>
        ) : (
          <p className="text-sm text-slate-600">No active sessions.</p>
        )}
      </Card>

      <ProvisioningHistory targetId={member.id} about="member" entries={history.entries} limit={HISTORY_SIZE} />
    </div>
  );
}
