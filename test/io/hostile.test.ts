import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as my from '../../src/index.js';
import { describeBackends } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'myelin-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file from a header object (or raw header text) and a data section of `dataBytes` bytes. */
function file(header: object | string, dataBytes: number, headerLength?: bigint): Buffer {
  const json = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(headerLength ?? BigInt(json.length));
  return Buffer.concat([len, json, Buffer.alloc(dataBytes)]);
}

const f32 = (shape: number[], begin: number, end: number) => ({ dtype: 'F32', shape, data_offsets: [begin, end] });

/** Each case: the bytes and the message a reader must refuse them with. */
const cases: [string, Buffer, RegExp][] = [
  ['empty file', Buffer.alloc(0), /0 bytes is shorter than the 8-byte header length/],
  ['shorter than the length field', Buffer.from([1, 0, 0]), /3 bytes is shorter than the 8-byte header length/],
  ['huge header length (2^63)', file({}, 0, 2n ** 63n), /header length 9223372036854775808 exceeds the 100000000-byte limit/],
  ['header length past the end of the file', file({}, 0, 4096n), /header length 4096 runs past the end of the 10-byte file \(truncated\?\)/],
  ['truncated data section', file({ a: f32([4], 0, 16) }, 10), /tensor 'a': data_offsets \[0,16\] run past the 10-byte data section/],
  ['not JSON', file('{"a": nope}', 0), /the header is not valid JSON/],
  ['JSON but not an object', file('[1,2]', 0), /the header is not a JSON object/],
  ['invalid UTF-8', file('{"\xff"}', 0), /not valid JSON|not valid UTF-8/],
  ['bad dtype', file({ a: { dtype: 'F33', shape: [1], data_offsets: [0, 4] } }, 4), /tensor 'a': unknown dtype "F33"; safetensors dtypes are F64, F32/],
  ['dtype myelin does not read', file({ a: { dtype: 'U32', shape: [1], data_offsets: [0, 4] } }, 4), /tensor 'a' has dtype U32, which myelin does not read \(it reads F64, F32, F16, BF16, I64, I32/],
  ['shape/bytes mismatch', file({ a: f32([2, 3], 0, 20) }, 20), /tensor 'a': shape \[2,3\] of F32 needs 24 bytes but data_offsets \[0,20\] hold 20/],
  ['overlapping offsets', file({ a: f32([2], 0, 8), b: f32([2], 4, 12) }, 12), /tensor 'b': data_offsets \[4,12\] overlap the previous tensor, which ends at 8/],
  ['gap between tensors', file({ a: f32([1], 0, 4), b: f32([1], 8, 12) }, 12), /tensor 'b': data_offsets begin at 8, leaving bytes 4..7 unused/],
  ['trailing bytes', file({ a: f32([1], 0, 4) }, 12), /the tensors cover 4 of the 12 bytes after the header/],
  ['begin after end', file({ a: f32([0], 8, 4) }, 8), /data_offsets must be \[begin, end\] with 0 <= begin <= end, got \[8,4\]/],
  ['negative offset', file({ a: f32([1], -4, 0) }, 0), /data_offsets must be .* got \[-4,0\]/],
  ['fractional shape', file({ a: f32([1.5], 0, 6) }, 6), /tensor 'a': shape must be an array of non-negative integers, got \[1.5\]/],
  ['shape overflowing any size', file({ a: f32([2 ** 40, 2 ** 40, 2 ** 40], 0, 8) }, 8), /shape \[1099511627776,1099511627776,1099511627776\] of F32 needs more than 2\^53 bytes/],
  ['entry not an object', file({ a: 3 }, 0), /tensor 'a': expected \{ dtype, shape, data_offsets \}, got 3/],
  ['unknown entry fields', file({ a: { ...f32([1], 0, 4), extra: 1 } }, 4), /tensor 'a': unknown fields \["extra"\]/],
  ['metadata not strings', file({ __metadata__: { a: 1 } }, 0), /__metadata__\['a'\] must be a string, got 1/],
];

describeBackends('safetensors reader refuses hostile files', () => {
  for (const [name, bytes, message] of cases) {
    it(name, async () => {
      const path = join(dir, `${name.replace(/\W+/g, '_')}.safetensors`);
      writeFileSync(path, bytes);
      expect(() => my.loadSync(path)).toThrow(message);
      expect(() => my.loadSync(path)).toThrow(`loadSync('${path}'): `);
      await expect(my.load(path)).rejects.toThrow(message);
    });
  }

  it('accepts the edge cases the format allows: no tensors, empty tensors, unpadded headers', () => {
    const path = join(dir, 'edge.safetensors');
    writeFileSync(path, file({ e: f32([0, 5], 0, 0), s: f32([], 0, 4) }, 4));
    const sd = my.loadSync(path);
    expect([sd.e.shape, sd.s.shape, sd.s.item()]).toEqual([[0, 5], [], 0]);
    writeFileSync(path, file({}, 0));
    expect(my.loadSync(path)).toEqual({});
  });
});

describe('missing files', () => {
  it('name the function and the path', async () => {
    expect(() => my.loadSync('/nonexistent/model.safetensors')).toThrow(/^loadSync\('\/nonexistent\/model.safetensors'\): ENOENT/);
    await expect(my.load('/nonexistent/model.safetensors')).rejects.toThrow(/^load\('\/nonexistent\/model.safetensors'\): ENOENT/);
  });
});
