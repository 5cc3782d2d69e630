/** Kept for the load test (bench/load-test.ts), which imports its port from here. */
export { PORTS } from "./serve.ts";
