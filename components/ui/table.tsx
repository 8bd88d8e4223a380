import type { ReactNode } from "react";

/**
 * The console's list table: an accessible caption, column headers, and rows from the caller. An
 * empty header label is announced as the given text only (e.g. a column of action buttons).
 *
 * On a narrow screen the table scrolls sideways inside its own box and the first column stays in
 * view. The box is `relative` so that it is the containing block of the visually hidden (absolutely
 * positioned) header text and caption: otherwise they are placed against the page and widen it.
 */
export function DataTable({
  caption,
  columns,
  children,
}: {
  caption: string;
  columns: (string | { srOnly: string })[];
  children: ReactNode;
}) {
  return (
    <div className="relative -mx-5 overflow-x-auto">
      <table className="min-w-full text-left text-sm [&_tr>:first-child]:sticky [&_tr>:first-child]:left-0 [&_tr>:first-child]:z-[1] [&_tr>:first-child]:bg-white">
        <caption className="sr-only">{caption}</caption>
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            {columns.map((column) =>
              typeof column === "string" ? (
                <th key={column} scope="col" className="px-5 py-2 font-medium">
                  {column}
                </th>
              ) : (
                <th key={column.srOnly} scope="col" className="px-5 py-2">
                  <span className="sr-only">{column.srOnly}</span>
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 align-top">{children}</tbody>
      </table>
    </div>
  );
}
