'use strict';
// Plain CommonJS on purpose: it decides whether TypeScript must compile, so it cannot itself need compiling.
/* eslint-disable @typescript-eslint/no-require-imports -- require() is how a .cjs file imports */
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const nodePath = require('node:path');

/** The folders whose .ts files tsconfig.build.json compiles. */
const SOURCE_DIRS = ['functions', 'shared', 'scripts', 'bench', 'sandbox'];
const STAMP = nodePath.join('dist', '.build-stamp');

/**
 * @typedef {{ path: string, mtimeMs: number }} SourceFile
 * @typedef {{ mtimeMs: number, files: string[] }} Stamp
 * @typedef {{ build: boolean, reason: string }} BuildDecision
 */

/**
 * Whether to compile: no stamp, a source newer than the stamp, or a different set of sources (a deleted or
 * renamed file keeps no newer mtime, and a moved file keeps its old one).
 * @param {SourceFile[]} sources
 * @param {Stamp | undefined} stamp
 * @returns {BuildDecision}
 */
function buildDecision(sources, stamp) {
  if (!stamp) return { build: true, reason: 'no build stamp' };
  const newer = sources.find((source) => source.mtimeMs > stamp.mtimeMs);
  if (newer) return { build: true, reason: `${newer.path} changed` };
  const paths = sources.map((source) => source.path).sort();
  const recorded = [...stamp.files].sort();
  if (paths.length !== recorded.length || paths.some((path, i) => path !== recorded[i]))
    return { build: true, reason: 'source files were added, removed or renamed' };
  return { build: false, reason: 'no source changed' };
}

/**
 * The build's inputs under root: the .ts files of the source folders, tsconfig*.json and package-lock.json.
 * @param {string} root
 * @returns {SourceFile[]}
 */
function sourceFiles(root) {
  /** @type {SourceFile[]} */
  const found = [];
  /** @param {string} dir */
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = nodePath.join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.ts'))
        found.push({ path: nodePath.relative(root, path), mtimeMs: statSync(path).mtimeMs });
    }
  };
  for (const dir of SOURCE_DIRS) if (existsSync(nodePath.join(root, dir))) walk(nodePath.join(root, dir));
  for (const name of readdirSync(root)) {
    if (/^tsconfig.*\.json$/.test(name) || name === 'package-lock.json')
      found.push({ path: name, mtimeMs: statSync(nodePath.join(root, name)).mtimeMs });
  }
  return found;
}

/**
 * @param {string} path
 * @returns {Stamp | undefined}
 */
function readStamp(path) {
  try {
    const parsed = /** @type {unknown} */ (JSON.parse(readFileSync(path, 'utf8')));
    const files = parsed && typeof parsed === 'object' && 'files' in parsed ? parsed.files : undefined;
    if (!Array.isArray(files) || !files.every((file) => typeof file === 'string')) return undefined;
    return { mtimeMs: statSync(path).mtimeMs, files: /** @type {string[]} */ (files) };
  } catch {
    return undefined;
  }
}

/**
 * Compiles with tsconfig.build.json when the decision says so, then stamps the build with its start time
 * (so an edit made while tsc ran still counts as newer). tsc's output goes to stderr: stdout belongs to the
 * command that runs next (`npm run sync` prints JSON there). Returns the exit code.
 * @param {string} root
 * @returns {number}
 */
function buildIfChanged(root) {
  const stampPath = nodePath.join(root, STAMP);
  const sources = sourceFiles(root);
  const decision = buildDecision(sources, readStamp(stampPath));
  if (!decision.build) {
    process.stderr.write('build is up to date\n');
    return 0;
  }
  process.stderr.write(`sources changed since the last build; building… (${decision.reason})\n`);
  const startedAt = new Date();
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const result = spawnSync(process.execPath, [tsc, '-p', nodePath.join(root, 'tsconfig.build.json')], {
    cwd: root,
    stdio: ['ignore', 2, 2],
  });
  if (result.status !== 0) {
    process.stderr.write(`the build failed (tsc exit ${result.status ?? result.signal}); fix the errors above\n`);
    return result.status ?? 1;
  }
  mkdirSync(nodePath.join(root, 'dist'), { recursive: true });
  writeFileSync(stampPath, `${JSON.stringify({ files: sources.map((source) => source.path).sort() })}\n`);
  utimesSync(stampPath, startedAt, startedAt);
  return 0;
}

if (require.main === module) process.exitCode = buildIfChanged(nodePath.resolve(__dirname, '..'));

module.exports = { buildDecision, sourceFiles, buildIfChanged };
