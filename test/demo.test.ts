import { expect, test } from 'vitest';
// @ts-expect-error the examples are plain JavaScript modules
import { main } from '../examples/digits.mjs';

test('the demo reaches >= 95 % held-out accuracy on digits; only the MLP separates the spirals', async () => {
  const lines: string[] = [];
  const r = await main({ epochs: 30, spiralEpochs: 300, log: (s: string) => lines.push(s) });
  expect(r.digitsAccuracy).toBeGreaterThanOrEqual(0.95);
  expect(r.mlpAccuracy).toBeGreaterThanOrEqual(0.95);
  expect(r.logisticAccuracy).toBeLessThan(0.8);
  expect(lines.join('\n')).toMatch(/held-out accuracy \d+\.\d %/);
});
