import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildDecision, sourceFiles } from '../../scripts/buildIfChanged.cjs';

const T = 1_700_000_000_000;
const source = (path: string, mtimeMs: number) => ({ path, mtimeMs });

describe('buildDecision', () => {
  const sources = [source('shared/a.ts', T - 5000), source('functions/b.ts', T - 1000), source('package-lock.json', T - 9000)];
  const files = sources.map((s) => s.path);

  it('builds when there is no stamp', () => {
    expect(buildDecision(sources, undefined)).toEqual({ build: true, reason: 'no build stamp' });
  });

  it('is up to date when nothing changed after the stamp', () => {
    expect(buildDecision(sources, { mtimeMs: T, files })).toEqual({ build: false, reason: 'no source changed' });
  });

  it('builds when a source is newer than the stamp, naming it', () => {
    expect(buildDecision([...sources, source('tsconfig.json', T + 1)], { mtimeMs: T, files: [...files, 'tsconfig.json'] })).toEqual({
      build: true,
      reason: 'tsconfig.json changed',
    });
  });

  it('builds when a source was removed or renamed, though nothing is newer', () => {
    expect(buildDecision(sources.slice(1), { mtimeMs: T, files }).build).toBe(true);
    const renamed = [source('shared/renamed.ts', T - 5000), ...sources.slice(1)];
    expect(buildDecision(renamed, { mtimeMs: T, files })).toEqual({ build: true, reason: 'source files were added, removed or renamed' });
  });

  it('does not care about order', () => {
    expect(buildDecision([...sources].reverse(), { mtimeMs: T, files }).build).toBe(false);
  });
});

describe('sourceFiles', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('lists the .ts files of the source folders, tsconfig*.json and package-lock.json with their mtimes', () => {
    root = mkdtempSync(join(tmpdir(), 'build-if-changed-'));
    const write = (path: string) => {
      mkdirSync(join(root!, path, '..'), { recursive: true });
      writeFileSync(join(root!, path), '');
    };
    for (const path of ['shared/deep/x.ts', 'scripts/y.ts', 'sandbox/z.ts', 'tsconfig.build.json', 'package-lock.json']) write(path);
    for (const path of ['shared/notes.md', 'test/t.test.ts', 'dist/shared/x.js', 'docs/d.ts', 'package.json']) write(path);
    utimesSync(join(root, 'scripts/y.ts'), new Date(T), new Date(T));
    const found = sourceFiles(root);
    expect(found.map((f) => f.path).sort()).toEqual([
      'package-lock.json',
      join('sandbox', 'z.ts'),
      join('scripts', 'y.ts'),
      join('shared', 'deep', 'x.ts'),
      'tsconfig.build.json',
    ]);
    expect(found.find((f) => f.path === join('scripts', 'y.ts'))?.mtimeMs).toBe(T);
  });
});
