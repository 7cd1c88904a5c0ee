"""PyTorch goldens for test/nn: activations and losses in float64.

Run: /usr/bin/python3 test/goldens/nn.py  (writes test/goldens/nn.json; torch 1.13)
"""
import json
import math
import os
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
xs = [-40.0, -30.0, -5.0, -1.5, -0.5, -1e-3, 0.0, 1e-3, 0.5, 1.5, 5.0, 25.0, 40.0]
x = torch.tensor(xs)


def grad_of(fn):
    t = x.clone().requires_grad_(True)
    fn(t).sum().backward()
    return t.grad.tolist()


acts = {
    'relu': lambda t: F.relu(t),
    'leakyRelu': lambda t: F.leaky_relu(t, 0.1),
    'leakyReluNegative': lambda t: F.leaky_relu(t, -0.2),
    'elu': lambda t: F.elu(t, 1.3),
    'selu': lambda t: F.selu(t),
    'gelu': lambda t: F.gelu(t),
    'geluTanh': lambda t: F.gelu(t, approximate='tanh'),
    'sigmoid': torch.sigmoid,
    'tanh': torch.tanh,
    'softplus': lambda t: F.softplus(t),
    'softplusBeta': lambda t: F.softplus(t, beta=2.0, threshold=10.0),
    'softsign': F.softsign,
    'silu': F.silu,
    'mish': F.mish,
    'hardtanh': lambda t: F.hardtanh(t, -2.0, 1.5),
    'logSigmoid': F.logsigmoid,
    'prelu': lambda t: F.prelu(t, torch.tensor([0.25])),
    'rreluEval': lambda t: F.rrelu(t, 0.1, 0.3, training=False),
    'sinc': lambda t: torch.sinc(t / math.pi),
}
out = {'x': xs, 'activations': {k: {'y': f(x).tolist(), 'dy': grad_of(f)} for k, f in acts.items()}}

m = torch.tensor([[1.0, 2.0, 3.0, -1.0], [1000.0, 0.0, -1000.0, 5.0], [0.1, 0.2, 0.3, 0.4]])
out['matrix'] = m.tolist()
out['softmax1'] = F.softmax(m, dim=1).tolist()
out['logSoftmax1'] = F.log_softmax(m, dim=1).tolist()
out['softmax0'] = F.softmax(m, dim=0).tolist()

g = torch.Generator().manual_seed(0)
logits = torch.randn(5, 4, generator=g) * 3
labels = [0, 3, 1, 1, 2]
probs = F.softmax(torch.randn(5, 4, generator=g), dim=1)
pred = torch.randn(5, 4, generator=g)
target = torch.randn(5, 4, generator=g)
p = torch.sigmoid(torch.randn(5, 4, generator=g))
y01 = (torch.rand(5, 4, generator=g) > 0.5).double()
big = torch.tensor([[-100.0, 50.0, 0.0, 3.0]])
posw = torch.tensor([0.5, 1.0, 2.0, 3.0])
a = torch.randn(5, 3, generator=g)
b = torch.randn(5, 3, generator=g)
pm = [1, -1, 1, -1, -1]
losses = {}
for red in ['mean', 'sum', 'none']:
    def cal(t):
        return t.tolist()
    losses[red] = {
        'ceIndex': cal(F.cross_entropy(logits, torch.tensor(labels), reduction=red)),
        'ceProb': cal(F.cross_entropy(logits, probs, reduction=red)),
        'ceSmooth': cal(F.cross_entropy(logits, torch.tensor(labels), reduction=red, label_smoothing=0.1)),
        'ceProbSmooth': cal(F.cross_entropy(logits, probs, reduction=red, label_smoothing=0.2)),
        'nll': cal(F.nll_loss(F.log_softmax(logits, 1), torch.tensor(labels), reduction=red)),
        'mse': cal(F.mse_loss(pred, target, reduction=red)),
        'huber': cal(F.huber_loss(pred, target, reduction=red, delta=0.5)),
        'bce': cal(F.binary_cross_entropy(p, y01, reduction=red)),
        'bceLogits': cal(F.binary_cross_entropy_with_logits(pred * 10, y01, reduction=red)),
        'bceLogitsPos': cal(F.binary_cross_entropy_with_logits(pred * 10, y01, reduction=red, pos_weight=posw)),
        'bceLogitsBig': cal(F.binary_cross_entropy_with_logits(big, torch.tensor([[1.0, 0.0, 1.0, 0.0]]), reduction=red)),
        'cosEmb': cal(F.cosine_embedding_loss(a, b, torch.tensor(pm), margin=0.2, reduction=red)),
    }
lg = logits.clone().requires_grad_(True)
F.cross_entropy(lg, torch.tensor(labels)).backward()
out['losses'] = losses
out['lossInputs'] = {
    'logits': logits.tolist(), 'labels': labels, 'probs': probs.tolist(), 'pred': pred.tolist(),
    'target': target.tolist(), 'p': p.tolist(), 'y01': y01.tolist(), 'big': big.tolist(), 'posWeight': posw.tolist(),
    'a': a.tolist(), 'b': b.tolist(), 'pm': pm,
}
out['ceIndexGrad'] = lg.grad.tolist()
out['cosSim'] = F.cosine_similarity(a, b, dim=1).tolist()
out['cosSim0'] = F.cosine_similarity(a, b, dim=0).tolist()

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'nn.json'), 'w') as f:
    json.dump(out, f)
