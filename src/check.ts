/**
 * Argument checks at the op boundary. The message is built only on failure, so a check
 * costs one comparison on the hot path.
 */
export function check(cond: boolean, message: () => string): asserts cond {
  if (!cond) throw new Error(message());
}

/** `[2,3]` — how shapes appear in every error message. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
