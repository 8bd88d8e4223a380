"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useActivateSso, useDeactivateSso } from "@/components/sso/use-sso";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import type { SsoStatus } from "@/lib/sso/sso-connection";

type Props = { teamId: string; status: SsoStatus; available: boolean; outcome: { tone: "success" | "error"; message: string } | null };

export function SingleSignOn({ teamId, status, available, outcome }: Props) {
  const router = useRouter();
  const active = status?.active ?? false;
  const [confirming, setConfirming] = useState(false);
  const activate = useActivateSso(teamId);
  const deactivate = useDeactivateSso(teamId, () => {
    setConfirming(false);
    router.replace("/settings/team/settings?sso=deactivated");
    router.refresh();
  });
  const error = activate.error ?? deactivate.error;

  return (
    <div className="space-y-4">
      {outcome && <Alert tone={outcome.tone}>{outcome.message}</Alert>}
      {error && <Alert>{error.message}</Alert>}
      <div className="flex items-center gap-3">
        <button
          type="button"
          role="switch"
          aria-checked={active}
          aria-label="Single sign-on"
          disabled={!available}
          onClick={() => setConfirming(true)}
          className={`relative inline-flex h-6 w-11 shrink-0 rounded-full transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:cursor-not-allowed disabled:opacity-50 ${active ? "bg-brand-600" : "bg-slate-300"}`}
        >
          <span aria-hidden="true" className={`m-0.5 inline-block h-5 w-5 rounded-full bg-white shadow transition-transform ${active ? "translate-x-5" : ""}`} />
        </button>
        <span className="text-sm font-medium">{active ? "On" : "Off"}</span>
      </div>
      {!available && (
        <p className="text-sm text-slate-600">No Microsoft Entra ID app is configured on this server. Set AUTH_MICROSOFT_ENTRA_ID_ID and AUTH_MICROSOFT_ENTRA_ID_SECRET (see the README).</p>
      )}
      {status && (
        <dl aria-label="Single sign-on connection" className="grid grid-cols-1 gap-2 text-sm sm:grid-cols-[11rem_1fr]">
          <dt className="text-slate-500">Status</dt>
          <dd>{active ? "Active" : `Deactivated${status.deactivatedAt ? ` on ${formatDate(status.deactivatedAt)}` : ""}`}</dd>
          <dt className="text-slate-500">Entra tenant ID</dt>
          <dd className="font-mono text-xs sm:text-sm">{status.tenantId}</dd>
          <dt className="text-slate-500">Tenant domain</dt>
          <dd>{status.tenantDomain ?? "Unknown"}</dd>
          <dt className="text-slate-500">Activated by</dt>
          <dd>
            {status.activatedByName} on {formatDate(status.activatedAt)}
          </dd>
        </dl>
      )}

      <Dialog title={active ? "Deactivate single sign-on?" : "Activate single sign-on"} open={confirming} onClose={() => setConfirming(false)}>
        {active ? (
          <>
            <p>Members will no longer be able to sign in with their Microsoft work account. Administrators keep their Storegate password.</p>
            <p>Provisioning is suspended: Microsoft Entra ID&apos;s requests with your SCIM tokens are refused until single sign-on is active again.</p>
          </>
        ) : (
          <>
            <p>You will be sent to Microsoft to sign in with a work account of your organization that can consent for it (Cloud Application Administrator or higher).</p>
            <p>Accept the consent prompt on behalf of your organization. Storegate is then added to your Microsoft Entra tenant, this team is bound to that tenant, and you come back here.</p>
          </>
        )}
        <div className="flex justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
          {active ? (
            <Button variant="danger" disabled={deactivate.isPending} onClick={() => deactivate.mutate()}>
              {deactivate.isPending ? "Deactivating…" : "Deactivate"}
            </Button>
          ) : (
            <Button disabled={activate.isPending || activate.isSuccess} onClick={() => activate.mutate()}>
              {activate.isPending || activate.isSuccess ? "Opening Microsoft…" : "Activate"}
            </Button>
          )}
        </div>
      </Dialog>
    </div>
  );
}

function formatDate(iso: string): string {
  return new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";
}
