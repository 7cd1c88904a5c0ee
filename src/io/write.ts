import { endianness } from 'node:os';
import { Tensor } from '../tensor.js';
import { check } from '../check.js';
import { writeFileAtomic, writeFileAtomicSync } from './atomic.js';

export interface SaveOptions {
  /** Free-form strings stored under `__metadata__`. */
  metadata?: Record<string, string>;
}

const SAFETENSORS_DTYPE = { float64: 'F64', float32: 'F32' } as const;

/** The tensor's bytes, little-endian as the format requires. */
function littleEndianBytes(t: Tensor): Uint8Array {
  const bytes = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  if (endianness() === 'LE') return bytes;
  const copy = Buffer.from(bytes);
  return t.dtype === 'float64' ? copy.swap64() : copy.swap32();
}

/**
 * Lays out a safetensors file as the reference writer does: tensors sorted by dtype
 * (F64 before F32) then by name, packed back to back; the JSON header, `__metadata__` first,
 * padded with spaces to a multiple of 8 bytes so the data section starts 8-byte aligned.
 */
export function serializeSafetensors(fn: string, stateDict: Record<string, Tensor>, opts: SaveOptions = {}): Uint8Array[] {
  check(stateDict !== null && typeof stateDict === 'object' && !(stateDict instanceof Tensor), () =>
    `${fn}: expected a state dict (an object of Tensors by name), got ${stateDict instanceof Tensor ? 'a Tensor' : String(stateDict)}`);
  const entries = Object.entries(stateDict);
  for (const [name, t] of entries) {
    check(name.length > 0 && name !== '__metadata__', () => `${fn}: '${name}' cannot name a tensor in safetensors`);
    check(t instanceof Tensor, () => `${fn}: '${name}' is not a Tensor (got ${t === null ? 'null' : typeof t})`);
  }
  const { metadata } = opts;
  if (metadata !== undefined) {
    check(metadata !== null && typeof metadata === 'object', () => `${fn}: metadata must be an object of strings`);
    for (const [k, v] of Object.entries(metadata)) check(typeof v === 'string', () => `${fn}: metadata '${k}' must be a string, got ${typeof v}`);
  }
  // Rust compares names as UTF-8 bytes; Buffer.compare does the same.
  const utf8 = (s: string) => Buffer.from(s, 'utf8');
  entries.sort(([a, ta], [b, tb]) => (ta.dtype === tb.dtype ? Buffer.compare(utf8(a), utf8(b)) : ta.dtype === 'float64' ? -1 : 1));
  // The JSON is assembled by hand because JS objects reorder integer-like keys ("0", "1").
  const parts: string[] = [];
  if (metadata !== undefined) {
    const sortedMeta = Object.keys(metadata).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(metadata[k])}`);
    parts.push(`"__metadata__":{${sortedMeta.join(',')}}`);
  }
  let offset = 0;
  const data: Uint8Array[] = [];
  for (const [name, t] of entries) {
    const bytes = littleEndianBytes(t);
    parts.push(`${JSON.stringify(name)}:{"dtype":"${SAFETENSORS_DTYPE[t.dtype]}","shape":${JSON.stringify(t.shape)},"data_offsets":[${offset},${offset + bytes.length}]}`);
    offset += bytes.length;
    data.push(bytes);
  }
  const json = Buffer.from(`{${parts.join(',')}}`, 'utf8');
  const header = Buffer.alloc(Math.ceil(json.length / 8) * 8, ' ');
  json.copy(header);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(header.length));
  return [length, header, ...data];
}

/** Writes a state dict as safetensors, atomically: `my.saveSync(model.stateDict(), 'model.safetensors')`. */
export function saveSync(stateDict: Record<string, Tensor>, path: string, opts: SaveOptions = {}): void {
  check(typeof path === 'string' && path.length > 0, () => `saveSync: path must be a non-empty string, got ${String(path)}`);
  writeFileAtomicSync('saveSync', path, serializeSafetensors('saveSync', stateDict, opts));
}

/** Writes a state dict as safetensors, atomically: `await my.save(model.stateDict(), 'model.safetensors')`. */
export async function save(stateDict: Record<string, Tensor>, path: string, opts: SaveOptions = {}): Promise<void> {
  check(typeof path === 'string' && path.length > 0, () => `save: path must be a non-empty string, got ${String(path)}`);
  await writeFileAtomic('save', path, serializeSafetensors('save', stateDict, opts));
}
