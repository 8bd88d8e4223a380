"use client";

import { useId, useState } from "react";
import { Button } from "./button";

/** A read-only value with a copy button; the value stays selectable when the clipboard is unavailable. */
export function CopyField({
  label,
  value,
  copyLabel,
  secret = false,
}: {
  label: string;
  value: string;
  copyLabel: string;
  secret?: boolean;
}) {
  const id = useId();
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  };
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <div className="mt-1 flex gap-2">
        <input
          id={id}
          readOnly
          value={value}
          spellCheck={false}
          autoComplete="off"
          onFocus={(e) => e.currentTarget.select()}
          className={`block w-full min-w-0 rounded-md border-0 bg-slate-50 px-3 py-2 font-mono text-xs ring-1 ring-inset ring-slate-300 sm:text-sm ${secret ? "text-slate-900" : "text-slate-700"}`}
        />
        <Button type="button" variant="secondary" onClick={() => void copy()}>
          {copyLabel}
        </Button>
      </div>
      <p role="status" className="mt-1 h-4 text-xs text-slate-500">
        {copied === "yes"
          ? "Copied to the clipboard."
          : copied === "failed"
            ? "Select the text and copy it with Ctrl+C."
            : ""}
      </p>
    </div>
  );
}
