import type { Metadata } from "next";
import { AdminsOnly } from "@/components/console/admins-only";
import { EmptyState } from "@/components/ui/card";
import { isAdmin, requireUser } from "@/lib/auth/guards";

export const metadata: Metadata = { title: "Provisioning" };

export default async function ProvisioningPage() {
  const user = await requireUser();
  if (!isAdmin(user)) return <AdminsOnly />;
  return (
    <EmptyState title="No provisioning activity">
      When Microsoft Entra ID provisions your team, every user and group it creates, updates, disables or deletes will be listed here.
    </EmptyState>
  );
}
