import { getEnv, type Env } from "../env";

/*
 * Response headers that keep the console from being framed (clickjacking Activate / Revoke /
 * Disable), sniffed, or used to run injected script. Set on every page and API response by
 * proxy.ts; pages get a nonce-based Content-Security-Policy, which Next.js reads from the request's
 * own CSP header and puts on the scripts it renders (so pages render per request).
 */

export type SecurityContext = Pick<Env, "appUrl" | "entra" | "nodeEnv">;

const isHttps = (context: SecurityContext) => context.appUrl.startsWith("https://");

const policy = (directives: Record<string, string[]>) =>
  Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(" "))
    .join("; ");

/** A fresh per-response nonce: 128 random bits, base64. */
export function createNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

/** The CSP of an HTML page rendered with this nonce. */
export function pageContentSecurityPolicy(nonce: string, context: SecurityContext = getEnv()): string {
  // Activate and "Sign in with Microsoft" submit forms whose answer redirects to the identity
  // provider; browsers apply form-action to that redirect, so its origin must be allowed.
  const identityProvider = context.entra.mode === "off" ? [] : [new URL(context.entra.authority).origin];
  return policy({
    "default-src": ["'self'"],
    // 'strict-dynamic': scripts Next loads from a nonced script are trusted; nothing else is.
    // React's development build needs eval for its error overlay; production never does.
    "script-src": [
      "'self'",
      `'nonce-${nonce}'`,
      "'strict-dynamic'",
      ...(context.nodeEnv === "development" ? ["'unsafe-eval'"] : []),
    ],
    "style-src": ["'self'", `'nonce-${nonce}'`],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'", ...identityProvider],
    "frame-ancestors": ["'none'"],
    ...(isHttps(context) ? { "upgrade-insecure-requests": [] } : {}),
  });
}

// JSON (and SCIM) responses are never documents to render: they may load nothing at all.
const API_CONTENT_SECURITY_POLICY = policy({
  "default-src": ["'none'"],
  "frame-ancestors": ["'none'"],
  "base-uri": ["'none'"],
  "form-action": ["'none'"],
});

/** Everything but the CSP: the same for pages and API responses. */
export function commonSecurityHeaders(context: SecurityContext = getEnv()): Record<string, string> {
  return {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=()",
    // Only over HTTPS: on http:// a browser ignores it, and it would pin a host that may not serve TLS.
    ...(isHttps(context) ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

export function apiSecurityHeaders(context: SecurityContext = getEnv()): Record<string, string> {
  return { ...commonSecurityHeaders(context), "Content-Security-Policy": API_CONTENT_SECURITY_POLICY };
}

export function pageSecurityHeaders(nonce: string, context: SecurityContext = getEnv()): Record<string, string> {
  return { ...commonSecurityHeaders(context), "Content-Security-Policy": pageContentSecurityPolicy(nonce, context) };
}

/** Pages that show a secret once (a new provisioning token) must never be stored by a cache. */
export const NO_STORE_PAGES = ["/settings/team/settings"];
