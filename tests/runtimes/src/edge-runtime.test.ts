import { readFile } from 'node:fs/promises';
import { EdgeVM } from '@edge-runtime/vm';
import { bundle, runtimeConditions } from './bundle.js';
import { describeRuntime } from './matrix.js';
import type { ScenarioResult } from './scenario.js';

let vm: EdgeVM | undefined;

describeRuntime('edge-runtime (Vercel Edge)', {
  async start() {
    const script = await readFile(
      await bundle({
        entry: 'entries/global.ts',
        conditions: runtimeConditions['edge-light'],
        format: 'iife',
        outfile: 'edge-runtime.js',
      }),
      'utf8',
    );
    vm = new EdgeVM();
    vm.evaluate(script);
  },
  async run(name, input) {
    const run = (vm as EdgeVM).evaluate<(n: string, i: string) => Promise<string>>(
      '(name, input) => globalThis.grantkitRun(name, JSON.parse(input))',
    );
    return JSON.parse(await run(name, JSON.stringify(input))) as ScenarioResult;
  },
  async stop() {
    vm = undefined;
  },
});
