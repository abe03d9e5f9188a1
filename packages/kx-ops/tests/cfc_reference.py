"""The CfC recurrence written out step by step in numpy: the reference of
cfc_recurrence.

From the closed-form solution of Hasani et al., "Closed-form continuous-time
neural networks", Nature Machine Intelligence 4, 2022 (eq. 10 and its "no gate"
and direct-ODE variants), with a backbone in front of the heads; float64.
"""

import numpy as np

ACTIVATIONS = {
    "tanh": np.tanh,
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "relu": lambda z: np.maximum(z, 0.0),
    "linear": lambda z: z,
}


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def cfc_np(
    p,
    h0,
    recurrent,
    kernel=None,
    bias=None,
    backbone=(),
    mode="default",
    activation="tanh",
    elapsed=None,
    w_tau=None,
    big_a=None,
    dropout_mask=None,
    go_backwards=False,
):
    act = ACTIVATIONS[activation]
    units = h0.shape[-1]
    steps = range(p.shape[1])
    if go_backwards:
        steps = reversed(steps)
    h, outputs = np.array(h0, dtype="float64"), []
    for t in steps:
        y = p[:, t] + h @ recurrent
        if kernel is not None:
            a = act(y)
            for k, b in backbone:
                a = act(a @ k + b)
            if dropout_mask is not None:
                a = a * dropout_mask
            y = a @ kernel + bias
        dt = 1.0 if elapsed is None else elapsed[:, t]
        if mode == "pure":
            h = -big_a * np.exp(-dt * (np.abs(w_tau) + np.abs(y))) * y + big_a
        else:
            ff1, ff2 = np.tanh(y[:, :units]), np.tanh(y[:, units : 2 * units])
            if elapsed is None:  # the gate's two time heads folded: t_b - t_a
                gate = sigmoid(y[:, 2 * units :])
            else:
                t_a, t_b = y[:, 2 * units : 3 * units], y[:, 3 * units :]
                gate = sigmoid(-t_a * dt + t_b)
            if mode == "default":
                h = ff1 * (1.0 - gate) + gate * ff2
            else:
                h = ff1 + gate * ff2
        outputs.append(h)
    return np.stack(outputs, axis=1)
