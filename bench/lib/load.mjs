// CPU used by other processes on this shared box, so a figure measured under load is flagged
// (same idea as /work/shared/peers/loadmon.mjs, kept here so the bench runs from a clean clone).
import { readFileSync } from 'node:fs';

const TICK = 100; // USER_HZ on Linux

function machineBusySeconds() {
  const v = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / TICK; // user nice system irq softirq steal
}

function ownCpuSeconds() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Starts a meter; calling the result gives other processes' average load (in cores) since. */
export function foreignMeter() {
  const t0 = performance.now(), b0 = machineBusySeconds(), o0 = ownCpuSeconds();
  return () => {
    const dt = (performance.now() - t0) / 1e3;
    return dt > 0 ? Math.max(0, (machineBusySeconds() - b0 - (ownCpuSeconds() - o0)) / dt) : 0;
  };
}

/**
 * Waits until other processes use < `limit` of a core over 0.5 s, for at most `maxSeconds`
 * (the box is shared: waiting forever is not an option). Returns the seconds waited.
 */
export async function waitQuiet(maxSeconds, limit = 0.1) {
  const t0 = performance.now();
  for (;;) {
    const meter = foreignMeter();
    await new Promise((r) => setTimeout(r, 500));
    const waited = (performance.now() - t0) / 1e3;
    if (meter() < limit || waited >= maxSeconds) return waited;
  }
}
