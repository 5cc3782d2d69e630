import { setTimeout as sleep } from "node:timers/promises";

/** True when something at `url` answers with a status below 500. */
export async function isAnswering(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { redirect: "manual" });
    await response.body?.cancel();
    return response.status < 500;
  } catch {
    return false;
  }
}

/** Polls `url` until it answers; throws once `deadline` (epoch ms) has passed. */
export async function waitUntilAnswering(url: string, deadline: number): Promise<void> {
  while (!(await isAnswering(url))) {
    if (Date.now() > deadline) throw new Error(`${url} did not answer in time`);
    await sleep(250);
  }
}
