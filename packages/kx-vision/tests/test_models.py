"""The ViT family: the model harness on every model at a tiny configuration (with a
resolution change), hand-counted parameters, signatures, features and errors."""

import inspect

import keras
import numpy as np
import pytest
from vision_reference import block_params

import kx.vision as kv
from kx.ops.testing import run_model_test


def prod(values):
    out = 1
    for v in values:
        out *= v
    return out


def vit_params(input_shape, patch, dim, depth, mlp_dim, classes, inner=None):
    """ViT{1,2,3}D: patch projection, learned grid embedding, class token with its
    own position, blocks, final norm, head."""
    inner = inner or dim
    *spatial, channels = input_shape
    patches = prod(patch) * channels * dim + dim
    positions = prod(n // p for n, p in zip(spatial, patch)) * dim
    cls = dim + dim
    head = dim * classes + classes if classes else 0
    return (
        patches
        + positions
        + cls
        + depth * block_params(dim, mlp_dim, inner)
        + (2 * dim + head)
    )


def simple_params(input_shape, patch, dim, depth, mlp_dim, classes, extra=0):
    """SimpleViT: patch projection, blocks, final norm, head (sin-cos: no weights)."""
    channels = input_shape[-1]
    head = dim * classes + classes if classes else 0
    return (
        prod(patch) * channels * dim + dim
        + depth * block_params(dim, mlp_dim, dim) + 2 * dim + head + extra
    )  # fmt: skip


def space_time_params(input_shape, tubelet, dim, spatial, temporal, mlp, classes,
                      learned):  # fmt: skip
    """Tubelet projection, [learned space-time grid], [2 class tokens], spatial and
    temporal blocks, their two norms, head."""
    *grid, channels = input_shape
    total = prod(tubelet) * channels * dim + dim
    if learned:
        total += prod(n // p for n, p in zip(grid, tubelet)) * dim + 2 * dim
    total += (spatial + temporal) * block_params(dim, mlp, dim) + 2 * (2 * dim)
    return total + dim * classes + classes


TINY = {"num_classes": 3, "heads": 2, "mlp_dim": 16}

# (class, kwargs with the input shape, other input shapes, hand-counted params)
MODELS = [
    (kv.ViT1D, {"input_shape": (16, 2), "patch_size": 4, "dim": 8, "depth": 1},
     [(24, 2)], vit_params((16, 2), (4,), 8, 1, 16, 3)),
    (kv.ViT2D, {"input_shape": (8, 8, 3), "patch_size": 4, "dim": 8, "depth": 1},
     [(12, 16, 3)], vit_params((8, 8, 3), (4, 4), 8, 1, 16, 3)),
    (kv.ViT3D, {"input_shape": (4, 8, 8, 1), "patch_size": (2, 4, 4), "dim": 8,
                "depth": 1}, [(6, 8, 12, 1)],
     vit_params((4, 8, 8, 1), (2, 4, 4), 8, 1, 16, 3)),
    (kv.ViTSpaceTime, {"input_shape": (4, 8, 8, 3), "patch_size": 4, "dim": 8,
                       "spatial_depth": 1, "temporal_depth": 1}, [(6, 12, 8, 3)],
     space_time_params((4, 8, 8, 3), (2, 4, 4), 8, 1, 1, 16, 3, True)),
    (kv.SimpleViT1D, {"input_shape": (16, 2), "patch_size": 4, "dim": 8, "depth": 1},
     [(24, 2)], simple_params((16, 2), (4,), 8, 1, 16, 3)),
    (kv.SimpleViT2D, {"input_shape": (8, 8, 3), "patch_size": 4, "dim": 8,
                      "depth": 1}, [(12, 16, 3)],
     simple_params((8, 8, 3), (4, 4), 8, 1, 16, 3)),
    (kv.SimpleViT3D, {"input_shape": (4, 8, 8, 1), "patch_size": (2, 4, 4),
                      "dim": 12, "depth": 1}, [(6, 8, 12, 1)],
     simple_params((4, 8, 8, 1), (2, 4, 4), 12, 1, 16, 3)),
    (kv.SimpleViTSpaceTime, {"input_shape": (4, 8, 8, 3), "patch_size": 4, "dim": 12,
                             "spatial_depth": 1, "temporal_depth": 1},
     [(6, 12, 8, 3)],
     space_time_params((4, 8, 8, 3), (2, 4, 4), 12, 1, 1, 16, 3, False)),
    (kv.SimpleViTFFT2D, {"input_shape": (8, 8, 3), "patch_size": 4, "dim": 8,
                         "depth": 1, "freq_patch_size": 2}, [(12, 16, 3)],
     # the Fourier tokens' own projection: 2 x 2 patches of 2 * 3 channels
     simple_params((8, 8, 3), (4, 4), 8, 1, 16, 3, extra=2 * 2 * 6 * 8 + 8)),
    (kv.SimpleViTRegisterTokens2D, {"input_shape": (8, 8, 3), "patch_size": 4,
                                    "dim": 8, "depth": 1, "num_register_tokens": 2},
     [(12, 16, 3)], simple_params((8, 8, 3), (4, 4), 8, 1, 16, 3, extra=2 * 8)),
]  # fmt: skip


@pytest.mark.parametrize(
    "cls, kwargs, others, params", MODELS, ids=[m[0].__name__ for m in MODELS]
)
def test_model_harness(cls, kwargs, others, params):
    # every model is one VisionTransformer graph with other flags; on jax and
    # tensorflow (whose compilations cost most of a harness run) the compiled
    # training and the two mixed-precision checks run on the models that hold each
    # distinct layer (the learned embedding and class token, sin-cos and Fourier
    # tokens, registers, the space-time encoder); the rank variants only change the
    # patch convolution's rank, which every check covers on torch
    light = keras.config.backend() in ("jax", "tensorflow") and cls not in FULL
    run_model_test(
        cls,
        {**TINY, **kwargs},
        input_shape=(2, *kwargs["input_shape"]),
        expected_output_shape=(2, 3),
        expected_num_params=params,
        other_input_shapes=[((2, *s), (2, 3)) for s in others],
        run_training_check=not light,
        run_mixed_precision_check=not light,
        atol=1e-4,
        rtol=1e-4,
    )


FULL = (kv.ViT2D, kv.SimpleViTFFT2D, kv.SimpleViTRegisterTokens2D, kv.ViTSpaceTime)


def test_hand_counts_of_a_second_configuration_per_architecture():
    """Wider, deeper, other heads and patch sizes, no head; dim_head != dim // heads."""
    counts = {
        kv.ViT2D(
            (32, 24, 5), patch_size=(8, 4), dim=16, depth=3, heads=4, dim_head=8,
            mlp_dim=40,
        ): vit_params((32, 24, 5), (8, 4), 16, 3, 40, 0, inner=32),
        kv.ViT1D((30, 1), patch_size=5, num_classes=7, dim=12, depth=2, heads=3,
                 mlp_dim=24): vit_params((30, 1), (5,), 12, 2, 24, 7),
        kv.ViT3D((4, 4, 4, 2), patch_size=2, dim=8, depth=2, heads=2, mlp_dim=8,
                 num_classes=2): vit_params((4, 4, 4, 2), (2, 2, 2), 8, 2, 8, 2),
        kv.SimpleViT2D((16, 32, 1), patch_size=8, num_classes=4, dim=16, depth=2,
                       heads=4, mlp_dim=32):
            simple_params((16, 32, 1), (8, 8), 16, 2, 32, 4),
        kv.SimpleViT1D((12, 3), patch_size=3, num_classes=2, dim=4, depth=2,
                       heads=1, mlp_dim=4): simple_params((12, 3), (3,), 4, 2, 4, 2),
        kv.SimpleViT3D((2, 4, 4, 1), patch_size=(1, 2, 2), num_classes=2, dim=6 * 3,
                       depth=2, heads=3, mlp_dim=8):
            simple_params((2, 4, 4, 1), (1, 2, 2), 18, 2, 8, 2),
        kv.ViTSpaceTime((6, 8, 8, 1), patch_size=(2, 4), frame_patch_size=3,
                        num_classes=5, dim=8, spatial_depth=2, temporal_depth=3,
                        heads=2, mlp_dim=8):
            space_time_params((6, 8, 8, 1), (3, 2, 4), 8, 2, 3, 8, 5, True),
        kv.SimpleViTSpaceTime((2, 4, 4, 2), patch_size=2, frame_patch_size=1,
                              num_classes=2, dim=12, spatial_depth=2,
                              temporal_depth=1, heads=2, mlp_dim=8):
            space_time_params((2, 4, 4, 2), (1, 2, 2), 12, 2, 1, 8, 2, False),
        kv.SimpleViTFFT2D((16, 16, 2), patch_size=4, num_classes=3, dim=8, depth=2,
                          heads=2, mlp_dim=8):
            simple_params((16, 16, 2), (4, 4), 8, 2, 8, 3, extra=4 * 4 * 4 * 8 + 8),
        kv.SimpleViTRegisterTokens2D((8, 8, 1), patch_size=2, num_classes=3, dim=8,
                                     depth=2, heads=2, mlp_dim=8,
                                     num_register_tokens=5):
            simple_params((8, 8, 1), (2, 2), 8, 2, 8, 3, extra=5 * 8),
    }  # fmt: skip
    for model, expected in counts.items():
        assert model.count_params() == expected, type(model).__name__


SHARED = [
    "input_shape", "patch_size", "num_classes", "pooling", "dim", "depth", "heads",
    "dim_head", "mlp_dim", "dropout", "attention_dropout", "drop_path",
    "classifier_activation",
]  # fmt: skip
SPACE_TIME = ["frame_patch_size", "spatial_depth", "temporal_depth"]
EXTRA = {"SimpleViTFFT2D": ["freq_patch_size"],
         "SimpleViTRegisterTokens2D": ["num_register_tokens"]}  # fmt: skip
FAMILY = [m[0] for m in MODELS]


@pytest.mark.parametrize("cls", FAMILY, ids=[c.__name__ for c in FAMILY])
def test_signature_is_the_shared_one_with_the_bases_defaults(cls):
    """Explicit arguments (no **kwargs hiding): the shared ones in one order, with
    the N-d base's defaults (pooling apart), each documented."""
    parameters = inspect.signature(cls).parameters
    names = [n for n in parameters if n != "kwargs"]
    expected = list(SHARED)
    if "SpaceTime" in cls.__name__:
        expected.remove("depth")
        expected += SPACE_TIME
    expected += EXTRA.get(cls.__name__, [])
    assert sorted(names) == sorted(expected)
    assert list(parameters)[-1] == "kwargs"
    base = inspect.signature(kv.VisionTransformer).parameters
    for name in names:
        if name not in ("pooling", "frame_patch_size", "spatial_depth",
                        "temporal_depth", "num_register_tokens"):  # fmt: skip
            assert parameters[name].default == base[name].default, name
        assert f"{name}:" in cls.__doc__, f"{cls.__name__} does not document {name}"
    pooling = "cls" if cls.__name__.startswith("ViT") else "mean"
    assert parameters["pooling"].default == pooling


def test_every_argument_is_annotated_with_one_type_across_the_family():
    """The annotations are strings (the modules use `from __future__ import
    annotations`); an argument the models share has the same one in each."""
    types = {}
    for cls in FAMILY:
        signature = inspect.signature(cls)
        assert signature.return_annotation == "None", cls.__name__
        for name, parameter in signature.parameters.items():
            assert isinstance(parameter.annotation, str), (cls.__name__, name)
            types.setdefault(name, set()).add(parameter.annotation)
    assert {n: t for n, t in types.items() if len(t) > 1} == {}


@pytest.mark.parametrize("cls", FAMILY, ids=[c.__name__ for c in FAMILY])
def test_annotations_are_the_bases(cls):
    """Every argument carries the N-d base's annotation; the space-time ones are
    the base's without its None (unused outside space-time)."""
    parameters = inspect.signature(cls).parameters
    base = inspect.signature(kv.VisionTransformer).parameters
    for name, parameter in parameters.items():
        expected = base[name].annotation
        if name in SPACE_TIME:
            assert expected == "int | None", (name, expected)
            expected = "int"
        assert isinstance(expected, str), f"VisionTransformer: {name} not annotated"
        assert parameter.annotation == expected, (cls.__name__, name)


def test_every_model_class_is_checked():
    classes = [getattr(kv, n) for n in kv.__all__]
    models = {c for c in classes if isinstance(c, type) and issubclass(c, keras.Model)}
    assert models - {kv.VisionTransformer} == set(FAMILY)


def test_a_model_built_at_32x32_runs_at_64x48_and_matches_a_model_built_there():
    """The learned embedding is interpolated: a 32x32 model at 64x48 gives what a
    64x48 model gives when its embedding is the interpolated one."""
    kwargs = dict(patch_size=8, dim=16, depth=1, heads=2, mlp_dim=16, num_classes=4)
    small = kv.ViT2D((32, 32, 3), **kwargs)
    x = np.random.default_rng(0).normal(size=(2, 64, 48, 3)).astype("float32")
    y = small.predict(x, verbose=0)
    large = kv.ViT2D((64, 48, 3), **kwargs)
    for a, b in zip(large.weights, small.weights):
        if "position_embedding" in a.path:
            b = kv.resample_grid(b, (8, 6))
        a.assign(b)
    np.testing.assert_allclose(large.predict(x, verbose=0), y, atol=1e-4, rtol=1e-4)


def test_features_of_every_block_and_pooling_none():
    model = kv.ViT2D((8, 8, 3), patch_size=4, dim=8, depth=3, heads=2, mlp_dim=8)
    features = model.features_model()
    x = np.random.default_rng(1).normal(size=(2, 8, 12, 3)).astype("float32")
    outputs = features.predict(x, verbose=0)
    assert [o.shape for o in outputs] == [(2, 1 + 6, 8)] * 3
    assert model.block_names == ["block_0", "block_1", "block_2"]
    last = keras.Model(model.input, model.get_layer("block_2").output)
    np.testing.assert_allclose(last.predict(x, verbose=0), outputs[-1], atol=1e-6)
    tokens = kv.SimpleViT2D(
        (8, 8, 3), patch_size=4, dim=8, depth=1, heads=2, mlp_dim=8, pooling=None
    )
    assert tokens.predict(x, verbose=0).shape == (2, 6, 8)
    registers = kv.SimpleViTRegisterTokens2D(
        (8, 8, 3), patch_size=4, dim=8, depth=1, heads=2, mlp_dim=8,
        num_register_tokens=3, pooling=None,
    )  # fmt: skip
    assert registers.num_prefix_tokens == 3
    assert registers.predict(x, verbose=0).shape == (2, 3 + 6, 8)


def test_sincos_model_accepts_unknown_spatial_sizes():
    model = kv.SimpleViT2D(
        (None, None, 1), patch_size=2, dim=8, depth=1, heads=2, mlp_dim=8
    )
    assert model.predict(np.ones((1, 6, 10, 1)), verbose=0).shape == (1, 8)


@pytest.mark.parametrize(
    "cls, kwargs, message",
    [
        (kv.ViT2D, {"input_shape": (30, 32, 3), "patch_size": 4},
         "ViT2D: `patch_size` must be sizes that divide"),
        (kv.ViT2D, {"pooling": "avg"}, "`pooling` must be one of"),
        (kv.SimpleViT2D, {"pooling": "cls"}, "`pooling` must be 'mean', 'max' or None"),
        (kv.ViT2D, {"dim": 10, "heads": 4}, "`heads` must be a divisor of dim=10"),
        (kv.ViT2D, {"input_shape": (32, 3)}, "`input_shape` must be a tuple of 2"),
        (kv.ViT3D, {"input_shape": (32, 32, 3)}, "`input_shape` must be a tuple of 3"),
        (kv.ViT2D, {"input_shape": (None, 32, 3)}, "`input_shape` must be known"),
        (kv.ViT2D, {"input_shape": (32, 32, None)}, "`input_shape` must be a positive"),
        (kv.ViT2D, {"patch_size": (4, 4, 4)}, "`patch_size` must be an int or a tuple"),
        (kv.SimpleViT3D, {"input_shape": (8, 8, 8, 1), "dim": 8},
         "`dim` must be a multiple of 6"),
        (kv.ViT2D, {"dropout": 1.5}, "`dropout` must be a number in"),
        (kv.ViT2D, {"num_classes": 0}, "`num_classes` must be a positive int"),
        (kv.ViTSpaceTime, {"input_shape": (5, 8, 8, 3), "frame_patch_size": 2},
         "`frame_patch_size` must be sizes that divide"),
        (kv.ViTSpaceTime, {"spatial_depth": 0}, "`spatial_depth` must be a positive"),
        (kv.SimpleViTFFT2D, {"freq_patch_size": 3},
         "`freq_patch_size` must be sizes that divide"),
    ],
)  # fmt: skip
def test_bad_values_fail_at_construction_naming_the_argument(cls, kwargs, message):
    defaults = {"input_shape": (32, 32, 3), "patch_size": 8, "dim": 8, "depth": 1,
                "heads": 2, "mlp_dim": 8}  # fmt: skip
    if "SpaceTime" in cls.__name__:
        defaults = {**defaults, "input_shape": (4, 8, 8, 3), "patch_size": 4,
                    "dim": 12, "spatial_depth": 1, "temporal_depth": 1}  # fmt: skip
        del defaults["depth"]
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        cls(**{**defaults, **kwargs})


def test_indivisible_input_at_run_time_is_a_clear_error():
    model = kv.ViT2D((8, 8, 3), patch_size=4, dim=8, depth=1, heads=2, mlp_dim=8)
    with pytest.raises(ValueError, match="divisible by patch_size"):
        model(np.ones((1, 10, 8, 3), "float32"))
