/** The matrix as a script (edge-runtime's VM evaluates scripts, not modules): a global run function. */

import type { ScenarioInput } from '../scenario.js';
import { run } from '../scenarios.js';

(globalThis as { grantkitRun?: unknown }).grantkitRun = async (name: string, input: ScenarioInput) =>
  JSON.stringify(await run(name, input));
