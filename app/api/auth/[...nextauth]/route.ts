import type { NextRequest } from "next/server";
import { handlers } from "@/lib/auth/auth";
import { withSignInThrottleStatus } from "@/lib/auth/password-sign-in";
import { handleEntraCallbackError } from "@/lib/sso/entra-sign-in";

export const POST = withSignInThrottleStatus(handlers.POST);

export async function GET(request: NextRequest) {
  return (await handleEntraCallbackError(request)) ?? handlers.GET(request);
}
