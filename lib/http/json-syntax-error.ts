/*
 * Where a JSON text stops being valid, described without quoting it. V8's JSON.parse messages
 * quote the input ("Unexpected token 'H', "Hunter4-Su"... is not valid JSON"), so echoing them
 * would hand a mistyped secret back to the client and into the provisioning log. This scanner
 * follows the RFC 8259 grammar iteratively (no recursion, so deep nesting cannot overflow the
 * stack) and stops at the first offending character.
 */

export type JsonSyntaxError = { line: number; column: number; problem: string };

const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);
const ESCAPES = new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);
const LITERALS = ["true", "false", "null"] as const;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;

type Expect = "value" | "value-or-close" | "key" | "key-or-close" | "colon" | "comma-or-close" | "end";

/** Null when the text is valid JSON; otherwise the 1-based line and column of the first error. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  const stack: ("[" | "{")[] = [];
  let expect: Expect = "value";
  let i = 0;
  const fail = (problem: string, at = i): JsonSyntaxError => ({ ...lineAndColumn(text, at), problem });
  const afterValue = (): Expect => (stack.length === 0 ? "end" : "comma-or-close");

  for (;;) {
    while (i < text.length && WHITESPACE.has(text[i]!)) i++;
    if (i >= text.length) return expect === "end" ? null : fail("the JSON text ends too early");
    const c = text[i]!;

    if (expect === "end") return fail("unexpected data after the JSON value");
    if (expect === "colon") {
      if (c !== ":") return fail("expected ':' after the property name");
      i++;
      expect = "value";
      continue;
    }
    if (expect === "comma-or-close") {
      const open = stack[stack.length - 1];
      if (c === ",") {
        i++;
        expect = open === "{" ? "key" : "value";
      } else if ((c === "]" && open === "[") || (c === "}" && open === "{")) {
        i++;
        stack.pop();
        expect = afterValue();
      } else {
        return fail(
          open === "{" ? "expected ',' or '}' after a property value" : "expected ',' or ']' after an array element",
        );
      }
      continue;
    }
    if (expect === "key" || expect === "key-or-close") {
      if (c === "}" && expect === "key-or-close") {
        i++;
        stack.pop();
        expect = afterValue();
        continue;
      }
      if (c !== '"')
        return fail(
          expect === "key"
            ? "expected a property name in double quotes"
            : "expected a property name in double quotes or '}'",
        );
      const end = scanString(text, i);
      if (typeof end !== "number") return fail(end.problem, end.at);
      i = end;
      expect = "colon";
      continue;
    }

    // A value is expected.
    if (c === "]" && expect === "value-or-close") {
      i++;
      stack.pop();
      expect = afterValue();
      continue;
    }
    if (c === "[" || c === "{") {
      stack.push(c);
      i++;
      expect = c === "[" ? "value-or-close" : "key-or-close";
      continue;
    }
    if (c === '"') {
      const end = scanString(text, i);
      if (typeof end !== "number") return fail(end.problem, end.at);
      i = end;
      expect = afterValue();
      continue;
    }
    const literal = LITERALS.find((word) => text.startsWith(word, i));
    if (literal) {
      i += literal.length;
      expect = afterValue();
      continue;
    }
    NUMBER.lastIndex = i;
    if ((c === "-" || (c >= "0" && c <= "9")) && NUMBER.test(text)) {
      i = NUMBER.lastIndex;
      expect = afterValue();
      continue;
    }
    return fail(
      c === "'"
        ? "strings must use double quotes"
        : "expected a JSON value (object, array, string, number, true, false or null)",
    );
  }
}

/** Index just past the closing quote of the string starting at `start`, or where it breaks. */
function scanString(text: string, start: number): number | { problem: string; at: number } {
  let i = start + 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code < 0x20) return { problem: "control characters must be escaped inside strings", at: i };
    if (code === 0x5c) {
      const next = text[i + 1];
      if (next === undefined) break;
      if (next === "u") {
        HEX4.lastIndex = i + 2;
        if (!HEX4.test(text)) return { problem: "invalid \\u escape in a string", at: i };
        i += 6;
        continue;
      }
      if (!ESCAPES.has(next)) return { problem: "invalid escape in a string", at: i };
      i += 2;
      continue;
    }
    i++;
  }
  return { problem: "a string is not closed", at: start };
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** The client-facing message for a body JSON.parse refused: position and kind, never the input. */
export function describeInvalidJson(text: string): string {
  const error = findJsonSyntaxError(text);
  if (!error) return "The request body is not valid JSON.";
  return `The request body is not valid JSON: ${error.problem} at line ${error.line}, column ${error.column}.`;
}
