import type { Metadata } from "next";
import { isAdmin, requireUser } from "@/lib/auth/guards";
import { listMembers, memberQueryParams, parseMemberQuery } from "@/lib/members/list-members";
import { AdminsOnly } from "@/components/console/admins-only";
import { MembersSection } from "./_components/members-section";

export const metadata: Metadata = { title: "Members" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function MembersPage({ searchParams }: Props) {
  const user = await requireUser();
  // The directory shows UPNs, Entra ids, sign-in methods and last sign-ins: Administrators only.
  if (!isAdmin(user)) return <AdminsOnly />;
  const raw = await searchParams;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(raw)) if (typeof value === "string") params.set(key, value);
  const query = parseMemberQuery(params);
  const initial = await listMembers(user.teamId, query);
  return (
    <MembersSection
      teamId={user.teamId}
      currentUserId={user.id}
      query={query}
      queryString={memberQueryParams(query).toString()}
      initial={initial}
    />
  );
}
