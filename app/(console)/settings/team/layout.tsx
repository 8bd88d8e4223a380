import type { ReactNode } from "react";
import { NavLinks } from "@/components/console/nav-links";

export default function TeamLayout({ children }: { children: ReactNode }) {
  return (
    <div className="space-y-6">
      <NavLinks
        label="Team"
        variant="tabs"
        links={[
          { href: "/settings/team/settings", label: "Settings" },
          { href: "/settings/team/members", label: "Members" },
          { href: "/settings/team/groups", label: "Groups" },
          { href: "/settings/team/provisioning", label: "Provisioning" },
          { href: "/settings/team/audit", label: "Audit log" },
        ]}
      />
      {children}
    </div>
  );
}
