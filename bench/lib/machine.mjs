// What the figures were measured on: CPU model, cores, load, software versions.
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { execFileSync } from 'node:child_process';

/** The CPU model name from /proc/cpuinfo (os.cpus() as a fallback). */
export function cpuModel() {
  try {
    const m = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m);
    if (m) return m[1].trim();
  } catch { /* not Linux */ }
  return cpus()[0]?.model ?? 'unknown';
}

/** The short commit the bench runs at, with `+dirty` when the tree has changes. */
export function gitCommit(cwd) {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, encoding: 'utf8' }).trim();
    return dirty ? `${sha}+dirty` : sha;
  } catch {
    return 'unknown';
  }
}

/** Date, CPU, logical cores, load averages, Node version and commit. */
export function machineInfo(root) {
  return {
    date: new Date().toISOString(),
    cpu: cpuModel(),
    cores: cpus().length,
    loadavg: loadavg().map((x) => +x.toFixed(2)),
    node: process.version,
    commit: gitCommit(root),
  };
}
