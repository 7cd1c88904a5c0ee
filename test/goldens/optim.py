"""Goldens for test/optim: parameters after each step of PyTorch 1.13's optimizers fed fixed
gradients, learning rates of the schedulers, and clip_grad_norm_.

Run with Debian's torch: /usr/bin/python3 test/goldens/optim.py  (writes optim.json beside it).
Gradients are given explicitly (not computed from a loss) so the test checks the update
rule alone; float64 throughout so the comparison can be tight.
"""
import json
import math
import os

import torch

torch.manual_seed(0)
STEPS = 5
SHAPES = [[2, 3], [4]]


def tolist(t):
    return t.detach().reshape(-1).tolist()


def make_params(dtype=torch.float64):
    return [torch.randn(s, dtype=dtype, requires_grad=True) for s in SHAPES]


def make_grads(dtype=torch.float64):
    return [[torch.randn(s, dtype=dtype) for s in SHAPES] for _ in range(STEPS)]


def run_case(name, ctor, options, groups=None, dtype=torch.float64, lr_changes=None):
    params = make_params(dtype)
    init = [tolist(p) for p in params]
    grads = make_grads(dtype)
    if groups is None:
        opt = ctor(params, **options)
    else:
        opt = ctor([dict(params=[params[i] for i in g['params']], **g['options']) for g in groups], **options)
    history = []
    for step in range(STEPS):
        if lr_changes and step in lr_changes:
            for gi, lr in enumerate(lr_changes[step]):
                opt.param_groups[gi]['lr'] = lr
        for p, g in zip(params, grads[step]):
            p.grad = g.clone()
        opt.step()
        history.append([tolist(p) for p in params])
    return dict(name=name, optimizer=ctor.__name__, options=options, groups=groups,
                dtype=str(dtype).replace('torch.', ''), shapes=SHAPES, init=init,
                grads=[[tolist(g) for g in gs] for gs in grads], history=history,
                lrChanges={str(k): v for k, v in (lr_changes or {}).items()})


O = torch.optim
cases = [
    # name, class, our options (camelCase) -> torch kwargs are derived below
    ('sgd plain', O.SGD, dict(lr=0.1)),
    ('sgd momentum dampening weightDecay', O.SGD, dict(lr=0.05, momentum=0.9, dampening=0.1, weightDecay=0.01)),
    ('sgd nesterov', O.SGD, dict(lr=0.05, momentum=0.9, nesterov=True, weightDecay=0.1)),
    ('sgd maximize', O.SGD, dict(lr=0.05, momentum=0.5, weightDecay=0.1, maximize=True)),
    ('adam defaults', O.Adam, dict()),
    ('adam weightDecay amsgrad', O.Adam, dict(lr=0.01, betas=[0.8, 0.9], eps=1e-6, weightDecay=0.1, amsgrad=True)),
    ('adam maximize', O.Adam, dict(lr=0.01, maximize=True)),
    ('adamw defaults', O.AdamW, dict()),
    ('adamw amsgrad', O.AdamW, dict(lr=0.02, weightDecay=0.1, amsgrad=True)),
    ('rmsprop defaults', O.RMSprop, dict()),
    ('rmsprop centered momentum weightDecay', O.RMSprop, dict(lr=0.01, alpha=0.9, eps=1e-6, momentum=0.8, centered=True, weightDecay=0.05)),
    ('rmsprop momentum', O.RMSprop, dict(lr=0.01, momentum=0.9)),
    ('adagrad defaults', O.Adagrad, dict()),
    ('adagrad lrDecay initialAccumulatorValue weightDecay', O.Adagrad, dict(lr=0.1, lrDecay=0.1, initialAccumulatorValue=0.5, weightDecay=0.1, eps=1e-8)),
    ('adadelta defaults', O.Adadelta, dict()),
    ('adadelta rho weightDecay', O.Adadelta, dict(lr=0.5, rho=0.5, eps=1e-4, weightDecay=0.1)),
]

TORCH_NAMES = dict(weightDecay='weight_decay', lrDecay='lr_decay', initialAccumulatorValue='initial_accumulator_value')


def torch_kwargs(options):
    return {TORCH_NAMES.get(k, k): v for k, v in options.items()}


def wrap(ctor, options):
    """A constructor taking our option names, so the JSON holds what the TypeScript test passes."""
    def make(params, **extra):
        return ctor(params, **torch_kwargs({**options, **extra}))
    make.__name__ = ctor.__name__
    return make


def grouped(ctor):
    """A constructor taking groups and defaults with our option names."""
    def make(groups, **defaults):
        return ctor([dict(params=g['params'], **torch_kwargs({k: v for k, v in g.items() if k != 'params'})) for g in groups],
                    **torch_kwargs(defaults))
    make.__name__ = ctor.__name__
    return make


