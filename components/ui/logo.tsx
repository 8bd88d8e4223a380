export function Logo({ className = "" }: { className?: string }) {
  return (
    <span className={`inline-flex items-center gap-2 font-semibold tracking-tight ${className}`}>
      <svg aria-hidden="true" viewBox="0 0 32 32" className="h-7 w-7">
        <rect width="32" height="32" rx="8" className="fill-brand-600" />
        <path
          d="M9 20.5c0 2 2.2 3.5 7 3.5s7-1.4 7-3.7c0-5.3-13.6-2.6-13.6-8 0-2.1 2.2-3.8 6.6-3.8 3.7 0 6.1 1.2 6.6 3.2"
          fill="none"
          stroke="white"
          strokeWidth="2.4"
          strokeLinecap="round"
        />
      </svg>
      <span>Storegate</span>
    </span>
  );
}
