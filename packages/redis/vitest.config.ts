import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['./src/test/global-setup.ts'],
    // The type tests (*.test-d.ts) are checked by `pnpm typecheck` (tsc over src): checking them again
    // here ran a second tsc over node-redis' and ioredis' types, half of this suite's time under load.
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
