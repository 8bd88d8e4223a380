import { cookies } from "next/headers";
import { signIn } from "@/lib/auth/auth";
import { requireTeamRole } from "@/lib/auth/guards";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { consoleApi } from "@/lib/http/console-api";
import { ACTIVATION_TTL_MS, startSsoActivation } from "@/lib/sso/activation";
import { ACTIVATION_COOKIE, SETTINGS_PATH } from "@/lib/sso/entra-sign-in";

type Context = { params: Promise<{ teamId: string }> };

/** "Activate": starts the Entra sign-in with prompt=consent; answers the URL to send the browser to. */
export const POST = consoleApi<Context>(async (_request, { params }) => {
  const { teamId } = await params;
  const actor = await requireTeamRole(teamId, "ADMIN");
  const env = getEnv();
  if (env.entra.mode === "off")
    throw new AppError(
      "conflict",
      "No Microsoft Entra ID app is configured on this server (see README: AUTH_MICROSOFT_ENTRA_ID_ID).",
    );
  const { token } = await startSsoActivation(actor);
  (await cookies()).set(ACTIVATION_COOKIE, token, {
    httpOnly: true,
    // Lax: the cookie must come back on Entra's top-level redirect to our callback.
    sameSite: "lax",
    secure: env.appUrl.startsWith("https://"),
    path: "/",
    maxAge: ACTIVATION_TTL_MS / 1000,
  });
  // prompt=consent: the admin consents for the whole organisation and the app is added to the
  // tenant (“Admin consent on the Microsoft identity platform”, the alternative Storegate's flow describes).
  const authorizeUrl = (await signIn(
    "microsoft-entra-id",
    { redirect: false, redirectTo: SETTINGS_PATH },
    { prompt: "consent" },
  )) as string;
  return Response.json({ authorizeUrl });
});
