"use server";

import { signOut } from "@/lib/auth/auth";

export async function logOut(): Promise<void> {
  await signOut({ redirectTo: "/login" });
}
