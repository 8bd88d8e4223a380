import type { NextRequest } from "next/server";
import { handlers } from "@/lib/auth/auth";
import { handleEntraCallbackError } from "@/lib/sso/entra-sign-in";

export const { POST } = handlers;

export async function GET(request: NextRequest) {
  return (await handleEntraCallbackError(request)) ?? handlers.GET(request);
}
