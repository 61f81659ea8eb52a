import { coreScenarios } from './core-scenarios.js';
import { fetchScenarios } from './fetch-scenarios.js';
import { honoScenarios } from './hono-scenarios.js';
import { kyScenarios } from './ky-scenarios.js';
import { runScenario, type Scenario, type ScenarioInput, type ScenarioResult } from './scenario.js';

/** Every scenario of the matrix, by name. */
export const scenarios: Readonly<Record<string, Scenario>> = {
  ...coreScenarios,
  ...fetchScenarios,
  ...honoScenarios,
  ...kyScenarios,
};

/** Runs one scenario by name; what every runtime entry calls. */
export const run = (name: string, input: ScenarioInput): Promise<ScenarioResult> =>
  runScenario(scenarios, name, input);
