// What the figures were measured on: CPU model, cores, load, software versions.
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { execFileSync } from 'node:child_process';

/**
 * The CPU model name from /proc/cpuinfo with its family/model numbers (os.cpus() as a
 * fallback). Cloud machines often report only "Intel(R) Xeon(R) Processor", and runs on
 * different CPU generations (Sapphire Rapids is model 143, Emerald Rapids 207) are not
 * comparable, so the numbers say which one a figure came from.
 */
export function cpuModel() {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const field = (name) => info.match(new RegExp(`^${name}\\s*:\\s*(.+)$`, 'm'))?.[1].trim();
    const name = field('model name');
    if (name) {
      const family = field('cpu family'), model = field('model');
      return family && model ? `${name}, family ${family} model ${model}` : name;
    }
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
