import { ScimError, type ScimErrorType } from "./errors";
import { parseBooleanLike } from "./json";
import { checkString } from "./validate-string";

/**
 * RFC 7644 §3.4.2.2 filter parser (and the §3.5.2 PATCH `path` grammar, which shares its lexemes).
 * Produces a typed AST that a store can translate into SQL and that `matchesFilter` evaluates in memory.
 */

export type CompareOperator = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "ge" | "lt" | "le";
export type FilterValue = string | number | boolean | null;

/**
 * `[URI ":"] attrName ["." subAttr]` (RFC 7644 §3.10). Names keep the client's spelling; compare them
 * case-insensitively.
 */
export type AttrPath = { schema?: string; attribute: string; subAttribute?: string };

export type Filter =
  | {
      kind: "compare";
      path: AttrPath;
      op: CompareOperator;
      value: FilterValue;
      /**
       * Set only for an unquoted value (Entra: `externalId eq jyoung`): the text exactly as sent, for string-typed
       * attributes.
       */
      rawValue?: string;
    }
  | { kind: "present"; path: AttrPath }
  | { kind: "and"; left: Filter; right: Filter }
  | { kind: "or"; left: Filter; right: Filter }
  | { kind: "not"; filter: Filter }
  /**
   * `emails[type eq "work"]`: some element of the multi-valued attribute `path` matches `filter`, whose
   * paths are relative to the element. `emails[type eq "work"].value eq "x"` (Entra, Microsoft's “Develop and plan
   * provisioning for a SCIM endpoint”) is
   * parsed as `emails[type eq "work" and value eq "x"]`, which keeps both conditions on the same element.
   */
  | { kind: "valuePath"; path: AttrPath; filter: Filter };

/** RFC 7644 §3.5.2: `PATH = attrPath / valuePath [subAttr]`. */
export type PatchPath = { path: AttrPath; filter?: Filter; subAttribute?: string };

const COMPARE_OPERATORS: ReadonlySet<string> = new Set(["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"]);
const ATTR_NAME = /^[A-Za-z$][\w$-]*$/;
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const MAX_FILTER_LENGTH = 4096;
const MAX_DEPTH = 32;

type Token =
  | { type: "(" | ")" | "[" | "]"; pos: number; end: number }
  | { type: "string"; value: string; pos: number; end: number }
  | { type: "word"; value: string; pos: number; end: number };

class Parser {
  private readonly tokens: Token[];
  private index = 0;
  private depth = 0;

  constructor(
    private readonly input: string,
    private readonly errorType: ScimErrorType,
    private readonly what: string,
  ) {
    if (input.length > MAX_FILTER_LENGTH) this.fail(0, `is longer than ${MAX_FILTER_LENGTH} characters`);
    checkString(input, `The ${what}`, errorType);
    this.tokens = this.tokenize();
  }

  fail(pos: number, problem: string): never {
    throw ScimError.badRequest(
      this.errorType,
      `Invalid ${this.what} at character ${pos + 1}: ${problem} (in ${JSON.stringify(this.input)})`,
    );
  }

