/**
 * Which operation of an entity-group transaction the service refused: its error message starts with the
 * operation's index ("1:The specified entity already exists."). Undefined when the failure names none.
 */
export function failedOperationIndex(err: unknown, operations: number): number | undefined {
  const message = err instanceof Error ? err.message : undefined;
  const match = message === undefined ? null : /^(\d+):/.exec(message);
  if (!match) return undefined;
  const index = Number(match[1]);
  return index < operations ? index : undefined;
}
