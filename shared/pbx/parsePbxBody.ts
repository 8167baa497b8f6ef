/** A PBX answer's body: parsed JSON, else the text as it came (an HTML error page, a plain message), else undefined. */
export function parsePbxBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
