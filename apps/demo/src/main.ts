import { parseArgs } from 'node:util';
import { runEmbedded } from './embedded-run.js';
import { serveLive } from './live/serve.js';
import { Resources } from './resources.js';
import { printSpans } from './span-lines.js';
import { readTenantConfig, TenantConfigError } from './tenant-config.js';
import { runTenant } from './tenant-run.js';

const USAGE = `Usage: pnpm demo [--serve] [--port N] [--spans]

  (no flags)  start everything on loopback, drive every adapter, print a report, exit 0 when all worked
  --serve     keep the services up and serve a live page of the token lifecycle (Ctrl-C stops)
  --port N    the live page's port (default: a free one)
  --spans     print the OpenTelemetry span of every token request (@grantkit/otel) as it ends

Set VERINT_DOMAIN, VERINT_CLIENT_ID and VERINT_CLIENT_SECRET (and optionally VERINT_TOKEN_URL,
VERINT_API_BASE_URL, VERINT_API_PATH) to run the fetch and ky parts against a real Verint tenant.`;

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      serve: { type: 'boolean' },
      port: { type: 'string' },
      spans: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    log(USAGE);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    process.stderr.write(`--port must be a port number, got ${values.port}\n`);
    return 2;
  }

  const resources = new Resources();
  if (values.spans) resources.add(printSpans(log));
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      log(`\n${signal}: stopping...`);
      void resources.close().finally(() => process.exit(code));
    });
  }

  try {
    const tenant = readTenantConfig(process.env);
    if (tenant !== undefined) {
      const outcome = await runTenant(tenant, log);
      return outcome.problems.length === 0 ? 0 : report(outcome.report, outcome.problems);
    }
    if (values.serve) {
      await serveLive(resources, port, log);
      return await new Promise<number>(() => {}); // until a signal closes everything
    }
    const outcome = await runEmbedded(resources, log);
    return report(outcome.report, outcome.problems);
  } catch (error) {
    if (error instanceof TenantConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`Demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    // Reached only when the run ends or fails: serving waits for a signal, whose handler closes everything.
    await resources.close();
  }
}

function report(text: string, problems: readonly string[]): number {
  log(`\n${text}\n`);
  if (problems.length === 0) {
    log('RESULT: OK — every adapter worked.');
    return 0;
  }
  log(`RESULT: FAILED — ${problems.length} problem(s):`);
  for (const problem of problems) log(`  - ${problem}`);
  return 1;
}

process.exitCode = await main();
