"use client";

import { useRunProvisioningCheck } from "@/lib/console-client/use-provisioning-check";
import { formatWhen } from "@/lib/format-dates";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { ProvisioningCheckResult } from "@/lib/provisioning/check";

const pretty = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value, null, 2));

export function ProvisioningCheckRunner({
  teamId,
  blocker,
  last,
}: {
  teamId: string;
  blocker: string | null;
  last: ProvisioningCheckResult | null;
}) {
  const run = useRunProvisioningCheck(teamId);
  const result = run.data ?? last;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <Button
          type="button"
          onClick={() => run.mutate()}
          disabled={blocker !== null || run.isPending}
          aria-describedby={blocker ? "provisioning-check-blocker" : undefined}
        >
          {run.isPending ? "Running provisioning check…" : "Run provisioning check"}
        </Button>
        {blocker && (
          <p id="provisioning-check-blocker" className="text-sm text-slate-600">
            {blocker}
          </p>
        )}
      </div>
      {run.error && <Alert>{run.error.message}</Alert>}
      {result && (
        <div>
          <p className="text-sm font-medium text-slate-900" role="status">
            {result.passed ? "Passed" : "Failed"}: {result.passedCount} of {result.steps.length} steps passed in{" "}
            {result.durationMs} ms ({formatWhen(result.finishedAt)})
          </p>
          <ol
            aria-label="Provisioning check steps"
            className="mt-2 divide-y divide-slate-100 rounded-md ring-1 ring-inset ring-slate-200"
          >
            {result.steps.map((step) => (
              <li key={step.name} className="px-3 py-2 text-sm">
                <span className={step.passed ? "text-emerald-700" : "text-red-700"}>
                  {step.passed ? "✓ Passed" : "✗ Failed"}
                </span>
                <span className="ml-2 font-medium text-slate-900">{step.name}</span>
                <span className="ml-2 text-xs text-slate-500">{step.durationMs} ms</span>
                {step.failure && (
                  <div className="mt-1 text-xs text-slate-700">
                    <p>{step.failure.reason}</p>
                    {step.failure.status !== undefined && <p>Response status {step.failure.status}</p>}
                    {step.failure.body !== undefined && (
                      <pre className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap rounded bg-slate-50 p-2 font-mono">
                        {pretty(step.failure.body)}
                      </pre>
                    )}
                  </div>
                )}
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}
