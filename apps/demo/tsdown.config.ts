import { defineConfig } from 'tsdown';

export default defineConfig([
  { entry: { main: 'src/main.ts' }, format: 'esm', platform: 'node', dts: false, fixedExtension: false },
  // The worker runs in workerd: one self-contained module with every dependency inlined.
  {
    entry: { worker: 'src/worker/worker.ts' },
    format: 'esm',
    platform: 'browser',
    fixedExtension: false,
    dts: false,
    deps: { alwaysBundle: [/.*/] },
  },
]);
