#!/usr/bin/env python3
"""Derives the erfc coefficients in vec_math.h (run: /usr/bin/python3 native/kernels/fit_erfc.py).

For z >= 0 we write erfc(z) = t * exp(-z^2 + P(t)) with t = 1 / (1 + z/2) (the form of
Numerical Recipes' erfcc): P is smooth on t in (0, 1], so a short Chebyshev series in
u = (2t - 1 - t0) / (1 - t0) fits it. The series is printed as a polynomial in u (highest
power first, for Horner): sum |coefficient| is about 1.2-1.4 here, so the monomial form
loses nothing to cancellation and needs one FMA per term, half of Clenshaw's chain. t0 is
where erfc underflows for the type. The values
of P come from mpmath at 50 digits; the printed error is max |P - series| over a dense grid,
which is the relative error the series adds to erfc.
"""
import mpmath as mp

mp.mp.dps = 50


def P(t):
    z = 2 / t - 2
    return mp.log(mp.erfc(z) / t) + z * z


def fit(z_max, degree):
    t0 = 1 / (1 + mp.mpf(z_max) / 2)
    to_t = lambda u: (u * (1 - t0) + 1 + t0) / 2
    n = degree + 1
    nodes = [mp.cos(mp.pi * (k + mp.mpf(1) / 2) / n) for k in range(n)]
    values = [P(to_t(u)) for u in nodes]
    coeffs = [2 * mp.fsum(values[k] * mp.cos(mp.pi * j * (k + mp.mpf(1) / 2) / n) for k in range(n)) / n
              for j in range(n)]
    coeffs[0] /= 2

    def series(u):
        b1 = b2 = mp.mpf(0)
        for c in reversed(coeffs[1:]):
            b1, b2 = 2 * u * b1 - b2 + c, b1
        return u * b1 - b2 + coeffs[0]

    err = max(abs(series(u) - P(to_t(u))) for u in mp.linspace(-1, 1, 2001))
    return t0, coeffs, err


def chebyshev_to_monomial(coeffs):
    out = [mp.mpf(0)] * len(coeffs)
    t_prev, t_cur = [mp.mpf(1)], [mp.mpf(0), mp.mpf(1)]  # T_0, T_1
    for k, c in enumerate(coeffs):
        t_k = t_prev if k == 0 else t_cur
        if k >= 2:
            t_next = [mp.mpf(0)] + [2 * x for x in t_cur]
            for i, x in enumerate(t_prev):
                t_next[i] -= x
            t_prev, t_cur = t_cur, t_next
            t_k = t_cur
        for i, x in enumerate(t_k):
            out[i] += c * x
    return out


for name, z_max, degree in (("float", 10, 10), ("double", 27, 25)):
    t0, coeffs, err = fit(z_max, degree)
    print(f"// {name}: z <= {z_max}, t0 = {mp.nstr(t0, 17)}, degree {degree}, max |error| {mp.nstr(err, 3)}")
    mono = chebyshev_to_monomial(coeffs)
    print(f"// sum |monomial coefficient| = {mp.nstr(sum(abs(c) for c in mono), 4)}")
    print(", ".join(mp.nstr(c, 21) for c in reversed(mono)))
