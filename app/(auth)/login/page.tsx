import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/guards";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Log in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  if (await getCurrentUser()) redirect("/");
  const { next } = await searchParams;
  return (
    <>
      <h1 className="text-xl font-semibold">Log in to Storegate</h1>
      <p className="mt-1 text-sm text-slate-600">Use the email and password of your Storegate account.</p>
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
