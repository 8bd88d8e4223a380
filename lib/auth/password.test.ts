import { describe, expect, it } from "vitest";
import { burnPasswordCheck, hashPassword, verifyPassword } from "./password";

describe("password hashing", () => {
  it("stores a salted scrypt hash, never the password", async () => {
    const a = await hashPassword("correct horse battery");
    const b = await hashPassword("correct horse battery");
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toContain("correct");
    expect(a).not.toBe(b);
  });

  it("verifies the right password and refuses wrong or malformed input", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(await verifyPassword("correct horse battery", hash)).toBe(true);
    expect(await verifyPassword("correct horse batterY", hash)).toBe(false);
    expect(await verifyPassword("", hash)).toBe(false);
    expect(await verifyPassword("correct horse battery", "plain-text")).toBe(false);
    // Change the first character of the derived key (the last base64url character only carries
    // padding bits, so changing it may not change the key).
    const parts = hash.split("$");
    const key = parts[5]!;
    parts[5] = (key[0] === "A" ? "B" : "A") + key.slice(1);
    expect(await verifyPassword("correct horse battery", parts.join("$"))).toBe(false);
  });

  it("treats Unicode-equivalent passwords as equal (NFKC)", async () => {
    const hash = await hashPassword("caf\u00e9-passw0rd");
    expect(await verifyPassword("cafe\u0301-passw0rd", hash)).toBe(true);
  });

  it("burns a check for unknown accounts and always says no", async () => {
    expect(await burnPasswordCheck("anything")).toBe(false);
  });
});
