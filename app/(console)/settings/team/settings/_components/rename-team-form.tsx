"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { renameTeamAction, type RenameState } from "../actions";

export function RenameTeamForm({ name }: { name: string }) {
  const [state, action, pending] = useActionState<RenameState, FormData>(renameTeamAction, {});
  return (
    <form action={action} className="flex max-w-lg flex-col gap-3" noValidate>
      {state.error && <Alert>{state.error}</Alert>}
      {state.ok && <Alert tone="success">Team name saved.</Alert>}
      <TextField label="Team name" name="name" defaultValue={name} error={state.fields?.name} required />
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save team name"}
        </Button>
      </div>
    </form>
  );
}
