import { defineConfig } from 'vitest/config';

// The type tests (*.test-d.ts) are checked by `pnpm typecheck` (tsc over src), not a second time here.
export default defineConfig({ test: { testTimeout: 30_000, hookTimeout: 60_000 } });