out = dict(optimizers=[], schedulers=[], clip=[])
for name, ctor, options in cases:
    case = run_case(name, wrap(ctor, options), {})
    case['options'] = options
    out['optimizers'].append(case)

# Two parameter groups with their own options, and a learning rate changed between steps.
groups_sgd = [dict(params=[0], options=dict(lr=0.1)), dict(params=[1], options=dict(momentum=0.9, nesterov=True))]
case = run_case('sgd two groups', grouped(O.SGD), dict(lr=0.01), groups=groups_sgd, lr_changes={3: [0.05, 0.02]})
out['optimizers'].append(case)
groups_adam = [dict(params=[0], options=dict(betas=[0.5, 0.6], amsgrad=True)), dict(params=[1], options=dict(lr=0.1, weightDecay=0.2))]
case = run_case('adam two groups', grouped(O.Adam), dict(lr=0.01), groups=groups_adam)
out['optimizers'].append(case)
# float32: the loops compute in double and round once per store, PyTorch rounds per op.
case = run_case('adam float32', wrap(O.Adam, dict(lr=0.01, weightDecay=0.1)), {}, dtype=torch.float32)
case['options'] = dict(lr=0.01, weightDecay=0.1)
out['optimizers'].append(case)

# Schedulers: learning rates after construction and after each of `epochs` steps.
S = torch.optim.lr_scheduler


def sched_case(name, kind, make, options, lrs, epochs, metrics=None):
    params = [torch.zeros(1, requires_grad=True) for _ in lrs]
    opt = O.SGD([dict(params=[p], lr=lr) for p, lr in zip(params, lrs)], lr=lrs[0])
    sched = make(opt)
    history = [[g['lr'] for g in opt.param_groups]]
    for e in range(epochs):
        opt.step()
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[e])
        history.append([g['lr'] for g in opt.param_groups])
    return dict(name=name, kind=kind, options=options, lrs=lrs, epochs=epochs, metrics=metrics, history=history)


out['schedulers'] = [
    sched_case('step', 'StepLR', lambda o: S.StepLR(o, step_size=3, gamma=0.5), dict(stepSize=3, gamma=0.5), [0.1, 0.3], 10),
    sched_case('exponential', 'ExponentialLR', lambda o: S.ExponentialLR(o, gamma=0.9), dict(gamma=0.9), [0.1], 8),
    sched_case('cosine past tMax', 'CosineAnnealingLR', lambda o: S.CosineAnnealingLR(o, T_max=5, eta_min=0.01),
               dict(tMax=5, etaMin=0.01), [0.1, 0.5], 23),
    sched_case('cosine etaMin 0', 'CosineAnnealingLR', lambda o: S.CosineAnnealingLR(o, T_max=4), dict(tMax=4), [1.0], 12),
    sched_case('plateau min rel cooldown', 'ReduceLROnPlateau',
               lambda o: S.ReduceLROnPlateau(o, mode='min', factor=0.5, patience=2, cooldown=1, min_lr=[0.02, 0.0]),
               dict(mode='min', factor=0.5, patience=2, cooldown=1, minLr=[0.02, 0.0]), [0.1, 0.3], 16,
               [1.0, 0.9, 0.9, 0.9, 0.9, 0.95, 0.8, 0.8, 0.79995, 0.8, 0.8, 0.8, 0.8, 0.8, 0.1, 0.2]),
    sched_case('plateau max abs', 'ReduceLROnPlateau',
               lambda o: S.ReduceLROnPlateau(o, mode='max', factor=0.1, patience=1, threshold=0.05, threshold_mode='abs'),
               dict(mode='max', factor=0.1, patience=1, threshold=0.05, thresholdMode='abs'), [1.0], 10,
               [0.5, 0.6, 0.62, 0.64, 0.7, 0.7, 0.7, 0.71, 0.9, 0.9]),
]

# clip_grad_norm_ over two gradients, several orders.
for norm_type, max_norm in [(2.0, 1.0), (1.0, 2.0), (3.0, 0.5), (math.inf, 0.3), (2.0, 100.0)]:
    params = make_params()
    grads = [torch.randn(s, dtype=torch.float64) for s in SHAPES]
    for p, g in zip(params, grads):
        p.grad = g.clone()
    total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type)
    out['clip'].append(dict(normType='Infinity' if norm_type == math.inf else norm_type, maxNorm=max_norm, shapes=SHAPES,
                            grads=[tolist(g) for g in grads], total=total.item(), clipped=[tolist(p.grad) for p in params]))

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'optim.json'), 'w') as f:
    json.dump(out, f)
print('wrote', len(out['optimizers']), 'optimizer cases,', len(out['schedulers']), 'scheduler cases,', len(out['clip']), 'clip cases')
