import type { Metadata } from "next";
import { isAdmin, requireUser } from "@/lib/auth/guards";
import { listMembers } from "@/lib/members/list-members";
import { MembersSection } from "./_components/members-section";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage() {
  const user = await requireUser();
  const initial = await listMembers(user.teamId, 1);
  return <MembersSection teamId={user.teamId} currentUserId={user.id} canManage={isAdmin(user)} initial={initial} />;
}
