/** A PortSIP error answer: `{"errors":[{code, message, detail?}]}` with its HTTP status. */
export class PbxError extends Error {
  override readonly name = 'PbxError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
  }

  body(): { errors: Array<{ code: string; message: string; detail?: unknown }> } {
    return { errors: [{ code: this.code, message: this.message, ...(this.detail === undefined ? {} : { detail: this.detail }) }] };
  }
}

/** 400 VALIDATE_FAILED naming the field, the only validation code PortSIP documents. */
export function validationFailed(field: string, message: string): PbxError {
  return new PbxError(400, 'VALIDATE_FAILED', `${field}: ${message}`, { field });
}

export function notFound(message: string): PbxError {
  return new PbxError(404, 'NOT_FOUND', message);
}
