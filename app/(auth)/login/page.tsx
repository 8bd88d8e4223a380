import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { MicrosoftSignInButton } from "@/components/console/microsoft-sign-in";
import { getCurrentUser } from "@/lib/auth/guards";
import { getEnv } from "@/lib/env";
import { signInWithMicrosoft } from "../actions";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Log in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  if (await getCurrentUser()) redirect("/");
  const { next } = await searchParams;
  const sso = getEnv().entra.mode !== "off";
  return (
    <>
      <h1 className="text-xl font-semibold">Log in to Storegate</h1>
      {sso && (
        <div className="mt-6 space-y-4">
          <MicrosoftSignInButton action={signInWithMicrosoft} />
          <p className="flex items-center gap-3 text-xs uppercase tracking-wide text-slate-400">
            <span className="h-px flex-1 bg-slate-200" />
            or with your Storegate password
            <span className="h-px flex-1 bg-slate-200" />
          </p>
        </div>
      )}
      <LoginForm next={typeof next === "string" ? next : "/"} />
      <p className="mt-6 text-center text-sm text-slate-600">
        New to Storegate?{" "}
        <Link href="/signup" className="font-medium text-brand-700 hover:underline">
          Sign up for Storegate
        </Link>
      </p>
    </>
  );
}
