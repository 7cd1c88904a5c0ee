import { check } from '../check.js';

/** Checks a hyper-parameter is a finite number >= `min`: `checkOption('Adam: lr', lr)`. */
export function checkOption(what: string, value: unknown, min = 0): void {
  check(typeof value === 'number' && Number.isFinite(value) && value >= min, () =>
    `${what} must be a finite number >= ${min}, got ${String(value)}`);
}

/** Checks `lo <= value < hi` (or `<= hi` when `closed`), as PyTorch checks betas and rho. */
export function checkRange(what: string, value: unknown, lo: number, hi: number, closed = false): void {
  check(typeof value === 'number' && value >= lo && (closed ? value <= hi : value < hi), () =>
    `${what} must be in [${lo}, ${hi}${closed ? ']' : ')'}, got ${String(value)}`);
}

/** Checks a boolean switch. */
export function checkFlag(what: string, value: unknown): void {
  check(typeof value === 'boolean', () => `${what} must be a boolean, got ${String(value)}`);
}
