import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The same suite runs twice: against ky 1 (`ky`) and ky 2 (`ky2`, aliased to `ky` for src and tests). */
const project = (name: 'ky1' | 'ky2') => ({
  extends: true as const,
  test: {
    name,
    env: { KY_MAJOR: name.slice(2) },
    typecheck: {
      enabled: true,
      include: ['src/**/*.test-d.ts'],
      tsconfig: name === 'ky1' ? './tsconfig.json' : './tsconfig.ky2.json',
    },
    ...(name === 'ky2'
      ? {
          alias: [
            {
              find: /^ky$/,
              replacement: fileURLToPath(new URL('node_modules/ky2/distribution/index.js', import.meta.url)),
            },
          ],
        }
      : {}),
  },
});

export default defineConfig({ test: { testTimeout: 20_000, projects: [project('ky1'), project('ky2')] } });
