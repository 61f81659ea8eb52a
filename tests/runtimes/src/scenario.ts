/**
 * The runtime side of the matrix: what a scenario gets and gives back. Only web-standard APIs here — this
 * code is bundled and run inside workerd, edge-runtime, Deno and Bun.
 */

/** What the Node side hands a scenario: where the fake servers listen and which client to use. */
export interface ScenarioInput {
  /** Origin of the fake authorization server, e.g. `http://127.0.0.1:4123`. */
  readonly authOrigin: string;
  /** The realm the clients live in. */
  readonly realm: string;
  /** The realm's token endpoint. */
  readonly tokenUrl: string;
  /** Base URL of the fake resource server's echo route. */
  readonly apiUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** A JSON-safe report of one run. */
export type ScenarioResult =
  | { readonly ok: true; readonly details: Record<string, unknown> }
  | { readonly ok: false; readonly error: string };

export type Scenario = (input: ScenarioInput) => Promise<Record<string, unknown>>;

/** Throws when `condition` is false; the message names what went wrong. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** What the resource server's echo route answers (the fields the scenarios read). */
export interface Echo {
  readonly clientId?: string;
  readonly tokenId?: string;
  readonly method: string;
  readonly body?: unknown;
  readonly headers: Record<string, string>;
}

/** Reads an echo response, failing with its status when it is not a 200. */
export async function echo(response: Response): Promise<Echo> {
  check(response.status === 200, `resource server answered ${response.status}`);
  return (await response.json()) as Echo;
}

/** Runs `scenario`, turning a throw into `{ ok: false }` with the error's code and message. */
export async function runScenario(
  scenarios: Readonly<Record<string, Scenario>>,
  name: string,
  input: ScenarioInput,
): Promise<ScenarioResult> {
  const scenario = scenarios[name];
  if (!scenario) return { ok: false, error: `unknown scenario ${name}` };
  try {
    return { ok: true, details: await scenario(input) };
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    return {
      ok: false,
      error: `${code ? `${String(code)}: ` : ''}${String((error as Error)?.message ?? error)}`,
    };
  }
}
