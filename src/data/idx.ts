import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Tensor } from '../tensor.js';
import { fromStorage } from '../creation.js';
import { check } from '../check.js';
import { exactFloatStorage } from '../io/exact.js';

/** IDX element types by their code in the magic number: byte size and big-endian reader. */
const IDX_TYPES: Record<number, { name: string; size: number; read: (v: DataView, at: number) => number }> = {
  0x08: { name: 'uint8', size: 1, read: (v, at) => v.getUint8(at) },
  0x09: { name: 'int8', size: 1, read: (v, at) => v.getInt8(at) },
  0x0b: { name: 'int16', size: 2, read: (v, at) => v.getInt16(at) },
  0x0c: { name: 'int32', size: 4, read: (v, at) => v.getInt32(at) },
  0x0d: { name: 'float32', size: 4, read: (v, at) => v.getFloat32(at) },
  0x0e: { name: 'float64', size: 8, read: (v, at) => v.getFloat64(at) },
};

export interface IdxArray {
  /** The element type named in the file: 'uint8', 'int8', 'int16', 'int32', 'float32', 'float64'. */
  type: string;
  shape: number[];
  /** The values in row-major order (uint8 data as a Uint8Array view, without copying). */
  values: ArrayLike<number>;
}

/** The file's bytes, gunzipped when they start with the gzip magic (whatever the name says). */
function readMaybeGzip(fn: string, path: string): Uint8Array {
  check(typeof path === 'string', () => `${fn}: path must be a string, got ${typeof path}`);
  const raw = readFileSync(path);
  if (raw.length < 2 || raw[0] !== 0x1f || raw[1] !== 0x8b) return raw;
  try {
    return gunzipSync(raw);
  } catch (e) {
    throw new Error(`${fn}('${path}'): corrupt gzip data (${(e as Error).message})`);
  }
}

/** Parses an IDX file (MNIST's format) strictly: magic, type code, dimensions and exact size. */
export function readIdxArray(path: string, fn = 'readIdx'): IdxArray {
  const bytes = readMaybeGzip(fn, path);
  const fail = (msg: string) => `${fn}('${path}'): not a valid IDX file: ${msg}`;
  check(bytes.length >= 4, () => fail(`${bytes.length} bytes is shorter than the 4-byte magic number`));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = IDX_TYPES[bytes[2]];
  check(bytes[0] === 0 && bytes[1] === 0, () => fail(`the magic number must start with two zero bytes, got 0x${view.getUint32(0).toString(16).padStart(8, '0')}`));
  check(type !== undefined, () => fail(`unknown element type code 0x${bytes[2].toString(16)} (known: 0x08 uint8, 0x09 int8, 0x0b int16, 0x0c int32, 0x0d float32, 0x0e float64)`));
  const ndim = bytes[3];
  check(ndim >= 1, () => fail('zero dimensions'));
  const dataStart = 4 + 4 * ndim;
  check(bytes.length >= dataStart, () => fail(`${ndim} dimensions need a ${dataStart}-byte header but the file has ${bytes.length} bytes`));
  const shape = Array.from({ length: ndim }, (_, d) => view.getUint32(4 + 4 * d));
  // Sizes come from the header: compare them with the real byte count before allocating.
  const expected = shape.reduce((a, b) => a * b, type.size);
  check(expected === bytes.length - dataStart, () =>
    fail(`shape [${shape}] of ${type.name} needs ${expected} data bytes but the file has ${bytes.length - dataStart}${expected > bytes.length - dataStart ? ' (truncated?)' : ''}`));
  if (type.size === 1 && type.name === 'uint8') return { type: type.name, shape, values: bytes.subarray(dataStart) };
  const count = expected / type.size;
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = type.read(view, dataStart + i * type.size);
  return { type: type.name, shape, values };
}

/**
 * Reads an IDX file (MNIST's format, plain or gzipped) into a tensor: uint8 pixels become
 * float32 values 0..255, or 0..1 with `{ scale: true }`:
 * `const x = my.data.readIdx('train-images-idx3-ubyte.gz', { scale: true })`.
 */
export function readIdx(path: string, opts: { scale?: boolean } = {}): Tensor {
  const { type, shape, values } = readIdxArray(path);
  if (type === 'float64') return fromStorage(values as Float64Array, shape);
  if (type === 'float32') return fromStorage(Float32Array.from(values), shape);
  if (opts.scale) {
    check(type === 'uint8', () => `readIdx('${path}'): scale applies to uint8 data, this file holds ${type}`);
    return fromStorage(Float32Array.from(values, (v) => v / 255), shape);
  }
  return fromStorage(exactFloatStorage(values), shape);
}
