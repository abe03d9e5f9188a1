"""Bad input across the whole family, generated from the public class lists.

Every public class of kx.layers, kx.ncps, kx.blocks, kx.blocks.models, kx.vision
and kx.vision.layers (``recipes.PUBLIC``; ``recipes.RULE_NAMES``: a family of N-d base
and 1D/2D/3D subclasses runs as its 1D class, one class per implementation, for
time) is built from its one small recipe
(``recipes.RECIPES``) and then given: an input of the wrong rank, a wrong channel
count after it was built, a NaN, a zero-length sequence/spatial axis, a non-tensor,
and an unknown string for each of its string options. Bad input must end in a
ValueError or TypeError that names the class (or the layer's name, as Keras's own
input checks do) -- never a backend error such as torch's RuntimeError, jax's
TypeError from inside an op, or a silently wrong output. What each case does is
written down in docs/robustness.md.

``KNOWN`` lists the classes that do not meet a rule yet (each an xfail with the
reason, so the gap is visible in every run, and reported in the docs); a class
that starts to pass shows up as XPASS.
"""

from __future__ import annotations

import inspect

import keras
import numpy as np
import pytest
import recipes

NAMES = recipes.RULE_NAMES
IDS = recipes.ids(NAMES)

# Classes whose computation does not depend on the rank or the channel count of
# their input: they run on any such input by design (a Dense acts on the last axis,
# a grid embedding appends coordinates, an FFT resamples every channel...).
ANY_RANK = {
    "DropPath", "FeedForward", "LayerScale", "GlobalSelfAttention", "FiLM",
    "Residual", "WeightNormalization", "FourierFeatures", "LearnedPositionEmbedding",
}  # fmt: skip
ANY_CHANNELS = {
    "DropPath", "FFTUpSampling", "GridEmbedding", "FourierFeatures", "TokenPooling",
}  # fmt: skip

# rule -> {base class name: why it fails the rule today}
KNOWN: dict[str, dict[str, str]] = {
    "zero": {
        **{
            name: "keras.layers.RNN takes the first step (sequences[:, 0]) before "
            "the cell runs, and builds the cell on one step's shape: no cell code "
            "sees the zero-length time axis (kx.ncps's own CfC and LTC check it)"
            for name in ("CfCCell", "LTCCell", "MixedMemoryRNN", "WiredCfCCell")
        },
    },  # fmt: skip
}


def known(rule: str, name: str) -> list:
    base = recipes.base_name(name)
    reason = KNOWN.get(rule, {}).get(base)
    return (
        [pytest.mark.xfail(reason=f"{base}: {reason}", strict=False)] if reason else []
    )


def params(rule: str) -> list:
    return [
        pytest.param(name, id=i, marks=known(rule, name)) for name, i in zip(NAMES, IDS)
    ]


def run(case: recipes.Case, layer, shapes=None, fill=None):
    args, kwargs = case.inputs(shapes, fill)
    return case.call(layer, args, kwargs)


def expect_clear_error(case: recipes.Case, layer, shapes) -> None:
    with pytest.raises(Exception) as info:
        run(case, layer, shapes)
    recipes.assert_clear(info.value, case, layer)


def first_with(case: recipes.Case, shape: tuple) -> list[tuple]:
    return [shape, *case.args[1:]]


def test_every_public_class_has_one_recipe():
    bases = {recipes.base_name(n) for n in recipes.NAMES}
    assert bases == set(recipes.RECIPES), (
        f"missing: {sorted(bases - set(recipes.RECIPES))}, "
        f"stale: {sorted(set(recipes.RECIPES) - bases)}"
    )
    assert len(recipes.NAMES) > 100  # the five packages' classes, each once
    assert {recipes.base_name(n) for n in NAMES} == bases  # each runs the rules


def test_the_check_tells_a_clear_error_from_a_backend_one():
    case = recipes.case("kx.layers.FNO1D")
    layer = case.make()
    recipes.assert_clear(
        ValueError("FNO1D: `filters` must be a positive int"), case, layer
    )
    wrapped = ValueError(  # how Keras wraps an error raised in a layer's call
        "Exception encountered when calling FNO1D.call().\n\n\x1b[1mmat1 and mat2 "
        "shapes cannot be multiplied\x1b[0m\n\nArguments received by FNO1D.call()"
    )
    for error in (RuntimeError("FNO1D: shapes"), ValueError("mat1 and mat2"), wrapped):
        with pytest.raises(AssertionError):
            recipes.assert_clear(error, case, layer)


@pytest.mark.parametrize("name", params("rank"))
def test_wrong_rank(name):
    """One axis too many on the (first) input: a clear error, or, for a class that
    takes any rank by design, an output that keeps the extra axis."""
    case = recipes.case(name)
    shape = case.args[0]
    wrong = (*shape[:1], 2, *shape[1:])
    layer = case.make()
    if recipes.base_name(name) in ANY_RANK:
        y = run(case, layer, first_with(case, wrong))
        assert len(keras.tree.flatten(y)[0].shape) == len(wrong), name
        return
    expect_clear_error(case, layer, first_with(case, wrong))


