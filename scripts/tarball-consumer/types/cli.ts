// Type-level use of @grantkit/cli (compiled by test:tarballs): run() resolves one of the documented exit codes.
import { EXIT_CODES, type ExitCode, run } from '@grantkit/cli';

export async function check(): Promise<boolean> {
  const code: ExitCode = await run(['verint', '--domain', 'acme', '--client-id', 'svc', '--json']);
  return code === EXIT_CODES.ok;
}
