import type { Metadata } from "next";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { ssoMessage } from "@/lib/sso/messages";

export const metadata: Metadata = { title: "Sign-in refused" };

/** Where a refused Microsoft sign-in lands: no account was created or changed. */
export default async function SsoRefusedPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  return (
    <>
      <h1 className="text-xl font-semibold">You can&apos;t sign in to Storegate yet</h1>
      <div className="mt-4">
        <Alert>{ssoMessage(error ?? "invalid_request")}</Alert>
      </div>
      <p className="mt-6 text-center text-sm">
        <Link href="/login" className="font-medium text-brand-700 hover:underline">
          Back to log in
        </Link>
      </p>
    </>
  );
}
