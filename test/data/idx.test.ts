import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, expect, it } from 'vitest';
import * as my from '../../src/index.js';
import { describeBackends } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'myelin-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An IDX file: magic 0 0 type ndim, big-endian dimensions, then `payload`. */
function idx(type: number, shape: number[], payload: Buffer): Buffer {
  const head = Buffer.alloc(4 + 4 * shape.length);
  head[2] = type;
  head[3] = shape.length;
  shape.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, payload]);
}

function write(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describeBackends('readIdx', () => {
  const pixels = Buffer.from([0, 1, 2, 127, 128, 255]);

  it('reads uint8 data as float32 0..255, plain or gzipped, and scales on request', () => {
    for (const path of [write('u8', idx(0x08, [2, 3], pixels)), write('u8.gz', gzipSync(idx(0x08, [2, 3], pixels)))]) {
      const t = my.data.readIdx(path);
      expect([t.dtype, t.shape, t.toArray()]).toEqual(['float32', [2, 3], [[0, 1, 2], [127, 128, 255]]]);
      expect(Array.from(my.data.readIdx(path, { scale: true }).data)).toEqual(Array.from(pixels, (v) => Math.fround(v / 255)));
    }
  });

  it('reads the signed and float types big-endian', () => {
    const i16 = Buffer.alloc(4); i16.writeInt16BE(-300, 0); i16.writeInt16BE(7, 2);
    expect(my.data.readIdx(write('i16', idx(0x0b, [2], i16))).toArray()).toEqual([-300, 7]);
    const i32 = Buffer.alloc(8); i32.writeInt32BE(-(2 ** 31), 0); i32.writeInt32BE(5, 4);
    const wide = my.data.readIdx(write('i32', idx(0x0c, [2], i32)));
    expect([wide.dtype, wide.toArray()]).toEqual(['float64', [-(2 ** 31), 5]]); // float32 would round -2^31 + 1 etc.
    const f64 = Buffer.alloc(16); f64.writeDoubleBE(Math.PI, 0); f64.writeDoubleBE(-1e-300, 8);
    const d = my.data.readIdx(write('f64', idx(0x0e, [1, 2], f64)));
    expect([d.dtype, d.toArray()]).toEqual(['float64', [[Math.PI, -1e-300]]]);
    const f32 = Buffer.alloc(4); f32.writeFloatBE(1.25, 0);
    expect(my.data.readIdx(write('f32', idx(0x0d, [1], f32))).toArray()).toEqual([1.25]);
    expect(my.data.readIdx(write('i8', idx(0x09, [2], Buffer.from([0xff, 3])))).toArray()).toEqual([-1, 3]);
  });

  const bad: [string, Buffer, RegExp][] = [
    ['too short', Buffer.from([0, 0]), /not a valid IDX file: 2 bytes is shorter than the 4-byte magic number/],
    ['bad magic', Buffer.from([1, 2, 8, 1, 0, 0, 0, 0]), /the magic number must start with two zero bytes, got 0x01020801/],
    ['unknown type', idx(0x0a, [1], Buffer.alloc(1)), /unknown element type code 0xa/],
    ['zero dimensions', Buffer.from([0, 0, 8, 0]), /zero dimensions/],
    ['header cut short', Buffer.from([0, 0, 8, 3, 0, 0, 0, 1]), /3 dimensions need a 16-byte header but the file has 8 bytes/],
    ['truncated data', idx(0x08, [2, 3], Buffer.alloc(5)), /shape \[2,3\] of uint8 needs 6 data bytes but the file has 5 \(truncated\?\)/],
    ['trailing data', idx(0x08, [2], Buffer.alloc(3)), /shape \[2\] of uint8 needs 2 data bytes but the file has 3$/],
    ['huge claimed size', idx(0x0e, [65535, 65535, 65535], Buffer.alloc(8)), /needs \d+ data bytes but the file has 8/],
    ['corrupt gzip', Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]), /corrupt gzip data/],
  ];
  for (const [name, bytes, message] of bad) {
    it(`refuses: ${name}`, () => {
      const path = write(name.replace(/\W/g, '_'), bytes);
      expect(() => my.data.readIdx(path)).toThrow(message);
      expect(() => my.data.readIdx(path)).toThrow(`readIdx('${path}')`);
    });
  }
  it('refuses scale for non-uint8 data and a missing file', () => {
    expect(() => my.data.readIdx(write('i8b', idx(0x09, [1], Buffer.from([1]))), { scale: true })).toThrow(/scale applies to uint8 data, this file holds int8/);
    expect(() => my.data.readIdx(join(dir, 'nope'))).toThrow(/ENOENT/);
  });
});

describeBackends('loadFashionMnist', () => {
  it('says how to install the data set when it is missing', () => {
    expect(() => my.data.loadFashionMnist(join(dir, 'none'))).toThrow(
      /loadFashionMnist: '.*none\/train-images-idx3-ubyte.gz' not found; install the data set with 'apt-get install dataset-fashion-mnist'/);
  });

  it('reads a directory of IDX files (a small one written here) into [N, 784] in [0, 1] and Int32Array labels', () => {
    const small = mkdtempSync(join(dir, 'small-'));
    const img = Buffer.alloc(2 * 28 * 28, 51);
    // Train files gzipped, test files plain: both are found.
    const files = { 'train-images-idx3-ubyte': idx(0x08, [2, 28, 28], img), 'train-labels-idx1-ubyte': idx(0x08, [2], Buffer.from([9, 0])),
      't10k-images-idx3-ubyte': idx(0x08, [1, 28, 28], img.subarray(0, 784)), 't10k-labels-idx1-ubyte': idx(0x08, [1], Buffer.from([3])) };
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(small, name.startsWith('train') ? `${name}.gz` : name), name.startsWith('train') ? gzipSync(bytes) : bytes);
    const { train, test } = my.data.loadFashionMnist(small);
    expect([train.x.shape, test.x.shape, Array.from(train.y), Array.from(test.y)]).toEqual([[2, 784], [1, 784], [9, 0], [3]]);
    expect(train.x.data[0]).toBeCloseTo(0.2, 7);
    writeFileSync(join(small, 't10k-labels-idx1-ubyte'), idx(0x08, [1], Buffer.from([12])));
    expect(() => my.data.loadFashionMnist(small)).toThrow('loadFashionMnist: t10k label 0 is 12, outside the 10 classes');
    writeFileSync(join(small, 't10k-labels-idx1-ubyte'), idx(0x08, [2], Buffer.from([1, 2])));
    expect(() => my.data.loadFashionMnist(small)).toThrow('loadFashionMnist: t10k labels must be uint8 [1] to match the images, got uint8 [2]');
  });

  // The real set, when the Debian package is installed (.ci installs it); else its absence is the error above.
  it('the installed Fashion-MNIST, if present: 60,000 + 10,000 images, balanced labels', () => {
    if (!existsSync(my.data.FASHION_MNIST_DIR)) {
      expect(() => my.data.loadFashionMnist()).toThrow(/apt-get install dataset-fashion-mnist/);
      return;
    }
    const { train, test } = my.data.loadFashionMnist();
    expect([train.x.shape, test.x.shape, train.y.length, test.y.length]).toEqual([[60000, 784], [10000, 784], 60000, 10000]);
    expect(train.y[0]).toBe(9); // the first training image is an ankle boot
    const counts = new Array(10).fill(0);
    for (const c of test.y) counts[c]++;
    expect(counts).toEqual(new Array(10).fill(1000));
    let lo = Infinity, hi = -Infinity;
    for (const v of test.x.data) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    expect([lo, hi]).toEqual([0, 1]);
  });
});
