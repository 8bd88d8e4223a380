/** RFC 7644 §3.12: the only schema URN an error response carries. */
export const SCIM_ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

/** RFC 7644 §3.12 Table 9, the `scimType` values defined for 400 responses (plus 409 `uniqueness`). */
export type ScimErrorType =
  | "invalidFilter"
  | "tooMany"
  | "uniqueness"
  | "mutability"
  | "invalidSyntax"
  | "invalidPath"
  | "noTarget"
  | "invalidValue"
  | "invalidVers"
  | "sensitive";

export type ScimErrorBody = {
  schemas: [typeof SCIM_ERROR_SCHEMA];
  status: string;
  scimType?: ScimErrorType;
  detail: string;
};

/**
 * A SCIM protocol error: the HTTP status, the optional RFC 7644 `scimType` and a `detail` the
 * IdP admin can act on (Entra shows `detail` in its provisioning logs).
 */
export class ScimError extends Error {
  readonly status: number;
  readonly scimType: ScimErrorType | undefined;
  readonly detail: string;

  constructor(status: number, detail: string, scimType?: ScimErrorType) {
    super(detail);
    this.name = "ScimError";
    this.status = status;
    this.detail = detail;
    this.scimType = scimType;
  }

  static badRequest(scimType: ScimErrorType, detail: string): ScimError {
    return new ScimError(400, detail, scimType);
  }

  static notFound(detail: string): ScimError {
    return new ScimError(404, detail);
  }

  static conflict(detail: string): ScimError {
    return new ScimError(409, detail, "uniqueness");
  }
}

export function isScimError(error: unknown): error is ScimError {
  return error instanceof ScimError;
}

/** RFC 7644 §3.12: `status` is a string, not a number; `scimType` only when there is one. */
export function toScimErrorBody(error: ScimError): ScimErrorBody {
  const body: ScimErrorBody = { schemas: [SCIM_ERROR_SCHEMA], status: String(error.status), detail: error.detail };
  if (error.scimType !== undefined) body.scimType = error.scimType;
  return body;
}
