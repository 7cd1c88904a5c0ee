import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Tensor } from '../tensor.js';
import { fromStorage } from '../creation.js';
import { check } from '../check.js';
import { readIdxArray } from './idx.js';

/** A split of an image classification set: flattened images and class indices. */
export interface LabeledImages {
  /** [N, pixels] float32 in [0, 1]. */
  x: Tensor;
  /** N class indices. */
  y: Int32Array;
}

/** Where Debian's dataset-fashion-mnist package puts the four files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** The file `name` in `dir`, gzipped or not; a missing file says how to install the set. */
function locate(dir: string, name: string): string {
  for (const candidate of [join(dir, `${name}.gz`), join(dir, name)]) if (existsSync(candidate)) return candidate;
  throw new Error(`loadFashionMnist: '${join(dir, name)}.gz' not found; install the data set with 'apt-get install dataset-fashion-mnist' (it goes to ${FASHION_MNIST_DIR}) or pass the directory holding the IDX files`);
}

function loadSplit(dir: string, prefix: string): LabeledImages {
  const images = readIdxArray(locate(dir, `${prefix}-images-idx3-ubyte`), 'loadFashionMnist');
  const labels = readIdxArray(locate(dir, `${prefix}-labels-idx1-ubyte`), 'loadFashionMnist');
  const [n, h, w] = images.shape;
  check(images.type === 'uint8' && images.shape.length === 3, () =>
    `loadFashionMnist: ${prefix} images must be uint8 [N, rows, cols], got ${images.type} [${images.shape}]`);
  check(labels.type === 'uint8' && labels.shape.length === 1 && labels.shape[0] === n, () =>
    `loadFashionMnist: ${prefix} labels must be uint8 [${n}] to match the images, got ${labels.type} [${labels.shape}]`);
  const x = new Float32Array(images.values.length);
  for (let i = 0; i < x.length; i++) x[i] = images.values[i] / 255;
  const y = Int32Array.from(labels.values);
  const bad = y.findIndex((c) => c > 9);
  check(bad < 0, () => `loadFashionMnist: ${prefix} label ${bad} is ${y[bad]}, outside the 10 classes`);
  return { x: fromStorage(x, [n, h * w]), y };
}

/**
 * Fashion-MNIST (60,000 train and 10,000 test 28×28 images, 10 classes) as flattened
 * [N, 784] pixels in [0, 1] and Int32Array labels:
 * `const { train, test } = my.data.loadFashionMnist()`.
 */
export function loadFashionMnist(dir: string = FASHION_MNIST_DIR): { train: LabeledImages; test: LabeledImages } {
  check(typeof dir === 'string', () => `loadFashionMnist: dir must be a string, got ${typeof dir}`);
  return { train: loadSplit(dir, 'train'), test: loadSplit(dir, 't10k') };
}
