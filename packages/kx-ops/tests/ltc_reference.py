"""The LTC solver written out per synapse in numpy: the reference of ltc_unfolds.

One synapse at a time (no 0/1 matrices, no index operations), from the fused
semi-implicit Euler step of Hasani et al., "Liquid time-constant networks",
AAAI 2021, in float64.
"""

import numpy as np


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def ltc_np(v, num, den, cm, sigma, sigma_mu, w, w_erev, sources, targets, unfolds):
    v = np.array(v, dtype="float64")
    for _ in range(unfolds):
        top = num + cm * v
        bottom = np.array(den + 0 * v, dtype="float64")
        top = np.array(top, dtype="float64")
        for k, (i, j) in enumerate(zip(sources, targets)):
            s = sigmoid(v[:, i] * sigma[k] - sigma_mu[k])
            top[:, j] += s * w_erev[k]
            bottom[:, j] += s * w[k]
        v = top / bottom
    return v
