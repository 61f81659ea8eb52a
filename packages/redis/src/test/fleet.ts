import { type ChildProcess, fork } from 'node:child_process';
import type { FleetConfig, ToParent, ToWorker } from './fleet-messages.js';

/** What one burst of concurrent `getToken()` calls in one worker saw. */
export interface Burst {
  readonly tokens: readonly string[];
  readonly failures: number;
}

/** One forked service instance. */
export interface FleetWorker {
  readonly index: number;
  /** Token requests this worker made, in order. */
  readonly tokenRequests: number;
  readonly storeErrors: ReadonlyArray<{ operation: string; code: string }>;
  /** `callers` concurrent `getToken()` calls; resolves when all have settled. */
  burst(callers: number): Promise<Burst>;
  /** Resolves at this worker's next token request. */
  nextTokenRequest(): Promise<void>;
  /** SIGKILL: the process dies wherever it is, holding whatever lock it holds. */
  kill(): void;
  /** Resolves once the process has exited. */
  readonly exited: Promise<void>;
}

export interface Fleet {
  readonly workers: readonly FleetWorker[];
  /** The same burst in every worker at once. */
  burst(callers: number): Promise<Burst[]>;
  stop(): Promise<void>;
}

function startWorker(workerPath: string, index: number, config: FleetConfig): Promise<FleetWorker> {
  const child: ChildProcess = fork(workerPath, [JSON.stringify(config)], {
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, (burst: Burst) => void>();
  const storeErrors: Array<{ operation: string; code: string }> = [];
  let tokenRequests = 0;
  let onTokenRequest: Array<() => void> = [];
  let next = 0;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    void exited.then(() => reject(new Error(`worker ${index} exited before it was ready`)));
    child.on('message', (message: ToParent) => {
      switch (message.type) {
        case 'token-request':
          tokenRequests += 1;
          for (const wake of onTokenRequest) wake();
          onTokenRequest = [];
          return;
        case 'store-error':
          storeErrors.push({ operation: message.operation, code: message.code });
          return;
        case 'burst':
          pending.get(message.id)?.({ tokens: message.tokens, failures: message.failures });
          pending.delete(message.id);
          return;
        case 'ready':
          resolve({
            index,
            get tokenRequests() {
              return tokenRequests;
            },
            storeErrors,
            burst: (callers) =>
              new Promise((done) => {
                const id = next++;
                pending.set(id, done);
                child.send({ type: 'burst', id, callers } satisfies ToWorker);
              }),
            nextTokenRequest: () => new Promise((wake) => onTokenRequest.push(wake)),
            kill: () => {
              child.kill('SIGKILL');
            },
            exited,
          });
      }
    });
  });
}

/**
 * `size` forked workers, each a source against the same auth server and Redis, all ready. `workerPath`
 * comes from `inject('fleetWorker')` (built once by the global setup).
 */
export async function startFleet(workerPath: string, size: number, config: FleetConfig): Promise<Fleet> {
  const workers = await Promise.all(
    Array.from({ length: size }, (_, index) => startWorker(workerPath, index, config)),
  );
  return {
    workers,
    burst: (callers) => Promise.all(workers.map((worker) => worker.burst(callers))),
    stop: async () => {
      for (const worker of workers) worker.kill();
      await Promise.all(workers.map((worker) => worker.exited));
    },
  };
}
