"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { signUp, type FormState } from "../actions";

export function SignUpForm() {
  const [state, action, pending] = useActionState<FormState, FormData>(signUp, {});
  const v = state.values ?? {};
  const f = state.fields ?? {};
  return (
    <form action={action} className="mt-6 space-y-4" noValidate>
      {state.error && <Alert>{state.error}</Alert>}
      <TextField
        label="Company or team name"
        name="teamName"
        autoComplete="organization"
        defaultValue={v.teamName}
        error={f.teamName}
        required
      />
      <TextField
        label="Your name"
        name="adminName"
        autoComplete="name"
        defaultValue={v.adminName}
        error={f.adminName}
        required
      />
      <TextField
        label="Work email"
        name="email"
        type="email"
        autoComplete="email"
        defaultValue={v.email}
        error={f.email}
        required
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        hint="At least 10 characters."
        error={f.password}
        required
      />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Creating your team…" : "Create team"}
      </Button>
    </form>
  );
}
