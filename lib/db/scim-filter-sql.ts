import { ScimError } from "../scim/errors";
import { type CompareOperator, type Filter, formatAttrPath, type AttrPath } from "../scim/filter";
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from "../scim/schemas";
import { uniquenessKey } from "../scim/store";
import { Prisma } from "./generated/client";

/**
 * Translates a parsed RFC 7644 §3.4.2.2 filter into a parameterised SQL condition over the SCIM
 * tables, so a query never loads a team's rows to filter them. Only constant
 * identifiers from the tables below are spliced in; every filter value is a bind parameter.
 *
 * Semantics follow `matchesFilter` (lib/scim/filter.ts): attribute names are case-insensitive,
 * strings compare case-insensitively unless the attribute is caseExact (RFC 7643 §2.2), `ne` on an
 * absent attribute is true, a multi-valued attribute matches if any value matches (§3.4.2.2), and
 * `attr eq null` means "not present". Every leaf yields TRUE or FALSE, never NULL, so `not (…)`
 * means what the client meant.
 */

type Sql = Prisma.Sql;
const sql = Prisma.sql;
const raw = Prisma.raw;

type ValueType = "string" | "boolean" | "dateTime";

/** A single value per row (or per element, inside a multi-valued attribute). */
type Scalar = {
  kind: "scalar";
  expr: Sql;
  type: ValueType;
  caseExact: boolean;
  nullable: boolean;
  /** The column holds `uniquenessKey(value)` (userName, group displayName): compare keys, through the index. */
  keyed?: boolean;
};

/** A single-valued complex attribute (`name`, `manager`, `meta`): its sub-attributes are scalars. */
type Complex = { kind: "complex"; presence: Sql; subs: Table; defaultSub?: string };

/** A multi-valued attribute: the rows of a correlated subquery, one per value. */
type Multi = {
  kind: "multi";
  /** `FROM … WHERE <correlation>`: the values of the current row. */
  from: Sql;
  subs: Table;
  /** RFC 7643 §2.4: `emails eq "x"` compares the `value` sub-attribute. */
  defaultSub?: string;
  /** An exact, index-backed translation of a value filter, when one exists. */
  shortcut?: (filter: Filter) => Sql | undefined;
  /** `ORDER BY` inside `from` putting the primary value first (RFC 7644 §3.4.2.3 sorts by it). */
  primaryFirst?: Sql;
};

type Attribute = Scalar | Complex | Multi;
type Table = Record<string, Attribute>;

/**
 * An attribute by its lower-cased name, from the table's own entries only: a filter on
 * `constructor` or `__proto__` names an unknown attribute, not something inherited from Object.
 */
function entry(table: Table, name: string): Attribute | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

export type FilterTarget = {
  resource: "User" | "Group";
  /** Attributes by lower-cased name, per schema URN (lower-cased); the first is the core schema. */
  schemas: [string, Table][];
};

const str = (expr: Sql, options: Partial<Scalar> = {}): Scalar => ({
  kind: "scalar",
  expr,
  type: "string",
  caseExact: false,
  nullable: true,
  ...options,
});

/** A string member of a JSON object: `source->>'key'` (keys are constants from this file). */
const jsonText = (source: string, key: string): Scalar => str(raw(`${source}->>'${key}'`));
const jsonBoolean = (source: string, key: string): Scalar => ({
  ...str(raw(`(${source}->>'${key}')::boolean`)),
  type: "boolean",
});

function jsonElements(
  column: string,
  key: string,
  subs: string[],
  booleans: string[] = [],
  extra: Partial<Multi> = {},
): Multi {
  const table: Table = {};
  for (const sub of subs) table[sub.toLowerCase()] = jsonText("e.elem", sub);
  for (const sub of booleans) table[sub.toLowerCase()] = jsonBoolean("e.elem", sub);
  return {
    kind: "multi",
    // Stored values are always arrays (lib/db/scim-store.ts writes them); absent means none.
    from: raw(
      `FROM jsonb_array_elements(COALESCE(${column}->'${key}', '[]'::jsonb)) WITH ORDINALITY AS e(elem, position) WHERE TRUE`,
    ),
    subs: table,
    ...(booleans.includes("primary")
      ? { primaryFirst: raw(`(e.elem->>'primary')::boolean IS TRUE DESC, e.position`) }
      : {}),
    ...extra,
  };
}

