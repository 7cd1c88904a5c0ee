// Small statistics and formatting helpers shared by the bench sections.

/** Median of a non-empty list (the upper middle for even lengths, as the peers' scripts take it). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** { median, min, max, runs } of a list of per-run figures; null for an empty list. */
export function summarize(xs) {
  const runs = xs.filter((x) => typeof x === 'number' && Number.isFinite(x));
  if (runs.length === 0) return null;
  return { median: median(runs), min: Math.min(...runs), max: Math.max(...runs), runs };
}

/** `12.3 (11.9-13.0)` for a summary; '-' when missing. */
export function fmtSummary(s, digits = 1) {
  if (!s) return '-';
  return s.runs.length > 1 ? `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}-${s.max.toFixed(digits)})` : s.median.toFixed(digits);
}

/** A number with `digits` decimals, or '-' when missing. */
export function fmt(x, digits = 1) {
  return typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '-';
}

/** `2.41x`, or '-' when either side is missing. */
export function fmtRatio(ours, theirs) {
  return typeof ours === 'number' && typeof theirs === 'number' && theirs > 0 ? `${(ours / theirs).toFixed(2)}x` : '-';
}
