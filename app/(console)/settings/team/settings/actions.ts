"use server";

import { revalidatePath } from "next/cache";
import { getCurrentUser, isAdmin } from "@/lib/auth/guards";
import { AppError } from "@/lib/errors";
import { renameTeam } from "@/lib/teams/rename-team";

export type RenameState = { ok?: boolean; error?: string; fields?: Record<string, string> };

export async function renameTeamAction(_previous: RenameState, form: FormData): Promise<RenameState> {
  const user = await getCurrentUser();
  if (!user) return { error: "Your session has ended. Log in again." };
  if (!isAdmin(user)) return { error: "Only team Administrators can do this." };
  try {
    await renameTeam(user, { name: form.get("name") });
  } catch (error) {
    if (error instanceof AppError && error.code === "validation") return { fields: error.fields };
    throw error;
  }
  revalidatePath("/", "layout");
  return { ok: true };
}
