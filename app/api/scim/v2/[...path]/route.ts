import { serveScim } from "@/lib/http/scim-route";

export const dynamic = "force-dynamic";

export const GET = serveScim;
export const POST = serveScim;
export const PUT = serveScim;
export const PATCH = serveScim;
export const DELETE = serveScim;
