import type { ReactNode } from "react";
import { NavLinks } from "@/components/console/nav-links";
import { isAdmin, requireUser } from "@/lib/auth/guards";

export default async function AccountSettingsLayout({ children }: { children: ReactNode }) {
  // Team pages are for Administrators; a plain User's settings are their own profile.
  const user = await requireUser();
  return (
    <div>
      <h1 className="text-2xl font-semibold">Account Settings</h1>
      <div className="mt-6 flex flex-col gap-6 md:flex-row">
        <aside className="md:w-48 md:shrink-0">
          <NavLinks
            label="Account Settings"
            variant="side"
            links={[
              { href: "/settings/profile", label: "Profile" },
              ...(isAdmin(user) ? [{ href: "/settings/team", label: "Team" }] : []),
            ]}
          />
        </aside>
        <div className="min-w-0 flex-1">{children}</div>
      </div>
    </div>
  );
}
