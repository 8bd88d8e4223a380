import { Button } from "@/components/ui/button";

export function MicrosoftSignInButton({ action }: { action: () => Promise<void> }) {
  return (
    <form action={action}>
      <Button type="submit" variant="secondary" className="w-full gap-2">
        <svg aria-hidden="true" viewBox="0 0 21 21" className="h-4 w-4">
          <rect x="1" y="1" width="9" height="9" fill="#f25022" />
          <rect x="11" y="1" width="9" height="9" fill="#7fba00" />
          <rect x="1" y="11" width="9" height="9" fill="#00a4ef" />
          <rect x="11" y="11" width="9" height="9" fill="#ffb900" />
        </svg>
        Sign in with Microsoft
      </Button>
    </form>
  );
}
