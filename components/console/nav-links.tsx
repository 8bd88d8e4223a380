"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export type NavLink = { href: string; label: string };

const STYLES = {
  tabs: {
    nav: "border-b border-slate-200",
    list: "-mb-px flex gap-6 overflow-x-auto",
    link: "inline-block border-b-2 px-1 pb-3 text-sm font-medium",
    current: "border-brand-600 text-brand-700",
    other: "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-800",
  },
  side: {
    nav: undefined,
    list: "flex gap-1 md:flex-col",
    link: "block rounded-md px-3 py-2 text-sm font-medium",
    current: "bg-brand-50 text-brand-700",
    other: "text-slate-700 hover:bg-slate-100",
  },
} as const;

/** Tabs or a side list of links; the current one is marked with aria-current for assistive tech. */
export function NavLinks({ links, label, variant }: { links: NavLink[]; label: string; variant: "tabs" | "side" }) {
  const pathname = usePathname();
  const isCurrent = (href: string) => pathname === href || pathname.startsWith(`${href}/`);
  const style = STYLES[variant];
  return (
    <nav aria-label={label} className={style.nav}>
      <ul className={style.list}>
        {links.map((link) => (
          <li key={link.href}>
            <Link
              href={link.href}
              aria-current={isCurrent(link.href) ? "page" : undefined}
              className={`${style.link} ${isCurrent(link.href) ? style.current : style.other}`}
            >
              {link.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
