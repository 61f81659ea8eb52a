import { type ChildProcess, fork } from 'node:child_process';
import type { FleetConfig, ToParent, ToWorker } from './fleet-messages.js';

/** What one burst of concurrent `getToken()` calls in one worker saw. */
export interface Burst {
  readonly tokens: readonly string[];
  readonly failures: number;
  readonly errors: readonly string[];
}

/** One forked service instance. */
export interface FleetWorker {
  readonly index: number;
  /** Token requests this worker made since it was last configured. */
  readonly tokenRequests: number;
  /** The store errors its source reported since it was last configured. */
  readonly storeErrors: ReadonlyArray<{ operation: string; code: string }>;
  /** A fresh source, store and Redis client. */
  configure(config: FleetConfig): Promise<void>;
  /** `callers` concurrent `getToken()` calls; resolves when all have settled. */
  burst(callers: number): Promise<Burst>;
  /**
   * Resolves once every protocol run of its source has settled (a run whose callers were served may still
   * be at work), so that a count taken then includes any request it made.
   */
  idle(): Promise<void>;
  /** Resolves at this worker's next token request. */
  nextTokenRequest(): Promise<void>;
  /** SIGKILL: the process dies wherever it is, holding whatever lock it holds. */
  kill(): void;
  readonly exited: Promise<void>;
}

/** A fleet of service instances, each a source against the same auth server and Redis. */
export interface Fleet {
  readonly workers: readonly FleetWorker[];
  /** Configures every worker afresh (a new prefix per test keeps tests apart). */
  configure(config: FleetConfig): Promise<void>;
  /** The same burst in every worker at once. */
  burst(callers: number): Promise<Burst[]>;
  stop(): Promise<void>;
}

function startWorker(workerPath: string, index: number): Promise<FleetWorker> {
  const child: ChildProcess = fork(workerPath, [], {
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const bursts = new Map<number, (burst: Burst) => void>();
  const idles = new Map<number, () => void>();
  let configured: (() => void) | undefined;
  let storeErrors: Array<{ operation: string; code: string }> = [];
  let tokenRequests = 0;
  let onTokenRequest: Array<() => void> = [];
  let next = 0;
  const post = (message: ToWorker): void => {
    child.send(message);
  };
  const worker: FleetWorker = {
    index,
    get tokenRequests() {
      return tokenRequests;
    },
    get storeErrors() {
      return storeErrors;
    },
    configure: (config) =>
      new Promise((done) => {
        configured = done;
        storeErrors = [];
        tokenRequests = 0;
        post({ type: 'configure', config });
      }),
    burst: (callers) =>
      new Promise((done) => {
        const id = next++;
        bursts.set(id, done);
        post({ type: 'burst', id, callers });
      }),
    idle: () =>
      new Promise((done) => {
        const id = next++;
        idles.set(id, done);
        post({ type: 'idle', id });
      }),
    nextTokenRequest: () => new Promise((wake) => onTokenRequest.push(wake)),
    kill: () => {
      child.kill('SIGKILL');
    },
    exited,
  };
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    void exited.then(() => reject(new Error(`worker ${index} exited before it was ready`)));
    child.on('message', (message: ToParent) => {
      switch (message.type) {
        case 'ready':
          return resolve(worker);
        case 'configured':
          return configured?.();
        case 'token-request':
          tokenRequests += 1;
          for (const wake of onTokenRequest) wake();
          onTokenRequest = [];
          return;
        case 'store-error':
          storeErrors.push({ operation: message.operation, code: message.code });
          return;
        case 'idle':
          idles.get(message.id)?.();
          idles.delete(message.id);
          return;
        case 'burst':
          bursts.get(message.id)?.({
            tokens: message.tokens,
            failures: message.failures,
            errors: message.errors,
          });
          bursts.delete(message.id);
          return;
      }
    });
  });
}

/**
 * `size` forked workers, all ready. `workerPath` comes from `inject('fleetWorker')`: the global setup
 * bundles the worker from this package's sources once.
 */
export async function startFleet(workerPath: string, size: number): Promise<Fleet> {
  const workers = await Promise.all(
    Array.from({ length: size }, (_, index) => startWorker(workerPath, index)),
  );
  return {
    workers,
    configure: async (config) => {
      await Promise.all(workers.map((worker) => worker.configure(config)));
    },
    burst: (callers) => Promise.all(workers.map((worker) => worker.burst(callers))),
    stop: async () => {
      for (const worker of workers) worker.kill();
      await Promise.all(workers.map((worker) => worker.exited));
    },
  };
}
