// How the console writes dates: one format everywhere, the same on the server and in the browser
// (fixed locale and time zone, so hydration matches): "1 Dec 2026, 14:05 UTC".

export function formatWhen(iso: string | null, none = "Never"): string {
  return iso ? `${new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC` : none;
}
