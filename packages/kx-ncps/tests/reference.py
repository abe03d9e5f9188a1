"""The cells' equations written out in numpy (float64), from the papers.

CfC: Hasani et al., Nature Machine Intelligence 2022 (closed-form solution with a
time gate; the "pure" direct solution). LTC: Hasani et al., AAAI 2021 (fused
semi-implicit Euler solver). Mixed memory: an LSTM in front of the cell.
"""

import numpy as np


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def softplus(x):
    return np.log1p(np.exp(-np.abs(x))) + np.maximum(x, 0)


def lecun_tanh(x):
    return 1.7159 * np.tanh(0.666 * x)


def weights_of(layer):
    import keras

    return {
        w.path.split("/")[-1]: np.asarray(keras.ops.convert_to_numpy(w), "float64")
        for w in layer.weights
    }


def cfc_heads(z, kernel, bias, units, mode, dt, w_tau=None, big_a=None):
    """h' from the head input z, for one CfC block (per-head matrices)."""
    if mode == "pure":
        f = z @ kernel + bias
        return -big_a * np.exp(-dt * (np.abs(w_tau) + np.abs(f))) * f + big_a
    block = [slice(k * units, (k + 1) * units) for k in range(4)]
    ff1 = np.tanh(z @ kernel[:, block[0]] + bias[block[0]])
    ff2 = np.tanh(z @ kernel[:, block[1]] + bias[block[1]])
    t_a = z @ kernel[:, block[2]] + bias[block[2]]
    t_b = z @ kernel[:, block[3]] + bias[block[3]]
    gate = sigmoid(-t_a * dt + t_b)
    if mode == "no_gate":
        return ff1 + gate * ff2
    return ff1 * (1 - gate) + gate * ff2


def cfc_step(w, x, h, dt, units, mode, backbone_layers, act=lecun_tanh, mask=None):
    z = np.concatenate([x, h], axis=-1)
    for i in range(backbone_layers):
        z = act(z @ w[f"backbone{i}_kernel"] + w[f"backbone{i}_bias"])
    kernel = w["kernel"]
    if mask is not None:
        kernel = kernel * np.tile(mask, (1, kernel.shape[1] // units))
    h = cfc_heads(z, kernel, w["bias"], units, mode, dt, w.get("w_tau"), w.get("A"))
    return h, h


def wired_cfc_step(w, wiring, x, h, dt, mode, fully_recurrent=True):
    new, start, inputs, previous = [], 0, x, None
    for i in range(wiring.num_layers):
        neurons = wiring.get_neurons_of_layer(i)
        n = len(neurons)
        if i == 0:
            in_mask = wiring.sensory_adjacency_matrix[:, neurons]
        else:
            in_mask = wiring.adjacency_matrix[np.ix_(previous, neurons)]
        rec_mask = (
            np.ones((n, n))
            if fully_recurrent
            else wiring.adjacency_matrix[np.ix_(neurons, neurons)]
        )
        mask = np.abs(np.concatenate([in_mask, rec_mask], axis=0))
        kernel = w[f"layer{i}_kernel"] * np.tile(mask, (1, 1 if mode == "pure" else 4))
        z = np.concatenate([inputs, h[:, start : start + n]], axis=-1)
        hi = cfc_heads(
            z,
            kernel,
            w[f"layer{i}_bias"],
            n,
            mode,
            dt,
            w.get(f"layer{i}_w_tau"),
            w.get(f"layer{i}_A"),
        )
        new.append(hi)
        inputs, previous, start = hi, neurons, start + n
    return new[-1][:, : wiring.output_dim], np.concatenate(new, axis=-1)


def ltc_step(w, wiring, x, v, dt, unfolds, eps, input_mapping, output_mapping):
    if input_mapping in ("affine", "linear"):
        x = x * w["input_w"]
    if input_mapping == "affine":
        x = x + w["input_b"]
    gleak, cm = softplus(w["gleak"]), softplus(w["cm"])
    mask = np.abs(wiring.adjacency_matrix)
    s_mask = np.abs(wiring.sensory_adjacency_matrix)
    syn_w = softplus(w["w"]) * mask
    s_syn_w = softplus(w["sensory_w"]) * s_mask
    # sensory synapses: input feature i -> neuron j
    s_act = s_syn_w * sigmoid(w["sensory_sigma"] * (x[:, :, None] - w["sensory_mu"]))
    s_num = np.sum(s_act * w["sensory_erev"], axis=1)
    s_den = np.sum(s_act, axis=1)
    h = dt / unfolds
    for _ in range(unfolds):
        act = syn_w * sigmoid(w["sigma"] * (v[:, :, None] - w["mu"]))
        num = cm / h * v + gleak * w["vleak"] + np.sum(act * w["erev"], 1) + s_num
        den = cm / h + gleak + np.sum(act, 1) + s_den
        v = num / (den + eps)
    out = v[:, : wiring.output_dim]
    if output_mapping in ("affine", "linear"):
        out = out * w["output_w"]
    if output_mapping == "affine":
        out = out + w["output_b"]
    return out, v


def lstm_memory(w, x, memory, inner_state, forget_gate_bias=1.0):
    z = x @ w["input_kernel"] + inner_state @ w["recurrent_kernel"] + w["bias"]
    i, g, f, o = np.split(z, 4, axis=-1)
    memory = memory * sigmoid(f + forget_gate_bias) + np.tanh(i) * sigmoid(g)
    return np.tanh(memory) * sigmoid(o), memory
