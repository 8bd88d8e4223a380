import { Card } from "@/components/ui/card";
import { describeActivity, getProvisioningActivity } from "@/lib/provisioning/activity";
import { ActivityChart } from "./activity-chart";

/** Requests per hour over the last 7 days, by outcome, with the same figures in words. */
export async function ProvisioningActivityPanel({ teamId, now }: { teamId: string; now: Date }) {
  const activity = await getProvisioningActivity(teamId, now);
  const summary = describeActivity(activity);
  return (
    <Card
      title="Provisioning activity"
      description="Requests from Microsoft Entra ID per hour over the last 7 days (UTC), by outcome."
    >
      <ActivityChart hours={activity.hours} summary={summary} />
      <p className="mt-3 text-sm text-slate-600">{summary}</p>
    </Card>
  );
}
