import { badRequest } from './XapiError';

/** A parsed `$filter`, evaluated against an entity's full (unprojected) view. */
export type RowPredicate = (row: Record<string, unknown>) => boolean;

type Token = { kind: 'name' | 'string' | 'number' | 'punct'; text: string };

/*
 * 3CX answers the whole OData filter language; the sandbox parses only the subset the connector and the known
 * clients use (`Prop eq literal`, `tolower(Prop) eq 'x'`, `contains(Prop,'x')`, `and`, `or`, parentheses) and
 * refuses anything else with a 400 naming the piece, so an adapter that strays from that subset fails in tests
 * rather than in production with a filter nobody has seen work.
 */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i += 1;
    } else if (ch === "'") {
      let value = '';
      i += 1;
      for (;;) {
        if (i >= text.length) throw badRequest(`$filter: unterminated string literal in '${text}'`);
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += text[i];
        i += 1;
      }
      tokens.push({ kind: 'string', text: value });
    } else if ('(),'.includes(ch)) {
      tokens.push({ kind: 'punct', text: ch });
      i += 1;
    } else {
      const word = /^[A-Za-z0-9_.+-]+/.exec(text.slice(i))?.[0];
      if (!word) throw badRequest(`$filter: the sandbox does not support '${text.slice(i)}'`);
      tokens.push({ kind: /^-?\d+(\.\d+)?$/.test(word) ? 'number' : 'name', text: word });
      i += word.length;
    }
  }
  return tokens;
}

class FilterParser {
  private at = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly properties: ReadonlySet<string>,
  ) {}

  parse(): RowPredicate {
    const predicate = this.orExpression();
    const rest = this.tokens[this.at];
    if (rest) throw badRequest(`$filter: the sandbox does not support '${rest.text}' here`);
    return predicate;
  }

  private orExpression(): RowPredicate {
    let left = this.andExpression();
    while (this.peekWord('or')) {
      this.at += 1;
      const l = left;
      const r = this.andExpression();
      left = (row) => l(row) || r(row);
    }
    return left;
  }

  private andExpression(): RowPredicate {
    let left = this.factor();
    while (this.peekWord('and')) {
      this.at += 1;
      const l = left;
      const r = this.factor();
      left = (row) => l(row) && r(row);
    }
    return left;
  }

  private factor(): RowPredicate {
    const token = this.next();
    if (token.kind === 'punct' && token.text === '(') {
      const inner = this.orExpression();
      this.expect(')');
      return inner;
    }
    if (token.kind === 'name' && token.text === 'contains') {
      this.expect('(');
      const operand = this.operand();
      this.expect(',');
      const needle = this.next();
      if (needle.kind !== 'string') throw badRequest(`$filter: contains() needs a string literal, not '${needle.text}'`);
      this.expect(')');
      return (row) => {
        const value = operand(row);
        return typeof value === 'string' && value.includes(needle.text);
      };
    }
    this.at -= 1;
    const operand = this.operand();
    const op = this.next();
    if (op.kind !== 'name' || op.text !== 'eq')
      throw badRequest(`$filter: the sandbox does not support the operator '${op.text}' (only eq)`);
    const literal = this.literal();
    // ⚠ eq on text is case-sensitive here (3CX runs on PostgreSQL); clients use tolower() to match e-mails.
    return (row) => (operand(row) ?? null) === literal;
  }

  private operand(): (row: Record<string, unknown>) => unknown {
    const token = this.next();
    if (token.kind === 'name' && token.text === 'tolower') {
      this.expect('(');
      const inner = this.property();
      this.expect(')');
      return (row) => {
        const value = row[inner];
        return typeof value === 'string' ? value.toLowerCase() : value;
      };
    }
    this.at -= 1;
    const name = this.property();
    return (row) => row[name];
  }

  private property(): string {
    const token = this.next();
    if (token.kind !== 'name') throw badRequest(`$filter: expected a property, found '${token.text}'`);
    if (!this.properties.has(token.text)) {
      const kind = this.tokens[this.at]?.text === '(' ? 'function' : 'property';
      throw badRequest(`$filter: the sandbox does not support the ${kind} '${token.text}'`);
    }
    return token.text;
  }

  private literal(): unknown {
    const token = this.next();
    if (token.kind === 'string') return token.text;
    if (token.kind === 'number') return Number(token.text);
    if (token.kind === 'name' && token.text === 'true') return true;
    if (token.kind === 'name' && token.text === 'false') return false;
    if (token.kind === 'name' && token.text === 'null') return null;
    throw badRequest(`$filter: the sandbox does not support the literal '${token.text}'`);
  }

  private next(): Token {
    const token = this.tokens[this.at];
    if (!token) throw badRequest('$filter: the expression ends too early');
    this.at += 1;
    return token;
  }

  private expect(text: string): void {
    const token = this.next();
    if (token.text !== text || token.kind !== 'punct') throw badRequest(`$filter: expected '${text}', found '${token.text}'`);
  }

  private peekWord(word: string): boolean {
    const token = this.tokens[this.at];
    return token?.kind === 'name' && token.text === word;
  }
}

/** Parses `$filter` for an entity set whose filterable properties are `properties`; 400 for anything outside the subset. */
export function parseFilter(text: string, properties: ReadonlySet<string>): RowPredicate {
  return new FilterParser(tokenize(text), properties).parse();
}