const timestamps = (alias: string): Complex => ({
  kind: "complex",
  presence: sql`TRUE`,
  subs: {
    created: { kind: "scalar", expr: raw(`${alias}."createdAt"`), type: "dateTime", caseExact: true, nullable: false },
    lastmodified: {
      kind: "scalar",
      expr: raw(`${alias}."updatedAt"`),
      type: "dateTime",
      caseExact: true,
      nullable: false,
    },
  },
});

// ---------------------------------------------------------------------------------------------
// Users: alias `u` on "User". Indexed: id (pkey), userName (teamId+userNameKey, unique),
// externalId (teamId+externalId), work email (GIN on workEmailKeys), manager (managerId).

const ATTRS = `u."scimAttributes"`;

function isCompare(filter: Filter, attribute: string, op: CompareOperator): filter is Filter & { kind: "compare" } {
  return (
    filter.kind === "compare" &&
    filter.op === op &&
    filter.path.subAttribute === undefined &&
    filter.path.schema === undefined &&
    filter.path.attribute.toLowerCase() === attribute
  );
}

/**
 * `emails[type eq "work"].value eq "x"` (Microsoft's “Develop and plan provisioning for a SCIM endpoint”; the parser
 * makes it `emails[type eq "work"
 * and value eq "x"]`): containment in the GIN-indexed `workEmailKeys`, which holds exactly the
 * lower-cased values of the work emails — the same answer as the generic EXISTS, through an index.
 */
function workEmailShortcut(filter: Filter): Sql | undefined {
  if (filter.kind !== "and") return undefined;
  const pairs: [Filter, Filter][] = [
    [filter.left, filter.right],
    [filter.right, filter.left],
  ];
  for (const [type, value] of pairs) {
    if (!isCompare(type, "type", "eq") || !isCompare(value, "value", "eq")) continue;
    if (typeof type.value !== "string" || type.value.toLowerCase() !== "work" || typeof value.value !== "string")
      continue;
    return sql`(u."workEmailKeys" IS NOT NULL AND u."workEmailKeys" @> jsonb_build_array(${value.value.toLowerCase()}::text))`;
  }
  return undefined;
}

const userCore: Table = {
  id: str(raw(`u."id"`), { caseExact: true, nullable: false }),
  externalid: str(raw(`u."externalId"`), { caseExact: true }),
  username: str(raw(`u."userNameKey"`), { keyed: true, nullable: false }),
  displayname: jsonText(ATTRS, "displayName"),
  nickname: jsonText(ATTRS, "nickName"),
  title: jsonText(ATTRS, "title"),
  usertype: jsonText(ATTRS, "userType"),
  preferredlanguage: jsonText(ATTRS, "preferredLanguage"),
  locale: jsonText(ATTRS, "locale"),
  timezone: jsonText(ATTRS, "timezone"),
  active: { kind: "scalar", expr: raw(`u."active"`), type: "boolean", caseExact: true, nullable: false },
  name: {
    kind: "complex",
    presence: raw(`(${ATTRS}->'name') IS NOT NULL`),
    subs: Object.fromEntries(
      ["formatted", "familyName", "givenName", "middleName", "honorificPrefix", "honorificSuffix"].map((sub) => [
        sub.toLowerCase(),
        jsonText(`(${ATTRS}->'name')`, sub),
      ]),
    ),
  },
  emails: jsonElements(ATTRS, "emails", ["value", "display", "type"], ["primary"], {
    defaultSub: "value",
    shortcut: workEmailShortcut,
  }),
  phonenumbers: jsonElements(ATTRS, "phoneNumbers", ["value", "display", "type"], ["primary"], { defaultSub: "value" }),
  addresses: jsonElements(
    ATTRS,
    "addresses",
    ["formatted", "streetAddress", "locality", "region", "postalCode", "country", "type"],
    ["primary"],
  ),
  roles: jsonElements(ATTRS, "roles", ["value", "display", "type"], ["primary"], { defaultSub: "value" }),
  groups: {
    kind: "multi",
    from: raw(`FROM "GroupMember" gm JOIN "Group" gg ON gg."id" = gm."groupId" WHERE gm."userId" = u."id"`),
    subs: {
      value: str(raw(`gm."groupId"`), { caseExact: true, nullable: false }),
      display: str(raw(`gg."displayName"`), { nullable: false }),
    },
    defaultSub: "value",
  },
  meta: timestamps("u"),
};

