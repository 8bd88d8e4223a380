import type { ReactNode } from "react";
import { DemoIdpBanner } from "@/components/console/demo-idp-banner";
import { Logo } from "@/components/ui/logo";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <DemoIdpBanner />
      <main className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
        <Logo className="mb-8 text-2xl text-slate-900" />
        <div className="w-full max-w-md rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200">{children}</div>
      </main>
    </>
  );
}
