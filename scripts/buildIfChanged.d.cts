// Types for the tests: buildIfChanged.cjs is plain JavaScript, outside the TypeScript build.
export interface SourceFile {
  path: string;
  mtimeMs: number;
}

export interface Stamp {
  mtimeMs: number;
  files: string[];
}

export interface BuildDecision {
  build: boolean;
  reason: string;
}

export function buildDecision(sources: SourceFile[], stamp: Stamp | undefined): BuildDecision;
export function sourceFiles(root: string): SourceFile[];
export function buildIfChanged(root: string): number;