const userEnterprise: Table = {
  employeenumber: jsonText(ATTRS, "employeeNumber"),
  costcenter: jsonText(ATTRS, "costCenter"),
  organization: jsonText(ATTRS, "organization"),
  division: jsonText(ATTRS, "division"),
  department: jsonText(ATTRS, "department"),
  // Entra's reference check `id eq "<id>" and manager eq "<managerId>"`: the reference as sent.
  manager: {
    kind: "complex",
    presence: raw(`u."managerRef" IS NOT NULL`),
    subs: { value: str(raw(`u."managerRef"`), { caseExact: true }) },
    defaultSub: "value",
  },
};

export const USER_FILTER_TARGET: FilterTarget = {
  resource: "User",
  schemas: [
    [USER_SCHEMA.toLowerCase(), userCore],
    [ENTERPRISE_USER_SCHEMA.toLowerCase(), userEnterprise],
  ],
};

// ---------------------------------------------------------------------------------------------
// Groups: alias `g` on "Group". Indexed: id, displayName (teamId+displayNameKey, unique),
// externalId (teamId+externalId), members (GroupMember primary key groupId+userId).

export const GROUP_FILTER_TARGET: FilterTarget = {
  resource: "Group",
  schemas: [
    [
      GROUP_SCHEMA.toLowerCase(),
      {
        id: str(raw(`g."id"`), { caseExact: true, nullable: false }),
        externalid: str(raw(`g."externalId"`), { caseExact: true }),
        displayname: str(raw(`g."displayNameKey"`), { keyed: true, nullable: false }),
        // `GET /Groups?filter=id eq "g" and members eq "u"` (Microsoft's “Develop and plan provisioning for a SCIM
        // endpoint”).
        members: {
          kind: "multi",
          from: raw(`FROM "GroupMember" gm WHERE gm."groupId" = g."id"`),
          subs: {
            value: str(raw(`gm."userId"`), { caseExact: true, nullable: false }),
            display: str(raw(`gm."display"`)),
          },
          defaultSub: "value",
        },
        meta: timestamps("g"),
      },
    ],
  ],
};

// ---------------------------------------------------------------------------------------------

function unsupported(target: FilterTarget, path: AttrPath, why: string): ScimError {
  return ScimError.badRequest(
    "invalidFilter",
    `Cannot filter ${target.resource}s on "${formatAttrPath(path)}": ${why}. Filterable attributes: ${describeTarget(target)}`,
  );
}

function describeTarget(target: FilterTarget): string {
  return target.resource === "User"
    ? 'id, userName, externalId, displayName, nickName, title, userType, preferredLanguage, locale, timezone, active, name.*, emails, emails[type eq "work"].value, phoneNumbers, addresses, roles, groups, meta.created, meta.lastModified, and the enterprise employeeNumber, costCenter, organization, division, department, manager'
    : "id, displayName, externalId, members, members.value, members.display, meta.created, meta.lastModified";
}

function lookup(target: FilterTarget, path: AttrPath): Attribute {
  const name = path.attribute.toLowerCase();
  if (path.schema !== undefined) {
    const table = target.schemas.find(([urn]) => urn === path.schema?.toLowerCase())?.[1];
    if (!table) throw unsupported(target, path, `"${path.schema}" is not a schema of ${target.resource}`);
    const found = entry(table, name);
    if (!found) throw unsupported(target, path, `the schema has no attribute "${path.attribute}"`);
    return found;
  }
  // An unqualified name resolves in the core schema first, then in the extensions (Entra filters
  // `manager eq …` without the enterprise URN, Microsoft's “Develop and plan provisioning for a SCIM endpoint”).
  for (const [, table] of target.schemas) {
    const found = entry(table, name);
    if (found) return found;
  }
  throw unsupported(target, path, `"${path.attribute}" is not a filterable attribute`);
}

