/** The numeric parts of a 3CX version ("20.0.9.995" → [20, 0, 9, 995]), or undefined when it is not one. */
function parts(version: string): number[] | undefined {
  const match = /^\s*(\d+)\.(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(version);
  return match ? match.slice(1).map((p) => Number(p ?? 0)) : undefined;
}

/** Whether `version` is `minimum` or later; undefined when `version` cannot be read. */
export function isThreeCxVersionAtLeast(version: string, minimum: string): boolean | undefined {
  const have = parts(version);
  const need = parts(minimum)!;
  if (!have) return undefined;
  for (let i = 0; i < need.length; i += 1) {
    if (have[i]! !== need[i]!) return have[i]! > need[i]!;
  }
  return true;
}
