import { describe, expect, it } from "vitest";
import { formatDay, formatDayMonth, formatLogTime, formatWhen, relativeTime } from "@/components/ui/format";

const AT = "2026-12-01T14:05:33.123Z";

describe("the console's date formats", () => {
  it("writes every format in UTC, whatever the machine's time zone", () => {
    expect(formatWhen(AT)).toBe("1 Dec 2026, 14:05 UTC");
    expect(formatWhen(null)).toBe("Never");
    expect(formatWhen(null, "Not yet")).toBe("Not yet");
    expect(formatDay(AT)).toBe("1 Dec 2026");
    expect(formatDayMonth(AT)).toBe("1 Dec");
    expect(formatLogTime(AT)).toBe("2026-12-01 14:05:33");
  });

  it("says how long ago, under a minute as such, then rounded to minutes, hours (under 48) or days", () => {
    const now = new Date(AT);
    const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();
    expect(relativeTime(ago(0), now)).toBe("less than a minute ago");
    expect(relativeTime(ago(-30), now)).toBe("less than a minute ago");
    expect(relativeTime(ago(59), now)).toBe("less than a minute ago");
    expect(relativeTime(ago(89), now)).toBe("1 minute ago");
    expect(relativeTime(ago(60 * 5), now)).toBe("5 minutes ago");
    expect(relativeTime(ago(60 * 60), now)).toBe("1 hour ago");
    expect(relativeTime(ago(47 * 3600), now)).toBe("47 hours ago");
    expect(relativeTime(ago(72 * 3600), now)).toBe("3 days ago");
  });
});
