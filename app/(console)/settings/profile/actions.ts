"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { auth } from "@/lib/auth/auth";
import { changePassword } from "@/lib/auth/change-password";
import { getCurrentUser } from "@/lib/auth/guards";
import { getPasswordThrottle } from "@/lib/auth/password-sign-in";
import { AppError } from "@/lib/errors";
import { renameSelf } from "@/lib/members/rename-self";

export type ProfileFormState = { ok?: boolean; message?: string; error?: string; fields?: Record<string, string> };

function failure(error: unknown): ProfileFormState {
  if (error instanceof AppError && error.code === "validation") return { fields: error.fields };
  if (error instanceof AppError && error.status < 500) return { error: error.message };
  throw error;
}

export async function renameSelfAction(_previous: ProfileFormState, form: FormData): Promise<ProfileFormState> {
  const user = await getCurrentUser();
  if (!user) return { error: "Your session has ended. Log in again." };
  try {
    await renameSelf(user, { name: form.get("name") });
  } catch (error) {
    return failure(error);
  }
  revalidatePath("/", "layout");
  return { ok: true, message: "Name saved." };
}

export async function changePasswordAction(_previous: ProfileFormState, form: FormData): Promise<ProfileFormState> {
  const session = await auth();
  const user = await getCurrentUser();
  if (!session?.sid || !user) return { error: "Your session has ended. Log in again." };
  try {
    const { sessionsEnded } = await changePassword(
      user,
      { currentPassword: form.get("currentPassword"), newPassword: form.get("newPassword") },
      {
        sessionId: session.sid,
        headers: await headers(),
        throttle: getPasswordThrottle(),
      },
    );
    return {
      ok: true,
      message: `Password changed. ${sessionsEnded === 1 ? "1 other session was" : `${sessionsEnded} other sessions were`} signed out.`,
    };
  } catch (error) {
    return failure(error);
  }
}
