export type CsvCell = string | number | boolean | null | undefined;

/** Cells a spreadsheet would run as a formula: prefixed with a quote so they stay text. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One cell as RFC 4180 text: quoted when it holds a comma, quote or line break (quotes doubled).
 * Text that a spreadsheet would evaluate (`=…`, `+…`, `-…`, `@…`) gets a leading `'`: report
 * values come from events, and an officer's name or a unit id must never run as a formula.
 * Numbers are written as they are, so negative figures stay numbers.
 */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A CSV document: comment lines first (`# ` + text, for the positions stamp), then the header
 * row, then the rows; CRLF line ends as RFC 4180 asks.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[], comments: readonly string[] = []): string {
  const lines = [
    ...comments.map((comment) => `# ${comment.replace(/[\r\n]+/g, ' ')}`),
    header.map(csvCell).join(','),
    ...rows.map((row) => row.map(csvCell).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
