import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');

/** Folders .funcignore leaves out of the deployment package (as source paths: dist/ mirrors them). */
const EXCLUDED = ['shared/platform/local', 'sandbox', 'scripts', 'bench', 'test'];

/** Relative module specifiers in import/export/require/import() statements, type-only imports included. */
function relativeImports(source: string): string[] {
  const specifiers: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;
  for (let match = pattern.exec(source); match; match = pattern.exec(source)) specifiers.push(match[1]!);
  return specifiers;
}

function resolveModule(fromFile: string, specifier: string): string {
  const base = resolve(dirname(fromFile), specifier);
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')])
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  throw new Error(`${relative(ROOT, fromFile)} imports ${specifier}, which does not resolve to a .ts file`);
}

/** Every file reachable from the entry points through relative imports, each with the chain that reached it. */
function importGraph(entries: string[]): Map<string, string[]> {
  const reached = new Map<string, string[]>();
  const queue = entries.map((file) => ({ file, chain: [relative(ROOT, file)] }));
  for (let next = queue.shift(); next; next = queue.shift()) {
    if (reached.has(next.file)) continue;
    reached.set(next.file, next.chain);
    for (const specifier of relativeImports(readFileSync(next.file, 'utf8'))) {
      const file = resolveModule(next.file, specifier);
      queue.push({ file, chain: [...next.chain, relative(ROOT, file)] });
    }
  }
  return reached;
}

const isExcluded = (file: string) => EXCLUDED.some((folder) => `${relative(ROOT, file)}/`.startsWith(`${folder}/`));

describe('the Functions deployment package', () => {
  const entries = readdirSync(join(ROOT, 'functions'))
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(ROOT, 'functions', name));

  it('finds the function entry points and what they import', () => {
    expect(entries.length).toBeGreaterThan(0);
    // The walk really follows imports: the entry points reach shared code.
    expect([...importGraph(entries).keys()].some((file) => relative(ROOT, file).startsWith('shared/'))).toBe(true);
  });

  it('never imports what .funcignore leaves out', () => {
    const offending = [...importGraph(entries).entries()].filter(([file]) => isExcluded(file)).map(([, chain]) => chain.join(' → '));
    expect(offending).toEqual([]);
  });

  it('.funcignore leaves out every local-only folder', () => {
    const lines = readFileSync(join(ROOT, '.funcignore'), 'utf8').split('\n');
    for (const folder of EXCLUDED) {
      // Sources are out whole (/shared/ covers shared/platform/local); their compiled output folder by folder.
      expect(lines).toContain(`/${folder.split('/')[0]}/`);
      expect(lines).toContain(`/dist/${folder}/`);
    }
  });

  it('the excluded-folder check catches an import into them', () => {
    expect(isExcluded(join(ROOT, 'shared/platform/local/startAzurite.ts'))).toBe(true);
    expect(isExcluded(join(ROOT, 'sandbox/portsip/index.ts'))).toBe(true);
    expect(isExcluded(join(ROOT, 'shared/platform/localish.ts'))).toBe(false);
    expect(
      relativeImports(
        `import { a } from '../sandbox/x';\nimport type { B } from "./b";\nexport * from './c';\nconst d = await import('./d');`,
      ),
    ).toEqual(['../sandbox/x', './b', './c', './d']);
  });
});
