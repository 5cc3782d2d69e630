/**
 * CSV as RFC 4180 writes it (CRLF line ends, a cell quoted when it holds a comma, a quote,
 * CR or LF, quotes doubled), with the OWASP guard against formula injection: a cell that
 * starts with `=`, `+`, `-`, `@`, a tab or a CR gets a leading `'`, so a spreadsheet shows
 * it as text instead of running it.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell, guarded and quoted as needed. */
export function csvCell(value: string): string {
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

/** One record, CRLF-terminated. */
export const csvRow = (cells: readonly string[]): string => `${cells.map(csvCell).join(",")}\r\n`;
