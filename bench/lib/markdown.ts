import type { Check, Table } from './section';

export function markdownTable(table: Table): string {
  const escape = (cell: string | number) => String(cell).replace(/\|/g, '\\|');
  const lines = [
    `| ${table.columns.map(escape).join(' | ')} |`,
    `|${table.columns.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...table.rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ];
  return (table.caption ? `${table.caption}\n\n` : '') + lines.join('\n');
}

export function markdownChecks(checks: readonly Check[]): string {
  return checks
    .map(
      (c) =>
        `- ${c.kind === 'goal' ? (c.ok ? 'goal met' : 'goal missed') : c.ok ? 'PASS' : 'FAIL'}: ${c.name} (${c.detail})`,
    )
    .join('\n');
}
