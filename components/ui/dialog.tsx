"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";

/**
 * A modal built on <dialog>: focus is trapped; Escape and a click on the backdrop ask `onClose`,
 * which decides (a dialog holding a one-time secret asks before it lets go).
 */
export function Dialog({
  title,
  open,
  onClose,
  children,
}: {
  title: string;
  open: boolean;
  onClose: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      // Only a user's Escape closes it from inside; closing because another dialog replaced this
      // one must not report back (the native "close" event would).
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      // The dialog element itself is only hit outside its padded content, i.e. on the backdrop.
      onClick={(event) => {
        if (event.target === ref.current) onClose();
      }}
      className="m-auto w-full max-w-lg rounded-xl p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      <div className="p-6">
        <h2 id={titleId} className="text-lg font-semibold text-slate-900">
          {title}
        </h2>
        <div className="mt-3 space-y-3 text-sm text-slate-700">{children}</div>
      </div>
    </dialog>
  );
}
