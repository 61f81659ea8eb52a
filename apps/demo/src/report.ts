import type { AdapterTally, IsolateTally, Transition } from './tally.js';

/** One adapter's line in the report. */
export interface AdapterResult {
  readonly name: string;
  readonly via: string;
  readonly tally: AdapterTally;
  /** Token requests the authorization server saw from this adapter's client. */
  readonly tokenRequests: number;
  /** `401`s the API answered this adapter, each followed by one replay with a new token. */
  readonly replays: number;
  /** The isolates the adapter's calls were spread across (the worker's), sharing one Durable Object store. */
  readonly isolates?: readonly IsolateTally[];
}

/** What must hold for an adapter to count as working in the embedded run. */
export function problemsOf(result: AdapterResult): string[] {
  const { tally, tokenRequests, replays, isolates = [] } = result;
  const problems = [...new Set(tally.errors)].map((error) => `token source reported ${error}`);
  for (const call of tally.failed) problems.push(`GET ${call.path} failed: ${call.problem ?? ''}`);
  if (tally.calls.length === 0) problems.push('made no calls');
  if (replays < 1) problems.push('the revoked token was never answered 401 and replayed');
  const cold = tally.coldStartTokenRequests;
  if (cold !== undefined && cold !== 1) {
    problems.push(
      isolates.length > 1
        ? `${cold} token requests for the cold start across ${isolates.length} isolates: they did not share one token through the Durable Object`
        : `${cold} token requests for the cold call and four concurrent calls, expected 1`,
    );
  }
  // The first isolate made the cold start; every other one must have found its token in the Durable Object.
  for (const isolate of isolates.slice(1)) {
    if (isolate.fromStore === 0) problems.push(`${isolate.name} never took a token from the Durable Object`);
  }
  if (tokenRequests < 3) problems.push(`expected at least 3 token requests, saw ${tokenRequests}`);
  if (tokenRequests > tally.calls.length / 2) {
    problems.push(
      `${tokenRequests} token requests for ${tally.calls.length} calls: the cache is not caching`,
    );
  }
  return problems;
}

const pad = (value: string | number, width: number): string => String(value).padEnd(width);
const padLeft = (value: string | number, width: number): string => String(value).padStart(width);
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)}s`;

/** `empty → acquiring (0.01s) → valid (0.04s) → …`, wrapped to `width`. */
export function transitionChain(transitions: readonly Transition[], indent: string, width = 100): string {
  const first = transitions[0];
  if (first === undefined) return `${indent}(none recorded)`;
  const steps = [first.from, ...transitions.map((t) => `${t.to} ${seconds(t.at)}`)];
  const lines: string[] = [];
  let line = indent;
  for (const [index, step] of steps.entries()) {
    const piece = index === 0 ? step : ` → ${step}`;
    if (line.length + piece.length > width && line.trim() !== '') {
      lines.push(line);
      line = `${indent}  `;
    }
    line += piece;
  }
  lines.push(line);
  return lines.join('\n');
}

const tokens = (count: number): string => `${count} token${count === 1 ? '' : 's'}`;

/** `text` as lines of at most `width` characters, each starting with `indent`. */
function wrap(text: string, indent: string, width = 108): string[] {
  const lines: string[] = [];
  let line = indent;
  for (const word of text.split(' ')) {
    if (line.length + word.length + 1 > width && line.trim() !== '') {
      lines.push(line);
      line = indent;
    }
    line += line === indent ? word : ` ${word}`;
  }
  lines.push(line);
  return lines;
}

/** In words: how the isolates of `result` shared (or failed to share) one token through the Durable Object. */
export function isolatesParagraph(result: AdapterResult): string[] {
  const { isolates = [], tally } = result;
  if (isolates.length < 2) return [];
  const cold = tally.coldStartTokenRequests ?? 0;
  const verdict =
    cold === 1
      ? 'one token request for both isolates: the two isolates shared one token through the Durable Object.'
      : `${cold} token requests: the isolates did not share one token through the Durable Object.`;
  const each = isolates.map(
    (isolate) =>
      `${isolate.name} requested ${tokens(isolate.requested)} and took ${tokens(isolate.fromStore)} from the Durable Object`,
  );
  return wrap(
    `${result.name}: two isolates, ${isolates.map((isolate) => isolate.name).join(' and ')}, share one GRANTKIT_TOKENS Durable Object namespace. The cold call and four concurrent calls, spread across both isolates, made ${verdict} Over the run, ${each.join('; ')}.`,
    '  ',
  );
}

/** The state transitions of `result`'s token cache, or of each of its isolates' caches. */
function chainsOf(result: AdapterResult): string[] {
  if (result.isolates === undefined)
    return [`  ${result.name}\n${transitionChain(result.tally.transitions, '    ')}`];
  return result.isolates.map(
    (isolate) => `  ${result.name} (${isolate.name})\n${transitionChain(isolate.transitions, '    ')}`,
  );
}

/** The printed report: a table per adapter, then each token cache's state transitions. */
export function formatReport(title: string, results: readonly AdapterResult[]): string {
  const viaWidth = Math.max(...results.map((r) => r.via.length), 3) + 2;
  const nameWidth = Math.max(...results.map((r) => r.name.length), 7) + 2;
  const header = `  ${pad('adapter', nameWidth)}${pad('via', viaWidth)}${padLeft('calls', 6)}${padLeft('ok', 5)}${padLeft('token requests', 16)}${padLeft('401 replays', 13)}`;
  const rows = results.map((r) => {
    const ok = r.tally.calls.length - r.tally.failed.length;
    return `  ${pad(r.name, nameWidth)}${pad(r.via, viaWidth)}${padLeft(r.tally.calls.length, 6)}${padLeft(ok, 5)}${padLeft(r.tokenRequests, 16)}${padLeft(r.replays, 13)}`;
  });
  const isolates = results.flatMap(isolatesParagraph);
  return [
    title,
    '',
    header,
    `  ${'-'.repeat(header.length - 2)}`,
    ...rows,
    '',
    '  token requests: as the authorization server counted them — the cold start, one after the revocation, the',
    '  background refreshes ahead of each 3 s expiry while calls go on, one after the idle lapse. 401 replays: the',
    '  API said 401 (the revoked token), the adapter got a new token and sent the request once more.',
    '',
    ...(isolates.length > 0 ? [...isolates, ''] : []),
    'Token cache state transitions (seconds since start):',
    ...results.flatMap(chainsOf),
  ].join('\n');
}
