import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import { describeBackends } from '../helpers.js';

const counts = (y: Int32Array, k: number) => y.reduce((c, v) => (c[v]++, c), new Array(k).fill(0));

describeBackends('built-in data sets', () => {
  it('digits: the shipped 1797 8x8 images, scaled to [0, 1] or raw 0..16', () => {
    const { x, y } = my.data.digits();
    expect([x.shape, x.dtype, y.length]).toEqual([[1797, 64], 'float32', 1797]);
    expect(counts(y, 10)).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    const raw = my.data.digits({ scale: false });
    expect(Array.from(raw.x.data.subarray(0, 8))).toEqual([0, 0, 5, 13, 9, 1, 0, 0]);
    expect(Math.max(...raw.x.data)).toBe(16);
    expect(x.data[3]).toBe(13 / 16);
  });

  it('spirals: n points over the arms, radius growing 0 to 1 along each arm whatever the noise', () => {
    const { x, y } = my.data.spirals({ n: 301, classes: 3, noise: 0.3, seed: 0 });
    expect([x.shape, counts(y, 3)]).toEqual([[301, 2], [101, 100, 100]]);
    const p = x.toArray() as number[][];
    // Noise turns the angle only, so the radius of point i on an arm of m is i/(m-1).
    expect(Math.hypot(...p[50])).toBeCloseTo(0.5, 6);
    expect(Math.hypot(...p[100])).toBeCloseTo(1, 6);
    expect(Math.hypot(...p[101])).toBeCloseTo(0, 6);
    const clean = my.data.spirals({ n: 3, classes: 3, noise: 0 }).x.toArray() as number[][];
    expect(clean.map((q) => Math.hypot(...q))).toEqual([0, 0, 0]); // one point per arm: its start
    const arm = my.data.spirals({ n: 4, classes: 2, noise: 0 }).x.toArray() as number[][];
    expect(arm[1][0]).toBeCloseTo(Math.sin(4), 6); // end of arm 0: radius 1, angle 4
    expect(arm[1][1]).toBeCloseTo(Math.cos(4), 6);
  });

  it('moons: without noise, points on the two arcs of scikit-learn make_moons', () => {
    const { x, y } = my.data.moons({ n: 5, noise: 0 });
    expect(Array.from(y)).toEqual([0, 0, 1, 1, 1]);
    const p = x.toArray() as number[][];
    expect(p[0]).toEqual([1, 0]);
    expect(p[1][0]).toBeCloseTo(-1, 6);
    expect(p[2]).toEqual([0, 0.5]);
    expect(p[3][0]).toBeCloseTo(1, 6);
    expect(p[3][1]).toBeCloseTo(-0.5, 6);
    expect(p[4][0]).toBeCloseTo(2, 6);
  });

  it('xor: the truth table without noise, balanced noisy corners with it', () => {
    const t = my.data.xor({ n: 4, noise: 0 });
    expect([t.x.toArray(), Array.from(t.y)]).toEqual([[[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0]]);
    const { x, y } = my.data.xor({ n: 4000, noise: 0.1, seed: 1 });
    expect(counts(y, 2)).toEqual([2000, 2000]);
    // Deviations from the corners have mean ~0 and standard deviation ~noise.
    const p = x.toArray() as number[][];
    const dev = p.flatMap(([a, b], i) => [a - ((i >> 1) & 1), b - (i & 1)]);
    const mean = dev.reduce((s, v) => s + v, 0) / dev.length;
    const sd = Math.sqrt(dev.reduce((s, v) => s + (v - mean) ** 2, 0) / dev.length);
    expect(Math.abs(mean)).toBeLessThan(0.005);
    expect(sd).toBeCloseTo(0.1, 2);
  });

  it('a seed reproduces a set; different seeds differ', () => {
    const a = my.data.moons({ n: 50, seed: 3 }).x.data, b = my.data.moons({ n: 50, seed: 3 }).x.data;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(my.data.moons({ n: 50, seed: 4 }).x.data)).not.toEqual(Array.from(a));
  });

  it('refuses bad options', () => {
    expect(() => my.data.spirals({ classes: 1 })).toThrow('spirals: classes must be an integer >= 2, got 1');
    expect(() => my.data.spirals({ n: 2, classes: 3 })).toThrow('spirals: n must be an integer >= 3, got 2');
    expect(() => my.data.moons({ noise: -1 })).toThrow('moons: noise must be a number >= 0, got -1');
    expect(() => my.data.xor({ n: 0 })).toThrow('xor: n must be an integer >= 1, got 0');
    expect(() => my.data.xor({ seed: 0.5 })).toThrow('xor: seed must be an integer, got 0.5');
  });
});
