/** The matrix inside workerd: `POST /` with `{ name, input }` runs one scenario and answers its result. */

import type { ScenarioInput } from '../scenario.js';
import { run } from '../scenarios.js';

export default {
  async fetch(request: Request): Promise<Response> {
    const { name, input } = (await request.json()) as { name: string; input: ScenarioInput };
    return Response.json(await run(name, input));
  },
};
