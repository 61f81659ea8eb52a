import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The repository root. */
export const ROOT = join(import.meta.dirname, '..', '..', '..');

/**
 * One ` ```ts ` block of a README. The fence's info string says how it is checked:
 * - ` ```ts ` — compiled under `tsc --strict` against the built packages;
 * - ` ```ts run ` — compiled, and also run against the fake servers (`ts run GET /path` for a server
 *   example: it is started, asked for that path, and must answer 2xx);
 * - ` ```ts fragment ` — not checked (keep these rare).
 */
export interface Block {
  /** The README, relative to the repository root. */
  readonly file: string;
  /** The line of the block's first code line in the README (1-based). */
  readonly line: number;
  readonly code: string;
  readonly run?: { readonly request?: { readonly method: string; readonly path: string } };
}

const FENCE = /^```(\S*)(.*)$/;

/** The checked blocks of one README's text. */
export function extractBlocks(markdown: string, file: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const open = FENCE.exec(lines[index] ?? '');
    if (!open) continue;
    const end = lines.findIndex((text, at) => at > index && text.startsWith('```'));
    if (end === -1) throw new Error(`${file}:${index + 1}: unclosed code fence`);
    const [, language = '', rest = ''] = open;
    const words = rest.trim().split(/\s+/).filter(Boolean);
    if ((language === 'ts' || language === 'typescript') && words[0] !== 'fragment') {
      if (words.length > 0 && words[0] !== 'run') {
        throw new Error(`${file}:${index + 1}: unknown fence '${lines[index]}' (ts, ts run, ts fragment)`);
      }
      const code = lines.slice(index + 1, end).join('\n');
      const [method, path] = words.slice(1);
      const run = words[0] === 'run' ? (method && path ? { request: { method, path } } : {}) : undefined;
      blocks.push({ file, line: index + 2, code, ...(run ? { run } : {}) });
    }
    index = end;
  }
  return blocks;
}

/** The project's READMEs: the root one, each package's and app's, and the docs folder. */
export function readmeFiles(): string[] {
  const inFolder = (folder: string) =>
    readdirSync(join(ROOT, folder), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(ROOT, folder, entry.name, 'README.md'));
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(ROOT, 'docs', name));
  const candidates = [join(ROOT, 'README.md'), ...inFolder('packages'), ...inFolder('apps'), ...docs];
  return candidates.filter((path) => {
    try {
      readFileSync(path);
      return true;
    } catch {
      return false;
    }
  });
}

/** Every checked block of every README. */
export function allBlocks(): Block[] {
  return readmeFiles().flatMap((path) => extractBlocks(readFileSync(path, 'utf8'), relative(ROOT, path)));
}
