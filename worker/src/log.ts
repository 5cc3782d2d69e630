/** Writes one structured JSON log line. Callers never pass tokens, passwords or secrets. */
export function logEvent(event: string, fields: Record<string, unknown>): void {
  console.log(JSON.stringify({ event, ...fields }));
}
