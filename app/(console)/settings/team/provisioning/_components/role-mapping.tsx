"use client";

import { useState, type FormEvent } from "react";
import { ApiError } from "@/lib/console-client/api-client";
import { useRoleMapping, useSaveRoleMapping } from "@/lib/console-client/use-role-mapping";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/field";
import type { RoleMappingView, StoregateRole } from "@/lib/provisioning/role-mapping";

type Row = { key: number; appRole: string; role: StoregateRole };

const ROLE_OPTIONS = (
  <>
    <option value="ADMIN">Administrator</option>
    <option value="USER">User</option>
  </>
);

let nextKey = 0;
const toRows = (view: RoleMappingView): Row[] => view.mappings.map((mapping) => ({ key: nextKey++, ...mapping }));

export function RoleMapping({ teamId, initial }: { teamId: string; initial: RoleMappingView }) {
  const query = useRoleMapping(teamId, initial);
  const save = useSaveRoleMapping(teamId);
  const [rows, setRows] = useState<Row[]>(() => toRows(initial));
  const [defaultRole, setDefaultRole] = useState<StoregateRole>(initial.defaultRole);
  const [saved, setSaved] = useState(false);
  const fields = save.error instanceof ApiError ? (save.error.fields ?? {}) : {};
  const mapped = new Set(rows.map((row) => row.appRole.trim().toLowerCase()));
  const unmapped = query.data.seenAppRoles.filter((value) => !mapped.has(value.toLowerCase()));

  const change = (key: number, patch: Partial<Row>) => {
    setSaved(false);
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  };
  const add = (appRole = "") => {
    setSaved(false);
    setRows((current) => [...current, { key: nextKey++, appRole, role: "USER" }]);
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    save.mutate(
      { mappings: rows.map(({ appRole, role }) => ({ appRole, role })), defaultRole },
      {
        onSuccess: (view) => {
          setRows(toRows(view));
          setSaved(true);
        },
      },
    );
  };

  return (
    <form onSubmit={onSubmit} className="space-y-4" aria-label="Role mapping" noValidate>
      <p className="text-sm text-slate-600">
        Each provisioned member&apos;s Storegate role follows the app roles Entra assigns them (the <code>roles</code>{" "}
        attribute), on every create and update. Values compare case-insensitively; Administrator wins when several
        apply. The team&apos;s last active Administrator is never demoted.
      </p>
      {save.error && !Object.keys(fields).length && <Alert>{save.error.message}</Alert>}
      {saved && (
        <Alert tone="success">Role mapping saved. It applies from the next request Entra sends for each member.</Alert>
      )}
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600">
          No app roles are mapped: every provisioned member gets the default role.
        </p>
      ) : (
        <ul className="space-y-2" aria-label="Mapped app roles">
          {rows.map((row, index) => {
            const error = fields[`mappings.${index}.appRole`];
            const label = row.appRole.trim() || `row ${index + 1}`;
            return (
              <li key={row.key} className="flex flex-wrap items-start gap-3">
                <div className="min-w-48 flex-1">
                  <input
                    aria-label={`Entra app role value, row ${index + 1}`}
                    value={row.appRole}
                    onChange={(event) => change(row.key, { appRole: event.target.value })}
                    aria-invalid={error ? true : undefined}
                    className={`block w-full rounded-md border-0 px-3 py-2 text-sm shadow-sm ring-1 ring-inset ${error ? "ring-red-500" : "ring-slate-300"}`}
                  />
                  {error && <p className="mt-1 text-sm text-red-700">{error}</p>}
                </div>
                <span aria-hidden="true" className="pt-2 text-slate-400">
                  →
                </span>
                <select
                  aria-label={`Storegate role for ${label}`}
                  value={row.role}
                  onChange={(event) => change(row.key, { role: event.target.value as StoregateRole })}
                  className="rounded-md border-0 bg-white px-3 py-2 text-sm shadow-sm ring-1 ring-inset ring-slate-300"
                >
                  {ROLE_OPTIONS}
                </select>
                <Button
                  type="button"
                  variant="secondary"
                  aria-label={`Remove mapping for ${label}`}
                  onClick={() => {
                    setSaved(false);
                    setRows((current) => current.filter((r) => r.key !== row.key));
                  }}
                >
                  Remove
                </Button>
              </li>
            );
          })}
        </ul>
      )}
      <div className="flex flex-wrap items-center gap-2">
        <Button type="button" variant="secondary" onClick={() => add()}>
          Add mapping
        </Button>
      </div>
      <div>
        <h3 className="text-sm font-semibold">App roles seen in provisioned members</h3>
        {query.data.seenAppRoles.length === 0 ? (
          <p className="mt-1 text-sm text-slate-600">
            None yet. They appear here once Entra provisions members with app roles.
          </p>
        ) : (
          <ul className="mt-2 flex flex-wrap gap-2" aria-label="App roles seen">
            {query.data.seenAppRoles.map((value) => (
              <li key={value} className="inline-flex items-center gap-1 rounded-full bg-slate-100 px-2.5 py-1 text-xs">
                <span className="font-mono">{value}</span>
                {unmapped.includes(value) && (
                  <button
                    type="button"
                    className="font-medium text-brand-700 hover:underline"
                    aria-label={`Map ${value}`}
                    onClick={() => add(value)}
                  >
                    Map
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="max-w-xs">
        <SelectField
          label="Default role for unmapped members"
          value={defaultRole}
          error={fields.defaultRole}
          onChange={(event) => {
            setSaved(false);
            setDefaultRole(event.target.value as StoregateRole);
          }}
        >
          {ROLE_OPTIONS}
        </SelectField>
      </div>
      <div className="flex justify-end">
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save role mapping"}
        </Button>
      </div>
    </form>
  );
}
