"""kx.ops.checks: values pass normalised, bad ones raise the one error format
``Owner: `arg` must be ...; got arg=value.``"""

import re

import keras
import numpy as np
import pytest

from kx.ops import checks

FORMAT = re.compile(r"^Owner: `(\w+)` must be .+; got \1=.+\.$", re.S)


@pytest.mark.parametrize(
    "call,expected",
    [
        (lambda: checks.positive_int(np.int64(3), "units", "Owner"), 3),
        (lambda: checks.positive_int(0, "units", "Owner", allow_zero=True), 0),
        (lambda: checks.int_tuple(2, 3, "size", "Owner"), (2, 2, 2)),
        (lambda: checks.number(0.5, "x", "Owner", 0, 1), 0.5),
        (lambda: checks.rate(0, "rate", "Owner"), 0.0),
        (lambda: checks.boolean(np.bool_(True), "flag", "Owner"), True),
        (lambda: checks.one_of("a", "mode", ("a", "b"), "Owner"), "a"),
        (lambda: checks.optional(checks.positive_int, None, "n", "Owner"), None),
        (lambda: checks.check_rank(2, "Owner"), 2),
        (lambda: checks.data_format("channels_first", "Owner"), "channels_first"),
        (lambda: checks.scaling_factors(2, 2, "scale", "Owner"), (2.0, 2.0)),
        (lambda: checks.scaling_factors(None, 2, "scale", "Owner"), None),
        (lambda: checks.factorization_rank(0.5, "Owner"), 0.5),
        (lambda: checks.factorization_rank(4, "Owner"), 4),
        (lambda: checks.factorization_rank([2, 3], "Owner"), (2, 3)),
        (lambda: checks.channel_axis("channels_last"), -1),
        (lambda: checks.channel_axis("channels_first"), 1),
        (lambda: checks.spatial_axes(2, "channels_last"), (1, 2)),
        (lambda: checks.spatial_axes(3, "channels_first"), (2, 3, 4)),
        (lambda: checks.known_channels((None, 8, 3), "channels_last", "Owner"), 3),
        (lambda: checks.known_channels((None, 5, 8), "channels_first", "Owner"), 5),
        (lambda: checks.scaled_size(7, 1.5), 10),  # round(10.5), Python's rounding
        (lambda: checks.scaled_size(None, 2.0), None),
        (lambda: checks.scaled_size(6, None), 6),
        (lambda: checks.check_norm(None, "fn"), "backward"),
        (lambda: checks.check_norm("ortho", "fn"), "ortho"),
        (lambda: checks.normalize_axis(-1, 3, "axis", "fn"), 2),
        (lambda: checks.normalize_axes(None, 4, "fn", default=2), ((2, 3), None)),
        (lambda: checks.normalize_axes(-1, 3, "fn", s=4), ((2,), (4,))),
        (lambda: checks.check_s(5, "fn"), (5,)),
        (lambda: checks.check_modes(3, 2, "fn"), (3, 3)),
        (lambda: checks.shapes_compatible((None, 3), (2, 3)), True),
        (lambda: checks.shapes_compatible((2, 3), (2, 4)), False),
        (lambda: checks.nonempty_axes((None, None, 3), (1, 2), "Owner"), None),
        (lambda: checks.nonempty_axes((0, 4, 3), (1, 2), "Owner"), None),
    ],
)
def test_good_values(call, expected):
    assert call() == expected


