/**
 * The load generator's own process (forked by load.ts), so that it never shares an event
 * loop with the servers' log handling. Receives LoadJobs over IPC, answers LoadSamples.
 * Latency comes from autocannon's per-response timer at full resolution (its own histogram
 * rounds to whole milliseconds, too coarse for sub-millisecond responses).
 */
import autocannon from "autocannon";
import type { LoadJob, LoadSample } from "./load.ts";

async function measure({ target, seconds, connections }: LoadJob): Promise<LoadSample> {
  const latenciesMs: number[] = [];
  let failures = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const options = {
      url: target.url,
      method: target.method,
      headers: target.headers,
      body: target.body,
      connections,
      duration: seconds,
    };
    const instance = autocannon(options, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (statusCode === target.expectStatus) latenciesMs.push(responseTime);
      else failures++;
    });
  });
  return {
    seconds: result.duration,
    requests: latenciesMs.length,
    failures: failures + result.errors + result.timeouts,
    latenciesMs: latenciesMs.sort((a, b) => a - b),
  };
}

process.on("message", async (job: LoadJob) => {
  process.send?.(await measure(job));
});
