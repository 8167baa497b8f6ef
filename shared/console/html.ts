/**
 * The console's one escaping function and the template tag built on it. Every value that reaches a page
 * (tenant names, run messages, search text, anything from storage, Graph or the PBX) goes through `escapeHtml`:
 * `html` escapes each interpolated value unless it is markup `html` made itself, so forgetting to escape takes
 * an explicit `trustedHtml` call.
 */

/** Markup built by `html` (its values already escaped); only this passes through `html` unescaped. */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Text safe inside an element or a quoted attribute value: & < > " ' ` become entities; null and undefined become empty. */
export function escapeHtml(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value).replace(/[&<>"'`]/g, (c) => ENTITIES[c]!);
}

type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const isList = (value: HtmlValue): value is readonly HtmlValue[] => Array.isArray(value);

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.text;
  if (isList(value)) return value.map(render).join('');
  // false/null/undefined render nothing, so `${cond && html`…`}` works.
  if (value === false) return '';
  return escapeHtml(value);
}

/** Template tag: the literal parts are markup, every interpolated value is escaped (arrays are joined). */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, k) => (out += render(value) + strings[k + 1]!));
  return new SafeHtml(out);
}

/** Markup written in this code base (the stylesheet, a script): never pass outside text here. */
export function trustedHtml(text: string): SafeHtml {
  return new SafeHtml(text);
}
