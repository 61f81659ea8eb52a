import { describe, expect, it } from 'vitest';
import { sourcePerTenant } from './per-tenant.js';
import type { TokenSource } from './types.js';

const fake = (): TokenSource => ({
  getToken: () => Promise.reject(new Error('unused')),
  invalidate: () => {},
  state: { status: 'empty', failures: 0 },
});

describe('sourcePerTenant', () => {
  it('builds one source per tenant and evicts the least recently used beyond the bound', () => {
    const built: string[] = [];
    const sourceFor = sourcePerTenant(
      (tenant: string) => tenant,
      (tenant) => {
        built.push(tenant);
        return fake();
      },
      { maxTenants: 2 },
    );
    const a = sourceFor('a');
    expect(sourceFor('a')).toBe(a);
    sourceFor('b');
    sourceFor('a');
    sourceFor('c');
    expect(sourceFor('a')).toBe(a);
    sourceFor('b');
    expect(built).toEqual(['a', 'b', 'c', 'b']);
  });

  it.each([Number.NaN, 0, -1, 1.5, Number.POSITIVE_INFINITY, '10'])(
    'refuses maxTenants %j (an unset variable must not remove the bound)',
    (maxTenants) => {
      expect(() => sourcePerTenant((t: string) => t, fake, { maxTenants: maxTenants as number })).toThrow(
        expect.objectContaining({
          code: 'GRANTKIT_CONFIGURATION',
          message: expect.stringMatching(/maxTenants/),
        }),
      );
    },
  );
});
