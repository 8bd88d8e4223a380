import { serveScim } from "@/lib/http/scim-route";

// Every SCIM request, the Tenant URL itself included (clients probe it, and it must answer in SCIM,
// not with the console's HTML 404): the optional catch-all matches zero or more segments.
export const dynamic = "force-dynamic";

const handler = (request: Request) => serveScim(request);

export const GET = handler;
export const POST = handler;
export const PUT = handler;
export const PATCH = handler;
export const DELETE = handler;
