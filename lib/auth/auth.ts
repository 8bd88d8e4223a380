import NextAuth from "next-auth";
import "next-auth/jwt";
import Credentials from "next-auth/providers/credentials";
import MicrosoftEntraID from "next-auth/providers/microsoft-entra-id";
import { handleEntraSignIn } from "../sso/entra-sign-in";
import { getEnv } from "../env";
import { createSession, findActiveSession, revokeSession, SESSION_MAX_AGE_SECONDS, type SessionUser } from "./sessions";
import { signInWithPassword } from "./password-sign-in";

declare module "next-auth" {
  interface User {
    sid?: string;
  }
  interface Session {
    sid: string;
    user: SessionUser;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    sid?: string;
    user?: SessionUser;
  }
}

function entraProvider() {
  const entra = getEnv().entra;
  if (entra.mode === "off") return [];
  return [
    MicrosoftEntraID({
      clientId: entra.clientId,
      clientSecret: entra.clientSecret,
      issuer: entra.issuer,
      checks: ["pkce", "state", "nonce"],
      // User.Read lets activation read the tenant's name from Microsoft Graph (display only).
      authorization: { params: { scope: "openid profile User.Read" } },
      // The default profile() fetches a photo from Microsoft Graph; identity is tid + oid only.
      profile: (claims) => ({
        id: `${String(claims.tid)}:${String(claims.oid)}`,
        name: typeof claims.name === "string" ? claims.name : null,
      }),
    }),
  ];
}

// Lazy config: the secret and the database are read at the first request, never at build time.
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: getEnv().authSecret,
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/login", error: "/login" },
  logger: {
    // A wrong password (or a throttled attempt) is an expected outcome, answered in the form; not an error worth a
    // stack trace.
    error(error) {
      if ((error as { type?: string }).type !== "CredentialsSignin") console.error("[auth]", error);
    },
  },
  providers: [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request) {
        const userId = await signInWithPassword(credentials, request);
        if (!userId) return null;
        return { id: userId, sid: await createSession(userId, "PASSWORD") };
      },
    }),
    ...entraProvider(),
  ],
  callbacks: {
    async signIn({ account, user }) {
      if (account?.provider !== "microsoft-entra-id") return true;
      return handleEntraSignIn(account.id_token, user, account.access_token);
    },
    // Runs on every auth() call: the cookie is only a pointer to a server-side session, which is
    // looked up each time so revocation and disabled users take effect on the next request.
    async jwt({ token, user }) {
      if (user?.sid) token.sid = user.sid;
      if (!token.sid) return null;
      const current = await findActiveSession(token.sid);
      if (!current) return null;
      token.sub = current.id;
      token.user = current;
      return token;
    },
    session({ session, token }) {
      return { ...session, sid: token.sid!, user: { ...session.user, ...token.user! } };
    },
  },
  events: {
    async signOut(message) {
      if ("token" in message && message.token?.sid) await revokeSession(message.token.sid);
    },
  },
}));
