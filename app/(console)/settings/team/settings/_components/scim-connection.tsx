"use client";

import { formatWhen } from "@/lib/format-dates";
import { useState, type FormEvent } from "react";
import { ApiError, formText } from "@/lib/console-client/api-client";
import {
  useIssueScimToken,
  useRevokeScimToken,
  useRotateScimToken,
  useScimTokens,
} from "@/lib/console-client/use-scim-tokens";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-field";
import { Dialog } from "@/components/ui/dialog";
import { SelectField, TextField } from "@/components/ui/field";
import type { ScimTokenSummary } from "@/lib/scim-tokens/scim-tokens";
import { DataTable } from "@/components/ui/table";

const STATUS_LABEL: Record<ScimTokenSummary["status"], string> = {
  active: "Active",
  expiring_soon: "Expires soon",
  expired: "Expired",
  revoked: "Revoked",
  active_until_overlap_end: "Rotated, still valid",
  superseded: "Rotated",
};

/**
 * The SCIM connection Entra provisions through: the Tenant URL and Secret Token that go into Entra's
 * Provisioning tab, and the tokens' lifecycle. (What provisioning then did is Team > Provisioning.)
 */
export function ScimConnection({
  teamId,
  tenantUrl,
  initialTokens,
  ssoActive,
}: {
  teamId: string;
  tenantUrl: string;
  initialTokens: ScimTokenSummary[];
  ssoActive: boolean;
}) {
  const tokens = useScimTokens(teamId, initialTokens);
  const issue = useIssueScimToken(teamId);
  const rotate = useRotateScimToken(teamId);
  const revoke = useRevokeScimToken(teamId);
  const [dialog, setDialog] = useState<
    | { kind: "issue" }
    | { kind: "rotate" | "revoke"; token: ScimTokenSummary }
    | { kind: "secret"; secret: string; name: string }
    | null
  >(null);
  // Escape or a click outside the one-time token dialog asks first: the secret cannot be shown again.
  const [confirmingDismiss, setConfirmingDismiss] = useState(false);
  const close = () => {
    setConfirmingDismiss(false);
    setDialog(null);
  };
  const issueFields = issue.error instanceof ApiError ? (issue.error.fields ?? {}) : {};
  const error = rotate.error ?? revoke.error;

  const onIssue = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const expires = formText(form, "expiresInDays");
    issue.mutate(
      { name: formText(form, "name"), expiresInDays: expires === "never" ? "never" : Number(expires) },
      { onSuccess: (issued) => setDialog({ kind: "secret", secret: issued.secret, name: issued.token.name }) },
    );
  };

  return (
    <div className="space-y-5">
      <CopyField label="Tenant URL" value={tenantUrl} copyLabel="Copy Tenant URL" />
      {error && <Alert>{error.message}</Alert>}
      {!ssoActive && (
        <Alert tone="info">
          Single sign-on is off, so provisioning is suspended and no new token can be generated. You can still revoke
          tokens here.
        </Alert>
      )}
      <div className="flex items-center justify-between gap-3">
        <h3 className="text-sm font-semibold">Tokens</h3>
        <Button
          disabled={!ssoActive}
          onClick={() => {
            issue.reset();
            setDialog({ kind: "issue" });
          }}
        >
          Generate token
        </Button>
      </div>
      {tokens.data.length === 0 ? (
        <p className="text-sm text-slate-600">
          No tokens yet. Generate one and paste it into Entra&apos;s Secret Token field.
        </p>
      ) : (
        <DataTable
          caption="Provisioning tokens"
          columns={["Name", "Token", "Created", "Last used", "Expires", "Status", { srOnly: "Actions" }]}
        >
          {tokens.data.map((t) => {
            const usable =
              t.status === "active" || t.status === "expiring_soon" || t.status === "active_until_overlap_end";
            return (
              <tr key={t.id} aria-label={`Token ${t.name} ending ${t.last4}`}>
                <td className="px-5 py-2.5 font-medium">{t.name}</td>
                <td className="px-5 py-2.5 font-mono text-xs">sgp_…{t.last4}</td>
                <td className="px-5 py-2.5 text-slate-600">
                  {t.createdByName}, {formatWhen(t.createdAt)}
                </td>
                <td className="px-5 py-2.5 text-slate-600">{formatWhen(t.lastUsedAt, "Not yet")}</td>
                <td className="px-5 py-2.5 text-slate-600">
                  {t.status === "active_until_overlap_end"
                    ? `Overlap ends ${formatWhen(t.overlapEndsAt)}`
                    : formatWhen(t.expiresAt)}
                </td>
                <td className="px-5 py-2.5">
                  <span
                    className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${t.status === "expiring_soon" ? "bg-amber-100 text-amber-900" : usable ? "bg-emerald-50 text-emerald-700" : "bg-slate-100 text-slate-600"}`}
                  >
                    {t.status === "expiring_soon" && <span aria-hidden="true">⚠&nbsp;</span>}
                    {STATUS_LABEL[t.status]}
                  </span>
                </td>
                <td className="whitespace-nowrap px-5 py-2.5 text-right">
                  {ssoActive && usable && t.status !== "active_until_overlap_end" && (
                    <Button
                      variant="secondary"
                      className="mr-2"
                      aria-label={`Rotate ${t.name}`}
                      onClick={() => {
                        rotate.reset();
                        setDialog({ kind: "rotate", token: t });
                      }}
                    >
                      Rotate
                    </Button>
                  )}
                  {t.status !== "revoked" && (
                    <Button
                      variant="secondary"
                      aria-label={`Revoke ${t.name}`}
                      onClick={() => {
                        revoke.reset();
                        setDialog({ kind: "revoke", token: t });
                      }}
                    >
                      Revoke
                    </Button>
                  )}
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
      <ConnectGuide />

      <Dialog title="Generate token" open={dialog?.kind === "issue"} onClose={close}>
        <form onSubmit={onIssue} className="space-y-4" noValidate>
          {issue.error && !Object.keys(issueFields).length && <Alert>{issue.error.message}</Alert>}
          <TextField
            label="Token name"
            name="name"
            placeholder="Microsoft Entra ID"
            defaultValue="Microsoft Entra ID"
            error={issueFields.name}
            required
          />
          <SelectField label="Expires" name="expiresInDays" defaultValue="365" error={issueFields.expiresInDays}>
            <option value="30">In 30 days</option>
            <option value="90">In 90 days</option>
            <option value="180">In 180 days</option>
            <option value="365">In 1 year</option>
            <option value="730">In 2 years</option>
            <option value="never">Never (Entra quarantines a job whose token expires)</option>
          </SelectField>
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" disabled={issue.isPending}>
              {issue.isPending ? "Generating…" : "Generate"}
            </Button>
          </div>
        </form>
      </Dialog>

      <Dialog
        title="Copy your new token now"
        open={dialog?.kind === "secret"}
        onClose={() => setConfirmingDismiss(true)}
      >
        {dialog?.kind === "secret" && (
          <>
            <p>
              This is the only time the token &ldquo;{dialog.name}&rdquo; is shown. Paste it into the{" "}
              <strong>Secret Token</strong> field of Entra&apos;s Provisioning tab. Storegate keeps only a hash of it.
            </p>
            <CopyField label="New token" value={dialog.secret} copyLabel="Copy token" secret />
            {confirmingDismiss ? (
              <div
                role="group"
                aria-label="Close without copying?"
                className="space-y-3 rounded-md bg-amber-50 p-3 text-amber-900 ring-1 ring-inset ring-amber-200"
              >
                <p>You will not see this token again. Close anyway?</p>
                <div className="flex justify-end gap-2">
                  <Button variant="secondary" onClick={() => setConfirmingDismiss(false)}>
                    Keep it open
                  </Button>
                  <Button variant="danger" onClick={close}>
                    Close without copying
                  </Button>
                </div>
              </div>
            ) : (
              <div className="flex justify-end">
                <Button onClick={close}>I have copied the token</Button>
              </div>
            )}
          </>
        )}
      </Dialog>

      <Dialog title="Rotate token" open={dialog?.kind === "rotate"} onClose={close}>
        {dialog?.kind === "rotate" && (
          <form
            className="space-y-4"
            onSubmit={(e) => {
              e.preventDefault();
              const overlapHours = Number(new FormData(e.currentTarget).get("overlapHours"));
              rotate.mutate(
                { tokenId: dialog.token.id, overlapHours },
                {
                  onSuccess: (issued) => setDialog({ kind: "secret", secret: issued.secret, name: issued.token.name }),
                },
              );
            }}
          >
            <p>
              A replacement for &ldquo;{dialog.token.name}&rdquo; (…{dialog.token.last4}) is issued now. The old token
              keeps working for the overlap you choose, so you can update Entra without a gap.
            </p>
            <SelectField label="Keep the old token working for" name="overlapHours" defaultValue="24">
              <option value="0">No overlap: stop it now</option>
              <option value="1">1 hour</option>
              <option value="24">24 hours</option>
              <option value="72">3 days</option>
              <option value="168">7 days</option>
            </SelectField>
            <div className="flex justify-end gap-2">
              <Button type="button" variant="secondary" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" disabled={rotate.isPending}>
                {rotate.isPending ? "Rotating…" : "Rotate"}
              </Button>
            </div>
          </form>
        )}
      </Dialog>

      <Dialog title="Revoke token?" open={dialog?.kind === "revoke"} onClose={close}>
        {dialog?.kind === "revoke" && (
          <>
            <p>
              &ldquo;{dialog.token.name}&rdquo; (…{dialog.token.last4}) stops working at once. Entra&apos;s provisioning
              with this token fails until you give it another one.
            </p>
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={close}>
                Cancel
              </Button>
              <Button
                variant="danger"
                disabled={revoke.isPending}
                onClick={() => revoke.mutate(dialog.token.id, { onSuccess: close })}
              >
                {revoke.isPending ? "Revoking…" : "Revoke"}
              </Button>
            </div>
          </>
        )}
      </Dialog>
    </div>
  );
}

function ConnectGuide() {
  return (
    <details className="rounded-md bg-slate-50 p-4 text-sm text-slate-700">
      <summary className="cursor-pointer font-medium text-slate-900">Connect Microsoft Entra ID provisioning</summary>
      <ol className="mt-3 list-decimal space-y-2 pl-5">
        <li>
          In the Microsoft Entra admin center, open Enterprise applications &gt; your Storegate application &gt;{" "}
          <strong>Provisioning</strong>, and set Provisioning Mode to <strong>Automatic</strong>.
        </li>
        <li>
          Paste the <strong>Tenant URL</strong> above into Tenant URL, and a token generated here into{" "}
          <strong>Secret Token</strong>. Click <strong>Test Connection</strong>.
        </li>
        <li>
          Under Mappings &gt; Provision Microsoft Entra ID Users, map <code>externalId</code> from <code>objectId</code>{" "}
          before the first sync, so members&apos; sign-in links to their provisioned account by object id.
        </li>
        <li>
          Optional: append <code>?aadOptscim062020</code> to the Tenant URL for Entra&apos;s standards-compliant PATCH
          behaviour (not used by provision-on-demand). Storegate accepts both.
        </li>
        <li>Assign users and groups to the application and start provisioning. Entra syncs about every 40 minutes.</li>
      </ol>
    </details>
  );
}
