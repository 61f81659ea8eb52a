import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allBlocks, extractBlocks } from './blocks.js';
import { GENERATED, typecheckBlocks } from './compile.js';

describe('README examples', () => {
  it('every ```ts block of every README compiles under tsc --strict against the built packages', () => {
    const blocks = allBlocks();
    expect(blocks.length).toBeGreaterThan(15);
    const errors = typecheckBlocks(blocks);
    const report = errors.map((error) => `${error.file}:${error.line}: ${error.message}`).join('\n');
    expect(report).toBe('');
  });

  it('a block that stops compiling is reported at its README line', () => {
    const readme = [
      '# pkg',
      '',
      '```ts',
      "import { clientCredentials } from '@grantkit/core';",
      '',
      'const source = clientCredentials({ tokenUrl: 42 });',
      '```',
      '',
      '```ts fragment',
      'this is not checked',
      '```',
    ].join('\n');
    const blocks = extractBlocks(readme, 'packages/pkg/README.md');
    expect(blocks).toHaveLength(1);
    const errors = typecheckBlocks(blocks, join(GENERATED, '..', '.generated-broken'));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((error) => error.file === 'packages/pkg/README.md' && error.line === 6)).toBe(true);
  });

  it('reads the run marker and the request a server example is asked', () => {
    const readme = '```ts run GET /sessions\nconsole.log(1);\n```\n```ts run\nx;\n```\n```sh\nls\n```';
    expect(extractBlocks(readme, 'R.md')).toEqual([
      {
        file: 'R.md',
        line: 2,
        code: 'console.log(1);',
        run: { request: { method: 'GET', path: '/sessions' } },
      },
      { file: 'R.md', line: 5, code: 'x;', run: {} },
    ]);
  });

  it('refuses a fence it does not know, so a typo cannot silently skip a block', () => {
    expect(() => extractBlocks('```ts fragmnet\nx\n```', 'R.md')).toThrow(/unknown fence/);
  });
});
