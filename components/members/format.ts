/** A date the same way on the server and in the browser (fixed locale and time zone, so hydration matches). */
export function formatWhen(iso: string | null, none = "Never"): string {
  return iso ? `${new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC` : none;
}

export function roleLabel(role: "ADMIN" | "USER"): string {
  return role === "ADMIN" ? "Administrator" : "User";
}

export const SIGN_IN_LABELS = { password: "Password", microsoft: "Microsoft Entra ID (single sign-on)" } as const;
