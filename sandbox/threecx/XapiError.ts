/** One entry of an OData error's `details`. */
export interface XapiErrorDetail {
  code: string;
  message: string;
  target: string;
}

/**
 * An XAPI error answer: the OData envelope `{"error":{code, message, details?}}` that 3CX's spec declares for every
 * failure (`Pbx.ODataErrors.ODataError`). Live samples carry an empty `code` and put the warning key in `message`.
 */
export class XapiError extends Error {
  override readonly name = 'XapiError';

  constructor(
    readonly status: number,
    message: string,
    readonly details?: XapiErrorDetail[],
  ) {
    super(message);
  }

  body(): { error: { code: string; message: string; details?: XapiErrorDetail[] } } {
    return { error: { code: '', message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

/** 3CX's field warning: `"Field:\nWARNINGS.XAPI.X"` with the field as the detail's target (live sample for Number). */
export function fieldWarning(field: string, warning: string, status = 400): XapiError {
  return new XapiError(status, `${field}:\n${warning}`, [{ code: '', message: warning, target: field }]);
}

export const numberInUse = (): XapiError => fieldWarning('Number', 'WARNINGS.XAPI.ALREADY_IN_USE');

/**
 * ⚠ The body of a 404 for an unknown key is unverified; NOT_FOUND is one of the warning codes seen live, so the
 * sandbox answers with it in the usual envelope.
 */
export function notFound(what: string): XapiError {
  return new XapiError(404, `${what}:\nWARNINGS.XAPI.NOT_FOUND`, [{ code: '', message: 'WARNINGS.XAPI.NOT_FOUND', target: what }]);
}

export const badRequest = (message: string): XapiError => new XapiError(400, message);
