// How the console writes dates and times. Every date the UI shows goes through this module, always
// in UTC with a fixed locale, so the server and the browser write the same text (hydration matches):
//   formatWhen       "1 Dec 2026, 14:05 UTC"   a moment, for people (the default)
//   formatDay        "1 Dec 2026"              a calendar day
//   formatDayMonth   "1 Dec"                   a day on a chart axis, where the year is plain
//   formatLogTime    "2026-12-01 14:05:33"     a log line: sortable, to the second, under a "When (UTC)" header
//   relativeTime     "5 minutes ago"           how long before a given now

export function formatWhen(iso: string | null, none = "Never"): string {
  return iso
    ? `${new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC`
    : none;
}

export function formatDay(iso: string): string {
  return new Date(iso).toLocaleDateString("en-GB", { dateStyle: "medium", timeZone: "UTC" });
}

export function formatDayMonth(iso: string): string {
  return new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
}

/** `iso` is an ISO 8601 UTC timestamp as the server sends it ("2026-12-01T14:05:33.123Z"). */
export function formatLogTime(iso: string): string {
  return iso.slice(0, 19).replace("T", " ");
}

export function relativeTime(iso: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000));
  if (seconds < 60) return "less than a minute ago";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return minutes === 1 ? "1 minute ago" : `${minutes} minutes ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return hours === 1 ? "1 hour ago" : `${hours} hours ago`;
  return `${Math.round(hours / 24)} days ago`;
}
