import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import type { LoadJob, LoadSample } from "./load-target.ts";

const CANNON = new URL("./cannon.ts", import.meta.url).pathname;

/** A load generator in its own process; one measurement at a time. */
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
