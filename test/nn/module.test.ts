import { expect, it } from 'vitest';
import * as my from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { describeBackends, expectClose } from '../helpers.js';

const nn = my.nn;

class Block extends nn.Module {
  fc1 = new nn.Linear(4, 3);
  act = new nn.ReLU();
  drop = new nn.Dropout(0.5);
  head = new nn.Sequential(new nn.Linear(3, 2), new nn.Tanh(), new nn.PReLU({ numParameters: 2 }));
  forward(x: Tensor): Tensor {
    return this.head.forward(this.drop.forward(this.act.forward(this.fc1.forward(x))));
  }
}

describeBackends('Module', () => {
  it('names parameters with PyTorch keys, nested and in Sequential', () => {
    const m = new Block();
    expect(Object.keys(m.stateDict())).toEqual(['fc1.weight', 'fc1.bias', 'head.0.weight', 'head.0.bias', 'head.2.weight']);
    expect(m.parameters().length).toBe(5);
    expect(m.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['fc1.weight', [3, 4]], ['fc1.bias', [3]], ['head.0.weight', [2, 3]], ['head.0.bias', [2]], ['head.2.weight', [2]],
    ]);
    expectClose(m.stateDict()['head.2.weight'], [0.25, 0.25]);
    const maxout = new nn.Maxout(4, 3, 2);
    expect(Object.keys(maxout.stateDict())).toEqual(['linear.weight', 'linear.bias']);
  });

  it('train()/eval() reach every submodule; dropout is the identity in eval', () => {
    const m = new Block();
    m.eval();
    expect([m.training, m.drop.training, m.head.training, m.head[0].training]).toEqual([false, false, false, false]);
    const x = my.randn([5, 4]);
    expectClose(m.forward(x), m.forward(x), { atol: 0 });
    m.train();
    expect(m.drop.training && m.head[2].training).toBe(true);
  });

  it('loadStateDict copies values (sharing no storage) and refuses missing, extra or misshapen entries', () => {
    const a = new Block(), b = new Block();
    b.loadStateDict(a.stateDict());
    for (const [k, v] of Object.entries(a.stateDict())) expectClose(b.stateDict()[k], v, { atol: 0 });
    expect(b.fc1.weight.data).not.toBe(a.fc1.weight.data);
    const sd = a.stateDict();
    const { ['fc1.bias']: _dropped, ...missing } = sd;
    expect(() => b.loadStateDict(missing)).toThrow(/loadStateDict: Block: missing keys \["fc1.bias"\]/);
    expect(() => b.loadStateDict({ ...sd, extra: my.zeros([1]) })).toThrow(/unexpected keys \["extra"\]/);
    expect(() => b.loadStateDict({ ...sd, 'fc1.weight': my.zeros([4, 3]) })).toThrow(/'fc1.weight' has shape \[4,3\] in the state dict but \[3,4\] in Block/);
    b.loadStateDict(missing, { strict: false });
  });

  it('zeroGrad clears gradients; to(dtype) converts every parameter and returns the module', () => {
    const m = new Block().eval();
    m.forward(my.randn([2, 4])).sum().backward();
    expect(m.fc1.weight.grad).not.toBeNull();
    m.zeroGrad();
    expect(m.parameters().every((p) => p.grad === null)).toBe(true);
    expect(m.to('float64')).toBe(m);
    expect(m.parameters().every((p) => p.dtype === 'float64' && p.requiresGrad)).toBe(true);
    expect(m.forward(my.randn([2, 4], { dtype: 'float64' })).dtype).toBe('float64');
  });

  it('Sequential fuses Linear→activation pairs with the same values and gradients as running them apart', () => {
    for (const act of [new nn.ReLU(), new nn.LeakyReLU({ negativeSlope: 0.2 }), new nn.ELU(), new nn.GELU(), new nn.SiLU(), new nn.Sigmoid(), new nn.Tanh(), new nn.LeakyReLU({ negativeSlope: -0.5 })]) {
      my.manualSeed(1);
      const seq = new nn.Sequential(new nn.Linear(4, 6), act, new nn.Linear(6, 2));
      const x = my.randn([3, 2, 4]);
      const y = seq.forward(x);
      expect(y.shape).toEqual([3, 2, 2]);
      const first = seq[0] as my.nn.Linear;
      const ref = seq[2].forward(act.forward(my.add(my.matmul(x, first.weight.T), first.bias!)));
      expectClose(y, ref, { atol: 1e-5 });
      y.sum().backward();
      const g = seq.parameters().map((p) => p.grad!);
      seq.zeroGrad();
      ref.sum().backward();
      seq.parameters().forEach((p, i) => expectClose(g[i], p.grad!, { atol: 1e-5 }));
      expect(Object.keys(seq.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    }
    // The fused graph has one node for Linear + ReLU.
    const seq = new nn.Sequential(new nn.Linear(2, 2), new nn.ReLU());
    expect(seq.forward(my.randn([1, 2])).gradFn!.name).toBe('linearAct');
  });

  it('Linear checks its input width and promotes float64 inputs', () => {
    const l = new nn.Linear(3, 2);
    expect(() => l.forward(my.randn([4, 5]))).toThrow(/Linear\(3, 2\): input \[4,5\] float32 must end in 3 features/);
    expect(l.forward(my.randn([4, 3], { dtype: 'float64' })).dtype).toBe('float64');
    expect(() => new nn.Sequential(new nn.ReLU(), 3 as unknown as my.nn.Module)).toThrow(/Sequential: argument 1 is not a Module/);
  });
});

describeBackends('Dropout', () => {
  it('zeroes about p of the elements and scales the rest by 1/(1-p), reproducibly', () => {
    my.manualSeed(7);
    const d = new nn.Dropout(0.3);
    const x = my.ones([20000]);
    const y = d.forward(x);
    const zeros = Array.from(y.data).filter((v) => v === 0).length;
    expect(Math.abs(zeros / 20000 - 0.3)).toBeLessThan(0.015);
    expect(Array.from(y.data).every((v) => v === 0 || Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
    expect(Math.abs(y.mean().item() - 1)).toBeLessThan(0.03);
    my.manualSeed(7);
    expectClose(d.forward(x), y, { atol: 0 });
    const xg = my.ones([10], { requiresGrad: true });
    const yg = d.forward(xg);
    yg.sum().backward();
    expectClose(xg.grad!, yg.detach(), { atol: 0 });
    d.eval();
    expect(d.forward(x)).toBe(x);
  });

  it('refuses p outside [0, 1)', () => {
    for (const p of [-0.1, 1, 1.5, NaN]) expect(() => new nn.Dropout(p)).toThrow(/Dropout: p must be a probability in \[0, 1\)/);
    expect(() => nn.functional.dropout(my.ones([2]), { p: 1 })).toThrow(/dropout: p must be a probability in \[0, 1\), got 1/);
  });
});

describeBackends('activation modules', () => {
  it('PReLU learns its slope; RReLU uses the mean slope in eval; Maxout takes the max of k pieces', () => {
    const pr = new nn.PReLU({ numParameters: 3, init: 0.1 });
    const x = my.tensor([[-1, 2, -3], [4, -5, 6]]);
    const y = pr.forward(x);
    expectClose(y, [[-0.1, 2, -0.3], [4, -0.5, 6]]);
    y.sum().backward();
    expectClose(pr.weight.grad!, [-1, -5, -3]);
    expect(() => pr.forward(my.randn([2, 4]))).toThrow(/prelu: weight \[3\] must have 1 or 4 elements/);
    const rr = new nn.RReLU({ lower: 0.1, upper: 0.5 }).eval();
    expectClose(rr.forward(my.tensor([-2, 3])), [-0.6, 3]);
    const mo = new nn.Maxout(2, 2, 3);
    const xm = my.tensor([[0.5, -1.5]]);
    const pieces = mo.linear.forward(xm).reshape(1, 2, 3);
    expectClose(mo.forward(xm), pieces.max(-1));
    expect(() => new nn.Maxout(2, 2, 0)).toThrow(/Maxout: k must be a positive integer, got 0/);
    expectClose(new nn.Softmax({ dim: 0 }).forward(my.tensor([0, 0])), [0.5, 0.5]);
    expectClose(new nn.Hardtanh({ minVal: 0, maxVal: 1 }).forward(my.tensor([-1, 0.5, 2])), [0, 0.5, 1]);
    expect(new nn.Identity().forward(x)).toBe(x);
  });
});
