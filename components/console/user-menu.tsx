"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";

export function UserMenu({
  name,
  email,
  teamName,
  logOut,
}: {
  name: string;
  email: string;
  teamName: string;
  logOut: () => Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    const onClick = (e: MouseEvent) => root.current && !root.current.contains(e.target as Node) && setOpen(false);
    document.addEventListener("keydown", onKey);
    document.addEventListener("mousedown", onClick);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("mousedown", onClick);
    };
  }, [open]);

  const initials = name
    .split(/\s+/)
    .map((part) => part[0])
    .join("")
    .slice(0, 2)
    .toUpperCase();

  return (
    <div ref={root} className="relative">
      <button
        type="button"
        aria-label="User menu"
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls="user-menu-panel"
        onClick={() => setOpen((o) => !o)}
        className="flex h-9 w-9 items-center justify-center rounded-full bg-brand-600 text-sm font-semibold text-white ring-offset-2 hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-brand-600"
      >
        <span aria-hidden="true">{initials || "?"}</span>
      </button>
      {open && (
        <div
          id="user-menu-panel"
          className="absolute right-0 z-20 mt-2 w-64 rounded-lg bg-white py-2 shadow-lg ring-1 ring-slate-200"
        >
          <div className="border-b border-slate-100 px-4 pb-2">
            <p className="truncate text-sm font-medium">{name}</p>
            <p className="truncate text-xs text-slate-500">{email}</p>
            <p className="truncate text-xs text-slate-500">{teamName}</p>
          </div>
          <Link href="/settings" onClick={() => setOpen(false)} className="block px-4 py-2 text-sm hover:bg-slate-50">
            Account Settings
          </Link>
          <form action={logOut}>
            <button type="submit" className="block w-full px-4 py-2 text-left text-sm hover:bg-slate-50">
              Log out
            </button>
          </form>
        </div>
      )}
    </div>
  );
}
