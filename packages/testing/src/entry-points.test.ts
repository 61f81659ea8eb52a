import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const sourceDir = new URL('./', import.meta.url);
const runtimeAgnostic = readdirSync(sourceDir).filter(
  (file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && file !== 'node.ts',
);

describe('entry points', () => {
  it.each(runtimeAgnostic)('%s imports no Node module (the main entry must run on edge runtimes)', (file) => {
    const source = readFileSync(new URL(file, sourceDir), 'utf8');
    expect(source).not.toMatch(/from '(node:|@hono\/node-server)/);
    expect(source).not.toMatch(/\bBuffer\b|\bprocess\./);
  });

  it('the main entry does not re-export listen', async () => {
    const main = await import('./index.js');
    expect(Object.keys(main)).not.toContain('listen');
  });
});
