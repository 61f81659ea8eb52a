import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import type { Block } from './blocks.js';

/** Where the blocks are written as modules: inside this package, so they resolve its dependencies. */
export const GENERATED = join(import.meta.dirname, '..', '.generated');

/** A newcomer's settings: `tsc --strict`, ESM, a bundler or Node ≥ 20 resolving the packages' exports. */
export const NEWCOMER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  moduleDetection: ts.ModuleDetectionKind.Force,
  lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  types: ['node'],
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
};

/** A compile error, at its place in the README. */
export interface BlockError {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

function moduleName(block: Block, index: number): string {
  return `${block.file.replace(/[^a-zA-Z0-9]+/g, '_')}_L${block.line}_${index}.ts`;
}

/** Writes each block as a module of its own under `folder` and returns their paths, in order. */
export function writeBlocks(blocks: readonly Block[], folder = GENERATED): string[] {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  return blocks.map((block, index) => {
    const path = join(folder, moduleName(block, index));
    writeFileSync(path, `${block.code}\nexport {};\n`);
    return path;
  });
}

/**
 * What a README tells its reader to generate beside their code: `./coaching-api.js`, the types
 * `openapi-typescript` makes from an OpenAPI document (`@grantkit/openapi-fetch`'s example).
 */
function writeGenerated(folder: string): void {
  const document = join(import.meta.dirname, '..', 'fixtures', 'coaching-api.openapi.json');
  const bin = join(import.meta.dirname, '..', 'node_modules', '.bin', 'openapi-typescript');
  execFileSync(bin, [document, '-o', join(folder, 'coaching-api.ts'), '--silent']);
}

/** Typechecks every block, each as its own module, and reports errors at README lines. */
export function typecheckBlocks(blocks: readonly Block[], folder = GENERATED): BlockError[] {
  const paths = writeBlocks(blocks, folder);
  writeGenerated(folder);
  const program = ts.createProgram(paths, NEWCOMER_OPTIONS);
  const byPath = new Map(paths.map((path, index) => [path, blocks[index] as Block]));
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    const block = diagnostic.file && byPath.get(diagnostic.file.fileName);
    if (!block || diagnostic.start === undefined || !diagnostic.file) {
      return { file: diagnostic.file?.fileName ?? '(options)', line: 0, message };
    }
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return { file: block.file, line: block.line + line, message };
  });
}

/** Compiles one block to JavaScript that Node runs as an ES module. */
export function toJavaScript(code: string): string {
  return ts.transpileModule(code, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
}
