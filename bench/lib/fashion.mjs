// Training data for the MLP bench: Fashion-MNIST through my.data.loadFashionMnist when the
// package has it, else read here from the IDX files, else synthetic data of the same shape.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const FASHION_DIR = '/usr/share/datasets/fashion-mnist';
const FILES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];

/** IDX (MNIST format): 2 zero bytes, type 0x08 (uint8), ndim, ndim big-endian u32 dims, data. */
function readIdxU8(path) {
  const b = gunzipSync(readFileSync(path));
  if (b[0] !== 0 || b[1] !== 0 || b[2] !== 0x08) throw new Error(`bench: ${path} is not a uint8 IDX file`);
  const nd = b[3], dims = Array.from({ length: nd }, (_, i) => b.readUInt32BE(4 + 4 * i));
  return { dims, data: b.subarray(4 + 4 * nd) };
}

function readSplit(prefix) {
  const img = readIdxU8(join(FASHION_DIR, `${prefix}-images-idx3-ubyte.gz`));
  const lab = readIdxU8(join(FASHION_DIR, `${prefix}-labels-idx1-ubyte.gz`));
  const x = new Float32Array(img.data.length);
  for (let i = 0; i < x.length; i++) x[i] = img.data[i] / 255;
  return { x, y: Int32Array.from(lab.data), n: img.dims[0] };
}

/** Deterministic pseudo-random generator (mulberry32), so synthetic runs are repeatable. */
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n images of 784 pixels in [0,1] whose class shifts the mean of a block of pixels (learnable). */
function synthetic(n, seed) {
  const rand = mulberry32(seed), x = new Float32Array(n * 784), y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = (y[i] = Math.floor(rand() * 10));
    for (let j = 0; j < 784; j++) x[i * 784 + j] = 0.5 * rand() + (Math.floor(j / 78.4) === c ? 0.5 : 0);
  }
  return { x, y, n };
}

/** The first `n` examples of a split (a subarray view: no copy). */
function head(split, n) {
  if (!(n < split.n)) return split;
  return { x: split.x.subarray(0, n * 784), y: split.y.subarray(0, n), n };
}

/**
 * { train, test, source } as Tensors `x` [N,784] and Int32Array `y`. `samples` caps the
 * training set (the test set to a sixth of it, as 10k/60k); `synthetic` forces made-up data.
 */
export function loadTrainingData(my, { samples = Infinity, synthetic: forceSynthetic = false } = {}) {
  let train, test, source;
  if (!forceSynthetic && FILES.every((f) => existsSync(join(FASHION_DIR, f)))) {
    if (typeof my.data?.loadFashionMnist === 'function') {
      const d = my.data.loadFashionMnist();
      const raw = (s) => ({ x: s.x.data, y: s.y, n: s.y.length });
      [train, test, source] = [raw(d.train), raw(d.test), 'Fashion-MNIST (my.data.loadFashionMnist)'];
    } else {
      [train, test, source] = [readSplit('train'), readSplit('t10k'), 'Fashion-MNIST (IDX read by the bench)'];
    }
  } else {
    const n = Number.isFinite(samples) ? samples : 60000;
    [train, test, source] = [synthetic(n, 1), synthetic(Math.max(100, Math.ceil(n / 6)), 2), 'synthetic (Fashion-MNIST shape)'];
  }
  train = head(train, samples);
  test = head(test, Number.isFinite(samples) ? Math.max(100, Math.ceil(samples / 6)) : Infinity);
  // Wrap without copying (my.tensor would copy 188 MB and inflate the peak RSS we compare).
  const asTensor = (s) => ({ x: new my.Tensor(s.x, [s.n, 784]), y: s.y, n: s.n });
  return { train: asTensor(train), test: asTensor(test), source };
}
