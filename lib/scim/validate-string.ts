import { ScimError, type ScimErrorType } from "./errors";

/**
 * Strings the database can store. PostgreSQL refuses U+0000 in `text` and `jsonb`, and a lone
 * UTF-16 surrogate (valid in a JSON escape, RFC 8259 §8.2, but not a Unicode scalar value) cannot
 * be encoded as UTF-8: both must be refused at the edge with a 400 that names the attribute, not
 * surface as a database error.
 */

const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const NUL_OR_LONE_SURROGATE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** JSON nesting deeper than this is refused: no SCIM resource nests more than four levels. */
export const MAX_JSON_DEPTH = 32;

/** What is wrong with `value` as stored text, or undefined when nothing is. */
export function describeInvalidCharacters(value: string): string | undefined {
  if (NUL.test(value)) return "contains a NUL character (U+0000), which cannot be stored";
  if (LONE_SURROGATE.test(value))
    return "contains an unpaired UTF-16 surrogate (a \\uD800–\\uDFFF escape without its pair), which is not valid Unicode";
  return undefined;
}

/** `value` with every NUL and unpaired surrogate replaced by U+FFFD (for logs, which must never refuse an entry). */
export function replaceInvalidCharacters(value: string): string {
  return value.replace(NUL_OR_LONE_SURROGATE, "\uFFFD");
}

/** Throws 400 `scimType` when `value` cannot be stored; `what` names it in the detail. */
export function checkString(value: string, what: string, scimType: ScimErrorType = "invalidValue"): void {
  const problem = describeInvalidCharacters(value);
  if (problem) throw ScimError.badRequest(scimType, `${what} ${problem}`);
}

/** A prefix of at most `max` UTF-16 units that never ends inside a surrogate pair. */
export function truncateAtCodePoint(value: string, max: number): string {
  if (value.length <= max) return value;
  const end = /[\uD800-\uDBFF]/.test(value[max - 1] ?? "") ? max - 1 : max;
  return value.slice(0, end);
}

function childLabel(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  // Attribute names in a detail are shortened: a 50,000-character key must not make a 50 kB detail.
  const name = key.length > 64 ? `${truncateAtCodePoint(key, 60)}…` : key;
  return parent === "" ? name : `${parent}.${name}`;
}

/**
 * Walks a parsed JSON body (iteratively: a 1 MiB body can nest 500,000 levels) and refuses any key
 * or string value that cannot be stored, and nesting deeper than MAX_JSON_DEPTH. The detail names
 * the attribute by its path in the body, e.g. `'emails[0].value'`.
 */
export function checkJsonStrings(body: unknown): void {
  const stack: { value: unknown; label: string; depth: number }[] = [{ value: body, label: "", depth: 0 }];
  while (stack.length > 0) {
    const { value, label, depth } = stack.pop()!;
    if (typeof value === "string") {
      checkString(value, label === "" ? "The body" : `'${label}'`);
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    if (depth >= MAX_JSON_DEPTH) {
      throw ScimError.badRequest(
        "invalidSyntax",
        `The body nests deeper than ${MAX_JSON_DEPTH} levels${label ? ` at '${label}'` : ""}`,
      );
    }
    if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index--)
        stack.push({ value: value[index], label: childLabel(label, index), depth: depth + 1 });
      continue;
    }
    const entries = Object.entries(value as Record<string, unknown>);
    for (let index = entries.length - 1; index >= 0; index--) {
      const [key, item] = entries[index]!;
      const problem = describeInvalidCharacters(key);
      if (problem)
        throw ScimError.badRequest("invalidValue", `An attribute name${label ? ` in '${label}'` : ""} ${problem}`);
      stack.push({ value: item, label: childLabel(label, key), depth: depth + 1 });
    }
  }
}
