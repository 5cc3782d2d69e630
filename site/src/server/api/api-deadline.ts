/**
 * How long the site waits for each API call before it gives up and says so
 * (504). Deployed it is always {@link API_DEADLINE_MS}; tests may shorten it with
 * the `API_DEADLINE_MS` var, within {@link API_DEADLINE_BOUNDS_MS}, never lengthen it.
 */
export const API_DEADLINE_MS = 5000;

/** The values `API_DEADLINE_MS` may take, in milliseconds. */
export const API_DEADLINE_BOUNDS_MS = { min: 100, max: API_DEADLINE_MS } as const;
