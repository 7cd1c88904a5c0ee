import { expect, it } from 'vitest';
import { describeBackends } from './helpers.js';

const quiet = () => {};

/** An example script's exports; each has `main(options)` resolving to its figures. The
 * scripts import 'myelin', which vitest.config.ts points at the sources. */
async function example(name: string): Promise<{ main: (opts: Record<string, unknown>) => Promise<any> }> {
  return import(`../examples/${name}.mjs`);
}

describeBackends('examples', () => {
  it('xor: logistic regression stays at ln 2, the MLP solves it', async () => {
    const { main } = await example('xor');
    const { logistic, mlp } = await main({ epochs: 300, log: quiet });
    expect(logistic.loss).toBeGreaterThan(0.69);
    expect(logistic.accuracy).toBeLessThanOrEqual(0.75);
    expect(mlp.accuracy).toBe(1);
    expect(mlp.loss).toBeLessThan(0.05);
  });
});