/** The scalar a compare or presence test reads, or the multi-valued attribute it quantifies over. */
function resolve(
  target: FilterTarget,
  path: AttrPath,
): { scalar: Scalar } | { multi: Multi; sub: Scalar | undefined; subName: string | undefined } | { complex: Complex } {
  const attribute = lookup(target, path);
  const subName = path.subAttribute?.toLowerCase();
  if (attribute.kind === "scalar") {
    if (subName !== undefined) throw unsupported(target, path, `"${path.attribute}" has no sub-attributes`);
    return { scalar: attribute };
  }
  if (attribute.kind === "complex") {
    if (subName === undefined) return { complex: attribute };
    const sub = entry(attribute.subs, subName);
    if (!sub || sub.kind !== "scalar")
      throw unsupported(target, path, `"${path.attribute}.${path.subAttribute}" is not filterable`);
    return { scalar: sub };
  }
  if (subName === undefined) return { multi: attribute, sub: undefined, subName: undefined };
  const sub = entry(attribute.subs, subName);
  if (!sub || sub.kind !== "scalar")
    throw unsupported(target, path, `"${path.attribute}.${path.subAttribute}" is not filterable`);
  return { multi: attribute, sub, subName };
}

function likePattern(value: string, op: "co" | "sw" | "ew"): string {
  const escaped = value.replace(/[\\%_]/g, (c) => `\\${c}`);
  return op === "co" ? `%${escaped}%` : op === "sw" ? `${escaped}%` : `%${escaped}`;
}

const SQL_OPERATORS: Record<"gt" | "ge" | "lt" | "le", string> = { gt: ">", ge: ">=", lt: "<", le: "<=" };

/** `TRUE` or `FALSE` for a comparison against a present value; the caller adds the presence guard. */
function compareScalar(
  target: FilterTarget,
  path: AttrPath,
  scalar: Scalar,
  filter: Filter & { kind: "compare" },
  op: CompareOperator,
): Sql {
  const { value } = filter;
  const bad = (why: string) => unsupported(target, path, why);
  if (scalar.type === "boolean") {
    // Entra filters `roles[primary eq "True"]` (“Customize attribute mappings”, app roles): booleans may arrive as
    // strings.
    const bool =
      typeof value === "boolean"
        ? value
        : typeof value === "string" && /^(true|false)$/i.test(value)
          ? value.toLowerCase() === "true"
          : undefined;
    if (bool === undefined) throw bad(`it is a boolean; compare it with true or false`);
    if (op === "eq") return sql`${scalar.expr} = ${bool}::boolean`;
    throw bad(`a boolean supports only eq and ne`);
  }
  if (scalar.type === "dateTime") {
    const time = typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(time))
      throw bad(`it is a dateTime; compare it with an RFC 3339 date-time string such as "2026-01-31T12:00:00Z"`);
    if (op === "co" || op === "sw" || op === "ew") throw bad(`a dateTime supports eq, ne, gt, ge, lt and le`);
    // PostgreSQL has no year 0 and JavaScript writes years past 9999 as "+010000": keep to 0001–9999 (UTC).
    const iso = new Date(time).toISOString();
    if (!/^(?!0000)\d{4}-/.test(iso)) throw bad(`compare it with a date-time between the years 0001 and 9999`);
    // Prisma stores DateTime as UTC `timestamp(3)`.
    const at = sql`(${iso}::timestamptz AT TIME ZONE 'UTC')`;
    return op === "eq"
      ? sql`${scalar.expr} = ${at}`
      : sql`${scalar.expr} ${raw(SQL_OPERATORS[op as keyof typeof SQL_OPERATORS])} ${at}`;
  }
  // Strings: an unquoted number keeps its text (`externalId eq 0123`, Microsoft's “Develop and plan provisioning for a
  // SCIM endpoint”).
  const text =
    typeof value === "string" ? value : typeof value === "number" ? (filter.rawValue ?? String(value)) : String(value);
  let left = scalar.expr;
  let right: Sql;
  if (scalar.keyed) {
    right = sql`${uniquenessKey(text)}::text`;
  } else if (scalar.caseExact) {
    right = sql`${text}::text`;
  } else {
    left = sql`lower(${scalar.expr})`;
    right = sql`lower(${text}::text)`;
  }
  if (op === "eq") return sql`${left} = ${right}`;
  if (op === "co" || op === "sw" || op === "ew") {
    const pattern = likePattern(scalar.keyed ? uniquenessKey(text) : text, op);
    const patternSql = scalar.keyed || scalar.caseExact ? sql`${pattern}::text` : sql`lower(${pattern}::text)`;
    return sql`${left} LIKE ${patternSql} ESCAPE '\\'`;
  }
  // Code-point order, as the in-memory evaluator compares JavaScript strings.
  return sql`${left} COLLATE "C" ${raw(SQL_OPERATORS[op as keyof typeof SQL_OPERATORS])} ${right}`;
}

