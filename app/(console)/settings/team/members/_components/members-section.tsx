"use client";

import Form from "next/form";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { ApiError, formText } from "@/lib/console-client/api-client";
import { roleLabel } from "@/components/members/format";
import { formatWhen } from "@/lib/format-dates";
import {
  useAddMember,
  useMembers,
  useSetMemberActive,
  type MembersPage,
  type NewMember,
} from "@/lib/console-client/use-members";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { SelectField, TextField } from "@/components/ui/field";
import { DataTable } from "@/components/ui/table";
import type { MemberQuery, MemberSummary } from "@/lib/members/list-members";

const BASE = "/settings/team/members";

function pageHref(query: MemberQuery, cursor: { after: string } | { before: string }): string {
  const params = new URLSearchParams();
  if (query.search) params.set("q", query.search);
  if (query.source) params.set("source", query.source);
  if (query.status) params.set("status", query.status);
  if (query.role) params.set("role", query.role);
  if ("after" in cursor) params.set("after", cursor.after);
  else params.set("before", cursor.before);
  return `${BASE}?${params.toString()}`;
}

function describe(data: MembersPage | undefined, filtered: boolean): string {
  if (!data) return "Loading…";
  const count = `${data.total.toLocaleString("en-US")}${data.totalCapped ? "+" : ""}`;
  const noun = data.total === 1 && !data.totalCapped ? "member" : "members";
  return filtered ? `${count} matching ${noun}.` : `${count} ${noun} in your team.`;
}

