/** A member's groups as chips, or `none` when they are in no group. */
export function MemberGroups({ groups, none }: { groups: { id: string; displayName: string }[]; none: string }) {
  if (groups.length === 0) return <p className="text-sm text-slate-600">{none}</p>;
  return (
    <ul className="flex flex-wrap gap-2 text-sm">
      {groups.map((g) => (
        <li key={g.id} className="rounded-full bg-slate-100 px-2.5 py-0.5">
          {g.displayName}
        </li>
      ))}
    </ul>
  );
}
