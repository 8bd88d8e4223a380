"use client";

import { useEffect, useRef, useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { formatDayMonth, formatWhen } from "@/lib/format-dates";
import type { ActivityHour } from "@/lib/provisioning/activity";

/** Requests per hour, stacked by outcome. The numbers are also given in words next to it. */
export function ActivityChart({ hours, summary }: { hours: ActivityHour[]; summary: string }) {
  // The chart is sized from its box, measured here rather than by recharts' ResponsiveContainer:
  // that one's server-rendered style attributes are refused by our Content Security Policy
  // (style-src without 'unsafe-inline'), which left it 0 px high. Styles React sets in the
  // browser are not style attributes in markup, so the chart itself is allowed.
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry?.contentRect.width ?? 0)));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={box} role="img" aria-label={summary} className="h-64 w-full">
      {width > 0 && (
        <BarChart
          width={width}
          height={256}
          data={hours}
          margin={{ top: 8, right: 8, bottom: 0, left: -16 }}
          barCategoryGap={0}
        >
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="hour" tickFormatter={formatDayMonth} interval={23} tick={{ fontSize: 12 }} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
          <Tooltip labelFormatter={(label) => (typeof label === "string" ? formatWhen(label) : "")} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="success" name="Succeeded" stackId="outcome" fill="#10b981" isAnimationActive={false} />
          <Bar
            dataKey="clientError"
            name="Client errors (4xx)"
            stackId="outcome"
            fill="#f59e0b"
            isAnimationActive={false}
          />
          <Bar
            dataKey="serverError"
            name="Server errors (5xx)"
            stackId="outcome"
            fill="#dc2626"
            isAnimationActive={false}
          />
        </BarChart>
      )}
    </div>
  );
}
