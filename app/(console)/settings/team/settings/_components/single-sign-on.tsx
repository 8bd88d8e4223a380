"use client";

import { formatWhen } from "@/lib/format-dates";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useActivateSso, useDeactivateSso, useDisconnectSso } from "@/lib/console-client/use-sso";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import type { SsoStatus } from "@/lib/sso/sso-connection";

type Props = {
  teamId: string;
  status: SsoStatus;
  available: boolean;
  outcome: { tone: "success" | "error"; message: string } | null;
};

export function SingleSignOn({ teamId, status, available, outcome }: Props) {
  const router = useRouter();
  const active = status?.active ?? false;
  const [dialog, setDialog] = useState<"switch" | "disconnect" | null>(null);
  const close = () => setDialog(null);
  const activate = useActivateSso(teamId);
  const deactivate = useDeactivateSso(teamId, () => {
    close();
    router.replace("/settings/team/settings?sso=deactivated");
    router.refresh();
  });
  const disconnect = useDisconnectSso(teamId, () => {
    close();
    router.replace("/settings/team/settings?sso=disconnected");
    router.refresh();
  });
  const error = activate.error ?? deactivate.error;
  const tenantLabel = status ? (status.tenantDomain ?? status.tenantId) : "";

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
          onClick={() => setDialog("switch")}
          className={`relative inline-flex h-6 w-11 shrink-0 rounded-full transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:cursor-not-allowed disabled:opacity-50 ${active ? "bg-brand-600" : "bg-slate-300"}`}
        >
          <span
            aria-hidden="true"
            className={`m-0.5 inline-block h-5 w-5 rounded-full bg-white shadow transition-transform ${active ? "translate-x-5" : ""}`}
          />
        </button>
        <span className="text-sm font-medium">{active ? "On" : "Off"}</span>
      </div>
      {!available && (
        <p className="text-sm text-slate-600">
          No Microsoft Entra ID app is configured on this server. Set AUTH_MICROSOFT_ENTRA_ID_ID and
          AUTH_MICROSOFT_ENTRA_ID_SECRET (see the README).
        </p>
      )}
      {status && (
        <>
          <dl
            aria-label="Single sign-on connection"
            className="grid grid-cols-1 gap-2 text-sm sm:grid-cols-[11rem_1fr]"
          >
            <dt className="text-slate-500">Status</dt>
            <dd>
              {active
                ? "Active"
                : `Deactivated${status.deactivatedAt ? ` on ${formatWhen(status.deactivatedAt)}` : ""}`}
            </dd>
            <dt className="text-slate-500">Entra tenant</dt>
            <dd>
              {status.tenantName ?? "Name unknown"}
              {status.tenantDomain && <span className="text-slate-600"> · {status.tenantDomain}</span>}
            </dd>
            <dt className="text-slate-500">Entra tenant ID</dt>
            <dd className="font-mono text-xs sm:text-sm">{status.tenantId}</dd>
            <dt className="text-slate-500">Activated by</dt>
            <dd>
              {status.activatedByName} on {formatWhen(status.activatedAt)}
            </dd>
            <dt className="text-slate-500">Consented in Entra by</dt>
            <dd>
              {status.consentedByUpn
                ? `${status.consentedByName ?? status.consentedByUpn} (${status.consentedByUpn})`
                : "Not recorded"}
            </dd>
          </dl>
          <div>
            <Button
              variant="secondary"
              onClick={() => {
                disconnect.reset();
                setDialog("disconnect");
              }}
            >
              Disconnect tenant
            </Button>
          </div>
        </>
      )}

      <Dialog
        title={active ? "Deactivate single sign-on?" : "Activate single sign-on"}
        open={dialog === "switch"}
        onClose={close}
      >
        {active ? (
          <>
            <p>
              Members will no longer be able to sign in with their Microsoft work account, and everyone signed in with
              Microsoft is signed out now. Administrators keep their Storegate password.
            </p>
            <p>
              Provisioning is suspended: Microsoft Entra ID&apos;s requests with your SCIM tokens are refused until
              single sign-on is active again. The tenant stays connected.
            </p>
          </>
        ) : (
          <>
            <p>
              You will be sent to Microsoft. Sign in with an account that is an{" "}
              <strong>administrator of your Microsoft Entra tenant</strong> (Global Administrator, Privileged Role
              Administrator, Cloud Application Administrator or Application Administrator).
            </p>
            <p>
              Accept the consent prompt on behalf of your organization. Storegate is then added to your Microsoft Entra
              tenant, this team is bound to that tenant, and you come back here.
            </p>
            {status && <p>This team is connected to {tenantLabel}: sign in with an administrator of that tenant.</p>}
          </>
        )}
        <div className="flex justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={close}>
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

      <Dialog title={`Disconnect ${tenantLabel}?`} open={dialog === "disconnect" && !!status} onClose={close}>
        {status && (
          <>
            {disconnect.error && <Alert>{disconnect.error.message}</Alert>}
            <p>
              This team stops being connected to the Microsoft Entra tenant{" "}
              <strong>{status.tenantName ?? tenantLabel}</strong> ({status.tenantDomain ?? "domain unknown"}, ID{" "}
              {status.tenantId}).
            </p>
            <ul className="list-disc space-y-1 pl-5">
              <li>
                Every provisioning token is revoked for good: Entra&apos;s provisioning with them fails from now on.
              </li>
              <li>
                Everyone signed in with Microsoft is signed out, and nobody can sign in with Microsoft until a tenant is
                connected again.
              </li>
              <li>
                Members are unlinked from their Entra accounts. The members themselves, their groups and their data
                stay.
              </li>
            </ul>
            <p>Afterwards you can activate single sign-on with another tenant.</p>
            <div className="flex justify-end gap-2 pt-2">
              <Button variant="secondary" onClick={close}>
                Cancel
              </Button>
              <Button
                variant="danger"
                disabled={disconnect.isPending}
                onClick={() => disconnect.mutate(status.tenantId)}
              >
                {disconnect.isPending ? "Disconnecting…" : "Disconnect tenant"}
              </Button>
            </div>
          </>
        )}
      </Dialog>
    </div>
  );
}
