// The MLP training loop as a user writes it: Sequential(Linear, ReLU, ...), Adam, and per
// batch zeroGrad / crossEntropy(model.forward(xb), yb).backward() / step().

/** 784-512-256-10 -> Sequential(Linear, ReLU, Linear, ReLU, Linear). */
export function buildMlp(my, sizes) {
  const layers = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(new my.nn.Linear(sizes[i], sizes[i + 1]));
    if (i + 2 < sizes.length) layers.push(new my.nn.ReLU());
  }
  return new my.nn.Sequential(...layers);
}

/** Shuffled batches, reshuffled every pass: my.data.DataLoader when the package has it. */
export function makeLoader(my, data, batchSize, seed) {
  if (typeof my.data?.DataLoader === 'function') {
    return new my.data.DataLoader(new my.data.TensorDataset(data.x, data.y), { batchSize, shuffle: true, seed });
  }
  let state = seed + 1;
  const rand = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296);
  return {
    *[Symbol.iterator]() {
      const order = Int32Array.from({ length: data.n }, (_, i) => i);
      for (let i = data.n - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
      for (let s = 0; s < data.n; s += batchSize) {
        const idx = order.subarray(s, Math.min(s + batchSize, data.n));
        const xb = new Float32Array(idx.length * 784), yb = new Int32Array(idx.length);
        idx.forEach((r, i) => { xb.set(data.x.data.subarray(r * 784, r * 784 + 784), i * 784); yb[i] = data.y[r]; });
        yield [new my.Tensor(xb, [idx.length, 784]), yb];
      }
    },
  };
}

/**
 * One pass over the loader, or as much of it as fits before `deadline` (performance.now() ms;
 * a slow build must not hold the whole bench hostage). Returns the last loss and samples seen.
 */
export function trainEpoch(my, { model, opt, loader }, deadline = Infinity) {
  const F = my.nn.functional;
  let loss = null, samples = 0;
  for (const [xb, yb] of loader) {
    opt.zeroGrad();
    loss = F.crossEntropy(model.forward(xb), yb);
    loss.backward();
    opt.step();
    samples += xb.shape[0];
    if (performance.now() > deadline) break;
  }
  return { loss: loss?.item() ?? NaN, samples };
}

/**
 * The same loop with each phase timed (process.hrtime.bigint) and told to `profiler` so kernel
 * time is attributed to it; stops after `maxBatches`. Returns per-phase ns and the batch count.
 */
export function trainEpochProfiled(my, { model, opt, loader }, profiler, maxBatches = Infinity) {
  const F = my.nn.functional;
  const ns = { data: 0n, zeroGrad: 0n, forward: 0n, loss: 0n, backward: 0n, step: 0n };
  const it = loader[Symbol.iterator]();
  let batches = 0;
  const timed = (phase, fn) => {
    profiler?.setPhase(phase);
    const t0 = process.hrtime.bigint();
    const r = fn();
    ns[phase] += process.hrtime.bigint() - t0;
    return r;
  };
  while (batches < maxBatches) {
    const next = timed('data', () => it.next());
    if (next.done) break;
    const [xb, yb] = next.value;
    timed('zeroGrad', () => opt.zeroGrad());
    const logits = timed('forward', () => model.forward(xb));
    const loss = timed('loss', () => F.crossEntropy(logits, yb));
    timed('backward', () => loss.backward());
    timed('step', () => opt.step());
    batches++;
  }
  profiler?.setPhase('other');
  return { batches, ns: Object.fromEntries(Object.entries(ns).map(([k, v]) => [k, Number(v)])) };
}

/** Test accuracy: argmax of the logits against the labels, with no graph recorded. */
export function accuracy(my, model, test) {
  const pred = my.noGrad(() => model.forward(test.x).argmax(1)).data;
  let correct = 0;
  for (let i = 0; i < test.n; i++) correct += pred[i] === test.y[i] ? 1 : 0;
  return correct / test.n;
}
