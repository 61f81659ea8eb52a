import { median } from './stats.js';

/** One contender in a micro-benchmark. */
export interface Contender {
  readonly name: string;
  run(): Promise<unknown>;
}

export interface HarnessOptions {
  /** Calls per contender per round. */
  readonly iterations: number;
  /** Interleaved rounds; the result is the median over rounds. */
  readonly rounds: number;
  /** Calls per contender before the first round. */
  readonly warmup: number;
}

async function batch(contender: Contender, iterations: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await contender.run();
  return Number(process.hrtime.bigint() - start) / iterations;
}

/**
 * Nanoseconds per call, median over rounds. Each round runs every contender once, in a rotated order, so
 * drift in machine load falls on all of them alike.
 */
export async function compare(
  contenders: readonly Contender[],
  options: HarnessOptions,
  /** When given, receives every round's value per contender. */
  rounds?: Map<string, number[]>,
): Promise<Map<string, number>> {
  for (const contender of contenders) await batch(contender, options.warmup);
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const contender = contenders[(round + k) % contenders.length] as Contender;
      samples.get(contender.name)?.push(await batch(contender, options.iterations));
    }
  }
  for (const [name, values] of samples) rounds?.set(name, values);
  return new Map([...samples].map(([name, values]) => [name, median(values)]));
}