function guard(scalar: Scalar, condition: Sql): Sql {
  return scalar.nullable ? sql`(${scalar.expr} IS NOT NULL AND ${condition})` : sql`(${condition})`;
}

function present(scalar: Scalar): Sql {
  if (!scalar.nullable) return sql`TRUE`;
  return scalar.type === "string"
    ? sql`(${scalar.expr} IS NOT NULL AND ${scalar.expr} <> '')`
    : sql`(${scalar.expr} IS NOT NULL)`;
}

function exists(multi: Multi, condition: Sql): Sql {
  return sql`EXISTS (SELECT 1 ${multi.from} AND ${condition})`;
}

function compileCompare(target: FilterTarget, filter: Filter & { kind: "compare" }, scope: Table | undefined): Sql {
  const resolved = scope ? resolveInScope(target, scope, filter.path) : resolve(target, filter.path);
  let scalar: Scalar;
  let multi: Multi | undefined;
  if ("complex" in resolved) {
    const { complex } = resolved;
    const sub = complex.defaultSub !== undefined ? entry(complex.subs, complex.defaultSub) : undefined;
    if (!sub || sub.kind !== "scalar")
      throw unsupported(
        target,
        filter.path,
        `compare one of its sub-attributes, e.g. "${filter.path.attribute}.${Object.keys(complex.subs)[0] ?? "value"}"`,
      );
    scalar = sub;
  } else if ("multi" in resolved) {
    multi = resolved.multi;
    const sub = resolved.sub ?? (multi.defaultSub !== undefined ? entry(multi.subs, multi.defaultSub) : undefined);
    if (!sub || sub.kind !== "scalar")
      throw unsupported(
        target,
        filter.path,
        `compare one of its sub-attributes, e.g. "${filter.path.attribute}.${Object.keys(multi.subs)[0] ?? "value"}"`,
      );
    scalar = sub;
  } else {
    scalar = resolved.scalar;
  }

  if (filter.value === null) {
    // RFC 7643 §2.5: null is "unassigned"; `eq null` is "not present", `ne null` is "present".
    if (filter.op !== "eq" && filter.op !== "ne") return sql`FALSE`;
    const isPresent = multi ? exists(multi, present(scalar)) : present(scalar);
    return filter.op === "eq" ? sql`NOT ${isPresent}` : isPresent;
  }
  // RFC 7644 §3.4.2.2: `ne` on a multi-valued attribute means no value is equal; on an absent
  // single value it is true.
  const op = filter.op === "ne" ? "eq" : filter.op;
  const condition = guard(scalar, compareScalar(target, filter.path, scalar, filter, op));
  const matched = multi ? exists(multi, condition) : condition;
  return filter.op === "ne" ? sql`NOT ${matched}` : matched;
}

/** Inside a value filter (`emails[type eq "work"]`) names are sub-attributes of one element. */
function resolveInScope(target: FilterTarget, scope: Table, path: AttrPath): { scalar: Scalar } {
  const sub = entry(scope, path.attribute.toLowerCase());
  if (!sub || sub.kind !== "scalar" || path.subAttribute !== undefined)
    throw unsupported(target, path, "it is not a sub-attribute of the filtered attribute");
  return { scalar: sub };
}

