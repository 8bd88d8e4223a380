import { describe, expect, it } from "vitest";
import { takesScimFastPath } from "./scim-node";

describe("takesScimFastPath", () => {
  it.each([
    ["GET", "/api/scim/v2"],
    ["GET", "/api/scim/v2/Users?filter=userName%20eq%20%22a%40b.c%22"],
    ["POST", "/api/scim/v2/Users"],
    ["PATCH", "/api/scim/v2/Groups/3f0c?x=1"],
    ["PUT", "/api/scim/v2/Users/a%2Fb"],
    ["DELETE", "/api/scim/v2/Users/42"],
    ["GET", "/api/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User"],
  ])("answers %s %s itself", (method, url) => {
    expect(takesScimFastPath(method, url)).toBe(true);
  });

  it.each([
    // Next.js answers these: OPTIONS and HEAD have framework behaviour of their own.
    ["HEAD", "/api/scim/v2/Users"],
    ["OPTIONS", "/api/scim/v2/Users"],
    ["TRACE", "/api/scim/v2/Users"],
    // Not SCIM.
    ["GET", "/api/health"],
    ["GET", "/api/scim/v2x/Users"],
    ["GET", "/api/scim"],
    ["GET", "/settings/team"],
    // Next redirects these (trailing or doubled slash) or resolves dot segments.
    ["GET", "/api/scim/v2/"],
    ["GET", "/api/scim/v2/Users/"],
    ["GET", "/api/scim/v2//Users"],
    ["GET", "/api/scim/v2/Users/../Groups"],
    ["GET", "/api/scim/v2/Users/%2e%2E"],
    ["GET", "/api/scim/v2/Users/."],
    ["GET", "/api/scim/v2/Users\\x"],
    // proxy.ts refuses malformed percent-encoding with its own 400.
    ["GET", "/api/scim/v2/Users/%E0%A4%A"],
  ])("leaves %s %s to Next.js", (method, url) => {
    expect(takesScimFastPath(method, url)).toBe(false);
  });

  it("leaves a request without a method or URL to Next.js", () => {
    expect(takesScimFastPath(undefined, "/api/scim/v2/Users")).toBe(false);
    expect(takesScimFastPath("GET", undefined)).toBe(false);
  });
});
