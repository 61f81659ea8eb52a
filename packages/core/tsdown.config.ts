import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: ['src/index.ts', 'src/token-cipher.ts'],
  format: 'esm',
  dts: true,
  platform: 'neutral',
});
