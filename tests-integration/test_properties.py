"""Property-based: any constructor arguments of any public class either build a
layer that runs on a matching input, or fail with a clear error.

Generated from the class list (``recipes.RULE_NAMES``: every public class, a
family of N-d base and 1D/2D/3D subclasses, which share one constructor, as its 1D
class) and each signature's
annotations (the ``kx.ops.types`` aliases written as strings: ``int``,
``IntOrTuple``, ``float``, ``FloatOrTuple``, ``bool``, ``str``, ``Literal[...]``,
``Activation``, their ``| None`` and ``Sequence[int]`` forms), not per class.
Hypothesis draws one to three arguments of a class and a value for each (valid
ones, edge ones such as 0, -1, NaN, a bool for an int, and junk strings) over the
recipe's valid small construction. Construction must then either succeed, and the
layer run on the recipe's input (or stop there with a clear error: a value can
make that input no longer fit, e.g. a patch size that does not divide it), or
raise a ValueError/TypeError whose message names the class and the argument.

Arguments typed as layers, initializers, dtypes, wirings, configs or tensors are
Keras objects or kx objects with their own tests; they are not drawn here. Cheap
for the default run: a few examples per class, eager calls, no deadline.
"""

from __future__ import annotations

import inspect
import math
import re

import hypothesis.strategies as st
import keras
import pytest
import recipes
from hypothesis import HealthCheck, given, settings

NAMES = recipes.RULE_NAMES
SKIP = ("rank", "kwargs", "layer", "rnn_cell", "seed", "input_shape")
OPAQUE = ("Initializer", "DType", "Layer", "Config", "Tensor", "Wiring", "Mapping")

ints = st.integers(-1, 5)
junk = st.sampled_from(["", "bogus", "None", "1"])
edge = st.sampled_from([True, 2.5, math.nan, "2"])
small_floats = st.floats(-0.5, 1.5, allow_nan=False) | st.just(math.nan)


def strategy(annotation: str, default):
    """A strategy for a parameter annotated ``annotation`` (a string), or None for
    one not drawn here."""
    if any(o in annotation for o in OPAQUE):
        return None
    options = []
    literal = re.search(r"Literal\[([^\]]*)\]", annotation)
    if literal:
        options.append(st.sampled_from(re.findall(r"'([^']*)'", literal.group(1))))
    if annotation.startswith("Activation"):
        options.append(st.sampled_from(["relu", "tanh", None, "bogus"]))
    elif re.fullmatch(r"str( \| None)?|str \| list\[str\]", annotation):
        options.append(st.just(default) | junk)
    if re.search(r"\bbool\b", annotation):
        options.append(st.booleans() | st.sampled_from([0, 1]))
    if "IntOrTuple" in annotation or "Axes" in annotation:
        options.append(ints | st.lists(st.integers(0, 4), min_size=1, max_size=3))
    elif re.search(r"\bint\b", annotation):
        options.append(ints)
        if "Sequence[int" in annotation or "list" in annotation:
            options.append(st.lists(st.integers(0, 4), min_size=0, max_size=3))
    if "FloatOrTuple" in annotation:
        options.append(small_floats | st.lists(small_floats, min_size=1, max_size=3))
    elif re.search(r"\bfloat\b", annotation):
        options.append(small_floats)
    if not options:
        return None
    if "None" in annotation:
        options.append(st.none())
    return st.one_of(*options, edge)


def drawable(cls) -> dict:
    found = {}
    for name, parameter in inspect.signature(cls).parameters.items():
        if name in SKIP or parameter.kind is parameter.VAR_KEYWORD:
            continue
        default = None if parameter.default is parameter.empty else parameter.default
        s = strategy(str(parameter.annotation), default)
        if s is not None:
            found[name] = s
    return found


def test_the_strategies_cover_the_family():
    """Every class but the few whose arguments are all objects has arguments drawn,
    and the common aliases map to a strategy."""
    for annotation in ("int", "IntOrTuple", "float", "FloatOrTuple | None", "bool",
                       "str", "Activation", "Literal['a', 'b']", "int | None",
                       "int | Sequence[int]"):  # fmt: skip
        assert strategy(annotation, "x") is not None, annotation
    assert strategy("Initializer", None) is None
    without = [n for n in NAMES if not drawable(recipes.PUBLIC[n])]
    assert len(without) <= 3, without


def names_the_class_and_argument(error, case, args) -> bool:
    message = str(error)
    return case.owner in message and any(a in message for a in args)


@pytest.mark.parametrize("name", NAMES, ids=recipes.ids(NAMES))
@settings(
    max_examples=2,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_constructor_arguments(name, data):
    case = recipes.case(name)
    choices = drawable(case.cls)
    if not choices:
        return
    picked = data.draw(
        st.lists(st.sampled_from(sorted(choices)), min_size=1, max_size=3, unique=True)
    )
    overrides = {arg: data.draw(choices[arg], label=arg) for arg in picked}
    try:
        layer = case.make(**overrides)
    except (ValueError, TypeError) as error:
        assert names_the_class_and_argument(error, case, picked), (
            f"{name}({overrides}): {type(error).__name__}: {error}"
        )
        return
    try:
        outputs = recipes.Case.call(case, layer, *case.inputs())
    except Exception as error:
        recipes.assert_clear(error, case, layer)
        return
    assert keras.tree.flatten(outputs), name
