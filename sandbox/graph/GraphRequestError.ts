/** A Graph request the sandbox refuses, with the status and Graph error code it answers. */
export class GraphRequestError extends Error {
  override readonly name = 'GraphRequestError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
