import { describe, expect, it } from "vitest";
import { describeInvalidJson, findJsonSyntaxError } from "./json-syntax-error";

describe("findJsonSyntaxError", () => {
  it.each([
    ['"Hunter4-SuperSecret!"x', 1, 23, "unexpected data after the JSON value"],
    ["Hunter4-SuperSecret!", 1, 1, "expected a JSON value (object, array, string, number, true, false or null)"],
    ['{"userName": ', 1, 14, "the JSON text ends too early"],
    [
      '{\n  "userName": "a",\n  "password": Hunter4\n}',
      3,
      15,
      "expected a JSON value (object, array, string, number, true, false or null)",
    ],
    ["{'a': 1}", 1, 2, "expected a property name in double quotes or '}'"],
    ['{"a" 1}', 1, 6, "expected ':' after the property name"],
    ['{"a": 1,}', 1, 9, "expected a property name in double quotes"],
    ["[1, 2", 1, 6, "the JSON text ends too early"],
    ["[1 2]", 1, 4, "expected ',' or ']' after an array element"],
    ['{"a": 1 "b": 2}', 1, 9, "expected ',' or '}' after a property value"],
    ['{"a": "unterminated', 1, 7, "a string is not closed"],
    ['{"a": "bad \\q escape"}', 1, 12, "invalid escape in a string"],
    ['{"a": "\\u12G4"}', 1, 8, "invalid \\u escape in a string"],
    ['{"a": "tab\there"}', 1, 11, "control characters must be escaped inside strings"],
    ["[01]", 1, 3, "expected ',' or ']' after an array element"],
    ["[-]", 1, 2, "expected a JSON value (object, array, string, number, true, false or null)"],
    ["", 1, 1, "the JSON text ends too early"],
  ])("%j fails at line %i, column %i: %s", (text, line, column, problem) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(findJsonSyntaxError(text)).toEqual({ line, column, problem });
  });

  it("accepts what JSON.parse accepts", () => {
    for (const text of [
      '{"a":[1,-2.5e+3,true,false,null,{"b":"\\u00e9\\n"}]}',
      " [ ] ",
      "{}",
      '"x"',
      "0",
      "-0.0E-1",
      '"\ud800"',
    ]) {
      expect(findJsonSyntaxError(text)).toBeNull();
    }
  });

  it("survives nesting far deeper than a recursive parser could", () => {
    expect(findJsonSyntaxError("[".repeat(500_000))).toEqual({
      line: 1,
      column: 500_001,
      problem: "the JSON text ends too early",
    });
  });

  it("agrees with JSON.parse on thousands of mutated documents (seeded)", () => {
    let seed = 0x5eed;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const base = JSON.stringify(
      { schemas: ["urn:x"], userName: 'a"b\\c', n: [1, -2.5e3, true, null], o: { e: "\u00e9\n" } },
      null,
      1,
    );
    const alphabet = [
      '"',
      "\\",
      "{",
      "}",
      "[",
      "]",
      ":",
      ",",
      "-",
      "0",
      "1",
      "e",
      ".",
      " ",
      "\n",
      "t",
      "n",
      "u",
      "x",
      "\u0001",
    ];
    for (let n = 0; n < 5000; n++) {
      const chars = [...base];
      for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
        const at = Math.floor(random() * chars.length);
        const op = random();
        if (op < 0.4) chars.splice(at, 1);
        else if (op < 0.8) chars.splice(at, 0, alphabet[Math.floor(random() * alphabet.length)]!);
        else chars[at] = alphabet[Math.floor(random() * alphabet.length)]!;
      }
      const text = chars.join("");
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      expect(findJsonSyntaxError(text) === null, text).toBe(parses);
    }
  });
});

describe("describeInvalidJson", () => {
  it("says where, never what", () => {
    const message = describeInvalidJson('{"password": Hunter4-SuperSecret!}');
    expect(message).toBe(
      "The request body is not valid JSON: expected a JSON value (object, array, string, number, true, false or null) at line 1, column 14.",
    );
    expect(message).not.toContain("Hunter");
  });
});
