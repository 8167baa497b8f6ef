/** Thrown by the sandbox's mutation methods; the control API maps them to 404 / 409. */
export class SandboxNotFoundError extends Error {
  override readonly name = 'SandboxNotFoundError';
}

export class SandboxConflictError extends Error {
  override readonly name = 'SandboxConflictError';
}
