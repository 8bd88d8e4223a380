import { getProperty } from "./filter";
import { isObject, parseBooleanLike } from "./json";
import type { PatchOperation } from "./patch";

/**
 * The provisioning log's name for each SCIM request, worded like the actions in Entra's own
 * provisioning logs (Microsoft's “Provisioning logs in Microsoft Entra ID”). The list is what the
 * console offers as the log's operation filter.
 */
export const SCIM_OPERATIONS = [
  "Find users",
  "List users",
  "Get user",
  "Create user",
  "Update user",
  "Replace user",
  "Disable user",
  "Enable user",
  "Delete user",
  "Find groups",
  "List groups",
  "Get group",
  "Create group",
  "Update group",
  "Replace group",
  "Add members",
  "Remove members",
  "Update members",
  "Delete group",
  "Get service provider config",
  "Get schemas",
  "Get resource types",
  "Get base URL",
  "Unknown endpoint",
  // Decided by the HTTP route before the dispatcher: a refused token, a body too large or not JSON.
  "Authenticate",
  "Reject request",
] as const;

export type ScimOperation = (typeof SCIM_OPERATIONS)[number];

export function searchLabel(plural: "users" | "groups", filtered: boolean): ScimOperation {
  return `${filtered ? "Find" : "List"} ${plural}`;
}

/**
 * The value a PATCH writes to `active`, in either Entra dialect (“Known issues and resolutions with SCIM 2.0 protocol
 * compliance”).
 */
function activeWrittenBy(operations: readonly PatchOperation[]): boolean | undefined {
  let written: boolean | undefined;
  for (const operation of operations) {
    if (operation.op === "remove") continue;
    if (operation.path?.toLowerCase() === "active") written = parseBooleanLike(operation.value) ?? written;
    else if (operation.path === undefined && isObject(operation.value)) {
      const value = getProperty(operation.value, "active");
      if (value !== undefined) written = parseBooleanLike(value) ?? written;
    }
  }
  return written;
}

/**
 * A user PATCH: Entra disables and re-enables by PATCHing `active` (“How Application Provisioning
 * works”), so those read as "Disable user" / "Enable user". `wasActive` is the user's state before
 * the PATCH, unknown when the user was not found.
 */
export function userPatchLabel(operations: readonly PatchOperation[], wasActive: boolean | undefined): ScimOperation {
  const active = activeWrittenBy(operations);
  if (active === false) return "Disable user";
  if (active === true && wasActive === false) return "Enable user";
  return "Update user";
}

/**
 * "Add members" / "Remove members" when every operation is about `members` (Microsoft's “Develop and plan provisioning
 * for a SCIM endpoint”).
 */
export function groupPatchLabel(operations: readonly PatchOperation[]): ScimOperation {
  const onMembers = (operation: PatchOperation) => /^members(\[|\.|$)/i.test(operation.path ?? "");
  if (!operations.every(onMembers)) return "Update group";
  if (operations.every((operation) => operation.op === "add")) return "Add members";
  if (operations.every((operation) => operation.op === "remove")) return "Remove members";
  return "Update members";
}
