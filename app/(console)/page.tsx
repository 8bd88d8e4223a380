import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { isAdmin, requireUser } from "@/lib/auth/guards";
import { getTeam } from "@/lib/teams/get-team";

export const metadata: Metadata = { title: "Overview" };

export default async function ConsoleHome() {
  const user = await requireUser();
  const team = await getTeam(user.teamId);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Welcome, {user.name}</h1>
        <p className="mt-1 text-sm text-slate-600">
          {team.name} · {team.memberCount} {team.memberCount === 1 ? "member" : "members"} · you are {isAdmin(user) ? "an Administrator" : "a User"}
        </p>
      </div>
      <Card title="Team" description="Members, single sign-on with Microsoft Entra ID, and provisioning live under Account Settings > Team.">
        <Link href={isAdmin(user) ? "/settings/team/settings" : "/settings/team/members"} className="text-sm font-medium text-brand-700 hover:underline">
          Open team settings
        </Link>
      </Card>
    </div>
  );
}
