import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/guards";

export const metadata: Metadata = { title: "Profile" };

export default async function ProfilePage() {
  const user = await requireUser();
  return (
    <Card title="Profile" description="Your Storegate account.">
      <dl className="grid grid-cols-1 gap-3 text-sm sm:grid-cols-[10rem_1fr]">
        <dt className="text-slate-500">Name</dt>
        <dd>{user.name}</dd>
        <dt className="text-slate-500">Email</dt>
        <dd>{user.email}</dd>
        <dt className="text-slate-500">Role</dt>
        <dd>{user.role === "ADMIN" ? "Administrator" : "User"}</dd>
      </dl>
    </Card>
  );
}