export function MembersSection({
  teamId,
  currentUserId,
  query,
  queryString,
  initial,
}: {
  teamId: string;
  currentUserId: string;
  query: MemberQuery;
  queryString: string;
  initial: MembersPage;
}) {
  const members = useMembers(teamId, queryString, initial);
  const setActive = useSetMemberActive(teamId);
  const [adding, setAdding] = useState(false);
  const [disabling, setDisabling] = useState<MemberSummary | null>(null);
  const data = members.data;
  const filtered = Boolean(query.search || query.source || query.status || query.role);

  return (
    <Card
      title="Members"
      description={describe(data, filtered)}
      actions={!adding ? <Button onClick={() => setAdding(true)}>Add member</Button> : undefined}
    >
      {adding && <AddMemberForm teamId={teamId} onDone={() => setAdding(false)} />}
      <SearchForm query={query} />
      {members.error && <Alert>{members.error.message}</Alert>}
      {setActive.error && <Alert>{setActive.error.message}</Alert>}
      {/* The table scrolls sideways on a phone; this box is the containing block of its visually
          hidden header text (absolutely positioned), which would otherwise widen the whole page. */}
      <div className="relative -mx-5 overflow-hidden px-5">
        <DataTable
          caption="Team members"
          columns={["Name", "UPN", "Source", "Role", "Status", "Last sign-in", { srOnly: "Actions" }]}
        >
          {data?.members.map((m) => (
            <tr key={m.id}>
              <td className="px-5 py-2.5">
                <Link href={`${BASE}/${m.id}`} className="font-medium text-brand-700 hover:underline">
                  {m.name}
                </Link>
                <div className="break-all text-xs text-slate-500">{m.email}</div>
              </td>
              <td className="break-all px-5 py-2.5 text-slate-600">{m.userName ?? "—"}</td>
              <td className="px-5 py-2.5 text-slate-600">
                {m.provisioned ? "Microsoft (provisioned by Entra)" : m.hasPassword ? "Password" : "—"}
              </td>
              <td className="px-5 py-2.5">{roleLabel(m.role)}</td>
              <td className="px-5 py-2.5">
                <span
                  className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${m.active ? "bg-emerald-50 text-emerald-700" : "bg-slate-100 text-slate-600"}`}
                >
                  {m.active ? "Active" : "Disabled"}
                </span>
              </td>
              <td className="whitespace-nowrap px-5 py-2.5 text-slate-600">{formatWhen(m.lastSignInAt)}</td>
              <td className="px-5 py-2.5 text-right">
                {m.id !== currentUserId && (
                  <Button
                    variant="secondary"
                    aria-label={`${m.active ? "Disable" : "Enable"} ${m.name}`}
                    disabled={setActive.isPending}
                    onClick={() => (m.active ? setDisabling(m) : setActive.mutate({ userId: m.id, active: true }))}
                  >
                    {m.active ? "Disable" : "Enable"}
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      </div>
      {data && data.members.length === 0 && (
        <p className="py-6 text-center text-sm text-slate-600">
          {filtered ? "No member matches this search." : "No members yet."}
        </p>
      )}
      {data && (data.previousCursor || data.nextCursor) && (
        <nav aria-label="Members pages" className="mt-4 flex flex-wrap items-center justify-between gap-2 text-sm">
          {data.previousCursor ? (
            <Link
              className="rounded-md px-3 py-1.5 ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
              href={pageHref(query, { before: data.previousCursor })}
            >
              Previous page
            </Link>
          ) : (
            <span />
          )}
          {data.nextCursor ? (
            <Link
              className="rounded-md px-3 py-1.5 ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
              href={pageHref(query, { after: data.nextCursor })}
            >
              Next page
            </Link>
          ) : (
            <span />
          )}
        </nav>
      )}
      <Dialog
        title={disabling ? `Disable ${disabling.name}?` : "Disable member?"}
        open={disabling !== null}
        onClose={() => setDisabling(null)}
      >
        <p>They are signed out at once and cannot sign in until an Administrator enables them again.</p>
        <div className="flex flex-wrap justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={() => setDisabling(null)}>
            Cancel
          </Button>
          <Button
            variant="danger"
            disabled={setActive.isPending}
            onClick={() => {
              if (disabling)
                setActive.mutate({ userId: disabling.id, active: false }, { onSettled: () => setDisabling(null) });
            }}
          >
            Disable
          </Button>
        </div>
      </Dialog>
    </Card>
  );
}

function SearchForm({ query }: { query: MemberQuery }) {
  const submitOnChange = (event: FormEvent<HTMLSelectElement>) => event.currentTarget.form?.requestSubmit();
  // A new search starts at the first page: the form carries no cursor. Keyed on the query so that
  // navigating (back, a link) shows the fields of the page being shown.
  return (
    <Form
      key={JSON.stringify(query)}
      action={BASE}
      role="search"
      aria-label="Members"
      className="mb-4 grid gap-3 sm:grid-cols-[1fr_auto_auto_auto_auto] sm:items-end"
    >
      <TextField
        label="Search members"
        name="q"
        type="search"
        defaultValue={query.search ?? ""}
        hint="Matches the start of a name, email, UPN or external ID."
        maxLength={200}
      />
      <SelectField label="Source" name="source" defaultValue={query.source ?? ""} onChange={submitOnChange}>
        <option value="">Any</option>
        <option value="password">Password</option>
        <option value="provisioned">Provisioned by Entra</option>
      </SelectField>
      <SelectField label="Status" name="status" defaultValue={query.status ?? ""} onChange={submitOnChange}>
        <option value="">Any</option>
        <option value="active">Active</option>
        <option value="disabled">Disabled</option>
      </SelectField>
      <SelectField label="Role" name="role" defaultValue={query.role ?? ""} onChange={submitOnChange}>
        <option value="">Any</option>
        <option value="ADMIN">Administrator</option>
        <option value="USER">User</option>
      </SelectField>
      <Button type="submit" variant="secondary" className="sm:mb-5">
        Search
      </Button>
    </Form>
  );
}

function AddMemberForm({ teamId, onDone }: { teamId: string; onDone: () => void }) {
  const add = useAddMember(teamId);
  const [pending, setPending] = useState<NewMember | null>(null);
  const duplicate =
    add.error instanceof ApiError && add.error.status === 409 && Boolean(add.error.fields?.confirmDuplicateEmail);
  const fields = add.error instanceof ApiError && !duplicate ? (add.error.fields ?? {}) : {};
  const submit = (member: NewMember) => {
    setPending(member);
    add.mutate(member, { onSuccess: onDone });
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const get = (name: string) => formText(form, name);
    submit({
      name: get("name"),
      email: get("email"),
      role: get("role") === "ADMIN" ? "ADMIN" : "USER",
      password: get("password"),
    });
  };
  return (
    <>
      <form
        onSubmit={onSubmit}
        aria-label="Add member"
        className="mb-6 grid gap-4 rounded-md bg-slate-50 p-4 sm:grid-cols-2"
        noValidate
      >
        {add.error && !duplicate && !Object.keys(fields).length && (
          <div className="sm:col-span-2">
            <Alert>{add.error.message}</Alert>
          </div>
        )}
        <TextField label="Name" name="name" error={fields.name} required />
        <TextField label="Email" name="email" type="email" error={fields.email} required />
        <SelectField label="Role" name="role" defaultValue="USER" error={fields.role}>
          <option value="USER">User</option>
          <option value="ADMIN">Administrator</option>
        </SelectField>
        <TextField
          label="Initial password"
          name="password"
          type="password"
          autoComplete="new-password"
          hint="At least 10 characters. Share it with them securely."
          error={fields.password}
          required
        />
        <div className="flex gap-2 sm:col-span-2">
          <Button type="submit" disabled={add.isPending}>
            {add.isPending ? "Adding…" : "Save member"}
          </Button>
          <Button type="button" variant="secondary" onClick={onDone}>
            Cancel
          </Button>
        </div>
      </form>
      <Dialog title="Add a second member with this email?" open={duplicate} onClose={() => add.reset()}>
        <p>
          A member of your team already uses <strong className="break-all">{pending?.email}</strong>. Add{" "}
          {pending?.name} as another member with the same email? The two are told apart by their UPN and sign-in method.
        </p>
        <div className="flex flex-wrap justify-end gap-2 pt-2">
          <Button type="button" variant="secondary" onClick={() => add.reset()}>
            Cancel
          </Button>
          <Button
            type="button"
            disabled={add.isPending}
            onClick={() => pending && submit({ ...pending, confirmDuplicateEmail: true })}
          >
            Add anyway
          </Button>
        </div>
      </Dialog>
    </>
  );
}
