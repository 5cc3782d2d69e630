/** Kept for the load test (bench/load-test.ts), which imports the API server from here. */
export { serveApi } from "./serve.ts";
