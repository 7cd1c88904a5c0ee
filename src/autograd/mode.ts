/**
 * The autograd engine's switches: whether ops record a graph, and whether forward-mode
 * tangents are propagated. The only global state besides the RNG and the native pool.
 */
export const mode = {
  /** Ops record graph nodes for reverse mode. */
  grad: true,
  /** Depth of active `jvp` calls; tangents propagate while > 0 and not inside a rule. */
  forward: 0,
  /** Inputs carry imaginary parts (complex-step evaluation) while > 0. */
  complex: 0,
};

/** Runs `fn` with graph recording on or off (used by the engine for createGraph). */
export function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const prev = mode.grad;
  mode.grad = enabled;
  try {
    return fn();
  } finally {
    mode.grad = prev;
  }
}

/** Runs `fn` recording no graph and returns its result: `my.noGrad(() => model.forward(x))`. */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

export function isGradEnabled(): boolean {
  return mode.grad;
}
