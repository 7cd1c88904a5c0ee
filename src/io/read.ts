import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Tensor } from '../tensor.js';
import { fromStorage } from '../creation.js';
import { check, fmtShape } from '../check.js';
import { DTYPES, READABLE } from './dtypes.js';
import { parseHeader, type TensorEntry } from './header.js';
import { exactFloatStorage } from './exact.js';

/** The entry's values as a float32 or float64 tensor: floats keep their width (halves widen), integers take the narrowest exact type. */
function decodeEntry(e: TensorEntry, data: Uint8Array, where: string): Tensor {
  const info = DTYPES[e.dtype];
  check(info.decode !== null, () => `${where}: tensor '${e.name}' has dtype ${e.dtype}, which myelin does not read (it reads ${READABLE.join(', ')})`);
  const count = (e.end - e.begin) / info.size;
  const values = info.decode(data.subarray(e.begin, e.end), count);
  if (values instanceof Float32Array || values instanceof Float64Array) return fromStorage(values, e.shape);
  if (!info.integer) return fromStorage(Float32Array.from(values), e.shape);
  for (let i = 0; i < values.length; i++) {
    check(!Number.isNaN(values[i]), () => `${where}: tensor '${e.name}' (${e.dtype} ${fmtShape(e.shape)}) holds a value at index ${i} beyond ±2^53, which no float tensor represents exactly`);
  }
  return fromStorage(exactFloatStorage(values), e.shape);
}

/** Parses a whole safetensors file held in `bytes` (its real size, so no claimed size is trusted). */
export function parseSafetensors(bytes: Uint8Array, where: string): { tensors: Record<string, Tensor>; metadata: Record<string, string> | null } {
  const { entries, metadata, dataStart } = parseHeader(bytes, bytes.length, where);
  const data = bytes.subarray(dataStart);
  const tensors: Record<string, Tensor> = {};
  for (const e of entries) tensors[e.name] = decodeEntry(e, data, where);
  return { tensors, metadata };
}

/** Runs a file read, naming the calling function and the path when it fails (ENOENT, EISDIR, ...). */
function reading<T>(where: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    throw new Error(`${where}: ${(err as Error).message}`, { cause: err });
  }
}

async function readingAsync<T>(where: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    throw new Error(`${where}: ${(err as Error).message}`, { cause: err });
  }
}

/** Reads a safetensors file (from PyTorch too) into tensors by name: `const sd = my.loadSync('model.safetensors')`. */
export function loadSync(path: string): Record<string, Tensor> {
  check(typeof path === 'string', () => `loadSync: path must be a string, got ${typeof path}`);
  const where = `loadSync('${path}')`;
  return parseSafetensors(reading(where, () => readFileSync(path)), where).tensors;
}

/** Reads a safetensors file (from PyTorch too) into tensors by name: `model.loadStateDict(await my.load('model.safetensors'))`. */
export async function load(path: string): Promise<Record<string, Tensor>> {
  check(typeof path === 'string', () => `load: path must be a string, got ${typeof path}`);
  const where = `load('${path}')`;
  return parseSafetensors(await readingAsync(where, () => readFile(path)), where).tensors;
}

/** The `__metadata__` strings of a safetensors file, or null: `loadMetadataSync('model.safetensors')`. */
export function loadMetadataSync(path: string): Record<string, string> | null {
  const where = `loadMetadataSync('${path}')`;
  const bytes = reading(where, () => readFileSync(path));
  return parseHeader(bytes, bytes.length, where).metadata;
}
