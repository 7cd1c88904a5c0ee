import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import * as my from '../../src/index.js';
import { loadMetadataSync, serializeSafetensors } from '../../src/io/index.js';
import { describeBackends, expectClose } from '../helpers.js';

/** Written by test/fixtures/make_safetensors.py from PyTorch tensors. */
const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;
const expected = JSON.parse(readFileSync(fixture('safetensors.json'), 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'myelin-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bytesOf = (chunks: Uint8Array[]) => Buffer.concat(chunks);

describeBackends('safetensors interop with PyTorch', () => {
  it('reads every dtype PyTorch writes, with exact values (F16/BF16/ints widened to float)', async () => {
    for (const sd of [my.loadSync(fixture('dtypes.safetensors')), await my.load(fixture('dtypes.safetensors'))]) {
      expect(Object.keys(sd).sort()).toEqual(Object.keys(expected.dtypes).sort());
      for (const [name, want] of Object.entries(expected.dtypes) as [string, { dtype: string; shape: number[]; values: (number | string)[] }][]) {
        const t = sd[name];
        expect([name, t.dtype, t.shape]).toEqual([name, want.dtype, want.shape]);
        expect(Array.from(t.data)).toEqual(want.values.map(Number)); // toEqual tells -0 from 0; JSON spells Infinity as a string
      }
    }
    expect(loadMetadataSync(fixture('dtypes.safetensors'))).toEqual(expected.metadata);
  });

  it('writes F32/F64 files byte-identical to the reference layout', () => {
    const sd = my.loadSync(fixture('f32_f64.safetensors'));
    for (const [name, want] of Object.entries(expected.f32_f64) as [string, { dtype: string; values: number[] }][]) {
      expect(sd[name].dtype).toBe(want.dtype);
      expect(Array.from(sd[name].data)).toEqual(want.values);
    }
    const path = join(dir, 'layout.safetensors');
    my.saveSync(sd, path, { metadata: { note: 'layout check' } });
    expect(readFileSync(path).equals(readFileSync(fixture('f32_f64.safetensors')))).toBe(true);
  });

  it("loads a PyTorch MLP's state dict into Sequential and reproduces its output", () => {
    const model = new my.nn.Sequential(new my.nn.Linear(4, 8), new my.nn.ReLU(), new my.nn.Linear(8, 3));
    model.loadStateDict(my.loadSync(fixture('mlp.safetensors')));
    expectClose(model.forward(my.tensor(expected.mlp.input)), expected.mlp.output, { atol: 1e-6 });
  });

  it('refuses an int64 no float holds exactly, naming tensor and index', () => {
    expect(() => my.loadSync(fixture('i64_inexact.safetensors'))).toThrow(/tensor 'big' \(I64 \[1\]\) holds a value at index 0 beyond ±2\^53/);
  });

  it("matches the reference writer's own test vectors", () => {
    const attn = my.tensor([0, 1, 2, 3, 4, 5], { shape: [1, 2, 3] });
    const bytes = bytesOf(serializeSafetensors('test', { 'attn.0': attn }));
    const json = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
    expect(json.length).toBe(64); // already a multiple of 8: no padding
    expect(bytes.readBigUInt64LE(0)).toBe(64n);
    expect(bytes.subarray(8, 72).toString()).toBe(json);
    expect(Array.from(new Float32Array(bytes.buffer.slice(bytes.byteOffset + 72, bytes.byteOffset + 96)))).toEqual([0, 1, 2, 3, 4, 5]);
    const padded = bytesOf(serializeSafetensors('test', { attn0: attn.reshape(1, 1, 2, 3) }));
    expect(padded.readBigUInt64LE(0)).toBe(72n);
    expect(padded.subarray(8, 80).toString()).toMatch(/"data_offsets":\[0,24\]\}\} {7}$/);
    expect(bytesOf(serializeSafetensors('test', {})).toString('latin1')).toBe('\x08\0\0\0\0\0\0\0{}      ');
    const meta = bytesOf(serializeSafetensors('test', {}, { metadata: { framework: 'pt' } }));
    expect(meta.subarray(8).toString()).toBe('{"__metadata__":{"framework":"pt"}}     ');
  });

  it('round-trips float32 and float64 tensors of any shape, sync and async', async () => {
    const sd = {
      'layer.0.weight': my.randn([3, 5]),
      scalar: my.tensor(-1.5, { dtype: 'float64' }),
      empty: my.zeros([0, 4]),
      '2': my.randn([2, 2, 2], { dtype: 'float64' }),
    };
    my.saveSync(sd, join(dir, 'a.safetensors'));
    await my.save(sd, join(dir, 'b.safetensors'));
    for (const back of [my.loadSync(join(dir, 'b.safetensors')), await my.load(join(dir, 'a.safetensors'))]) {
      for (const [k, t] of Object.entries(sd)) {
        expect([k, back[k].dtype, back[k].shape]).toEqual([k, t.dtype, t.shape]);
        expect(Array.from(back[k].data)).toEqual(Array.from(t.data));
      }
    }
  });

  it('refuses what it cannot write with the offending key named', async () => {
    const path = join(dir, 'bad.safetensors');
    expect(() => my.saveSync({ w: [1, 2] as never }, path)).toThrow("saveSync: 'w' is not a Tensor (got object)");
    expect(() => my.saveSync({ __metadata__: my.zeros([1]) }, path)).toThrow(/'__metadata__' cannot name a tensor/);
    expect(() => my.saveSync(my.zeros([1]) as never, path)).toThrow(/saveSync: expected a state dict .* got a Tensor/);
    expect(() => my.saveSync({ w: my.zeros([1]) }, path, { metadata: { n: 1 as never } })).toThrow("saveSync: metadata 'n' must be a string, got number");
    await expect(my.save({ w: my.zeros([1]) }, '')).rejects.toThrow(/save: path must be a non-empty string/);
    expect(() => my.loadSync(join(dir, 'missing.safetensors'))).toThrow(/ENOENT/);
  });
});
