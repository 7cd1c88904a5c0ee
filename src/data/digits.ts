import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { fromStorage } from '../creation.js';
import { check } from '../check.js';
import type { LabeledImages } from './fashion.js';

/** Shipped with the package: data/ sits two levels above both src/data/ and dist/data/. */
const DIGITS_PATH = fileURLToPath(new URL('../../data/digits.csv.gz', import.meta.url));

const PIXELS = 64;

/**
 * The UCI handwritten digits shipped with myelin (1797 8×8 images, 10 classes; see
 * data/README.md): pixels 0..16 scaled to [0, 1] (raw with `{ scale: false }`), as [1797, 64]:
 * `const { x, y } = my.data.digits()`.
 */
export function digits(opts: { scale?: boolean } = {}): LabeledImages {
  const text = gunzipSync(readFileSync(DIGITS_PATH)).toString('utf8');
  const rows = text.split('\n').filter((line) => line.length > 0);
  const x = new Float32Array(rows.length * PIXELS);
  const y = new Int32Array(rows.length);
  const scale = opts.scale === false ? 1 : 1 / 16;
  rows.forEach((line, r) => {
    const cells = line.split(',').map(Number);
    check(cells.length === PIXELS + 1 && cells.every(Number.isInteger), () =>
      `digits: line ${r + 1} of ${DIGITS_PATH} is not 64 integer pixels and a label`);
    for (let i = 0; i < PIXELS; i++) x[r * PIXELS + i] = cells[i] * scale;
    y[r] = cells[PIXELS];
  });
  return { x: fromStorage(x, [rows.length, PIXELS]), y };
}
