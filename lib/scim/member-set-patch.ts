import { getProperty } from "./filter";
import type { GroupFields, GroupRecord } from "./group";
import { isObject } from "./json";
import { checkGroupLimits } from "./limits";
import type { PatchOperation } from "./patch";

/**
 * A member as the PATCH engine holds it between operations: `type` is kept until the end (lower-cased, for matching).
 */
type MemberElement = { value: string; type: string | undefined; display: string | undefined };

function memberKey(value: string, type: string | undefined): string {
  return JSON.stringify([value, type ?? null]);
}

/**
 * Member PATCHes (Microsoft's “Develop and plan provisioning for a SCIM endpoint”, and directory syncs that send
 * `type`): only `add`/`remove`
 * with path "members" and a list of `{value}` (optionally `$ref`, `display`, `type`). Applied with
 * keyed lookups in linear time, without rendering the group: the generic engine's result for these
 * shapes costs hundreds of milliseconds at 17,000 members, all of it on the only JavaScript thread.
 * It is the engine's result exactly (dispatch.test.ts checks that): within the request a member is
 * matched by `value` and `type` (RFC 7643 §2.4), a legacy removal without `type` by `value` alone,
 * stored members have no `type`, and duplicates collapse to the first at the end. Any other shape
 * returns undefined and goes to the engine.
 */
export function memberSetPatch(
  operations: readonly PatchOperation[],
): ((current: GroupRecord) => GroupFields) | undefined {
  const steps: { op: "add" | "remove"; members: MemberElement[] }[] = [];
  for (const operation of operations) {
    if (operation.op === "replace" || operation.path?.toLowerCase() !== "members") return undefined;
    // RFC 7644 §3.5.2.2: remove without a value removes every member; the engine does that.
    if (operation.value === undefined || operation.value === null) return undefined;
    const items = Array.isArray(operation.value) ? operation.value : [operation.value];
    if (items.length === 0) return undefined;
    const members: MemberElement[] = [];
    for (const item of items) {
      if (item === null) continue; // the engine drops null values
      if (!isObject(item)) return undefined;
      const keys = Object.keys(item).map((key) => key.toLowerCase());
      if (keys.some((key) => !["value", "$ref", "display", "type"].includes(key)) || new Set(keys).size !== keys.length)
        return undefined;
      const value = getProperty(item, "value");
      const ref = getProperty(item, "$ref");
      const display = getProperty(item, "display");
      const type = getProperty(item, "type");
      if (typeof value !== "string" || value === "") return undefined;
      if (ref !== undefined && ref !== null && typeof ref !== "string") return undefined;
      if (display !== undefined && display !== null && typeof display !== "string") return undefined;
      if (type !== undefined && type !== null && typeof type !== "string") return undefined;
      // As in the engine: a null `display` is no change, "" clears it (Microsoft's “Develop and plan provisioning for a
      // SCIM endpoint”).
      members.push({
        value,
        type: typeof type === "string" ? type.toLowerCase() : undefined,
        display: display ?? undefined,
      });
    }
    if (members.length === 0) return undefined;
    steps.push({ op: operation.op, members });
  }
  return (current) => {
    let elements: MemberElement[] = current.members.map((member) => ({
      value: member.value,
      type: undefined,
      display: member.display ?? undefined,
    }));
    let positions = new Map<string, number>();
    const index = () => {
      positions = new Map();
      elements.forEach((element, at) => {
        const key = memberKey(element.value, element.type);
        if (!positions.has(key)) positions.set(key, at);
      });
    };
    index();
    for (const step of steps) {
      if (step.op === "remove") {
        const byValue = new Set(
          step.members.filter((member) => member.type === undefined).map((member) => member.value),
        );
        const byKey = new Set(
          step.members
            .filter((member) => member.type !== undefined)
            .map((member) => memberKey(member.value, member.type)),
        );
        elements = elements.filter(
          (element) => !byValue.has(element.value) && !byKey.has(memberKey(element.value, element.type)),
        );
        index();
        continue;
      }
      for (const member of step.members) {
        const key = memberKey(member.value, member.type);
        const at = positions.get(key);
        if (at === undefined) {
          positions.set(key, elements.length);
          elements.push({ ...member });
        } else if (member.display !== undefined) {
          // A new object: `current` stays as loaded, for the store to diff.
          elements[at] = { ...(elements[at] as MemberElement), display: member.display };
        }
      }
    }
    const seen = new Set<string>();
    const members = elements
      .filter((element) => !seen.has(element.value) && seen.add(element.value))
      .map((element) => ({
        value: element.value,
        display: element.display === undefined || element.display === "" ? null : element.display,
      }));
    const fields = { displayName: current.displayName, externalId: current.externalId, members };
    checkGroupLimits(fields);
    return fields;
  };
}
