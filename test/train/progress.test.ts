import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import { describeBackends } from '../helpers.js';

/** A stream that keeps what is written; `isTTY` picks the bar or the lines. */
function captureStream(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = { isTTY, columns: 120, write: (c: string) => (chunks.push(String(c)), true), cursorTo: () => true, clearLine: () => true, moveCursor: () => true };
  return { stream, text: () => chunks.join('') };
}

function problem() {
  my.manualSeed(2);
  const x = my.randn([12, 2]);
  const y = [0, 1, 0, 1, 1, 0, 0, 1, 1, 1, 0, 0];
  const model = new my.nn.Linear(2, 2);
  return {
    model,
    opts: {
      loss: my.nn.functional.crossEntropy, optimizer: new my.optim.SGD(model.parameters(), { lr: 0.1 }),
      train: { x, y, batchSize: 4 }, validation: { x, y }, metrics: ['accuracy'], epochs: 3,
    },
  };
}

describeBackends('train progress', () => {
  it('writes one line per epoch with every figure when the stream is not a TTY', async () => {
    const { model, opts } = problem();
    const out = captureStream(false);
    const h = await my.train.fit(model, { ...opts, progress: { stream: out.stream } });
    const lines = out.text().trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    lines.forEach((line, e) => {
      expect(line).toMatch(new RegExp(`^epoch ${e + 1}/3 - \\d+\\.\\ds - loss \\S+ - accuracy \\S+ - valLoss \\S+ - valAccuracy \\S+ - lr 0\\.1$`));
      expect(Number(/ - loss (\S+)/.exec(line)![1])).toBeCloseTo(h.loss[e], 3);
      expect(Number(/valAccuracy (\S+)/.exec(line)![1])).toBeCloseTo(h.valAccuracy![e], 3);
    });
  });

  it('draws a bar with the rate and ETA on a TTY and ends each epoch with its line', async () => {
    const { model, opts } = problem();
    const out = captureStream(true);
    await my.train.fit(model, { ...opts, progress: { stream: out.stream } });
    const text = out.text();
    expect(text).toMatch(/epoch 1\/3 \[[=-]+\] \d\/3 \| loss \S+ \| [\d-]+ ex\/s \| ETA \S+/);
    expect(text.match(/epoch \d\/3 - [^\n]*valAccuracy[^\n]*\n/g)).toHaveLength(3);
  });

  it('says why training stopped early', async () => {
    const { model, opts } = problem();
    const out = captureStream(false);
    await my.train.fit(model, { ...opts, progress: { stream: out.stream }, callbacks: [{ onEpochEnd: (_e, _l, ctx) => ctx.stop('earlyStopping') }] });
    expect(out.text()).toMatch(/\nstopped after 1 epochs: earlyStopping\n$/);
  });

  it('is silent with progress: false and checks the option', async () => {
    const { model, opts } = problem();
    const writes: string[] = [];
    const original = process.stderr.write;
    process.stderr.write = ((c: string) => (writes.push(c), true)) as typeof process.stderr.write;
    try {
      await my.train.fit(model, { ...opts, epochs: 1, progress: false });
    } finally {
      process.stderr.write = original;
    }
    expect(writes).toEqual([]);
    await expect(my.train.fit(model, { ...opts, progress: 'yes' as any })).rejects.toThrow(/progress must be true, false or \{ stream \}, got yes/);
  });
});
