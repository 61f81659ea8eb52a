import { runtimeConditions } from './bundle.js';
import { describeRuntime } from './matrix.js';
import { spawnRuntime } from './spawn-runtime.js';

describeRuntime('Bun', spawnRuntime('bun', runtimeConditions.bun, ['run']));
