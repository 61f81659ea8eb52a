import { runtimeConditions } from './bundle.js';
import { describeRuntime } from './matrix.js';
import { spawnRuntime } from './spawn-runtime.js';

describeRuntime('Deno', spawnRuntime('deno', runtimeConditions.deno, ['run', '--allow-net', '--no-prompt']));