  private tokenize(): Token[] {
    const tokens: Token[] = [];
    const s = this.input;
    let i = 0;
    while (i < s.length) {
      const c = s[i] as string;
      if (/\s/.test(c)) {
        i++;
      } else if (c === "(" || c === ")" || c === "[" || c === "]") {
        tokens.push({ type: c, pos: i, end: i + 1 });
        i++;
      } else if (c === '"') {
        let j = i + 1;
        while (j < s.length && s[j] !== '"') j += s[j] === "\\" ? 2 : 1;
        if (j >= s.length) this.fail(i, "unterminated string");
        let value: unknown;
        try {
          value = JSON.parse(s.slice(i, j + 1));
        } catch {
          this.fail(i, "invalid escape sequence in string (strings are JSON strings, RFC 7644 §3.4.2.2)");
        }
        checkString(value as string, `The ${this.what}'s string at character ${i + 1}`, this.errorType);
        tokens.push({ type: "string", value: value as string, pos: i, end: j + 1 });
        i = j + 1;
      } else {
        let j = i;
        while (j < s.length && !/[\s()[\]"]/.test(s[j] as string)) j++;
        tokens.push({ type: "word", value: s.slice(i, j), pos: i, end: j });
        i = j;
      }
    }
    return tokens;
  }

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private next(): Token | undefined {
    return this.tokens[this.index++];
  }

  private describe(token: Token | undefined): string {
    if (!token) return "end of input";
    if (token.type === "string") return JSON.stringify(token.value);
    if (token.type === "word") return `'${token.value}'`;
    return `'${token.type}'`;
  }

  private isKeyword(token: Token | undefined, keyword: string): boolean {
    return token?.type === "word" && token.value.toLowerCase() === keyword;
  }

  private expect(type: "(" | ")" | "]", context: string): Token {
    const token = this.next();
    if (token?.type !== type)
      this.fail(token?.pos ?? this.input.length, `expected '${type}' ${context}, found ${this.describe(token)}`);
    return token;
  }

  parseFilter(): Filter {
    if (this.tokens.length === 0) this.fail(0, "the filter is empty");
    const filter = this.parseOr(false);
    const rest = this.peek();
    if (rest) this.fail(rest.pos, `unexpected ${this.describe(rest)}; expected 'and', 'or' or end of filter`);
    return filter;
  }

  parsePatchPath(): PatchPath {
    const first = this.next();
    if (first?.type !== "word") this.fail(first?.pos ?? 0, `expected an attribute name, found ${this.describe(first)}`);
    const path = this.parseAttrPath(first, true);
    const open = this.peek();
    if (!open) return { path };
    if (open.type !== "[" || open.pos !== first.end)
      this.fail(open.pos, `unexpected ${this.describe(open)} after the attribute name`);
    if (path.subAttribute !== undefined)
      this.fail(open.pos, "a value filter must follow the multi-valued attribute itself, not a sub-attribute");
    this.next();
    const filter = this.parseOr(true);
    const close = this.expect("]", "to close the value filter");
    const after = this.next();
    if (!after) return { path, filter };
    if (after.type !== "word" || after.pos !== close.end || !after.value.startsWith(".")) {
      this.fail(after.pos, `unexpected ${this.describe(after)} after ']'; only '.subAttribute' may follow`);
    }
    const subAttribute = after.value.slice(1);
    if (!ATTR_NAME.test(subAttribute)) this.fail(after.pos + 1, `'${subAttribute}' is not a valid sub-attribute name`);
    const trailing = this.peek();
    if (trailing) this.fail(trailing.pos, `unexpected ${this.describe(trailing)} at the end of the path`);
    return { path, filter, subAttribute };
  }

  // RFC 7644 §3.4.2.2 precedence: "not" binds tighter than "and", which binds tighter than "or".
  private parseOr(inValueFilter: boolean): Filter {
    let left = this.parseAnd(inValueFilter);
    while (this.isKeyword(this.peek(), "or")) {
      this.next();
      left = { kind: "or", left, right: this.parseAnd(inValueFilter) };
    }
    return left;
  }

  private parseAnd(inValueFilter: boolean): Filter {
    let left = this.parseUnary(inValueFilter);
    while (this.isKeyword(this.peek(), "and")) {
      this.next();
      left = { kind: "and", left, right: this.parseUnary(inValueFilter) };
    }
    return left;
  }

  private parseUnary(inValueFilter: boolean): Filter {
    const token = this.peek();
    if (!token) this.fail(this.input.length, "expected an attribute expression, found end of input");
    if (++this.depth > MAX_DEPTH) this.fail(token.pos, `nesting deeper than ${MAX_DEPTH} levels`);
    try {
      if (this.isKeyword(token, "not")) {
        this.next();
        this.expect("(", 'after \'not\' (RFC 7644 §3.4.2.2: not "(" filter ")")');
        const inner = this.parseOr(inValueFilter);
        this.expect(")", "to close 'not ('");
        return { kind: "not", filter: inner };
      }
      if (token.type === "(") {
        this.next();
        const inner = this.parseOr(inValueFilter);
        this.expect(")", "to close '('");
        return inner;
      }
      if (token.type !== "word") this.fail(token.pos, `expected an attribute name, found ${this.describe(token)}`);
      return this.parseAttrExpression(inValueFilter);
    } finally {
      this.depth--;
    }
  }

  private parseAttrExpression(inValueFilter: boolean): Filter {
    const nameToken = this.next() as Token & { type: "word" };
    if (this.isKeyword(nameToken, "and") || this.isKeyword(nameToken, "or")) {
      this.fail(nameToken.pos, `expected an attribute name, found '${nameToken.value}'`);
    }
    const path = this.parseAttrPath(nameToken, !inValueFilter);
    const following = this.peek();
    if (following?.type === "[" && following.pos === nameToken.end) {
      if (inValueFilter) this.fail(following.pos, "value filters cannot be nested (RFC 7644 §3.4.2.2 valFilter)");
      if (path.subAttribute !== undefined)
        this.fail(following.pos, "a value filter must follow the multi-valued attribute itself, not a sub-attribute");
      this.next();
      const inner = this.parseOr(true);
      const close = this.expect("]", "to close the value filter");
      const after = this.peek();
      if (after?.type === "word" && after.pos === close.end && after.value.startsWith(".")) {
        // Entra (Microsoft's “Develop and plan provisioning for a SCIM endpoint”): `emails[type eq "work"].value eq
        // "x"`, outside RFC 7644's ABNF.
        this.next();
        const subName = after.value.slice(1);
        if (!ATTR_NAME.test(subName)) this.fail(after.pos + 1, `'${subName}' is not a valid sub-attribute name`);
        const subExpression = this.parseOperatorAndValue({ attribute: subName }, after);
        return { kind: "valuePath", path, filter: { kind: "and", left: inner, right: subExpression } };
      }
      return { kind: "valuePath", path, filter: inner };
    }
    return this.parseOperatorAndValue(path, nameToken);
  }

  private parseOperatorAndValue(path: AttrPath, pathToken: Token): Filter {
    const opToken = this.next();
    if (opToken?.type !== "word") {
      this.fail(
        opToken?.pos ?? this.input.length,
        `expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after ${this.describe(pathToken)}, found ${this.describe(opToken)}`,
      );
    }
    const op = opToken.value.toLowerCase();
    if (op === "pr") return { kind: "present", path };
    if (!COMPARE_OPERATORS.has(op)) {
      this.fail(opToken.pos, `unknown operator '${opToken.value}'; expected eq, ne, co, sw, ew, gt, ge, lt, le or pr`);
    }
    const valueToken = this.next();
    if (valueToken?.type === "string")
      return { kind: "compare", path, op: op as CompareOperator, value: valueToken.value };
    if (valueToken?.type !== "word" || this.isKeyword(valueToken, "and") || this.isKeyword(valueToken, "or")) {
      this.fail(
        valueToken?.pos ?? this.input.length,
        `expected a value after '${opToken.value}', found ${this.describe(valueToken)}`,
      );
    }
    const raw = valueToken.value;
    if (raw === "true" || raw === "false")
      return { kind: "compare", path, op: op as CompareOperator, value: raw === "true" };
    if (raw === "null") return { kind: "compare", path, op: op as CompareOperator, value: null };
    // Entra's legacy examples send unquoted values (`externalId eq jyoung`, Microsoft's “Develop and plan provisioning
    // for a SCIM endpoint”); keep the text.
    const value = JSON_NUMBER.test(raw) ? Number(raw) : raw;
    return { kind: "compare", path, op: op as CompareOperator, value, rawValue: raw };
  }

  private parseAttrPath(token: Token & { type: "word" }, allowUrn: boolean): AttrPath {
    const text = token.value;
    let schema: string | undefined;
    let rest = text;
    let restPos = token.pos;
    if (text.toLowerCase().startsWith("urn:")) {
      if (!allowUrn) this.fail(token.pos, "a schema URN is not allowed inside a value filter");
      const colon = text.lastIndexOf(":");
      schema = text.slice(0, colon);
      rest = text.slice(colon + 1);
      restPos = token.pos + colon + 1;
      if (rest === "") this.fail(restPos, `expected an attribute name after the schema URN '${schema}'`);
    }
    const parts = rest.split(".");
    if (parts.length > 2) this.fail(restPos, `'${rest}' has more than one sub-attribute level`);
    const [attribute = "", subAttribute] = parts;
    if (!ATTR_NAME.test(attribute)) this.fail(restPos, `'${attribute}' is not a valid attribute name`);
    if (subAttribute !== undefined && !ATTR_NAME.test(subAttribute)) {
      this.fail(restPos + attribute.length + 1, `'${subAttribute}' is not a valid sub-attribute name`);
    }
    const path: AttrPath = { attribute };
    if (schema !== undefined) path.schema = schema;
    if (subAttribute !== undefined) path.subAttribute = subAttribute;
    return path;
  }
}

/** Parses a `filter` query parameter. Throws ScimError 400 `invalidFilter` naming the position and the problem. */
export function parseFilter(input: string): Filter {
  return new Parser(input, "invalidFilter", "filter").parseFilter();
}

/** Parses a PATCH operation `path` (RFC 7644 §3.5.2). Throws ScimError 400 `invalidPath`. */
export function parsePatchPath(input: string): PatchPath {
  const trimmed = input.trim();
  if (trimmed === "") throw ScimError.badRequest("invalidPath", "Invalid path: the path is empty");
  return new Parser(trimmed, "invalidPath", "path").parsePatchPath();
}

export function formatAttrPath(path: AttrPath): string {
  const name = path.subAttribute === undefined ? path.attribute : `${path.attribute}.${path.subAttribute}`;
  return path.schema === undefined ? name : `${path.schema}:${name}`;
}

// ---------------------------------------------------------------------------------------------
// In-memory evaluation (used by the PATCH engine for value filters and by in-memory stores).

export type MatchOptions = {
  /**
   * RFC 7643 §2.2 `caseExact`, given the full lower-cased path (`id`, `emails.value`,
   * `urn:…:user:manager`). Default: every string compares case-insensitively.
   */
  isCaseExact?: (path: string) => boolean;
};

type Scope = { prefix: string };

/**
 * Case-insensitive property lookup: clients send `DisplayName`, `Value`, `Primary` (“Known issues and resolutions with
 * SCIM 2.0 protocol compliance”).
 */
export function getProperty(target: unknown, name: string): unknown {
  if (target === null || typeof target !== "object" || Array.isArray(target)) return undefined;
  const record = target as Record<string, unknown>;
  if (Object.hasOwn(record, name)) return record[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(record)) if (key.toLowerCase() === lower) return record[key];
  return undefined;
}

function resolveBase(resource: unknown, path: AttrPath): unknown {
  if (path.schema !== undefined) {
    // An extension attribute lives in the object keyed by its schema URN (RFC 7643 §3.3); a core
    // schema URN prefix just qualifies a top-level attribute.
    const extension = getProperty(resource, path.schema);
    if (extension !== undefined && extension !== null && typeof extension === "object")
      return getProperty(extension, path.attribute);
    return getProperty(resource, path.attribute);
  }
  const value = getProperty(resource, path.attribute);
  if (value !== undefined || resource === null || typeof resource !== "object") return value;
  // Entra's legacy reference check filters `manager eq <id>` without the enterprise URN (Microsoft's “Develop and plan
  // provisioning for a SCIM endpoint”):
  // an unqualified name falls back to the extension objects (keys that are schema URNs).
  for (const [key, nested] of Object.entries(resource)) {
    if (!key.toLowerCase().startsWith("urn:") || nested === null || typeof nested !== "object") continue;
    const found = getProperty(nested, path.attribute);
    if (found !== undefined) return found;
  }
  return undefined;
}

function leafValues(resource: unknown, path: AttrPath): unknown[] {
  const base = resolveBase(resource, path);
  const items = Array.isArray(base) ? base : base === undefined || base === null ? [] : [base];
  const sub = path.subAttribute;
  return items
    .map((item: unknown) => {
      if (sub !== undefined) return getProperty(item, sub);
      // A complex attribute compared without a sub-attribute compares its `value` (RFC 7643 §2.4):
      // Entra filters `members eq "<id>"` and `manager eq "<id>"` (Microsoft's “Develop and plan provisioning for a
      // SCIM endpoint”).
      if (item !== null && typeof item === "object") return getProperty(item, "value");
      return item;
    })
    .filter((value) => value !== undefined && value !== null);
}

function pathKey(scope: Scope, path: AttrPath): string {
  return (scope.prefix + formatAttrPath(path)).toLowerCase();
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T/;

function compareValue(actual: unknown, filter: Filter & { kind: "compare" }, caseExact: boolean): boolean {
  const { op } = filter;
  let expected: FilterValue = filter.value;
  if (typeof actual === "boolean" || typeof expected === "boolean") {
    // Entra filters `roles[primary eq "True"]` and POSTs `"primary": "false"` (“Customize attribute mappings”, app
    // roles).
    const a = parseBooleanLike(actual);
    const e = parseBooleanLike(expected);
    if (a === undefined || e === undefined) return op === "ne";
    if (op === "eq") return a === e;
    if (op === "ne") return a !== e;
    return false;
  }
  if (typeof actual === "number" && typeof expected === "number") {
    switch (op) {
      case "eq":
        return actual === expected;
      case "ne":
        return actual !== expected;
      case "gt":
        return actual > expected;
      case "ge":
        return actual >= expected;
      case "lt":
        return actual < expected;
      case "le":
        return actual <= expected;
      default:
        return false;
    }
  }
  if (typeof actual !== "string") return op === "ne";
  if (typeof expected === "number") expected = filter.rawValue ?? String(expected);
  if (typeof expected !== "string") return op === "ne";
  if (ISO_DATE.test(actual) && ISO_DATE.test(expected) && ["gt", "ge", "lt", "le"].includes(op)) {
    const a = Date.parse(actual);
    const e = Date.parse(expected);
    if (!Number.isNaN(a) && !Number.isNaN(e)) {
      return op === "gt" ? a > e : op === "ge" ? a >= e : op === "lt" ? a < e : a <= e;
    }
  }
  const a = caseExact ? actual : actual.toLowerCase();
  const e = caseExact ? expected : expected.toLowerCase();
  switch (op) {
    case "eq":
      return a === e;
    case "ne":
      return a !== e;
    case "co":
      return a.includes(e);
    case "sw":
      return a.startsWith(e);
    case "ew":
      return a.endsWith(e);
    case "gt":
      return a > e;
    case "ge":
      return a >= e;
    case "lt":
      return a < e;
    case "le":
      return a <= e;
  }
}

function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}

function evaluate(filter: Filter, target: unknown, scope: Scope, options: MatchOptions): boolean {
  switch (filter.kind) {
    case "and":
      return evaluate(filter.left, target, scope, options) && evaluate(filter.right, target, scope, options);
    case "or":
      return evaluate(filter.left, target, scope, options) || evaluate(filter.right, target, scope, options);
    case "not":
      return !evaluate(filter.filter, target, scope, options);
    case "present": {
      const base = resolveBase(target, filter.path);
      if (filter.path.subAttribute === undefined) return isPresent(base);
      return leafValues(target, filter.path).some(isPresent);
    }
    case "compare": {
      const values = leafValues(target, filter.path);
      if (filter.value === null) {
        // `attr eq null` matches an unassigned attribute (RFC 7643 §2.5: null means unassigned).
        const assigned = values.some(isPresent);
        return filter.op === "eq" ? !assigned : filter.op === "ne" ? assigned : false;
      }
      const caseExact = options.isCaseExact?.(pathKey(scope, filter.path)) ?? false;
      // RFC 7644 §3.4.2.2: a multi-valued attribute matches if any value matches; `ne` means none is equal.
      if (filter.op === "ne") {
        return !values.some((value) => compareValue(value, { ...filter, op: "eq" }, caseExact));
      }
      return values.some((value) => compareValue(value, filter, caseExact));
    }
    case "valuePath": {
      const base = resolveBase(target, filter.path);
      const items = Array.isArray(base) ? base : base === undefined || base === null ? [] : [base];
      const prefix = `${scope.prefix}${formatAttrPath(filter.path)}.`;
      return items.some((item) => evaluate(filter.filter, item, { prefix }, options));
    }
  }
}

/** Evaluates a parsed filter against a SCIM JSON resource (attribute names case-insensitive). */
export function matchesFilter(filter: Filter, resource: unknown, options: MatchOptions = {}): boolean {
  return evaluate(filter, resource, { prefix: "" }, options);
}

/**
 * Evaluates a value filter (the part inside `[...]`) against one element of the multi-valued
 * attribute `parent` — used by the PATCH engine for `emails[type eq "work"]`.
 */
export function matchesValueFilter(
  filter: Filter,
  element: unknown,
  parent: AttrPath,
  options: MatchOptions = {},
): boolean {
  return evaluate(filter, element, { prefix: `${formatAttrPath(parent)}.` }, options);
}
