import { describe, expect, it } from "vitest";
import { generateToken } from "../scim-tokens/token-format";
import { REDACTED, redactForLog, redactPathForLog, redactTokens } from "./redact";

const token = generateToken().token;

describe("redactTokens", () => {
  it("removes every token-like substring, including mistyped, truncated and percent-encoded ones", () => {
    expect(redactTokens(`Resource ${token} not found`)).toBe("Resource sgp_[redacted] not found");
    expect(redactTokens(`a=${token}&b=${token.slice(0, 20)}`)).toBe("a=sgp_[redacted]&b=sgp_[redacted]");
    expect(redactTokens(`/Users/SGP%5F${token.slice(4)}`)).toBe("/Users/sgp_[redacted]");
    expect(redactTokens("no secrets here")).toBe("no secrets here");
  });
});

describe("redactPathForLog", () => {
  it.each([
    [`/Users?access_token=${token}`, `/Users?access_token=${REDACTED}`],
    [`/Users?filter=x&TOKEN=hunter2&aadOptscim062020`, `/Users?filter=x&TOKEN=${REDACTED}&aadOptscim062020`],
    [`/Users?Access%5FToken=hunter2`, `/Users?Access%5FToken=${REDACTED}`],
    [`/Users?client_secret=s&password=p&count=5`, `/Users?client_secret=${REDACTED}&password=${REDACTED}&count=5`],
    [`/Users/${token}`, "/Users/sgp_[redacted]"],
    [
      `/Users?filter=${encodeURIComponent(`userName eq "${token}"`)}`,
      `/Users?filter=${encodeURIComponent('userName eq "')}sgp_[redacted]${encodeURIComponent('"')}`,
    ],
    ["/Users?filter=%E0%A4%A&token=%E0%A4%A", `/Users?filter=%E0%A4%A&token=${REDACTED}`],
  ])("%s -> %s", (input, output) => {
    expect(redactPathForLog(input)).toBe(output);
  });
});

describe("redactForLog", () => {
  it("removes tokens from string values and keys anywhere in a body", () => {
    expect(redactForLog({ userName: token, [token]: 1, list: [`x ${token}`] })).toEqual({
      userName: "sgp_[redacted]",
      "sgp_[redacted]": 1,
      list: ["x sgp_[redacted]"],
    });
  });
});
