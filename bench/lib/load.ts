import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";

/** One HTTP request shape that the load generator repeats. */
export type LoadTarget = {
  url: string;
  method: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** Only responses with this status count as successes (and into latency). */
  expectStatus: number;
};

export type LoadJob = { target: LoadTarget; seconds: number; connections: number };

/** What one measurement of one target yields. */
export type LoadSample = {
  seconds: number;
  requests: number;
  /** Responses with another status than expected, and socket errors or timeouts. */
  failures: number;
  /** Latencies of successful requests in ms, sorted ascending. */
  latenciesMs: number[];
};

const CANNON = new URL("./cannon.ts", import.meta.url).pathname;

/** autocannon in its own process (cannon.ts), one measurement at a time. */
export class LoadGenerator {
  readonly #child: ChildProcess = fork(CANNON, [], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    serialization: "advanced",
  });
  readonly #exit = once(this.#child, "exit");

  async measure(job: LoadJob): Promise<LoadSample> {
    const answer = once(this.#child, "message") as Promise<[LoadSample]>;
    const failed = this.#exit.then(([code]): never => {
      throw new Error(`the load generator exited with code ${code}`);
    });
    failed.catch(() => {}); // only matters while a measurement waits
    this.#child.send(job);
    const [sample] = await Promise.race([answer, failed]);
    return sample;
  }

  close(): void {
    this.#child.kill();
  }
}