function compile(target: FilterTarget, filter: Filter, scope: Table | undefined): Sql {
  switch (filter.kind) {
    case "and":
      return sql`(${compile(target, filter.left, scope)} AND ${compile(target, filter.right, scope)})`;
    case "or":
      return sql`(${compile(target, filter.left, scope)} OR ${compile(target, filter.right, scope)})`;
    case "not":
      return sql`(NOT ${compile(target, filter.filter, scope)})`;
    case "compare":
      return compileCompare(target, filter, scope);
    case "present": {
      if (scope) return present(resolveInScope(target, scope, filter.path).scalar);
      const resolved = resolve(target, filter.path);
      if ("scalar" in resolved) return present(resolved.scalar);
      if ("complex" in resolved) return sql`(${resolved.complex.presence})`;
      return exists(resolved.multi, resolved.sub ? present(resolved.sub) : sql`TRUE`);
    }
    case "valuePath": {
      if (scope) throw unsupported(target, filter.path, "value filters cannot be nested");
      if (filter.path.subAttribute !== undefined)
        throw unsupported(target, filter.path, "a value filter follows the attribute itself");
      const attribute = lookup(target, filter.path);
      if (attribute.kind === "scalar")
        throw unsupported(target, filter.path, "a value filter needs a complex attribute");
      if (attribute.kind === "complex") return compile(target, filter.filter, attribute.subs);
      const shortcut = attribute.shortcut?.(filter.filter);
      if (shortcut) return shortcut;
      return exists(attribute, compile(target, filter.filter, attribute.subs));
    }
  }
}

/**
 * The SQL condition for `filter` (always TRUE or FALSE per row). Throws 400 `invalidFilter` for what it cannot
 * translate.
 */
export function filterToSql(filter: Filter, target: FilterTarget): Sql {
  return compile(target, filter, undefined);
}

// ---------------------------------------------------------------------------------------------
// Sorting (RFC 7644 §3.4.2.3).

/**
 * The `ORDER BY` terms for `sortBy`/`sortOrder`, over the same attribute tables as filters: strings
 * case-insensitively unless caseExact, in code-point order (COLLATE "C", the same on PGlite and
 * every PostgreSQL locale); missing values last when ascending, first when descending; a
 * multi-valued attribute by its primary value, else its first. Throws 400 `invalidValue` for an
 * attribute it cannot sort by.
 */
export function sortToSql(path: AttrPath, descending: boolean, target: FilterTarget): Sql {
  let resolved;
  try {
    resolved = resolve(target, path);
  } catch (error) {
    if (error instanceof ScimError)
      throw ScimError.badRequest(
        "invalidValue",
        `Cannot sort by "${formatAttrPath(path)}": ${error.detail.replace(/^Cannot filter [^:]*: /, "")}`,
      );
    throw error;
  }
  const cannot = (why: string) =>
    ScimError.badRequest("invalidValue", `Cannot sort by "${formatAttrPath(path)}": ${why}`);
  let scalar: Scalar | undefined;
  let multi: Multi | undefined;
  if ("scalar" in resolved) scalar = resolved.scalar;
  else if ("complex" in resolved) {
    const sub =
      resolved.complex.defaultSub !== undefined ? resolved.complex.subs[resolved.complex.defaultSub] : undefined;
    if (sub?.kind === "scalar") scalar = sub;
  } else {
    multi = resolved.multi;
    const sub = resolved.sub ?? (multi.defaultSub !== undefined ? multi.subs[multi.defaultSub] : undefined);
    if (sub?.kind === "scalar") scalar = sub;
  }
  if (!scalar) throw cannot("name one of its sub-attributes");
  if (multi && !multi.primaryFirst) throw cannot("it has no primary value to sort by");
  const text =
    scalar.type === "string" && !scalar.caseExact && !scalar.keyed ? sql`lower(${scalar.expr})` : scalar.expr;
  const collated = scalar.type === "string" ? sql`(${text}) COLLATE "C"` : text;
  const key = multi ? sql`(SELECT ${collated} ${multi.from} ORDER BY ${multi.primaryFirst} LIMIT 1)` : collated;
  return descending ? sql`${key} DESC NULLS FIRST` : sql`${key} ASC NULLS LAST`;
}
