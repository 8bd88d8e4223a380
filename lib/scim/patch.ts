import { isObject, type Json } from "./json";
import { z } from "zod";
import { decodeAppRole } from "./app-roles";
import { isCustomUserExtension } from "./custom-extensions";
import { ScimError } from "./errors";
import { checkPatchLimits } from "./limits";
import { type Filter, getProperty, matchesValueFilter, parsePatchPath, type PatchPath } from "./filter";
import {
  type AttributeDefinition,
  caseExactLookup,
  findAttribute,
  PATCH_OP_SCHEMA,
  type ResourceTypeDefinition,
} from "./schemas";

/**
 * RFC 7644 §3.5.2 PATCH engine over a SCIM JSON resource, covering both Entra dialects (“Known issues and
 * resolutions with SCIM 2.0 protocol compliance”): the default one (`"Replace"`, `"False"`, legacy member removal with
 * a value array) and
 * `aadOptscim062020` (lower-case ops, path-less replace with dotted/URN keys, `members[value eq …]`).
 * No flag is needed: the shapes do not overlap, so both are always accepted.
 */

export type PatchOperation = { op: "add" | "remove" | "replace"; path?: string; value?: unknown };

const operationSchema = z.object({
  op: z.string({ error: "'op' must be a string" }),
  path: z.string({ error: "'path' must be a string" }).nullish(),
  value: z.unknown(),
});

/**
 * Validates a PatchOp request body (RFC 7644 §3.5.2) and normalises `op` to lower case — Entra
 * sends "Add"/"Replace"/"Remove" without aadOptscim062020 (“Known issues and resolutions with SCIM 2.0 protocol
 * compliance”). Member names are
 * matched case-insensitively too.
 */
export function parsePatchRequest(body: unknown): PatchOperation[] {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw ScimError.badRequest("invalidSyntax", "The PATCH body must be a JSON object with 'schemas' and 'Operations'");
  }
  const schemas = getProperty(body, "schemas");
  if (
    schemas !== undefined &&
    (!Array.isArray(schemas) ||
      !schemas.some((s) => typeof s === "string" && s.toLowerCase() === PATCH_OP_SCHEMA.toLowerCase()))
  ) {
    throw ScimError.badRequest("invalidSyntax", `'schemas' must contain "${PATCH_OP_SCHEMA}"`);
  }
  const operations = getProperty(body, "Operations");
  if (!Array.isArray(operations) || operations.length === 0) {
    throw ScimError.badRequest("invalidSyntax", "'Operations' must be a non-empty array");
  }
  checkPatchLimits(operations, (operation) => getProperty(operation, "value"));
  return operations.map((raw, index) => {
    const position = `Operations[${index}]`;
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      throw ScimError.badRequest("invalidSyntax", `${position} must be an object with 'op', 'path' and 'value'`);
    }
    const parsed = operationSchema.safeParse({
      op: getProperty(raw, "op"),
      path: getProperty(raw, "path"),
      value: getProperty(raw, "value"),
    });
    if (!parsed.success) {
      throw ScimError.badRequest(
        "invalidSyntax",
        `${position}: ${parsed.error.issues[0]?.message ?? "invalid operation"}`,
      );
    }
    const op = parsed.data.op.toLowerCase();
    if (op !== "add" && op !== "remove" && op !== "replace") {
      throw ScimError.badRequest(
        "invalidSyntax",
        `${position}: 'op' must be "add", "remove" or "replace", got ${JSON.stringify(parsed.data.op)}`,
      );
    }
    if (op !== "remove" && parsed.data.value === undefined) {
      throw ScimError.badRequest(
        "invalidSyntax",
        `${position}: '${op}' requires a 'value' (RFC 7644 §3.5.2.1, §3.5.2.3)`,
      );
    }
    const operation: PatchOperation = { op };
    const path = parsed.data.path?.trim();
    if (path) operation.path = path;
    if (parsed.data.value !== undefined) operation.value = parsed.data.value;
    return operation;
  });
}

// ---------------------------------------------------------------------------------------------

type AttributeTarget = {
  kind: "attribute";
  /** Undefined for core attributes; otherwise the extension schema URN whose object holds it. */
  extension: string | undefined;
  definition: AttributeDefinition;
  filter: Filter | undefined;
  sub: AttributeDefinition | undefined;
  label: string;
};
type Target =
  | AttributeTarget
  | { kind: "extension"; schema: string; label: string }
  /** A custom extension attribute (`urn:…:extension:<Name>:2.0:User:<attr>`), or its whole object. */
  | { kind: "custom"; schema: string; attribute: string | undefined; label: string }
  /** An attribute the server does not store: accepted and ignored, as in POST and PUT. */
  | { kind: "ignored"; label: string };

