import { readdirSync, readFileSync } from "node:fs";

/** Linux's USER_HZ: /proc reports CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid …": comm may hold spaces, so split after its closing paren.
    return [
      stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")),
      ...stat.slice(stat.lastIndexOf(")") + 2).split(" "),
    ];
  } catch {
    return undefined;
  }
}

/** CPU time (user + system, all threads) a process has used so far, in ms; NaN when unknown. */
export function processCpuMs(pid: number | undefined): number {
  const fields = pid === undefined ? undefined : statFields(pid);
  if (!fields) return Number.NaN;
  // After comm: state(1) ppid(2) … utime(12) stime(13), per proc(5).
  return ((Number(fields[12]) + Number(fields[13])) * 1000) / TICKS_PER_SECOND;
}

/** Pids of this process's children named `comm` (e.g. the workerd that Miniflare starts). */
export function childPids(comm: string): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      const fields = statFields(pid);
      return fields?.[0] === comm && Number(fields[2]) === process.pid;
    });
}

/** CPU this process has used so far, in ms (here: draining the servers' log lines). */
export const ownCpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
