"use client";

import { useState, type FormEvent } from "react";
import { ApiError, formText } from "@/components/api-client";
import { useAddMember, useMembers, useSetMemberActive, type MembersPage } from "@/components/members/use-members";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { SelectField, TextField } from "@/components/ui/field";
import { DataTable } from "@/components/ui/table";

export function MembersSection({ teamId, currentUserId, canManage, initial }: { teamId: string; currentUserId: string; canManage: boolean; initial: MembersPage }) {
  const [page, setPage] = useState(initial.page);
  const members = useMembers(teamId, page, page === initial.page ? initial : undefined);
  const setActive = useSetMemberActive(teamId);
  const [adding, setAdding] = useState(false);
  const data = members.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;

  return (
    <Card
      title="Members"
      description={data ? `${data.total} ${data.total === 1 ? "member" : "members"} in your team.` : "Loading…"}
      actions={canManage && !adding ? <Button onClick={() => setAdding(true)}>Add member</Button> : undefined}
    >
      {adding && <AddMemberForm teamId={teamId} onDone={() => setAdding(false)} />}
      {members.error && <Alert>{members.error.message}</Alert>}
      {setActive.error && <Alert>{setActive.error.message}</Alert>}
      <DataTable caption="Team members" columns={["Name", "Email", "Role", "Sign-in", "Status", ...(canManage ? [{ srOnly: "Actions" }] : [])]}>
        {data?.members.map((m) => (
          <tr key={m.id}>
            <td className="px-5 py-2.5 font-medium">{m.name}</td>
            <td className="px-5 py-2.5 text-slate-600">{m.email}</td>
            <td className="px-5 py-2.5">{m.role === "ADMIN" ? "Administrator" : "User"}</td>
            <td className="px-5 py-2.5 text-slate-600">{m.provisioned ? "Microsoft (provisioned by Entra)" : m.hasPassword ? "Password" : "—"}</td>
            <td className="px-5 py-2.5">
              <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${m.active ? "bg-emerald-50 text-emerald-700" : "bg-slate-100 text-slate-600"}`}>
                {m.active ? "Active" : "Disabled"}
              </span>
            </td>
            {canManage && (
              <td className="px-5 py-2.5 text-right">
                {m.id !== currentUserId && (
                  <Button
                    variant="secondary"
                    aria-label={`${m.active ? "Disable" : "Enable"} ${m.name}`}
                    disabled={setActive.isPending}
                    onClick={() => {
                      if (!m.active || window.confirm(`Disable ${m.name}? They are signed out at once and cannot sign in until enabled again.`)) {
                        setActive.mutate({ userId: m.id, active: !m.active });
                      }
                    }}
                  >
                    {m.active ? "Disable" : "Enable"}
                  </Button>
                )}
              </td>
            )}
          </tr>
        ))}
      </DataTable>
      {pages > 1 && (
        <nav aria-label="Members pages" className="mt-4 flex items-center justify-between text-sm">
          <Button variant="secondary" disabled={page <= 1} onClick={() => setPage((p) => p - 1)}>Previous page</Button>
          <span>Page {page} of {pages}</span>
          <Button variant="secondary" disabled={page >= pages} onClick={() => setPage((p) => p + 1)}>Next page</Button>
        </nav>
      )}
    </Card>
  );
}

function AddMemberForm({ teamId, onDone }: { teamId: string; onDone: () => void }) {
  const add = useAddMember(teamId);
  const fields = add.error instanceof ApiError ? (add.error.fields ?? {}) : {};
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const get = (name: string) => formText(form, name);
    add.mutate(
      { name: get("name"), email: get("email"), role: get("role") === "ADMIN" ? "ADMIN" : "USER", password: get("password") },
      { onSuccess: onDone },
    );
  };
  return (
    <form onSubmit={onSubmit} aria-label="Add member" className="mb-6 grid gap-4 rounded-md bg-slate-50 p-4 sm:grid-cols-2" noValidate>
      {add.error && !Object.keys(fields).length && <div className="sm:col-span-2"><Alert>{add.error.message}</Alert></div>}
      <TextField label="Name" name="name" error={fields.name} required />
      <TextField label="Email" name="email" type="email" error={fields.email} required />
      <SelectField label="Role" name="role" defaultValue="USER" error={fields.role}>
        <option value="USER">User</option>
        <option value="ADMIN">Administrator</option>
      </SelectField>
      <TextField label="Initial password" name="password" type="password" autoComplete="new-password" hint="At least 10 characters. Share it with them securely." error={fields.password} required />
      <div className="flex gap-2 sm:col-span-2">
        <Button type="submit" disabled={add.isPending}>{add.isPending ? "Adding…" : "Save member"}</Button>
        <Button type="button" variant="secondary" onClick={onDone}>Cancel</Button>
      </div>
    </form>
  );
}
