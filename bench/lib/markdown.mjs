// Markdown tables: what the bench prints and what goes into summary.md and the README.

/** A markdown table from a header row and data rows (cells are stringified). */
export function table(header, rows) {
  const line = (cells) => `| ${cells.map((c) => String(c ?? '-')).join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

/** Prints a `### title` followed by a table and a blank line. */
export function printTable(title, header, rows) {
  console.log(`\n### ${title}\n\n${table(header, rows)}\n`);
}
