"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export type NavLink = { href: string; label: string };

/** Tabs or a side list of links; the current one is marked with aria-current for assistive tech. */
export function NavLinks({ links, label, variant }: { links: NavLink[]; label: string; variant: "tabs" | "side" }) {
  const pathname = usePathname();
  const isCurrent = (href: string) => pathname === href || pathname.startsWith(`${href}/`);
  if (variant === "tabs") {
    return (
      <nav aria-label={label} className="border-b border-slate-200">
        <ul className="-mb-px flex gap-6 overflow-x-auto">
          {links.map((link) => (
            <li key={link.href}>
              <Link
                href={link.href}
                aria-current={isCurrent(link.href) ? "page" : undefined}
                className={`inline-block border-b-2 px-1 pb-3 text-sm font-medium ${isCurrent(link.href) ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-800"}`}
              >
                {link.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
    );
  }
  return (
    <nav aria-label={label}>
      <ul className="flex gap-1 md:flex-col">
        {links.map((link) => (
          <li key={link.href}>
            <Link
              href={link.href}
              aria-current={isCurrent(link.href) ? "page" : undefined}
              className={`block rounded-md px-3 py-2 text-sm font-medium ${isCurrent(link.href) ? "bg-brand-50 text-brand-700" : "text-slate-700 hover:bg-slate-100"}`}
            >
              {link.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
