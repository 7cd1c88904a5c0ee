import { endianness } from 'node:os';
import type { Storage } from '../dtype.js';

/** Turns little-endian file bytes into values; `count` elements, the bytes already aligned and copied. */
type Decoder = (bytes: Uint8Array, count: number) => ArrayLike<number> | Storage;

export interface SafetensorsDType {
  /** Bytes per element. */
  size: number;
  /** Decodes into numbers; null for dtypes the format defines but myelin does not read. */
  decode: Decoder | null;
  /** Integer dtypes become the smallest float type holding every value exactly. */
  integer: boolean;
}

const littleEndianHost = endianness() === 'LE';

/** A copy of `bytes` in a fresh, aligned buffer, in host byte order. */
function hostOrder(bytes: Uint8Array, size: number): ArrayBuffer {
  const copy = Buffer.from(bytes);
  if (!littleEndianHost && size === 2) copy.swap16();
  if (!littleEndianHost && size === 4) copy.swap32();
  if (!littleEndianHost && size === 8) copy.swap64();
  // Buffer.from may share a pooled slab; slice out exactly our bytes.
  return copy.buffer.slice(copy.byteOffset, copy.byteOffset + copy.byteLength) as ArrayBuffer;
}

/** IEEE half precision to float (subnormals, infinities and NaN included). */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f, frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

const view = <T>(make: (b: ArrayBuffer) => T, size: number) => (bytes: Uint8Array) => make(hostOrder(bytes, size));

/** The safetensors dtypes by their header names. */
export const DTYPES: Record<string, SafetensorsDType> = {
  F64: { size: 8, integer: false, decode: view((b) => new Float64Array(b), 8) },
  F32: { size: 4, integer: false, decode: view((b) => new Float32Array(b), 4) },
  F16: { size: 2, integer: false, decode: (bytes) => Array.from(new Uint16Array(hostOrder(bytes, 2)), halfToFloat) },
  // bfloat16 is the top half of a float32: shifting it back up is exact.
  BF16: { size: 2, integer: false, decode: (bytes) => new Float32Array(Uint32Array.from(new Uint16Array(hostOrder(bytes, 2)), (h) => h << 16).buffer) },
  I64: { size: 8, integer: true, decode: (bytes) => Array.from(new BigInt64Array(hostOrder(bytes, 8)), bigToNumber) },
  I32: { size: 4, integer: true, decode: view((b) => new Int32Array(b), 4) },
  I16: { size: 2, integer: true, decode: view((b) => new Int16Array(b), 2) },
  I8: { size: 1, integer: true, decode: view((b) => new Int8Array(b), 1) },
  U8: { size: 1, integer: true, decode: view((b) => new Uint8Array(b), 1) },
  BOOL: { size: 1, integer: true, decode: view((b) => new Uint8Array(b), 1) },
  U64: { size: 8, integer: true, decode: null },
  U32: { size: 4, integer: true, decode: null },
  U16: { size: 2, integer: true, decode: null },
  F8_E5M2: { size: 1, integer: false, decode: null },
  F8_E4M3: { size: 1, integer: false, decode: null },
};

/** Beyond ±2^53 an int64 has no exact double: NaN marks it for the caller's exactness check. */
function bigToNumber(b: bigint): number {
  return b > 9007199254740992n || b < -9007199254740992n ? NaN : Number(b);
}

/** Names of the dtypes `load` reads, for error messages. */
export const READABLE = Object.keys(DTYPES).filter((k) => DTYPES[k].decode !== null);
