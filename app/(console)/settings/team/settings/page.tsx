import type { Metadata } from "next";
import { AdminsOnly } from "@/components/console/admins-only";
import { Card } from "@/components/ui/card";
import { isAdmin, requireUser } from "@/lib/auth/guards";
import { getTeam } from "@/lib/teams/get-team";
import { RenameTeamForm } from "./_components/rename-team-form";

export const metadata: Metadata = { title: "Team settings" };

export default async function TeamSettingsPage() {
  const user = await requireUser();
  if (!isAdmin(user)) return <AdminsOnly />;
  const team = await getTeam(user.teamId);
  return (
    <div className="space-y-6">
      <Card title="Team" description={`Created ${team.createdAt.toISOString().slice(0, 10)} · Team ID ${team.id}`}>
        <RenameTeamForm name={team.name} />
      </Card>
      <Card
        title="Single sign-on"
        description="Let your members sign in with their Microsoft work account and have Microsoft Entra ID provision them automatically."
      >
        <p className="text-sm text-slate-600">
          <span className="mr-2 inline-flex items-center rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700">Off</span>
          Connecting Microsoft Entra ID is not available on this server yet.
        </p>
      </Card>
    </div>
  );
}
