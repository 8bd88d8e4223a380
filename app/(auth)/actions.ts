"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { signIn } from "@/lib/auth/auth";
import { TOO_MANY_ATTEMPTS, tooManyAttemptsMessage } from "@/lib/auth/password-sign-in";
import { AppError } from "@/lib/errors";
import { createTeam } from "@/lib/teams/create-team";

export type FormState = { error?: string; fields?: Record<string, string>; values?: Record<string, string> };

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

// Only same-site paths: an absolute or protocol-relative `next` would be an open redirect.
function safeNext(value: string): string {
  return value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\") ? value : "/";
}

export async function logIn(_previous: FormState, form: FormData): Promise<FormState> {
  const email = text(form, "email").trim();
  const password = text(form, "password");
  const fields: Record<string, string> = {};
  if (!email) fields.email = "Enter your email address.";
  if (!password) fields.password = "Enter your password.";
  if (Object.keys(fields).length) return { fields, values: { email } };
  try {
    await signIn("credentials", { email, password, redirectTo: safeNext(text(form, "next")) });
  } catch (error) {
    if (error instanceof CredentialsSignin && error.code === TOO_MANY_ATTEMPTS) {
      return {
        error: tooManyAttemptsMessage(
          (error as CredentialsSignin & { retryAfterSeconds?: number }).retryAfterSeconds ?? 1,
        ),
        values: { email },
      };
    }
    // One message for every other failure: never reveal whether the email or the password was wrong.
    if (error instanceof AuthError) return { error: "Invalid email or password.", values: { email } };
    throw error;
  }
  return {};
}

export async function signUp(_previous: FormState, form: FormData): Promise<FormState> {
  const values = { teamName: text(form, "teamName"), adminName: text(form, "adminName"), email: text(form, "email") };
  const password = text(form, "password");
  try {
    await createTeam({ ...values, password });
  } catch (error) {
    if (error instanceof AppError && (error.code === "validation" || error.code === "conflict")) {
      return { error: error.code === "conflict" ? error.message : undefined, fields: error.fields, values };
    }
    throw error;
  }
  await signIn("credentials", { email: values.email, password, redirectTo: "/settings/team/settings" });
  return {};
}

export async function signInWithMicrosoft(): Promise<void> {
  await signIn("microsoft-entra-id", { redirectTo: "/" });
}
