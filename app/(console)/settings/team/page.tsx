import { redirect } from "next/navigation";
import { isAdmin, requireUser } from "@/lib/auth/guards";

export default async function TeamIndex() {
  const user = await requireUser();
  redirect(isAdmin(user) ? "/settings/team/settings" : "/");
}
