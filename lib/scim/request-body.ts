import { ScimError } from "./errors";
import { getProperty } from "./filter";
import { isObject, type Json } from "./json";
import { checkJsonStrings } from "./validate-string";

/**
 * What the route hands over when the body was not valid JSON: answered with 400 `invalidSyntax` and `detail` as given.
 */
export class InvalidJsonBody {
  constructor(readonly detail: string) {}
}

/** The request's JSON object body, or the RFC 7644 §3.12 `invalidSyntax` error that says what is wrong with it. */
export function requireBody(body: unknown, what: string): Json {
  if (body instanceof InvalidJsonBody) throw ScimError.badRequest("invalidSyntax", body.detail);
  if (body === undefined) throw ScimError.badRequest("invalidSyntax", `The request needs a JSON ${what} body`);
  if (!isObject(body)) throw ScimError.badRequest("invalidSyntax", `The ${what} body must be a JSON object`);
  checkJsonStrings(body);
  return body;
}

/** RFC 7643 §3.1: `id` is assigned by the service provider; a PUT naming another id is a mutability error. */
export function checkBodyId(body: Json, id: string): void {
  const bodyId = getProperty(body, "id");
  if (bodyId !== undefined && bodyId !== null && bodyId !== id) {
    throw ScimError.badRequest(
      "mutability",
      `'id' is readOnly: the body says ${JSON.stringify(bodyId)} but the URL names ${JSON.stringify(id)}`,
    );
  }
}
