import { describe, expect, it } from 'vitest';

// That the main entry's modules use no Node API is Biome's rule (biome.json, the runtime-agnostic override).
describe('entry points', () => {
  it('the main entry does not re-export listen', async () => {
    const main = await import('./index.js');
    expect(Object.keys(main)).not.toContain('listen');
  });
});
