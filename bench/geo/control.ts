import type { RoundTrip, SimConfig } from "./worker/model.ts";
import { SIM_PATHS } from "./worker/model.ts";

/** A Worker served behind the simulation's entry module, as the bench drives it. */
export type SimulatedWorker = { url: string };

export async function configure(worker: SimulatedWorker, config: SimConfig): Promise<void> {
  const response = await fetch(`${worker.url}${SIM_PATHS.config}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(config),
  });
  if (!response.ok) throw new Error(`${worker.url} refused the simulation settings`);
  await response.arrayBuffer();
}

/** The round trips the Worker made since the last call (and forgets them). */
export async function takeTrips(worker: SimulatedWorker): Promise<RoundTrip[]> {
  const response = await fetch(`${worker.url}${SIM_PATHS.trips}`);
  if (!response.ok) throw new Error(`${worker.url} did not report its round trips`);
  return (await response.json()) as RoundTrip[];
}
