#!/usr/bin/python3
"""PyTorch goldens for myelin's ops: values and gradients of a broad sample.

  /usr/bin/python3 test/goldens/ops.py    # writes test/goldens/ops.json (torch 1.13, Debian)

Each case applies one expression (mirrored by name in test/ops/goldens.test.ts) to float64
inputs, then backpropagates loss = sum(out * w) with w[i] = cos(1 + 0.7 i) of out's shape.
"""
import json, math, os
import torch

torch.manual_seed(0)
g = torch.Generator().manual_seed(1234)


def rnd(*shape, positive=False):
    x = torch.rand(*shape, generator=g, dtype=torch.float64) * 2.6 - 1.3
    x = x + torch.sign(x) * 0.2  # away from the kinks of abs, relu, max
    return x.abs() + 0.3 if positive else x


def spd(n):
    a = rnd(n, n)
    return a + 3 * torch.eye(n, dtype=torch.float64)


CASES = {
    'add broadcast': (lambda a, b: a + b, [rnd(2, 3), rnd(3)]),
    'sub number': (lambda a: a - 0.5, [rnd(2, 2)]),
    'number minus': (lambda a: 2 - a, [rnd(3)]),
    'mul broadcast': (lambda a, b: a * b, [rnd(2, 1), rnd(1, 3)]),
    'div': (lambda a, b: a / b, [rnd(2, 3), rnd(2, 3, positive=True)]),
    'pow tensor': (lambda a, b: a ** b, [rnd(2, 3, positive=True), rnd(3)]),
    'pow number': (lambda a: a ** 3, [rnd(4)]),
    'maximum': (lambda a, b: torch.maximum(a, b), [rnd(2, 3), rnd(2, 3)]),
    'minimum': (lambda a, b: torch.minimum(a, b), [rnd(2, 3), rnd(3)]),
    'neg': (lambda a: -a, [rnd(3)]),
    'exp': (torch.exp, [rnd(2, 3)]),
    'log': (torch.log, [rnd(2, 3, positive=True)]),
    'sqrt': (torch.sqrt, [rnd(2, 3, positive=True)]),
    'abs': (torch.abs, [rnd(2, 3)]),
    'sin': (torch.sin, [rnd(2, 3)]),
    'cos': (torch.cos, [rnd(2, 3)]),
    'tanh': (torch.tanh, [rnd(2, 3)]),
    'sigmoid': (torch.sigmoid, [rnd(2, 3) * 3]),
    'relu': (torch.relu, [rnd(2, 3)]),
    'square': (torch.square, [rnd(2, 3)]),
    'reciprocal': (torch.reciprocal, [rnd(2, 3, positive=True)]),
    'sum all': (lambda a: a.sum(), [rnd(2, 3, 2)]),
    'sum dims keepdim': (lambda a: a.sum((0, 2), keepdim=True), [rnd(2, 3, 2)]),
    'mean dim': (lambda a: a.mean(1), [rnd(2, 3, 2)]),
    'max dim': (lambda a: torch.amax(a, -1), [rnd(3, 4)]),
    'max all': (lambda a: torch.amax(a), [rnd(3, 4)]),
    'reshape transpose': (lambda a: a.reshape(3, -1).transpose(0, 1), [rnd(2, 3)]),
    'permute': (lambda a: a.permute(2, 0, 1), [rnd(2, 3, 2)]),
    'broadcast_to': (lambda a: torch.broadcast_to(a, (2, 2, 3)) * torch.arange(12, dtype=torch.float64).reshape(2, 2, 3), [rnd(2, 1, 3)]),
    'concat': (lambda a, b: torch.cat([a, b], 1), [rnd(2, 1), rnd(2, 3)]),
    'stack': (lambda a, b: torch.stack([a, b], 0), [rnd(3), rnd(3)]),
    'narrow': (lambda a: a.narrow(1, 1, 2), [rnd(2, 4)]),
    'gather': (lambda a: a.gather(1, torch.tensor([[0, 2], [1, 1], [3, 0]])), [rnd(3, 4)]),
    'where': (lambda a, b: torch.where(a > 0, a, b), [rnd(2, 3), rnd(3)]),
    'matmul 2-D': (lambda a, b: a @ b, [rnd(2, 3), rnd(3, 4)]),
    'matmul 1-D @ 2-D': (lambda a, b: a @ b, [rnd(3), rnd(3, 2)]),
    'matmul batched broadcast': (lambda a, b: a @ b, [rnd(2, 1, 2, 3), rnd(3, 3, 2)]),
    'matmul 2-D @ 1-D': (lambda a, b: a @ b, [rnd(2, 3), rnd(3)]),
    'det': (torch.linalg.det, [spd(3)]),
    'inv': (torch.linalg.inv, [spd(3)]),
    'solve': (torch.linalg.solve, [spd(3), rnd(3, 2)]),
    'solve vector': (torch.linalg.solve, [spd(3), rnd(3)]),
    'softmax-like chain': (lambda a: (a.exp() / a.exp().sum(1, keepdim=True)).log().mean(), [rnd(2, 4)]),
}


def weights(shape):
    n = int(torch.tensor(shape).prod().item()) if len(shape) else 1
    return torch.tensor([math.cos(1 + 0.7 * i) for i in range(n)], dtype=torch.float64).reshape(shape)


out = {'torch': torch.__version__, 'cases': []}
for name, (fn, inputs) in CASES.items():
    xs = [x.clone().requires_grad_(True) for x in inputs]
    y = fn(*xs)
    (y * weights(tuple(y.shape))).sum().backward()
    out['cases'].append({
        'name': name,
        'inputs': [{'shape': list(x.shape), 'data': x.detach().flatten().tolist()} for x in xs],
        'output': {'shape': list(y.shape), 'data': y.detach().flatten().tolist()},
        'grads': [x.grad.flatten().tolist() for x in xs],
    })

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'ops.json')
with open(path, 'w') as f:
    json.dump(out, f, indent=None, separators=(',', ':'))
print(f'wrote {len(out["cases"])} cases to {path}')
