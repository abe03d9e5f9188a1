"""The argument documentation that the kx.vision ViT-family classes share."""

from __future__ import annotations

__all__ = ["document"]

_SHARED = {
    "input_shape": "``(*spatial, channels)`` of the inputs, channels last; the "
    "model runs at any other spatial size (its graph's spatial axes are None).",
    "patch_size": "an int or one int per {axes} axis.",
    "num_classes": "None (features: the pooled vector, or the tokens when "
    "``pooling`` is None) or the width of the dense ``head``.",
    "pooling": "{poolings} or None (the token sequence after the final norm).",
    "dim": "token width, a positive int.",
    "depth": "number of pre-norm transformer blocks (``block_0`` ...).",
    "heads": "attention heads per block.",
    "dim_head": "width of each head; None: ``dim // heads`` (timm's layout; "
    "``heads`` must divide ``dim``).",
    "mlp_dim": "hidden width of each block's MLP.",
    "dropout": "dropout rate after the position embedding, of the attention "
    "outputs and of the MLPs.",
    "attention_dropout": "dropout rate of the attention probabilities.",
    "drop_path": "stochastic depth, linear from 0 to this over the blocks.",
    "classifier_activation": "activation of the head (None: logits).",
    "frame_patch_size": "frames per tubelet, a positive int.",
    "spatial_depth": "number of spatial blocks (per frame).",
    "temporal_depth": "number of temporal blocks (over frames).",
    "freq_patch_size": "patch of the Fourier tokens (an int or one per axis); "
    "None: ``patch_size``.",
    "num_register_tokens": "number of register tokens, a positive int.",
    "kwargs": "``keras.Model`` arguments (``name``, ``trainable``).",
}


def document(*names, axes="spatial", poolings="``'cls'``, ``'mean'``, ``'max'``"):
    """A class decorator: replace ``{args}`` in the docstring by the documentation
    of ``names`` (in that order)."""
    lines = []
    for name in names:
        text = _SHARED[name].format(axes=axes, poolings=poolings)
        label = "**kwargs" if name == "kwargs" else name
        lines.append(f"        {label}: {text}")
    block = "\n".join(lines)

    def decorate(cls):
        cls.__doc__ = cls.__doc__.replace("{args}", block.lstrip())
        return cls

    return decorate
