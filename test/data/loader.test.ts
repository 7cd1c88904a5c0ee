import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import { availableBackends, describeBackends } from '../helpers.js';

const { TensorDataset, DataLoader, randomSplit } = my.data;

/** 10 examples: row i of x is [i, 10i], label i % 3. */
function dataset() {
  const x = my.tensor(Array.from({ length: 10 }, (_, i) => [i, 10 * i]));
  return new TensorDataset(x, Int32Array.from({ length: 10 }, (_, i) => i % 3));
}

const firstColumn = (xb: my.Tensor) => Array.from(xb.data).filter((_, i) => i % 2 === 0);

describeBackends('TensorDataset and DataLoader', () => {
  it('batches in order, the last batch short unless dropLast', () => {
    const batches = [...new DataLoader(dataset(), { batchSize: 4 })];
    expect(batches.map(([xb]) => xb.shape)).toEqual([[4, 2], [4, 2], [2, 2]]);
    expect(batches[2][0].toArray()).toEqual([[8, 80], [9, 90]]);
    expect(batches.map(([, yb]) => Array.from(yb))).toEqual([[0, 1, 2, 0], [1, 2, 0, 1], [2, 0]]);
    expect(batches[0][1]).toBeInstanceOf(Int32Array);
    const dropped = new DataLoader(dataset(), { batchSize: 4, dropLast: true });
    expect(dropped.length).toBe(2);
    expect([...dropped].length).toBe(2);
    expect(new DataLoader(dataset(), { batchSize: 4 }).length).toBe(3);
  });

  it('gathers large batches row by row, in either dtype, repeated rows included', () => {
    // 600 rows of 784: above the size where the native gather splits over threads.
    for (const dtype of ['float32', 'float64'] as const) {
      const rows = 1000, cols = 784;
      const x = my.tensor(Float64Array.from({ length: rows * cols }, (_, i) => i), { dtype }).reshape([rows, cols]);
      const indices = Int32Array.from({ length: 600 }, (_, i) => (i * 7919) % rows);
      indices[599] = indices[0];
      const [xb] = new TensorDataset(x, Int32Array.from({ length: rows }, () => 0)).getBatch(indices);
      expect(xb.shape).toEqual([600, cols]);
      expect(xb.dtype).toBe(dtype);
      for (const i of [0, 1, 299, 598, 599]) {
        for (const j of [0, 1, 783]) expect(xb.data[i * cols + j]).toBe(indices[i] * cols + j);
      }
      // number[] indices take the same path
      expect(Array.from(new TensorDataset(x, Int32Array.from({ length: rows }, () => 0)).getBatch([999])[0].data.subarray(0, 2))).toEqual([999 * cols, 999 * cols + 1]);
    }
  });

  it('shuffles every example exactly once per epoch, labels staying with their rows', () => {
    const loader = new DataLoader(dataset(), { batchSize: 3, shuffle: true, seed: 1 });
    const epochs = [0, 1].map(() => [...loader]);
    for (const batches of epochs) {
      const xs = batches.flatMap(([xb]) => firstColumn(xb));
      expect([...xs].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      for (const [xb, yb] of batches) expect(Array.from(yb)).toEqual(firstColumn(xb).map((v) => v % 3));
    }
    const order = (bs: [my.Tensor, Int32Array][]) => bs.flatMap(([xb]) => firstColumn(xb));
    expect(order(epochs[0] as never)).not.toEqual(order(epochs[1] as never)); // reshuffled each pass
    expect(order(epochs[0] as never)).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('a seed reproduces the order whatever the global generator does; without one, manualSeed does', () => {
    const run = (seed?: number) => [...new DataLoader(dataset(), { batchSize: 10, shuffle: true, seed })][0][0].data;
    const a = run(42);
    my.randn([5]);
    expect(Array.from(run(42))).toEqual(Array.from(a));
    expect(Array.from(run(43))).not.toEqual(Array.from(a));
    my.manualSeed(7);
    const b = run();
    my.manualSeed(7);
    expect(Array.from(run())).toEqual(Array.from(b));
  });

  it('keeps tensor targets (regression values, integer-valued class tensors) as tensors', () => {
    const x = my.arange(6).reshape(3, 2);
    const ds = new TensorDataset(x, my.tensor([[0.5], [1.5], [2.5]]));
    const [[xb, yb]] = [...new DataLoader(ds, { batchSize: 3 })];
    expect(xb.toArray()).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect((yb as my.Tensor).toArray()).toEqual([[0.5], [1.5], [2.5]]);
    const classes = new TensorDataset(x, [2, 0, 1]);
    expect(Array.from(classes.getBatch([2, 0])[1] as Int32Array)).toEqual([1, 2]);
  });

  it('randomSplit by fractions (remainder to the first parts, as PyTorch) and by lengths', () => {
    const ds = dataset();
    const parts = randomSplit(ds, [0.5, 0.3, 0.2], { seed: 3 });
    expect(parts.map((p) => p.length)).toEqual([5, 3, 2]);
    const all = parts.flatMap((p) => firstColumn(p.getBatch(Array.from({ length: p.length }, (_, i) => i))[0]));
    expect(all.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(randomSplit(ds, [0.33, 0.67]).map((p) => p.length)).toEqual([4, 6]); // floor 3 and 6, remainder 1 to the first
    expect(randomSplit(ds, [7, 3], { seed: 0 }).map((p) => p.length)).toEqual([7, 3]);
    const again = randomSplit(ds, [0.5, 0.3, 0.2], { seed: 3 });
    expect(Array.from(again[0].indices)).toEqual(Array.from(parts[0].indices));
    const [train] = parts;
    const [[xb, yb]] = [...new DataLoader(train, { batchSize: 5 })];
    expect(Array.from(yb)).toEqual(firstColumn(xb).map((v) => v % 3));
  });

  it('hands the data set the indices of the next batch before each batch but the last (prefetch)', () => {
    const inner = dataset();
    const seen: string[] = [];
    const spy = {
      length: inner.length,
      getBatch: (idx: ArrayLike<number>) => (seen.push(`get ${Array.from(idx)}`), inner.getBatch(idx)),
      prefetch: (idx: ArrayLike<number>) => seen.push(`prefetch ${Array.from(idx)}`),
    };
    const batches = [...new DataLoader(spy, { batchSize: 4 })];
    expect(seen).toEqual(['get 0,1,2,3', 'prefetch 4,5,6,7', 'get 4,5,6,7', 'prefetch 8,9', 'get 8,9']);
    expect(batches[2][0].toArray()).toEqual([[8, 80], [9, 90]]);
    seen.length = 0;
    [...new DataLoader(spy, { batchSize: 4, dropLast: true })];
    expect(seen).toEqual(['get 0,1,2,3', 'prefetch 4,5,6,7', 'get 4,5,6,7']);
    // Shuffled: the prefetched indices are exactly the next batch's.
    seen.length = 0;
    [...new DataLoader(spy, { batchSize: 3, shuffle: true, seed: 5 })];
    for (let i = 1; i + 1 < seen.length; i += 2) expect(seen[i].replace('prefetch', 'get')).toBe(seen[i + 1]);
    // A data set without the hint is batched as before.
    expect([...new DataLoader({ length: 10, getBatch: (idx: ArrayLike<number>) => inner.getBatch(idx) }, { batchSize: 4 })].length).toBe(3);
  });

  it('prefetch on a TensorDataset and a Subset checks indices and changes no batch', () => {
    const ds = dataset();
    const before = ds.getBatch([9, 0, 4])[0].toArray();
    ds.prefetch([9, 0, 4]);
    expect(ds.getBatch([9, 0, 4])[0].toArray()).toEqual(before);
    expect(() => ds.prefetch([10])).toThrow('TensorDataset.prefetch: index 10 is out of range for 10 examples');
    const [, second] = randomSplit(ds, [6, 4], { seed: 1 });
    const forwarded: number[][] = [];
    const watched = new TensorDataset(ds.x, ds.y);
    watched.prefetch = (idx) => forwarded.push(Array.from(idx));
    const sub = new my.data.Subset(watched, second.indices);
    sub.prefetch([3, 0]);
    expect(forwarded).toEqual([[second.indices[3], second.indices[0]]]);
    expect(() => sub.prefetch([4])).toThrow('Subset.prefetch: index 4 is out of range for 4 examples');
  });

  it('batches copied ahead (prefetch) are the rows asked for, over shuffled epochs in either dtype', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      my.manualSeed(4);
      const x = my.randn([300, 784], { dtype }), labels = Int32Array.from({ length: 300 }, (_, i) => i % 10);
      for (let r = 0; r < 300; r++) x.data[r * 784] = r;  // each row names itself
      const ds = new TensorDataset(x, labels);
      const loader = new DataLoader(ds, { batchSize: 32, shuffle: true, seed: 2 });
      for (let epoch = 0; epoch < 2; epoch++) {
        let seen = 0;
        for (const [xb, yb] of loader) {
          expect(xb.dtype).toBe(dtype);
          for (let i = 0; i < yb.length; i++) {
            const row = Array.from(xb.data.subarray(i * 784, (i + 1) * 784)), r = row[0];
            expect(row).toEqual(Array.from(x.data.subarray(r * 784, (r + 1) * 784)));
            expect(yb[i]).toBe(r % 10);
          }
          seen += yb.length;
        }
        expect(seen).toBe(300);
      }
    }
  });

  it('a batch copied ahead is dropped when getBatch asks for other rows or x changed in place since', () => {
    const ds = dataset();
    ds.prefetch([1, 2, 3]);
    expect(firstColumn(ds.getBatch([3, 2, 1])[0])).toEqual([3, 2, 1]);
    ds.prefetch([1, 2]);
    expect(firstColumn(ds.getBatch([1, 2, 5])[0])).toEqual([1, 2, 5]);
    ds.prefetch([4, 5]);
    ds.prefetch([6, 7]);  // the later hint wins
    expect(firstColumn(ds.getBatch([6, 7])[0])).toEqual([6, 7]);
    expect(firstColumn(ds.getBatch([4, 5])[0])).toEqual([4, 5]);
    // An in-place op on the tensor the data set was made from.
    const x = my.tensor(Array.from({ length: 10 }, (_, i) => [i, 10 * i]));
    const live = new TensorDataset(x, new Int32Array(10));
    live.prefetch([0, 9]);
    x.copy_(my.full([10, 2], 5));
    expect(live.getBatch([0, 9])[0].toArray()).toEqual([[5, 5], [5, 5]]);
    // The caller's index array may change after the hint.
    const idx = Int32Array.from([2, 3]);
    live.prefetch(idx);
    x.copy_(my.tensor(Array.from({ length: 10 }, (_, i) => [i, -i])));
    idx[0] = 8;
    expect(live.getBatch(idx)[0].toArray()).toEqual([[8, -8], [3, -3]]);
  });

  it('a batch copied ahead survives a switch of backend before its getBatch', (ctx) => {
    const ds = dataset();
    const other = my.backend().name === 'native' ? 'js' : 'native';
    ds.prefetch([7, 1]);
    if (!availableBackends().includes(other)) ctx.skip();
    my.setBackend(other);
    try {
      expect(firstColumn(ds.getBatch([7, 1])[0])).toEqual([7, 1]);
      ds.prefetch([2, 3]);
    } finally {
      my.setBackend(other === 'js' ? 'native' : 'js');
    }
    expect(firstColumn(ds.getBatch([2, 3])[0])).toEqual([2, 3]);
  });

  it('refuses bad input with clear Errors', () => {
    const x = my.zeros([4, 2]);
    expect(() => new TensorDataset(x, new Int32Array(3))).toThrow('TensorDataset: x has 4 examples (shape [4,2]) but y has 3');
    expect(() => new TensorDataset(x, [0, 1, 2.5, 3])).toThrow(/class index 2 is 2.5, not a 32-bit integer/);
    expect(() => new TensorDataset(my.tensor(3), new Int32Array(1))).toThrow(/x must be a Tensor with a first dimension/);
    expect(() => new TensorDataset(x, 'abc' as never)).toThrow(/y must be an Int32Array or number\[\]/);
    expect(() => new DataLoader(dataset(), { batchSize: 0 })).toThrow('DataLoader: batchSize must be an integer >= 1, got 0');
    expect(() => new DataLoader([1, 2] as never)).toThrow(/DataLoader: expected a data set with length and getBatch/);
    expect(() => new DataLoader(dataset(), { seed: 1.5 })).toThrow('DataLoader: seed must be an integer, got 1.5');
    expect(() => dataset().getBatch([10])).toThrow('TensorDataset.getBatch: index 10 is out of range for 10 examples');
    expect(() => randomSplit(dataset(), [0.5, 0.4])).toThrow(/\[0.5,0.4\] are neither fractions summing to 1 nor lengths summing to the data set's 10 examples/);
    expect(() => randomSplit(dataset(), [-1, 11])).toThrow(/expected non-negative fractions or lengths/);
  });
});
