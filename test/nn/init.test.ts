import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { describeBackends } from '../helpers.js';

const init = my.nn.init;

function stats(t: Tensor): { mean: number; std: number; min: number; max: number } {
  const d = Array.from(t.data);
  const mean = d.reduce((s, v) => s + v, 0) / d.length;
  const std = Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / d.length);
  return { mean, std, min: Math.min(...d), max: Math.max(...d) };
}

describeBackends('nn.init', () => {
  it('fans follow PyTorch ([out, in, ...receptive field]) and gains match calculate_gain', () => {
    expect(init.fans(my.zeros([8, 3, 5, 5]))).toEqual({ fanIn: 75, fanOut: 200 });
    expect(init.calculateGain('leaky_relu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(2 / 6), 12);
    expect(init.calculateGain('tanh')).toBeCloseTo(5 / 3, 12);
    expect(() => init.fans(my.zeros([3]))).toThrow(/at least 2 dims, got \[3\]/);
  });

  it('draws have the stated bounds, means and standard deviations', () => {
    my.manualSeed(0);
    const t = my.zeros([200, 100]);
    let s = stats(init.uniform(t, -2, 1));
    expect(s.min).toBeGreaterThanOrEqual(-2); expect(s.max).toBeLessThan(1);
    expect(Math.abs(s.mean + 0.5)).toBeLessThan(0.03);
    s = stats(init.normal(t, 1, 3));
    expect(Math.abs(s.mean - 1)).toBeLessThan(0.05); expect(Math.abs(s.std - 3)).toBeLessThan(0.05);
    s = stats(init.kaimingNormal(t, { nonlinearity: 'relu' }));
    expect(Math.abs(s.std - Math.sqrt(2 / 100))).toBeLessThan(0.003);
    s = stats(init.kaimingUniform(t, { mode: 'fanOut', nonlinearity: 'relu' }));
    const b = Math.sqrt(2) * Math.sqrt(3 / 200);
    expect(s.max).toBeLessThanOrEqual(b); expect(s.max).toBeGreaterThan(0.99 * b);
    s = stats(init.xavierUniform(t));
    expect(Math.abs(s.std - Math.sqrt(6 / 300) / Math.sqrt(3))).toBeLessThan(0.002);
    s = stats(init.xavierNormal(t, 2));
    expect(Math.abs(s.std - 2 * Math.sqrt(2 / 300))).toBeLessThan(0.003);
    expect(stats(init.zeros(t)).max).toBe(0);
  });

  it("Linear's default init is PyTorch's: weight U(±1/sqrt(in)) from kaiming a = sqrt(5), bias U(±1/sqrt(in))", () => {
    my.manualSeed(1);
    const l = new my.nn.Linear(400, 300);
    // kaiming_uniform(a=√5): bound = sqrt(2/(1+5))·sqrt(3/fan_in) = 1/sqrt(fan_in).
    const bound = 1 / Math.sqrt(400);
    const w = stats(l.weight), bias = stats(l.bias!);
    expect(w.max).toBeLessThanOrEqual(bound); expect(w.min).toBeGreaterThanOrEqual(-bound);
    expect(w.max).toBeGreaterThan(0.99 * bound);
    expect(Math.abs(w.std - bound / Math.sqrt(3))).toBeLessThan(0.001);
    expect(bias.max).toBeLessThanOrEqual(bound); expect(bias.min).toBeGreaterThanOrEqual(-bound);
    expect(Math.abs(bias.std - bound / Math.sqrt(3))).toBeLessThan(0.2 * bound);
    my.manualSeed(1);
    expect(Array.from(new my.nn.Linear(400, 300).weight.data)).toEqual(Array.from(l.weight.data));
  });
});