@pytest.mark.parametrize(
    "call,name",
    [
        (lambda: checks.positive_int(True, "units", "Owner"), "units"),
        (lambda: checks.int_tuple((2, 0), 2, "size", "Owner"), "size"),
        (lambda: checks.number(float("nan"), "x", "Owner"), "x"),
        (lambda: checks.rate(1.0, "rate", "Owner"), "rate"),
        (lambda: checks.boolean(1, "flag", "Owner"), "flag"),
        (lambda: checks.one_of("c", "mode", ("a", "b"), "Owner"), "mode"),
        (lambda: checks.check_rank(4, "Owner"), "rank"),
        (lambda: checks.data_format("NHWC", "Owner"), "data_format"),
        (lambda: checks.a_layer(3, "layer", "Owner"), "layer"),
        (lambda: checks.scaling_factors((1.0, 0.0), 2, "scale", "Owner"), "scale"),
        (lambda: checks.scaling_factors((2.0,), 2, "scale", "Owner"), "scale"),
        (lambda: checks.merge_layer("dot", -1, "Owner"), "merge_layer"),
        (lambda: checks.input_rank((2, 8, 3), 2, "Owner"), "input_shape"),
        (lambda: checks.nonempty_axes((2, 8, 0, 3), (1, 2), "Owner"), "inputs"),
        (lambda: checks.nonempty_axes((2, 0), (1,), "Owner", "x"), "x"),
        (
            lambda: checks.known_channels((2, 8, None), "channels_last", "Owner"),
            "input_shape",
        ),
        (lambda: checks.factorization_rank(0, "Owner"), "factorization_rank"),
        (lambda: checks.factorization_rank(-0.5, "Owner"), "factorization_rank"),
        (lambda: checks.factorization_rank([2, True], "Owner"), "factorization_rank"),
        (lambda: checks.factorization_rank("half", "Owner"), "factorization_rank"),
        # the kx.ops functions' checks: the function's name is the owner
        (lambda: checks.check_norm("fwd", "Owner"), "norm"),
        (lambda: checks.check_s((4, 0), "Owner"), "s"),
        (lambda: checks.check_s("4", "Owner"), "s"),
        (lambda: checks.check_modes((2, 0), 2, "Owner"), "modes"),
        (lambda: checks.normalize_axes(1.5, 3, "Owner"), "axes"),
        (lambda: checks.normalize_axes((0, 1, 2, 3), 4, "Owner"), "axes"),
        (lambda: checks.normalize_axes((1,), 3, "Owner", s=(4, 4)), "s"),
    ],
)
def test_bad_values_raise_the_one_format(call, name):
    with pytest.raises(ValueError) as info:
        call()
    message = str(info.value)
    assert FORMAT.match(message), message
    assert f"`{name}`" in message, message


def test_the_layer_check_messages_name_what_they_accept():
    with pytest.raises(ValueError, match=r"4 dimensions \(batch, 2 spatial"):
        checks.input_rank((2, 8, 3), 2, "FNO2D")
    with pytest.raises(ValueError, match=r"known channel.*'channels_first'"):
        checks.known_channels((2, None, 8), "channels_first", "FNO1D")
    with pytest.raises(ValueError, match=r"one of \['add', 'average', 'concat"):
        checks.merge_layer("dot", -1, "FNO1D")


def test_merge_layers_are_built_and_serialized():
    layer = checks.merge_layer("concatenate", 1, "Owner")
    assert isinstance(layer, keras.layers.Concatenate) and layer.axis == 1
    assert isinstance(checks.merge_layer("add", -1, "Owner"), keras.layers.Add)
    given = keras.layers.Maximum()
    assert checks.merge_layer(given, -1, "Owner") is given
    assert checks.serialize_merge_layer("add") == "add"
    restored = checks.deserialize_merge_layer(checks.serialize_merge_layer(given))
    assert isinstance(restored, keras.layers.Maximum)


def test_scaled_size_of_a_tensor_size():
    size = keras.ops.convert_to_tensor(7)
    assert int(keras.ops.convert_to_numpy(checks.scaled_size(size, 2.0))) == 14


@pytest.mark.parametrize(
    "call",
    [
        lambda: checks.as_float_tensor(np.arange(3), "x", "fn"),
        lambda: checks.as_float_tensor([1.0, 2.0], "x", "fn"),
        lambda: checks.as_pair(np.zeros(2), "z", "fn"),
        lambda: checks.as_pair((np.zeros(2), np.zeros(3)), "z", "fn"),
        lambda: checks.normalize_axis(5, 3, "axis", "fn"),
        lambda: checks.normalize_axis(True, 3, "axis", "fn"),
        lambda: checks.normalize_axes((1, 1), 3, "fn"),
        lambda: checks.normalize_axes(None, 2, "fn", default=3),
    ],
)
def test_the_tensor_checks_name_the_function_first(call):
    """Their messages are the function's: ``"fn: `arg` must ...; got ..."``."""
    with pytest.raises(
        ValueError, match=r"^fn: `\w+(\[\d\] \(\w+ part\))?` .+; got .+\.$"
    ):
        call()
