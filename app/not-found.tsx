import Link from "next/link";
import { Logo } from "@/components/ui/logo";

export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 text-center">
      <Logo className="mb-6 text-xl" />
      <p className="text-sm font-semibold text-brand-700">404</p>
      <h1 className="mt-2 text-2xl font-semibold">Page not found</h1>
      <p className="mt-2 text-sm text-slate-600">The page you asked for does not exist or has moved.</p>
      <Link href="/" className="mt-6 text-sm font-medium text-brand-700 hover:underline">
        Go to the console
      </Link>
    </main>
  );
}
