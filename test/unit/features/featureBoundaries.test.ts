import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');
const SHARED = join(ROOT, 'shared');
const FEATURES = join(SHARED, 'features');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** The files a source file imports (relative imports only, resolved without extension). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/from '(\.[^']+)'/g)].map((m) => resolve(dirname(file), m[1]!));
}

/** The feature folder a path lies in (`users` for shared/features/users/x), or undefined. */
function featureOf(path: string): string | undefined {
  const rel = relative(FEATURES, path);
  if (rel.startsWith('..')) return undefined;
  const parts = rel.split(sep);
  return parts.length > 1 ? parts[0] : undefined;
}

const featureFolders = readdirSync(FEATURES).filter((name) => statSync(join(FEATURES, name)).isDirectory());

describe('feature boundaries', () => {
  it('has feature folders to check (else the rules below check nothing)', () => {
    expect(featureFolders).toContain('users');
  });

  it('a feature imports no other feature: features read each other through read-only engine ports', () => {
    const crossings = sourceFiles(FEATURES).flatMap((file) =>
      importsOf(file)
        .filter((target) => featureOf(file) !== undefined && featureOf(target) !== undefined && featureOf(target) !== featureOf(file))
        .map((target) => `${relative(ROOT, file)} → ${relative(ROOT, target)}`),
    );
    expect(crossings).toEqual([]);
  });

  it('outside the features, only the registry (shared/features/*.ts) reaches into a feature folder', () => {
    const outside = sourceFiles(SHARED).filter((file) => featureOf(file) === undefined && dirname(file) !== FEATURES);
    const reaching = outside.flatMap((file) =>
      importsOf(file)
        .filter((target) => featureOf(target) !== undefined)
        .map((target) => `${relative(ROOT, file)} → ${relative(ROOT, target)}`),
    );
    expect(reaching).toEqual([]);
  });

  it("only the users feature writes the users' links; the others use context.linkedUsers", () => {
    const writers = featureFolders
      .filter((name) => name !== 'users')
      .flatMap((name) => sourceFiles(join(FEATURES, name)))
      .filter((file) => /\.links\b|\bLinkStore\b/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));
    expect(writers).toEqual([]);
  });

  it("only the groups feature touches the groups' links and memberships", () => {
    const touching = featureFolders
      .filter((name) => name !== 'groups')
      .flatMap((name) => sourceFiles(join(FEATURES, name)))
      .filter((file) => /\.group(Links|Members)\b|\bGroup(Link|Membership)Store\b/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));
    expect(touching).toEqual([]);
    // The test can fail: the groups feature itself does touch them.
    const groupsFiles = sourceFiles(join(FEATURES, 'groups')).filter((file) => /\.groupLinks\b/.test(readFileSync(file, 'utf8')));
    expect(groupsFiles.length).toBeGreaterThan(0);
  });
});
