import { NextResponse, type NextRequest } from "next/server";

// Next answers a path with malformed percent-encoding (e.g. /Users/%E0%A4%A) with a bare 500
// while decoding dynamic route parameters, before any handler runs. A client's mistake must get
// a 4xx, and a SCIM client the SCIM error envelope (RFC 7644 §3.12), so refuse it here first.
export function proxy(request: NextRequest) {
  try {
    decodeURIComponent(request.nextUrl.pathname);
    return NextResponse.next();
  } catch {
    const detail = "The request path is not valid percent-encoded UTF-8.";
    if (request.nextUrl.pathname.startsWith("/api/scim/")) {
      return new NextResponse(JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "400", scimType: "invalidValue", detail }), {
        status: 400,
        headers: { "Content-Type": "application/scim+json" },
      });
    }
    return NextResponse.json({ error: { code: "validation", message: detail } }, { status: 400 });
  }
}

export const config = { matcher: "/api/:path*" };
