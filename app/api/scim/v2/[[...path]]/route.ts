import { serveScim } from "@/lib/http/scim-route";

export const dynamic = "force-dynamic";

const handler = (request: Request) => serveScim(request);

export const GET = handler;
export const POST = handler;
export const PUT = handler;
export const PATCH = handler;
export const DELETE = handler;
