import { NextResponse, type NextRequest } from "next/server";
import { apiSecurityHeaders, createNonce, NO_STORE_PAGES, pageSecurityHeaders } from "@/lib/http/security-headers";

function withHeaders(response: NextResponse, headers: Record<string, string>): NextResponse {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  const isApi = pathname.startsWith("/api/");
  // Next answers a path with malformed percent-encoding (e.g. /Users/%E0%A4%A) with a bare 500
  // while decoding dynamic route parameters, before any handler runs. A client's mistake must get
  // a 4xx, and a SCIM client the SCIM error envelope (RFC 7644 §3.12), so refuse it here first.
  try {
    decodeURIComponent(pathname);
  } catch {
    const detail = "The request path is not valid percent-encoded UTF-8.";
    const response = pathname.startsWith("/api/scim/")
      ? new NextResponse(
          JSON.stringify({
            schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
            status: "400",
            scimType: "invalidValue",
            detail,
          }),
          {
            status: 400,
            headers: { "Content-Type": "application/scim+json" },
          },
        )
      : NextResponse.json({ error: { code: "validation", message: detail } }, { status: 400 });
    return withHeaders(response, apiSecurityHeaders());
  }
  if (isApi) return withHeaders(NextResponse.next(), apiSecurityHeaders());

  // Next.js takes the nonce for its own scripts from the request's CSP header.
  const headers = pageSecurityHeaders(createNonce());
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", headers["Content-Security-Policy"]!);
  const response = withHeaders(NextResponse.next({ request: { headers: requestHeaders } }), headers);
  if (NO_STORE_PAGES.includes(pathname)) response.headers.set("Cache-Control", "no-store");
  return response;
}

// Every page and API route; static build assets (content-hashed, served with their own
// immutable caching) and the favicon are left alone.
export const config = { matcher: ["/((?!_next/static|_next/image|favicon.svg).*)"] };
