import type { Metadata } from "next";
import Link from "next/link";
import { roleLabel, SIGN_IN_LABELS } from "@/components/members/format";
import { MemberGroups } from "@/components/members/member-groups";
import { formatWhen } from "@/lib/format-dates";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { isAdmin, requireUser } from "@/lib/auth/guards";
import type { SessionUser } from "@/lib/auth/sessions";
import { getMember } from "@/lib/members/get-member";
import { getTeam } from "@/lib/teams/get-team";
import { logOut } from "./actions";

export const metadata: Metadata = { title: "Overview" };

export default async function ConsoleHome() {
  const user = await requireUser();
  const team = await getTeam(user.teamId);
  if (!isAdmin(user)) return <MemberHome user={user} teamName={team.name} />;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Welcome, {user.name}</h1>
        <p className="mt-1 text-sm text-slate-600">
          {team.name} · {team.memberCount} {team.memberCount === 1 ? "member" : "members"} · you are an Administrator
        </p>
      </div>
      <Card
        title="Team"
        description="Members, single sign-on with Microsoft Entra ID, and provisioning live under Account Settings > Team."
      >
        <Link href="/settings/team/settings" className="text-sm font-medium text-brand-700 hover:underline">
          Open team settings
        </Link>
      </Card>
    </div>
  );
}

/** What a member who is not an Administrator sees first: themselves, as the team knows them. */
async function MemberHome({ user, teamName }: { user: SessionUser; teamName: string }) {
  const me = await getMember(user.teamId, user.id);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Welcome, {me.name}</h1>
        <p className="mt-1 text-sm text-slate-600">
          {teamName} · you are {me.role === "ADMIN" ? "an Administrator" : "a User"}
        </p>
      </div>
      <Card title="Your account" description="How your team knows you. Your Administrators manage these details.">
        <dl className="grid grid-cols-1 gap-x-4 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]">
          <dt className="text-slate-500">Name</dt>
          <dd>{me.name}</dd>
          <dt className="text-slate-500">Email</dt>
          <dd className="break-all">{me.email || "—"}</dd>
          <dt className="text-slate-500">UPN</dt>
          <dd className="break-all">{me.userName ?? "—"}</dd>
          <dt className="text-slate-500">Role</dt>
          <dd>{roleLabel(me.role)}</dd>
          <dt className="text-slate-500">How you sign in</dt>
          <dd>{me.signInMethods.length > 0 ? me.signInMethods.map((m) => SIGN_IN_LABELS[m]).join(", ") : "—"}</dd>
          <dt className="text-slate-500">Last sign-in</dt>
          <dd>{formatWhen(me.lastSignInAt)}</dd>
        </dl>
      </Card>
      <Card
        title="Your groups"
        description={me.groups.length > 0 ? "Groups from Microsoft Entra ID you belong to." : undefined}
      >
        <MemberGroups groups={me.groups} none="You are not in any group." />
      </Card>
      <Card title="Session">
        <div className="flex flex-wrap items-center gap-3">
          <Link href="/settings/profile" className="text-sm font-medium text-brand-700 hover:underline">
            Edit your profile
          </Link>
          <form action={logOut}>
            <Button type="submit" variant="secondary">
              Sign out
            </Button>
          </form>
        </div>
      </Card>
    </div>
  );
}
