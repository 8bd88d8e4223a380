import { EmptyState } from "@/components/ui/card";

export function AdminsOnly() {
  return (
    <EmptyState title="Administrators only">
      This page is for your team&apos;s Administrators. Ask an Administrator of your team if you need something changed
      here.
    </EmptyState>
  );
}
