import { check, fmtShape } from '../check.js';
import { DTYPES } from './dtypes.js';

/** The reference reader's cap on the header (100 MB): larger is a hostile or broken file. */
export const MAX_HEADER_BYTES = 100_000_000;

export interface TensorEntry {
  name: string;
  dtype: string;
  shape: number[];
  /** Byte range inside the data section. */
  begin: number;
  end: number;
}

export interface ParsedHeader {
  entries: TensorEntry[];
  metadata: Record<string, string> | null;
  /** Where the data section starts in the file. */
  dataStart: number;
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Validates the header of a safetensors file of `fileSize` bytes whose first bytes are
 * `head` (at least 8, up to the whole file), as strictly as the reference reader: length
 * within the file, UTF-8 JSON object, every entry's dtype, shape and offsets, offsets
 * contiguous from 0 to the end of the file, shape × dtype size equal to the byte length.
 */
export function parseHeader(head: Uint8Array, fileSize: number, where: string): ParsedHeader {
  const fail = (msg: string) => `${where}: not a valid safetensors file: ${msg}`;
  check(fileSize >= 8 && head.length >= 8, () => fail(`${fileSize} bytes is shorter than the 8-byte header length`));
  const n = Buffer.from(head.buffer, head.byteOffset, 8).readBigUInt64LE(0);
  // Checked against the real file size before anything of that size is read or allocated.
  check(n <= BigInt(MAX_HEADER_BYTES), () => fail(`header length ${n} exceeds the ${MAX_HEADER_BYTES}-byte limit`));
  const headerBytes = Number(n);
  check(8 + headerBytes <= fileSize, () => fail(`header length ${headerBytes} runs past the end of the ${fileSize}-byte file (truncated?)`));
  check(head.length >= 8 + headerBytes, () => fail('header not fully read'));
  let text: string;
  try {
    text = fatalUtf8.decode(head.subarray(8, 8 + headerBytes));
  } catch {
    throw new Error(fail('the header is not valid UTF-8'));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(fail(`the header is not valid JSON (${(e as Error).message})`));
  }
  check(json !== null && typeof json === 'object' && !Array.isArray(json), () => fail('the header is not a JSON object'));
  const dataStart = 8 + headerBytes;
  const { __metadata__: meta, ...tensors } = json as Record<string, unknown>;
  const metadata = meta === undefined ? null : checkMetadata(meta, fail);
  const entries = Object.entries(tensors).map(([name, info]) => checkEntry(name, info, fail));
  checkLayout(entries, fileSize - dataStart, fail);
  return { entries, metadata, dataStart };
}

function checkMetadata(meta: unknown, fail: (m: string) => string): Record<string, string> {
  check(meta !== null && typeof meta === 'object' && !Array.isArray(meta), () => fail('__metadata__ must be an object of strings'));
  for (const [k, v] of Object.entries(meta)) check(typeof v === 'string', () => fail(`__metadata__['${k}'] must be a string, got ${JSON.stringify(v)}`));
  return meta as Record<string, string>;
}

const isIndex = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;

function checkEntry(name: string, info: unknown, fail: (m: string) => string): TensorEntry {
  const what = `tensor '${name}'`;
  check(info !== null && typeof info === 'object' && !Array.isArray(info), () => fail(`${what}: expected { dtype, shape, data_offsets }, got ${JSON.stringify(info)}`));
  const { dtype, shape, data_offsets: offsets, ...extra } = info as Record<string, unknown>;
  check(Object.keys(extra).length === 0, () => fail(`${what}: unknown fields ${JSON.stringify(Object.keys(extra))}`));
  check(typeof dtype === 'string' && dtype in DTYPES, () =>
    fail(`${what}: unknown dtype ${JSON.stringify(dtype)}; safetensors dtypes are ${Object.keys(DTYPES).join(', ')}`));
  check(Array.isArray(shape) && shape.every(isIndex), () => fail(`${what}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`));
  check(Array.isArray(offsets) && offsets.length === 2 && offsets.every(isIndex) && offsets[0] <= offsets[1], () =>
    fail(`${what}: data_offsets must be [begin, end] with 0 <= begin <= end, got ${JSON.stringify(offsets)}`));
  return { name, dtype, shape: shape as number[], begin: (offsets as number[])[0], end: (offsets as number[])[1] };
}

/** Offsets tile the data section exactly (no gap, no overlap), and each range fits its shape. */
function checkLayout(entries: TensorEntry[], dataBytes: number, fail: (m: string) => string): void {
  const sorted = entries.slice().sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const e of sorted) {
    check(e.end <= dataBytes, () => fail(`tensor '${e.name}': data_offsets [${e.begin},${e.end}] run past the ${dataBytes}-byte data section`));
    check(e.begin === expected, () =>
      fail(e.begin < expected
        ? `tensor '${e.name}': data_offsets [${e.begin},${e.end}] overlap the previous tensor, which ends at ${expected}`
        : `tensor '${e.name}': data_offsets begin at ${e.begin}, leaving bytes ${expected}..${e.begin - 1} unused`));
    // Multiply step by step against the range so a huge shape cannot overflow unnoticed.
    let bytes = e.shape.includes(0) ? 0 : DTYPES[e.dtype].size;
    for (const d of e.shape) bytes = bytes * d > Number.MAX_SAFE_INTEGER ? Infinity : bytes * d;
    check(bytes === e.end - e.begin, () =>
      fail(`tensor '${e.name}': shape ${fmtShape(e.shape)} of ${e.dtype} needs ${bytes === Infinity ? 'more than 2^53' : bytes} bytes but data_offsets [${e.begin},${e.end}] hold ${e.end - e.begin}`));
    expected = e.end;
  }
  check(expected === dataBytes, () => fail(`the tensors cover ${expected} of the ${dataBytes} bytes after the header`));
}
