import Link from "next/link";

/** Server-side paging links (?page=n) for long lists. */
export function Pager({
  label,
  page,
  total,
  pageSize,
  basePath,
}: {
  label: string;
  page: number;
  total: number;
  pageSize: number;
  basePath: string;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const link = "rounded-md px-3 py-1.5 ring-1 ring-inset ring-slate-300 hover:bg-slate-50";
  return (
    <nav aria-label={label} className="mt-4 flex items-center justify-between text-sm">
      {page > 1 ? (
        <Link className={link} href={`${basePath}?page=${page - 1}`}>
          Previous page
        </Link>
      ) : (
        <span />
      )}
      <span>
        Page {page} of {pages}
      </span>
      {page < pages ? (
        <Link className={link} href={`${basePath}?page=${page + 1}`}>
          Next page
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}
