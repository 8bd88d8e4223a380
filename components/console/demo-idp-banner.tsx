import { getEnv } from "@/lib/env";

/** Shown whenever sign-in with Microsoft goes to the local stand-in instead of Microsoft. */
export function DemoIdpBanner() {
  const entra = getEnv().entra;
  if (entra.mode !== "stand-in") return null;
  return (
    <div
      role="note"
      aria-label="Demo identity provider"
      className="bg-amber-100 px-4 py-2 text-center text-sm text-amber-900"
    >
      <strong>Demo identity provider:</strong> &ldquo;Sign in with Microsoft&rdquo; uses a local Microsoft Entra ID
      stand-in at {entra.authority}, not Microsoft. Set AUTH_MICROSOFT_ENTRA_ID_ID and AUTH_MICROSOFT_ENTRA_ID_SECRET to
      use your real Entra app.
    </div>
  );
}
