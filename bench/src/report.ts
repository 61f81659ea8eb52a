import type { Machine } from './machine.js';
import type { Config, PartResult, Row } from './result.js';

function number(value: number, unit: string): string {
  if (!Number.isFinite(value)) return 'n/a';
  const digits = Math.abs(value) >= 100 || Number.isInteger(value) ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${unit}`;
}

function cell(row: Row): string {
  const ratio = row.ratio === undefined ? '' : `${row.ratio.toFixed(row.ratio >= 10 ? 0 : 3)}×`;
  const verdict = row.pass === undefined ? '' : row.pass ? '**pass**' : '**miss**';
  return `| ${row.measurement} | ${row.subject} | ${number(row.value, row.unit)} | ${ratio} | ${row.target ?? ''} | ${verdict} | ${row.note ?? ''} |`;
}

/** The results as a markdown document. */
export function markdown(
  results: readonly PartResult[],
  on: Machine,
  config: Config,
  seconds: number,
  loadAfter: number,
): string {
  const lines = [
    `# Grantkit benchmark results${config.quick ? ' (quick mode — smoke test, not for comparison)' : ''}`,
    '',
    `- Machine: ${on.cpu}, ${on.cores} cores, ${on.memoryGiB} GiB, ${on.platform}`,
    `- Node: ${on.node}`,
    `- Load average (1 min) at start / end: ${on.load.toFixed(1)} / ${loadAfter.toFixed(1)} on ${on.cores} cores${on.load > on.cores ? ' — the machine was busy with other work: loopback parts (2–4) carry extra noise' : ''}`,
    `- Date: ${on.date}`,
    `- Run: \`pnpm bench${config.quick ? ':quick' : ''}\`, ${seconds.toFixed(0)} s. Method: see [README.md](./README.md).`,
    '',
  ];
  const rows = results.flatMap((r) => r.rows).filter((r) => r.pass !== undefined);
  lines.push(
    `Targets: ${rows.filter((r) => r.pass).length} pass, ${rows.filter((r) => !r.pass).length} miss.`,
    '',
  );
  for (const result of results) {
    lines.push(`## ${result.title}`, '');
    lines.push('| measurement | subject | value | ratio | target | result | note |');
    lines.push('|---|---|--:|--:|---|---|---|');
    for (const row of result.rows) lines.push(cell(row));
    lines.push('');
    for (const note of result.notes) lines.push(`- ${note}`);
    lines.push('');
  }
  return lines.join('\n');
}
