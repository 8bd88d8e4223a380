import { serveScim } from "@/lib/http/scim-route";

// The Tenant URL itself (the catch-all beside this file needs at least one segment): clients probe
// it, and it must answer in SCIM, not with the console's HTML 404.
export const dynamic = "force-dynamic";

const handler = (request: Request) => serveScim(request);

export const GET = handler;
export const POST = handler;
export const PUT = handler;
export const PATCH = handler;
export const DELETE = handler;
