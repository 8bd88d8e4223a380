import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/guards";

export const metadata: Metadata = { title: "Groups" };

export default async function GroupsPage() {
  await requireUser();
  return (
    <EmptyState title="No groups yet">
      Groups arrive from Microsoft Entra ID once single sign-on and provisioning are connected. They will be listed here with their members.
    </EmptyState>
  );
}
