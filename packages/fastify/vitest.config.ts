import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { testTimeout: 20_000, typecheck: { enabled: true, include: ['src/**/*.test-d.ts'] } },
});
