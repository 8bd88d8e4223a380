import { Card } from "@/components/ui/card";
import { findLastProvisioningCheck, findProvisioningCheckBlocker } from "@/lib/provisioning/check";
import { ProvisioningCheckRunner } from "./provisioning-check-runner";

/** Team > Provisioning: replay a short Entra cycle against this console's own Tenant URL. */
export async function ProvisioningCheck({ teamId }: { teamId: string }) {
  const [blocker, last] = await Promise.all([findProvisioningCheckBlocker(teamId), findLastProvisioningCheck(teamId)]);
  return (
    <Card
      title="Provisioning check"
      description="Runs what Microsoft Entra ID does in a provisioning cycle (Test Connection, create, update, disable, groups, delete) against this team's Tenant URL, on temporary test users and groups that are never mixed with your members and groups and are deleted afterwards."
    >
      <ProvisioningCheckRunner teamId={teamId} blocker={blocker} last={last} />
    </Card>
  );
}