@pytest.mark.parametrize("name", params("channels"))
def test_wrong_channel_count_after_build(name):
    """Built on C channels, called on C + 1: a clear error (or, for a class without
    channel-sized weights, an output with one more channel, or in its last axis)."""
    case = recipes.case(name)
    layer = case.make()
    run(case, layer)
    shape = case.args[0]
    wrong = (*shape[:-1], shape[-1] + 1)
    if recipes.base_name(name) in ANY_CHANNELS:
        before = keras.tree.flatten(run(case, case.make()))[0].shape
        after = keras.tree.flatten(run(case, layer, first_with(case, wrong)))[0].shape
        assert after[-1] in (before[-1] + 1, 2 * (shape[-1] + 1)), (before, after)
        return
    expect_clear_error(case, layer, first_with(case, wrong))


@pytest.mark.parametrize("name", params("nan"))
def test_nan_propagates_without_an_error(name):
    """kx does not scan inputs for NaN (that costs a device round trip per call):
    a NaN goes through, reaches the output, and raises nothing; the same input
    without it gives a finite output."""
    case = recipes.case(name)
    layer = case.make()
    args, kwargs = case.inputs()
    clean = keras.tree.flatten(case.call(layer, args, kwargs))
    assert all(np.isfinite(keras.ops.convert_to_numpy(t)).all() for t in clean)
    args[0] = args[0].copy()
    args[0].flat[0] = np.nan
    outputs = keras.tree.flatten(case.call(layer, args, kwargs))
    assert any(np.isnan(keras.ops.convert_to_numpy(t)).any() for t in outputs), name


@pytest.mark.parametrize("name", params("zero"))
def test_zero_length_axis(name):
    """A zero-length first sequence/spatial axis: a clear error, or an empty output
    (that keeps a zero-length axis) where the class maps each position on its own."""
    case = recipes.case(name)
    shape = case.args[0]
    empty = (shape[0], 0, *shape[2:])
    layer = case.make()
    try:
        y = run(case, layer, first_with(case, empty))
    except Exception as error:
        recipes.assert_clear(error, case, layer)
        return
    outputs = [keras.ops.convert_to_numpy(t) for t in keras.tree.flatten(y)]
    assert any(0 in o.shape for o in outputs) or not any(
        np.isnan(o).any() for o in outputs
    ), f"{name}: NaN from an empty input"
    adds_tokens = ("ClassToken", "RegisterTokens")  # their tokens are the output
    assert any(0 in o.shape for o in outputs) or (
        recipes.base_name(name) in adds_tokens
    ), f"{name}: an output {[o.shape for o in outputs]} from an empty input"


NON_TENSOR_GAPS: dict[str, str] = {}  # public path -> why None gets through
NON_TENSORS = {"str": "abc", "None": None, "list": [[1.0, 2.0]]}
ONE_PER_PACKAGE = ("kx.layers.FNO1D", "kx.ncps.CfC", "kx.blocks.TransformerEncoder",
                   "kx.vision.ViT1D")  # fmt: skip


@pytest.mark.parametrize(
    "name, kind",
    [
        pytest.param(
            n, k, id=f"{n.removeprefix('kx.')}-{k}",
            marks=[pytest.mark.xfail(reason=NON_TENSOR_GAPS[n], strict=False)]
            if k == "None" and n in NON_TENSOR_GAPS else [],
        )
        for n in ONE_PER_PACKAGE for k in NON_TENSORS
    ],
)  # fmt: skip
def test_non_tensor_inputs(name, kind):
    """A string, None or a nested Python list as the input: Keras's own check of
    Layer.__call__ (only tensors go positionally; a list is a structure of floats),
    never a backend error; checked on one class per package (the check is
    Keras's, shared by all)."""
    value = NON_TENSORS[kind]
    case = recipes.case(name)
    layer = case.make()
    with pytest.raises((ValueError, TypeError), match="input|tensor|Input"):
        layer(value)


def option_params() -> list:
    found = []
    for name, i in zip(NAMES, IDS):
        case = recipes.case(name)
        for arg, parameter in inspect.signature(case.cls).parameters.items():
            annotation = str(parameter.annotation)
            if arg in ("kwargs", "layer", "rnn_cell"):
                continue
            if (
                "str" in annotation
                or "Literal" in annotation
                or "Activation" in annotation
            ):
                marks = known("options", name)
                found.append(pytest.param(name, arg, id=f"{i}-{arg}", marks=marks))
    return found


@pytest.mark.parametrize("name, arg", option_params())
def test_unknown_string_option(name, arg):
    """Every string option (its annotation says ``str``, a ``Literal`` or an
    ``Activation``) given an unknown string: a ValueError at construction that
    names the class and the argument."""
    case = recipes.case(name)
    with pytest.raises(ValueError) as info:
        layer = case.make(**{arg: "not-an-option"})
        run(case, layer)
    message = str(info.value)
    assert case.owner in message and f"`{arg}`" in message, message
