import { describe, expect, it } from "vitest";
import { isScimError, ScimError, toScimErrorBody } from "./errors";

describe("toScimErrorBody (RFC 7644 §3.12)", () => {
  it("renders status as a string with scimType and detail", () => {
    expect(toScimErrorBody(ScimError.badRequest("invalidFilter", "Invalid filter at character 3"))).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "400",
      scimType: "invalidFilter",
      detail: "Invalid filter at character 3",
    });
  });

  it("omits scimType when there is none (404, Microsoft's “Develop and plan provisioning for a SCIM endpoint”)", () => {
    const body = toScimErrorBody(ScimError.notFound("User u-1 not found"));
    expect(body).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "404",
      detail: "User u-1 not found",
    });
    expect(body).not.toHaveProperty("scimType");
  });

  it("uses uniqueness for 409 conflicts (Microsoft's “Develop and plan provisioning for a SCIM endpoint”)", () => {
    expect(toScimErrorBody(ScimError.conflict("userName already exists"))).toMatchObject({
      status: "409",
      scimType: "uniqueness",
    });
  });

  it("is a real Error that isScimError recognises", () => {
    const error = new ScimError(403, "forbidden");
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe("forbidden");
    expect(isScimError(error)).toBe(true);
    expect(isScimError(new Error("x"))).toBe(false);
  });
});
