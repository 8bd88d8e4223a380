import Link from "next/link";
import type { ReactNode } from "react";
import { DemoIdpBanner } from "@/components/console/demo-idp-banner";
import { UserMenu } from "@/components/console/user-menu";
import { Logo } from "@/components/ui/logo";
import { requireUser } from "@/lib/auth/guards";
import { getTeam } from "@/lib/teams/get-team";
import { logOut } from "./actions";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const team = await getTeam(user.teamId);
  return (
    <div className="min-h-screen">
      {/* The first Tab stop: keyboard users jump over the header straight to the page's content. */}
      <a
        href="#content"
        className="sr-only rounded-md bg-white px-3 py-2 text-sm font-medium text-brand-700 shadow ring-1 ring-slate-300 focus:not-sr-only focus:absolute focus:left-4 focus:top-2 focus:z-50"
      >
        Skip to content
      </a>
      <DemoIdpBanner />
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex h-14 max-w-6xl items-center justify-between px-4">
          <Link href="/" aria-label="Storegate Console home" className="text-slate-900">
            <Logo />
          </Link>
          <div className="flex items-center gap-3">
            <span className="hidden text-sm text-slate-600 sm:inline">{team.name}</span>
            <UserMenu name={user.name} email={user.email} teamName={team.name} logOut={logOut} />
          </div>
        </div>
      </header>
      <main id="content" tabIndex={-1} className="mx-auto max-w-6xl px-4 py-8 focus:outline-none">
        {children}
      </main>
    </div>
  );
}
