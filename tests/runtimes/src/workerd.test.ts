import { readFile } from 'node:fs/promises';
import { Miniflare } from 'miniflare';
import { bundle, runtimeConditions } from './bundle.js';
import { describeRuntime } from './matrix.js';
import type { ScenarioResult } from './scenario.js';

let worker: Miniflare | undefined;

describeRuntime('workerd (Miniflare)', {
  async start() {
    const script = await readFile(
      await bundle({
        entry: 'entries/worker.ts',
        conditions: runtimeConditions.workerd,
        outfile: 'worker.mjs',
      }),
      'utf8',
    );
    worker = new Miniflare({ modules: true, script, compatibilityDate: '2026-04-01' });
    await worker.ready;
  },
  async run(name, input) {
    const response = await (worker as Miniflare).dispatchFetch('http://worker/', {
      method: 'POST',
      body: JSON.stringify({ name, input }),
    });
    return (await response.json()) as ScenarioResult;
  },
  async stop() {
    await worker?.dispose();
  },
});
