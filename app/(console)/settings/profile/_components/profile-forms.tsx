"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { changePasswordAction, renameSelfAction, type ProfileFormState } from "../actions";

export function RenameSelfForm({ name }: { name: string }) {
  const [state, action, pending] = useActionState<ProfileFormState, FormData>(renameSelfAction, {});
  return (
    <form action={action} aria-label="Your name" className="flex max-w-lg flex-col gap-3" noValidate>
      {state.error && <Alert>{state.error}</Alert>}
      {state.ok && <Alert tone="success">{state.message}</Alert>}
      <TextField label="Name" name="name" defaultValue={name} autoComplete="name" error={state.fields?.name} required />
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save name"}
        </Button>
      </div>
    </form>
  );
}

export function ChangePasswordForm() {
  const [state, action, pending] = useActionState<ProfileFormState, FormData>(changePasswordAction, {});
  return (
    // Keyed on the outcome so that a success clears the fields.
    <form
      key={state.ok ? "done" : "editing"}
      action={action}
      aria-label="Change password"
      className="flex max-w-lg flex-col gap-3"
      noValidate
    >
      {state.error && <Alert>{state.error}</Alert>}
      {state.ok && <Alert tone="success">{state.message}</Alert>}
      <TextField
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        error={state.fields?.currentPassword}
        required
      />
      <TextField
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        hint="At least 10 characters."
        error={state.fields?.newPassword}
        required
      />
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Changing…" : "Change password"}
        </Button>
      </div>
    </form>
  );
}
