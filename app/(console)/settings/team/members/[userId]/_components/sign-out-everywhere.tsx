"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useSignOutEverywhere } from "@/lib/console-client/use-members";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";

export function SignOutEverywhere({
  teamId,
  userId,
  name,
  disabled,
}: {
  teamId: string;
  userId: string;
  name: string;
  disabled: boolean;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const signOut = useSignOutEverywhere(teamId);
  return (
    <>
      <Button variant="secondary" disabled={disabled} onClick={() => setOpen(true)}>
        Sign out everywhere
      </Button>
      {signOut.error && <Alert>{signOut.error.message}</Alert>}
      {signOut.data && (
        <Alert tone="success">
          Ended {signOut.data.sessionsEnded} {signOut.data.sessionsEnded === 1 ? "session" : "sessions"}.
        </Alert>
      )}
      <Dialog title={`Sign ${name} out everywhere?`} open={open} onClose={() => setOpen(false)}>
        <p>
          Every session of theirs ends at once, on every device. They can sign in again; to keep them out, disable them.
        </p>
        <div className="flex flex-wrap justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button
            variant="danger"
            disabled={signOut.isPending}
            onClick={() =>
              signOut.mutate(userId, {
                onSettled: () => {
                  setOpen(false);
                  router.refresh();
                },
              })
            }
          >
            Sign out everywhere
          </Button>
        </div>
      </Dialog>
    </>
  );
}