function findKey(target: Json, name: string): string | undefined {
  if (Object.hasOwn(target, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(target).find((key) => key.toLowerCase() === lower);
}

/** Writes `name` under its canonical spelling, dropping a differently-cased duplicate. */
function setProp(target: Json, name: string, value: unknown): void {
  const existing = findKey(target, name);
  if (existing !== undefined && existing !== name) delete target[existing];
  target[name] = value;
}

function deleteProp(target: Json, name: string): void {
  const existing = findKey(target, name);
  if (existing !== undefined) delete target[existing];
}

function isEmptyValue(value: unknown): boolean {
  // Empty string or null clears the attribute (Entra sends manager as a bare id; see docs/entra-scim-behaviour.md
  // manager "Replace with empty").
  return value === null || value === "";
}

/**
 * A string that is equal for two JSON values exactly when `deepEqual` says they are: object keys
 * sorted, every value tagged with its type.
 */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(",")}}`;
  }
  return value === undefined ? "u" : JSON.stringify(value);
}

/** One sub-attribute of an element key: strings compared as `caseExact` says, other scalars by type and value. */
function keyPart(value: unknown, caseExact: boolean): string | undefined {
  if (typeof value === "string") return `s${caseExact ? value : value.toLowerCase()}`;
  if (value === undefined) return "u";
  if (value === null || typeof value !== "object") return `j${JSON.stringify(value)}`;
  return undefined;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]))
    );
  }
  return false;
}

class PatchEngine {
  private readonly isCaseExact: (path: string) => boolean;

  constructor(
    private readonly resource: Json,
    private readonly resourceType: ResourceTypeDefinition,
  ) {
    this.isCaseExact = caseExactLookup(resourceType);
  }

  apply(operation: PatchOperation, index: number): void {
    const where = `Operations[${index}]`;
    if (operation.path === undefined) {
      if (operation.op === "remove") {
        throw ScimError.badRequest("noTarget", `${where}: 'remove' requires a 'path' (RFC 7644 §3.5.2.2)`);
      }
      this.applyPathless(operation.op, operation.value, where);
      return;
    }
    const target = this.resolve(parsePatchPath(operation.path), operation.path, where);
    if (target.kind === "ignored") return;
    if (operation.op === "remove") this.remove(target, operation.value, where);
    else this.write(operation.op, target, operation.value, where);
  }

  /**
   * RFC 7644 §3.5.2.1/§3.5.2.3 without `path`: each key of the value object is a path. Entra's
   * aadOptscim062020 replace sends dotted keys (`name.givenName`) and full-URN keys (“Known issues and resolutions with
   * SCIM 2.0 protocol compliance”).
   */
  private applyPathless(op: "add" | "replace", value: unknown, where: string): void {
    if (!isObject(value)) {
      throw ScimError.badRequest("invalidValue", `${where}: '${op}' without a 'path' needs an object 'value'`);
    }
    for (const [key, item] of Object.entries(value)) {
      const lower = key.toLowerCase();
      if (lower === "schemas") continue;
      if (lower === "id" || lower === "meta") {
        if (deepEqual(getProperty(this.resource, key), item)) continue;
        throw ScimError.badRequest("mutability", `${where}: '${key}' is readOnly and cannot be changed`);
      }
      const extension = this.resourceType.extensions.find((schema) => schema.id.toLowerCase() === lower);
      if (extension) {
        this.write(op, { kind: "extension", schema: extension.id, label: key }, item, where);
        continue;
      }
      if (this.resourceType.name === "User" && isCustomUserExtension(key)) {
        this.write(op, { kind: "custom", schema: key, attribute: undefined, label: key }, item, where);
        continue;
      }
      let target: Target;
      try {
        target = this.resolve(parsePatchPath(key), key, where);
      } catch (error) {
        // Unknown attributes in a body are accepted and ignored (Microsoft's “Develop and plan provisioning for a SCIM
        // endpoint”); an explicit
        // `path` naming one is still 400 invalidPath.
        if (error instanceof ScimError && error.scimType === "invalidPath") continue;
        throw error;
      }
      this.write(op, target, item, where);
    }
  }

  /**
   * Resolves a path to what it writes. A path that is well-formed but names nothing we store
   * (`entitlements`, `ims`, an unknown schema or sub-attribute) is ignored, exactly as the same
   * attribute is in a POST or PUT body, so one such operation never fails the others (Entra would
   * retry the whole request every cycle and finally quarantine the job).
   */
  private resolve(parsed: PatchPath, label: string, where: string): Target {
    const { path } = parsed;
    const invalid = (problem: string) =>
      ScimError.badRequest("invalidPath", `${where}: invalid path "${label}": ${problem}`);
    const ignored: Target = { kind: "ignored", label };
    let attributes: readonly AttributeDefinition[] = [
      ...this.resourceType.common,
      ...this.resourceType.core.attributes,
    ];
    let extension: string | undefined;
    if (path.schema !== undefined) {
      const schema = path.schema.toLowerCase();
      const whole = `${schema}:${path.attribute.toLowerCase()}`;
      const wholeExtension = this.resourceType.extensions.find((candidate) => candidate.id.toLowerCase() === whole);
      const plain = path.subAttribute === undefined && parsed.filter === undefined;
      if (wholeExtension && plain) {
        return { kind: "extension", schema: wholeExtension.id, label };
      }
      const custom = this.resourceType.name === "User";
      if (custom && isCustomUserExtension(`${path.schema}:${path.attribute}`) && plain) {
        return { kind: "custom", schema: `${path.schema}:${path.attribute}`, attribute: undefined, label };
      }
      const matching = this.resourceType.extensions.find((candidate) => candidate.id.toLowerCase() === schema);
      if (matching) {
        attributes = matching.attributes;
        extension = matching.id;
      } else if (custom && isCustomUserExtension(path.schema)) {
        if (!plain)
          throw invalid("custom extension attributes are single-valued, without sub-attributes or value filters");
        return { kind: "custom", schema: path.schema, attribute: path.attribute, label };
      } else if (schema !== this.resourceType.core.id.toLowerCase()) {
        return ignored;
      }
    }
    let definition = findAttribute(attributes, path.attribute);
    if (!definition && path.schema === undefined) {
      // Entra's legacy manager update uses the bare path "manager" (Microsoft's “Develop and plan provisioning for a
      // SCIM endpoint”); an unqualified
      // name that only an extension defines resolves to it.
      for (const candidate of this.resourceType.extensions) {
        definition = findAttribute(candidate.attributes, path.attribute);
        if (definition) {
          extension = candidate.id;
          break;
        }
      }
    }
    if (!definition) return ignored;
    const subName = path.subAttribute ?? parsed.subAttribute;
    let sub: AttributeDefinition | undefined;
    if (subName !== undefined) {
      sub = definition.subAttributes && findAttribute(definition.subAttributes, subName);
      if (!sub) return ignored;
    }
    if (parsed.filter !== undefined && !definition.multiValued) {
      throw invalid(`a value filter needs a multi-valued attribute and '${definition.name}' is single-valued`);
    }
    return { kind: "attribute", extension, definition, filter: parsed.filter, sub, label };
  }

  private checkMutability(target: AttributeTarget, op: PatchOperation["op"], where: string): void {
    const { definition, sub } = target;
    // RFC 7644 §3.5.2: readOnly attributes (id, meta, groups) cannot be modified.
    if (definition.mutability === "readOnly" || sub?.mutability === "readOnly") {
      throw ScimError.badRequest("mutability", `${where}: '${target.label}' is readOnly and cannot be modified`);
    }
    if (op === "replace" && sub?.mutability === "immutable") {
      throw ScimError.badRequest(
        "mutability",
        `${where}: '${target.label}' is immutable; remove the value and add a new one`,
      );
    }
  }

  /** The object holding the attribute: the resource, or its extension object (created on write). */
  private container(extension: string | undefined, create: boolean): Json | undefined {
    if (extension === undefined) return this.resource;
    const key = findKey(this.resource, extension);
    const existing = key === undefined ? undefined : this.resource[key];
    if (isObject(existing)) return existing;
    if (!create) return undefined;
    const created: Json = {};
    if (key !== undefined) delete this.resource[key];
    this.resource[extension] = created;
    // RFC 7643 §3: `schemas` lists every extension present in the resource.
    const schemas = getProperty(this.resource, "schemas");
    if (
      Array.isArray(schemas) &&
      !schemas.some((s) => typeof s === "string" && s.toLowerCase() === extension.toLowerCase())
    ) {
      schemas.push(extension);
    }
    return created;
  }

  private dropEmptyExtension(extension: string | undefined): void {
    if (extension === undefined) return;
    const container = this.container(extension, false);
    if (container && Object.keys(container).length === 0) this.removeExtension(extension);
  }

  private removeExtension(schema: string): void {
    deleteProp(this.resource, schema);
    const schemas = getProperty(this.resource, "schemas");
    if (Array.isArray(schemas)) {
      const index = schemas.findIndex((s) => typeof s === "string" && s.toLowerCase() === schema.toLowerCase());
      if (index >= 0) schemas.splice(index, 1);
    }
  }

  // ----- value coercion -----------------------------------------------------------------------

  private coerceSimple(definition: AttributeDefinition, value: unknown, label: string, where: string): unknown {
    const bad = (expected: string) =>
      ScimError.badRequest("invalidValue", `${where}: '${label}' must be ${expected}, got ${JSON.stringify(value)}`);
    switch (definition.type) {
      case "boolean":
        if (typeof value === "boolean") return value;
        // Entra sends `"active": "False"` without aadOptscim062020 and `"primary": "false"` on POST (“Known issues and
        // resolutions with SCIM 2.0 protocol compliance”).
        if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
        throw bad("a boolean");
      case "integer":
        if (typeof value === "number" && Number.isInteger(value)) return value;
        throw bad("an integer");
      case "decimal":
        if (typeof value === "number") return value;
        throw bad("a number");
      case "complex":
        throw bad("an object");
      default:
        // Strings are stored exactly as sent (Microsoft's “Develop and plan provisioning for a SCIM endpoint”: no
        // reformatting).
        if (typeof value === "string") return value;
        throw bad("a string");
    }
  }

  /**
   * A complex value with known sub-attributes canonicalised and coerced; nulls dropped (`"$ref": null`, as Entra sends
   * member references).
   */
  private coerceComplex(definition: AttributeDefinition, value: unknown, label: string, where: string): Json {
    const subAttributes = definition.subAttributes ?? [];
    // AppRoleAssignmentsComplex sends each role's `value` JSON-encoded: compare and store the role itself.
    if (this.resourceType.name === "User" && definition.name === "roles") value = decodeAppRole(value);
    // Entra sends `manager` as a bare id string (Entra sends manager as a bare id; see docs/entra-scim-behaviour.md)
    // and roles as strings: RFC 7643 §2.4's
    // `value` sub-attribute carries it.
    if (typeof value === "string" && findAttribute(subAttributes, "value")) value = { value };
    if (!isObject(value)) {
      throw ScimError.badRequest(
        "invalidValue",
        `${where}: '${label}' must be an object, got ${JSON.stringify(value)}`,
      );
    }
    const result: Json = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === null || item === undefined) continue;
      const sub = findAttribute(subAttributes, key);
      // Unknown sub-attributes are kept verbatim; the resource normaliser decides what to store.
      if (!sub) result[key] = item;
      else if (sub.mutability !== "readOnly")
        result[sub.name] = this.coerceSimple(sub, item, `${label}.${sub.name}`, where);
    }
    return result;
  }

  private coerceElements(definition: AttributeDefinition, value: unknown, label: string, where: string): unknown[] {
    const items = Array.isArray(value) ? value : [value];
    return items
      .filter((item) => !isEmptyValue(item))
      .map((item) =>
        definition.type === "complex"
          ? this.coerceComplex(definition, item, label, where)
          : this.coerceSimple(definition, item, label, where),
      );
  }

  private coerceSingle(definition: AttributeDefinition, value: unknown, label: string, where: string): unknown {
    if (definition.type !== "complex") return this.coerceSimple(definition, value, label, where);
    // Entra's legacy manager update wraps the single value in an array: `[{"$ref": …, "value": …}]` (Microsoft's
    // “Develop and plan provisioning for a SCIM endpoint”).
    if (Array.isArray(value)) {
      if (value.length !== 1)
        throw ScimError.badRequest("invalidValue", `${where}: '${label}' is single-valued; got ${value.length} values`);
      value = value[0];
      if (isEmptyValue(value)) return null;
    }
    return this.coerceComplex(definition, value, label, where);
  }

  // ----- add / replace ------------------------------------------------------------------------

  private write(op: "add" | "replace", target: Target, value: unknown, where: string): void {
    if (target.kind === "ignored") return;
    if (target.kind === "custom") {
      this.writeCustom(op, target.schema, target.attribute, value, where);
      return;
    }
    if (target.kind === "extension") {
      if (isEmptyValue(value)) {
        if (op === "replace") this.removeExtension(target.schema);
        return;
      }
      if (!isObject(value)) throw ScimError.badRequest("invalidValue", `${where}: '${target.label}' must be an object`);
      const extension = this.resourceType.extensions.find((schema) => schema.id === target.schema);
      for (const [key, item] of Object.entries(value)) {
        const definition = extension && findAttribute(extension.attributes, key);
        // Unknown attributes are ignored (Microsoft's “Develop and plan provisioning for a SCIM endpoint”).
        if (!definition) continue;
        const sub: AttributeTarget = {
          kind: "attribute",
          extension: target.schema,
          definition,
          filter: undefined,
          sub: undefined,
          label: `${target.schema}:${definition.name}`,
        };
        this.write(op, sub, item, where);
      }
      return;
    }
    this.checkMutability(target, op, where);
    const { definition } = target;
    if (definition.multiValued) this.writeMulti(op, target, value, where);
    else this.writeSingle(op, target, value, where);
  }

  /** A custom extension attribute, or (without `attribute`) its whole object: single-valued scalars. */
  private writeCustom(
    op: "add" | "replace",
    schema: string,
    attribute: string | undefined,
    value: unknown,
    where: string,
  ): void {
    if (attribute === undefined) {
      if (isEmptyValue(value)) {
        if (op === "replace") this.removeExtension(schema);
        return;
      }
      if (!isObject(value))
        throw ScimError.badRequest(
          "invalidValue",
          `${where}: '${schema}' must be an object of single-valued attributes`,
        );
      if (op === "replace") this.removeExtension(schema);
      for (const [key, item] of Object.entries(value)) this.writeCustom(op, schema, key, item, where);
      return;
    }
    if (isEmptyValue(value)) {
      const container = this.container(schema, false);
      if (container) deleteProp(container, attribute);
      this.dropEmptyExtension(schema);
      return;
    }
    if (isObject(value) || Array.isArray(value)) {
      throw ScimError.badRequest(
        "invalidValue",
        `${where}: '${schema}:${attribute}' is a single-valued custom extension attribute, got ${JSON.stringify(value)}`,
      );
    }
    setProp(this.container(schema, true) as Json, attribute, value);
  }

  private writeSingle(op: "add" | "replace", target: AttributeTarget, value: unknown, where: string): void {
    const { definition, sub, extension, label } = target;
    if (sub === undefined) {
      const coerced = isEmptyValue(value) ? null : this.coerceSingle(definition, value, label, where);
      if (coerced === null) {
        const container = this.container(extension, false);
        if (container) deleteProp(container, definition.name);
        this.dropEmptyExtension(extension);
        return;
      }
      const container = this.container(extension, true) as Json;
      const current = getProperty(container, definition.name);
      // RFC 7644 §3.5.2.1/§3.5.2.3: sub-attributes not given are left unchanged — except for
      // reference-like complex attributes (those with a `value`, i.e. manager), which are replaced whole.
      const merge =
        definition.type === "complex" && isObject(current) && !findAttribute(definition.subAttributes ?? [], "value");
      setProp(
        container,
        definition.name,
        merge ? { ...this.canonicalise(definition, current), ...(coerced as Json) } : coerced,
      );
      return;
    }
    const container = this.container(extension, !isEmptyValue(value));
    if (!container) return;
    let complex = getProperty(container, definition.name);
    if (isEmptyValue(value)) {
      if (isObject(complex)) {
        deleteProp(complex, sub.name);
        if (Object.keys(complex).length === 0) deleteProp(container, definition.name);
      }
      this.dropEmptyExtension(extension);
      return;
    }
    if (!isObject(complex)) {
      complex = {};
      setProp(container, definition.name, complex);
    }
    setProp(complex as Json, sub.name, this.coerceSimple(sub, value, label, where));
  }

  private canonicalise(definition: AttributeDefinition, value: Json): Json {
    const result: Json = {};
    for (const [key, item] of Object.entries(value)) {
      const sub = definition.subAttributes && findAttribute(definition.subAttributes, key);
      result[sub ? sub.name : key] = item;
    }
    return result;
  }

  /** The current values of a multi-valued attribute (a copy is taken by the callers). */
  private elements(target: AttributeTarget): unknown[] {
    const container = this.container(target.extension, false);
    const current = container && getProperty(container, target.definition.name);
    return Array.isArray(current) ? current : [];
  }

  private setElements(target: AttributeTarget, elements: unknown[]): void {
    const container = this.container(target.extension, elements.length > 0);
    if (!container) return;
    if (elements.length === 0) deleteProp(container, target.definition.name);
    else setProp(container, target.definition.name, elements);
    this.dropEmptyExtension(target.extension);
  }

  private matches(target: AttributeTarget, element: unknown): boolean {
    if (target.filter === undefined) return true;
    return matchesValueFilter(
      target.filter,
      element,
      { attribute: target.definition.name, ...(target.extension ? { schema: target.extension } : {}) },
      {
        isCaseExact: this.isCaseExact,
      },
    );
  }

  /**
   * Two elements denote the same value when `value` and `type` agree (RFC 7643 §2.4), e.g. the
   * same member; without a `value` sub-attribute, when they are equal. Expressed as a key so that
   * matching N new elements against M existing ones is a Map lookup each, not N × M comparisons
   * (a 17,000-member add would otherwise take seconds on the only JavaScript thread). Undefined for
   * an element that equals no other (a `value` that is itself an object or array).
   */
  private elementKey(definition: AttributeDefinition, element: unknown): string | undefined {
    if (!isObject(element)) return `p${canonicalJson(element)}`;
    const valueDefinition = definition.subAttributes && findAttribute(definition.subAttributes, "value");
    if (!valueDefinition) return `o${canonicalJson(this.canonicalise(definition, element))}`;
    const value = keyPart(getProperty(element, "value"), valueDefinition.caseExact);
    const type = keyPart(getProperty(element, "type"), false);
    // JSON-encoded parts cannot run into each other.
    return value === undefined || type === undefined ? undefined : `v${JSON.stringify([value, type])}`;
  }

  private sameElement(definition: AttributeDefinition, a: unknown, b: unknown): boolean {
    const key = this.elementKey(definition, a);
    return key !== undefined && key === this.elementKey(definition, b);
  }

  /** RFC 7643 §2.4: at most one `primary: true`; the primary just written wins over older ones. */
  private demoteOtherPrimaries(elements: unknown[], written: ReadonlySet<unknown>): void {
    const primaries = elements.filter(
      (element): element is Json => isObject(element) && getProperty(element, "primary") === true,
    );
    if (primaries.length <= 1) return;
    const keep = [...primaries].reverse().find((element) => written.has(element)) ?? primaries[primaries.length - 1];
    for (const element of primaries) if (element !== keep) setProp(element, "primary", false);
  }

  /**
   * A new element built from an equality value filter, for add/replace on a filtered path with no
   * match: Entra expects `emails[type eq "work"].value` to create the work email (“Known issues and resolutions with
   * SCIM 2.0 protocol compliance”).
   */
  private seedFromFilter(target: AttributeTarget, where: string): Json {
    const seed: Json = {};
    const collect = (filter: Filter): boolean => {
      if (filter.kind === "and") return collect(filter.left) && collect(filter.right);
      if (
        filter.kind !== "compare" ||
        filter.op !== "eq" ||
        filter.path.subAttribute !== undefined ||
        filter.value === null
      )
        return false;
      const sub =
        target.definition.subAttributes && findAttribute(target.definition.subAttributes, filter.path.attribute);
      if (!sub) return false;
      const value =
        typeof filter.value === "number" && sub.type === "string"
          ? (filter.rawValue ?? String(filter.value))
          : filter.value;
      seed[sub.name] = this.coerceSimple(sub, value, `${target.definition.name}.${sub.name}`, where);
      return true;
    };
    if (target.filter === undefined || !collect(target.filter)) {
      throw ScimError.badRequest(
        "noTarget",
        `${where}: no value matches "${target.label}" and the filter does not describe a value to create`,
      );
    }
    return seed;
  }

  private writeMulti(op: "add" | "replace", target: AttributeTarget, value: unknown, where: string): void {
    const { definition, sub, label } = target;
    const clearing = isEmptyValue(value) || (Array.isArray(value) && value.length === 0);

    if (target.filter === undefined && sub === undefined) {
      const incoming = clearing ? [] : this.coerceElements(definition, value, label, where);
      if (op === "replace") {
        this.demoteOtherPrimaries(incoming, new Set(incoming));
        this.setElements(target, incoming);
        return;
      }
      if (incoming.length === 0) return;
      // RFC 7644 §3.5.2.1: add to a multi-valued attribute appends; an existing equal value is updated, not duplicated.
      const elements = [...this.elements(target)];
      // The first element with each key, as a left-to-right search would find it.
      const positions = new Map<string, number>();
      elements.forEach((element, index) => {
        const key = this.elementKey(definition, element);
        if (key !== undefined && !positions.has(key)) positions.set(key, index);
      });
      const written = new Set<unknown>();
      for (const item of incoming) {
        const key = this.elementKey(definition, item);
        const index = key === undefined ? undefined : positions.get(key);
        const merged =
          index !== undefined && isObject(elements[index]) && isObject(item)
            ? { ...this.canonicalise(definition, elements[index]), ...item }
            : item;
        if (index !== undefined) {
          elements[index] = merged;
        } else {
          if (key !== undefined) positions.set(key, elements.length);
          elements.push(merged);
        }
        written.add(merged);
      }
      this.demoteOtherPrimaries(elements, written);
      this.setElements(target, elements);
      return;
    }

    const elements = [...this.elements(target)];
    const matched = new Set(elements.filter((element) => this.matches(target, element)));

    if (sub !== undefined) {
      if (clearing) {
        // Clearing a sub-attribute; an element left with nothing but its filter keys is dropped.
        const seedKeys = new Set(target.filter ? Object.keys(this.trySeed(target, where)) : []);
        const kept = elements.filter((element) => {
          if (!matched.has(element) || !isObject(element)) return true;
          deleteProp(element, sub.name);
          return Object.keys(element).some((key) => !seedKeys.has(key) && key.toLowerCase() !== "primary");
        });
        this.setElements(target, kept);
        return;
      }
      const coerced = this.coerceSimple(sub, value, label, where);
      if (matched.size === 0) {
        if (target.filter === undefined) {
          throw ScimError.badRequest(
            "noTarget",
            `${where}: '${definition.name}' has no values to set '${sub.name}' on`,
          );
        }
        const created = { ...this.seedFromFilter(target, where), [sub.name]: coerced };
        elements.push(created);
        this.demoteOtherPrimaries(elements, new Set([created]));
      } else {
        for (const element of matched) if (isObject(element)) setProp(element, sub.name, coerced);
        this.demoteOtherPrimaries(elements, matched);
      }
      this.setElements(target, elements);
      return;
    }

    // Filtered path without a sub-attribute: the matching values themselves.
    if (clearing) {
      this.setElements(
        target,
        elements.filter((element) => !matched.has(element)),
      );
      return;
    }
    if (Array.isArray(value)) {
      if (value.length !== 1)
        throw ScimError.badRequest(
          "invalidValue",
          `${where}: '${label}' selects values; give one object, not ${value.length}`,
        );
      value = value[0];
    }
    const coerced = this.coerceComplex(definition, value, label, where);
    if (matched.size === 0) {
      const created = { ...this.seedFromFilter(target, where), ...coerced };
      elements.push(created);
      this.demoteOtherPrimaries(elements, new Set([created]));
      this.setElements(target, elements);
      return;
    }
    // RFC 7644 §3.5.2.3: replace swaps the matching values; add merges into them.
    const written = new Set<unknown>();
    const next = elements.map((element) => {
      if (!matched.has(element)) return element;
      const updated =
        op === "replace" || !isObject(element) ? coerced : { ...this.canonicalise(definition, element), ...coerced };
      const copy = { ...updated };
      written.add(copy);
      return copy;
    });
    this.demoteOtherPrimaries(next, written);
    this.setElements(target, next);
  }

  private trySeed(target: AttributeTarget, where: string): Json {
    try {
      return this.seedFromFilter(target, where);
    } catch {
      return {};
    }
  }

  // ----- remove -------------------------------------------------------------------------------

  private remove(target: Target, value: unknown, where: string): void {
    if (target.kind === "ignored") return;
    if (target.kind === "extension") {
      this.removeExtension(target.schema);
      return;
    }
    if (target.kind === "custom") {
      if (target.attribute === undefined) this.removeExtension(target.schema);
      else this.writeCustom("replace", target.schema, target.attribute, null, where);
      return;
    }
    this.checkMutability(target, "remove", where);
    const { definition, sub, extension } = target;
    const container = this.container(extension, false);

    if (!definition.multiValued) {
      if (!container) return;
      const current = getProperty(container, definition.name);
      if (sub === undefined) {
        // A remove naming the old value (e.g. the old manager) only applies if it still holds.
        if (value !== undefined && !isEmptyValue(value) && current !== undefined && definition.type === "complex") {
          const named = this.coerceSingle(definition, value, target.label, where);
          if (named !== null && !this.sameElement(definition, current, named)) return;
        }
        deleteProp(container, definition.name);
      } else if (isObject(current)) {
        deleteProp(current, sub.name);
        if (Object.keys(current).length === 0) deleteProp(container, definition.name);
      }
      this.dropEmptyExtension(extension);
      return;
    }

    const elements = [...this.elements(target)];
    if (target.filter !== undefined) {
      const matched = new Set(elements.filter((element) => this.matches(target, element)));
      // Removal is idempotent: `members[value eq "<id>"]` for a user who is no longer a member (say,
      // deleted since) leaves the state Entra wants, so it succeeds — as the legacy dialect's
      // `{path: "members", value: [...]}` always has. RFC 7644 §3.5.2.2's noTarget would make Entra
      // record a failure and retry the same removal every cycle.
      if (matched.size === 0) return;
      if (sub === undefined) {
        this.setElements(
          target,
          elements.filter((element) => !matched.has(element)),
        );
      } else {
        for (const element of matched) if (isObject(element)) deleteProp(element, sub.name);
        this.setElements(target, elements);
      }
      return;
    }
    if (sub !== undefined) {
      for (const element of elements) if (isObject(element)) deleteProp(element, sub.name);
      this.setElements(target, elements);
      return;
    }
    if (value === undefined || isEmptyValue(value)) {
      // RFC 7644 §3.5.2.2: remove with a path and no filter removes every value.
      this.setElements(target, []);
      return;
    }
    // Entra without aadOptscim062020: `{op: "Remove", path: "members", value: [{value: "u1"}]}` removes
    // only the listed values (“Known issues and resolutions with SCIM 2.0 protocol compliance”). Values already gone
    // are ignored.
    // Removal by value matches on `value` alone when the item gives no `type` (Entra lists members
    // as `{value}` or `{$ref: null, value}`), otherwise as the same element; keyed, so linear.
    const listed = this.coerceElements(definition, value, target.label, where);
    const byValue = new Set<string>();
    const byElement = new Set<string>();
    for (const item of listed) {
      const valueOnly =
        isObject(item) && getProperty(item, "value") !== undefined && getProperty(item, "type") === undefined;
      const key = this.elementKey(definition, valueOnly ? { value: getProperty(item, "value") } : item);
      if (key !== undefined) (valueOnly ? byValue : byElement).add(key);
    }
    const removed = (element: unknown): boolean => {
      const key = this.elementKey(definition, element);
      if (key !== undefined && byElement.has(key)) return true;
      if (!isObject(element) || byValue.size === 0) return false;
      const valueKey = this.elementKey(definition, { value: getProperty(element, "value") });
      return valueKey !== undefined && byValue.has(valueKey);
    };
    this.setElements(
      target,
      elements.filter((element) => !removed(element)),
    );
  }

  /** RFC 7643 §2.2 `required`: checked once all operations are applied, so a remove-then-add works. */
  checkRequired(): void {
    for (const definition of this.resourceType.core.attributes) {
      if (!definition.required) continue;
      const value = getProperty(this.resource, definition.name);
      if (value === undefined || value === null || value === "") {
        throw ScimError.badRequest("invalidValue", `'${definition.name}' is required and cannot be removed or emptied`);
      }
    }
  }
}

/**
 * Applies PATCH operations to a SCIM JSON resource (as rendered by `renderUser`/`renderGroup`)
 * and returns the patched copy. All-or-nothing (RFC 7644 §3.5.2: "each operation … MUST be
 * applied atomically"): the input is never modified, and any invalid operation throws a 400.
 */
export function applyPatch<T extends object>(
  resource: T,
  operations: readonly PatchOperation[],
  resourceType: ResourceTypeDefinition,
): T {
  const copy = structuredClone(resource) as unknown as Json;
  const engine = new PatchEngine(copy, resourceType);
  operations.forEach((operation, index) => engine.apply(operation, index));
  engine.checkRequired();
  return copy as unknown as T;
}
