import type { Context } from "./context";
import { ScimError } from "./errors";
import { entityTag } from "./payload";
import type { Precondition } from "./store";

// Entity tags (RFC 7644 §3.14): weak, from the resource's version.

/** The entity tags of an If-Match / If-None-Match header; `*` matches any. Weak and strong forms compare alike. */
function parseEntityTags(header: string): string[] | "*" {
  if (header.trim() === "*") return "*";
  return (header.match(/(?:W\/)?"[^"]*"/g) ?? []).map((tag) => tag.replace(/^W\//, ""));
}

function matchesEntityTag(header: string, version: number): boolean {
  const tags = parseEntityTags(header);
  return tags === "*" || tags.includes(entityTag(version).replace(/^W\//, ""));
}

/** If-Match on PUT/PATCH/DELETE: 412 when the resource changed since the client read it. */
export function ifMatch(context: Context, kind: string): Precondition | undefined {
  const header = context.request.ifMatch;
  if (header === undefined || header === null) return undefined;
  return (current) => {
    if (!matchesEntityTag(header, current.version)) {
      throw new ScimError(
        412,
        `The ${kind} has changed: its version is ${entityTag(current.version)}, the request expected ${header.trim()}. Read it again and retry.`,
      );
    }
  };
}

/** RFC 9110 §13.1.2: a GET whose If-None-Match names the current version answers 304. */
export function notModified(context: Context, record: { version: number }): boolean {
  const header = context.request.ifNoneMatch;
  return header !== undefined && header !== null && matchesEntityTag(header, record.version);
}

export function etagHeader(record: { version: number }): Record<string, string> {
  return { ETag: entityTag(record.version) };
}
