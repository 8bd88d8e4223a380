import type { Metadata } from "next";
import Link from "next/link";
import { AdminsOnly } from "@/components/console/admins-only";
import { Card } from "@/components/ui/card";
import { formatDay } from "@/lib/format-dates";
import { isAdmin, requireUser } from "@/lib/auth/guards";
import { getEnv } from "@/lib/env";
import { ssoMessage } from "@/lib/sso/messages";
import { getSsoStatus } from "@/lib/sso/sso-connection";
import { getTeam } from "@/lib/teams/get-team";
import { listScimTokens } from "@/lib/scim-tokens/scim-tokens";
import { ScimConnection } from "./_components/scim-connection";
import { ProvisioningHealthSummary } from "@/components/provisioning/provisioning-health";
import { listAuditEvents } from "@/lib/audit/list-audit-events";
import { AuditLog } from "@/components/audit/audit-log";
import { RenameTeamForm } from "./_components/rename-team-form";
import { SingleSignOn } from "./_components/single-sign-on";

// Taken from configuration (APP_URL), never guessed from request headers.
const scimTenantUrl = () => `${getEnv().appUrl}/api/scim/v2`;

export const metadata: Metadata = { title: "Team settings" };

const RECENT_AUDIT_LINES = 5;

type SearchParams = Promise<{ sso?: string; sso_error?: string }>;

export default async function TeamSettingsPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser();
  if (!isAdmin(user)) return <AdminsOnly />;
  const [team, sso, params, audit] = await Promise.all([
    getTeam(user.teamId),
    getSsoStatus(user.teamId),
    searchParams,
    listAuditEvents(user.teamId, RECENT_AUDIT_LINES),
  ]);
  // Tokens stay listed (and revocable) while single sign-on is off; only a connected team has any.
  const tokens = sso ? await listScimTokens(user.teamId) : [];
  const outcome =
    params.sso_error !== undefined
      ? {
          tone: "error" as const,
          message: ssoMessage(params.sso_error, { boundTenant: sso?.tenantDomain ?? sso?.tenantId })!,
        }
      : params.sso === "activated" && sso?.active
        ? { tone: "success" as const, message: ssoMessage("activated")! }
        : params.sso === "deactivated" && sso && !sso.active
          ? {
              tone: "success" as const,
              message:
                "Single sign-on is deactivated. Members can no longer sign in with Microsoft and provisioning is suspended.",
            }
          : params.sso === "disconnected" && !sso
            ? {
                tone: "success" as const,
                message:
                  "The Microsoft Entra tenant is disconnected: provisioning tokens are revoked and Microsoft sign-ins ended. You can now activate single sign-on with another tenant.",
              }
            : null;
  return (
    <div className="space-y-6">
      <Card title="Team" description={`Created ${formatDay(team.createdAt.toISOString())} · Team ID ${team.id}`}>
        <RenameTeamForm name={team.name} />
      </Card>
      <Card
        title="Single sign-on"
        description="Let your members sign in with their Microsoft work account, and connect Microsoft Entra ID provisioning."
      >
        <SingleSignOn teamId={team.id} status={sso} available={getEnv().entra.mode !== "off"} outcome={outcome} />
      </Card>
      {sso && <ProvisioningHealthSummary teamId={team.id} />}
      {sso && (
        <Card
          title="Provisioning"
          description="Give Microsoft Entra ID these two values so it can create, update, disable and delete your members and groups."
        >
          <ScimConnection teamId={team.id} tenantUrl={scimTenantUrl()} initialTokens={tokens} ssoActive={sso.active} />
        </Card>
      )}
      <Card
        title="Audit log"
        description="The most recent changes to the team, its members, single sign-on and provisioning tokens. Secrets are never recorded."
        actions={
          <Link href="/settings/team/audit" className="text-sm font-medium text-brand-700 hover:underline">
            View all
          </Link>
        }
      >
        <AuditLog events={audit} />
      </Card>
    </div>
  );
}
