import { redirect } from "next/navigation";
import { cache } from "react";
import { AppError } from "../errors";
import { auth } from "./auth";
import type { SessionUser } from "./sessions";

// Per request (React cache): a layout and its page both ask, the session row is read once.
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  return session?.user?.id ? session.user : null;
});

/** For pages: the signed-in user, or a redirect to the login page. */
export async function requireUser(): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  return user;
}

export function isAdmin(user: SessionUser): boolean {
  return user.role === "ADMIN";
}

/**
 * For route handlers: the signed-in user if they belong to `teamId` with the role required.
 * Another team's id answers 404 (its existence is not confirmed); a plain User gets 403.
 */
export async function requireTeamRole(teamId: string, role: "ADMIN" | "USER"): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("unauthorized", "Sign in to continue.");
  if (user.teamId !== teamId) throw new AppError("not_found", "Not found.");
  if (role === "ADMIN" && !isAdmin(user)) throw new AppError("forbidden", "Only team Administrators can do this.");
  return user;
}
