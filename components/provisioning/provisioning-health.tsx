import Link from "next/link";
import { formatDay, formatWhen, relativeTime } from "@/lib/format-dates";
import {
  getProvisioningHealth,
  QUARANTINE_FAILURE_RATE,
  QUARANTINE_MIN_FAILURES,
  type ProvisioningHealth,
} from "@/lib/provisioning/health";

const LOG = "/settings/team/provisioning";

const percent = (rate: number) => `${(rate * 100).toFixed(rate < 0.1 && rate > 0 ? 1 : 0)} %`;

/**
 * At a glance: is Entra calling, is it failing, does anything need attention soon. Every item links to
 * the provisioning log filtered to what it counts.
 */
export function ProvisioningHealthPanel({
  health,
  now,
  compact = false,
}: {
  health: ProvisioningHealth;
  now: Date;
  compact?: boolean;
}) {
  const items: { label: string; value: string; note?: string; warn?: boolean; href: string }[] = [
    {
      label: "Last request from Microsoft Entra ID",
      value: health.lastRequestAt ? relativeTime(health.lastRequestAt, now) : "Never",
      note: health.stale
        ? health.lastRequestAt
          ? "Entra provisions about every 40 minutes; no request for over an hour while a token is active. Check the provisioning job in Entra."
          : "A token is active but Entra has not called yet. Start provisioning in Entra."
        : health.lastRequestAt
          ? formatWhen(health.lastRequestAt)
          : undefined,
      warn: health.stale,
      href: LOG,
    },
    { label: "Requests in the last 24 h", value: String(health.requests24h), href: `${LOG}?range=24h` },
    {
      label: "Failures in the last 24 h",
      value:
        health.failureRate24h === null
          ? String(health.failures24h)
          : `${health.failures24h} (${percent(health.failureRate24h)})`,
      note: compact
        ? undefined
        : `Entra quarantines a provisioning job when more than ${percent(QUARANTINE_FAILURE_RATE)} of its requests fail, judged once there are at least ${QUARANTINE_MIN_FAILURES.toLocaleString("en-US")} failures (Microsoft: "Application provisioning in quarantine status").`,
      warn:
        health.quarantineRisk || (health.failureRate24h !== null && health.failureRate24h > QUARANTINE_FAILURE_RATE),
      href: `${LOG}?outcome=errors&range=24h`,
    },
    {
      label: "Tokens expiring within 30 days",
      value: String(health.expiringTokens.length),
      note:
        health.expiringTokens.length > 0
          ? health.expiringTokens.map((t) => `${t.name} (${formatDay(t.expiresAt)})`).join(", ")
          : undefined,
      warn: health.expiringTokens.length > 0,
      href: "/settings/team/settings",
    },
    {
      label: "Last Test Connection",
      value: health.lastTestConnection ? relativeTime(health.lastTestConnection.at, now) : "Never",
      note: compact ? undefined : "Entra's probe: a search for a random userName, answered with no results.",
      href: health.lastTestConnection ? `${LOG}?entry=${encodeURIComponent(health.lastTestConnection.id)}` : LOG,
    },
    {
      label: "Last provisioning check",
      value: health.lastProvisioningCheck
        ? `${health.lastProvisioningCheck.passed ? "passed" : `failed (${health.lastProvisioningCheck.failedCount} step(s))`} ${relativeTime(health.lastProvisioningCheck.at, now)}`
        : "Never",
      warn: health.lastProvisioningCheck?.passed === false,
      href: LOG,
    },
  ];
  // On Settings the compact version is a group, not a landmark: the page's "Provisioning" region stays the only one of
  // that name.
  const Wrapper = compact ? "div" : "section";
  return (
    <Wrapper
      aria-label="Provisioning health"
      role={compact ? "group" : undefined}
      className={compact ? "" : "rounded-lg bg-white shadow-sm ring-1 ring-slate-200"}
    >
      <h2
        className={
          compact
            ? "text-sm font-semibold text-slate-900"
            : "border-b border-slate-100 px-5 py-4 text-base font-semibold text-slate-900"
        }
      >
        Provisioning health
      </h2>
      <dl
        className={`grid gap-3 ${compact ? "mt-2 grid-cols-2 sm:grid-cols-3" : "grid-cols-1 px-5 py-4 sm:grid-cols-2 lg:grid-cols-3"}`}
      >
        {items.map((item) => (
          <div
            key={item.label}
            className={`rounded-md px-3 py-2 ring-1 ring-inset ${item.warn ? "bg-amber-50 ring-amber-200" : "ring-slate-200"}`}
          >
            <dt className="text-xs text-slate-600">
              <Link href={item.href} className="hover:underline">
                {item.label}
              </Link>
            </dt>
            <dd className="text-sm font-semibold text-slate-900">
              {item.warn && <span className="sr-only">Warning: </span>}
              {item.value}
            </dd>
            {item.note && (
              <dd className={`mt-0.5 text-xs ${item.warn ? "text-amber-800" : "text-slate-500"}`}>{item.note}</dd>
            )}
          </div>
        ))}
      </dl>
    </Wrapper>
  );
}

/** The compact version for Team > Settings. */
export async function ProvisioningHealthSummary({ teamId }: { teamId: string }) {
  const now = new Date();
  const health = await getProvisioningHealth(teamId, now);
  return (
    <div className="rounded-lg bg-white px-5 py-4 shadow-sm ring-1 ring-slate-200">
      <ProvisioningHealthPanel health={health} now={now} compact />
    </div>
  );
}
