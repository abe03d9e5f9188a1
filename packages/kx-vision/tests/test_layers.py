"""The shared vision layers: the harness on each, and their values against numpy."""

import keras
import numpy as np
import pytest
from keras import ops
from vision_reference import block_params

from kx.ops.testing import run_layer_test
from kx.vision.layers import (
    ClassToken,
    FourierFeatures,
    LearnedPositionEmbedding,
    PatchEmbedding,
    RegisterTokens,
    SinCosPositionEmbedding,
    SpaceTimeEncoder,
    TokenPooling,
    resample_grid,
    sincos_embedding,
)

# the harness ---------------------------------------------------------------------


HARNESS = [
    # (class, init_kwargs, input_shape, expected_output_shape, params)
    (PatchEmbedding, {"patch_size": 4, "dim": 8}, (2, 8, 12, 3), (2, 6, 8),
     4 * 4 * 3 * 8 + 8),
    (PatchEmbedding, {"patch_size": 3, "dim": 4, "pad": True}, (2, 10, 2), (2, 4, 4),
     3 * 2 * 4 + 4),
    (PatchEmbedding, {"patch_size": (2, 2, 4), "dim": 4, "flatten": False,
                      "data_format": "channels_first"}, (2, 1, 4, 4, 8),
     (2, 2, 2, 2, 4), 2 * 2 * 4 * 1 * 4 + 4),
    (LearnedPositionEmbedding, {}, (2, 3, 5, 8), (2, 3, 5, 8), 3 * 5 * 8),
    (SinCosPositionEmbedding, {}, (2, 3, 5, 8), (2, 3, 5, 8), 0),
    (ClassToken, {"position_embedding": True}, (2, 5, 8), (2, 6, 8), 8 + 8),
    (RegisterTokens, {"num_tokens": 3}, (2, 5, 8), (2, 8, 8), 3 * 8),
    (TokenPooling, {"pooling": "max", "num_prefix_tokens": 1}, (2, 5, 8), (2, 8), 0),
    (FourierFeatures, {}, (2, 4, 6, 3), (2, 4, 6, 6), 0),
]  # fmt: skip


@pytest.mark.parametrize(
    "cls, kwargs, shape, expected, params",
    HARNESS,
    ids=[f"{c.__name__}-{i}" for i, (c, *_) in enumerate(HARNESS)],
)
def test_layer_harness(cls, kwargs, shape, expected, params):
    run_layer_test(
        cls,
        kwargs,
        input_shape=shape,
        expected_output_shape=expected,
        expected_num_params=params,
        # weightless layers have nothing to train
        run_training_check=params > 0,
    )


def test_space_time_encoder_harness():
    dim, mlp = 8, 16
    params = 2 * dim + 2 * block_params(dim, mlp, dim) + 2 * (2 * dim)
    run_layer_test(
        SpaceTimeEncoder,
        {"spatial_depth": 1, "temporal_depth": 1, "num_heads": 2, "mlp_dim": mlp},
        input_shape=(2, 3, 2, 2, dim),
        expected_output_shape=(2, 4, dim),
        expected_num_params=params,
        run_float64_check=False,
        # on jax and tensorflow the ViTSpaceTime model harness trains this layer
        # and runs it under both mixed policies (test_models.py)
        run_training_check=keras.config.backend() == "torch",
        run_mixed_precision_check=keras.config.backend() == "torch",
        eager_training=False,
    )


# values --------------------------------------------------------------------------


def test_patch_embedding_is_one_matmul_per_patch_in_row_major_order():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 6, 8, 3)).astype("float32")
    layer = PatchEmbedding((3, 4), 5)
    y = ops.convert_to_numpy(layer(x))
    kernel = ops.convert_to_numpy(layer.kernel).reshape(3 * 4 * 3, 5)
    bias = ops.convert_to_numpy(layer.bias)
    expected = []
    for i in range(2):  # patch rows, then columns: row-major order of the grid
        for j in range(2):
            patch = x[:, 3 * i : 3 * i + 3, 4 * j : 4 * j + 4, :].reshape(2, -1)
            expected.append(patch @ kernel + bias)
    np.testing.assert_allclose(y, np.stack(expected, 1), rtol=1e-5, atol=1e-5)


def test_tubelet_locality_one_voxel_changes_exactly_its_token():
    rng = np.random.default_rng(1)
    layer = PatchEmbedding((2, 2, 4), 6)
    x = rng.normal(size=(1, 4, 6, 8, 2)).astype("float32")
    base = ops.convert_to_numpy(layer(x))
    grid = (2, 3, 2)
    for voxel in [(0, 0, 0), (3, 5, 7), (1, 2, 5), (2, 3, 3)]:
        changed = x.copy()
        changed[(0, *voxel, 1)] += 1.0
        diff = np.abs(ops.convert_to_numpy(layer(changed)) - base).max(-1)[0]
        token = np.ravel_multi_index(
            tuple(v // p for v, p in zip(voxel, (2, 2, 4))), grid
        )
        assert list(np.flatnonzero(diff > 1e-6)) == [token], voxel


def test_patch_embedding_pad_equals_zero_padding_the_input():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(2, 7, 5, 1)).astype("float32")
    layer = PatchEmbedding(3, 4, pad=True)
    y = ops.convert_to_numpy(layer(x))
    padded = np.pad(x, ((0, 0), (0, 2), (0, 1), (0, 0)))
    np.testing.assert_allclose(
        y, ops.convert_to_numpy(layer(padded)), rtol=1e-6, atol=1e-6
    )
    assert y.shape == (2, 6, 4)


def numpy_sincos(grid, dim, temperature=10000.0):
    """Beyer et al. 2022 (big_vision posemb_sincos_2d) written for any rank: per
    axis from the last to the first, [sin(p * omega), cos(p * omega)]."""
    rank = len(grid)
    freqs = dim // (2 * rank)
    omega = 1.0 / temperature ** (np.arange(freqs) / (freqs - 1))
    coords = np.meshgrid(*[np.arange(n) for n in grid], indexing="ij")
    parts = []
    for axis in reversed(range(rank)):
        angle = coords[axis][..., None] * omega
        parts += [np.sin(angle), np.cos(angle)]
    return np.concatenate(parts, -1)


def test_sincos_matches_big_vision_on_a_non_square_grid():
    h, w, dim = 3, 5, 16
    got = ops.convert_to_numpy(sincos_embedding((h, w), dim))
    # big_vision's 2-d formula, literally: y, x = meshgrid(arange(h), arange(w))
    y, x = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
    omega = 1.0 / 10000.0 ** (np.arange(dim // 4) / (dim // 4 - 1))
    x = x.reshape(-1)[:, None] * omega
    y = y.reshape(-1)[:, None] * omega
    expected = np.concatenate([np.sin(x), np.cos(x), np.sin(y), np.cos(y)], 1)
    np.testing.assert_allclose(got.reshape(h * w, dim), expected, atol=1e-5)
    # a token at (row 1, column 4) is row-major token 1 * 5 + 4
    np.testing.assert_allclose(got[1, 4], expected[9], atol=1e-5)


@pytest.mark.parametrize("grid, dim", [((7,), 6), ((2, 3, 4), 12), ((4, 2), 8)])
def test_sincos_layer_adds_the_numpy_embedding_of_any_grid(grid, dim):
    x = np.zeros((2, *grid, dim), "float32")
    got = ops.convert_to_numpy(SinCosPositionEmbedding()(x))
    np.testing.assert_allclose(got[1], numpy_sincos(grid, dim), atol=1e-5)


def numpy_resample(embedding, grid):
    """Separable linear interpolation with half-pixel centres, by np.interp."""
    x = embedding
    for axis, n_out in enumerate(grid):
        n_in = x.shape[axis]
        source = (np.arange(n_out) + 0.5) * n_in / n_out - 0.5
        x = np.apply_along_axis(
            lambda v, s=source, n=n_in: np.interp(s, np.arange(n), v), axis, x
        )
    return x


@pytest.mark.parametrize(
    "built, grid",
    [((4, 4), (6, 3)), ((3,), (7,)), ((2, 3, 4), (3, 3, 2)), ((4, 4), (4, 4))],
)
def test_learned_embedding_is_resampled_to_the_input_grid(built, grid):
    rng = np.random.default_rng(3)
    layer = LearnedPositionEmbedding(grid_shape=built)
    x = rng.normal(size=(2, *grid, 4)).astype("float32")
    got = ops.convert_to_numpy(layer(x))
    weight = ops.convert_to_numpy(layer.embedding)
    np.testing.assert_allclose(got - x, np.broadcast_to(
        numpy_resample(weight, grid), x.shape), atol=1e-5)  # fmt: skip
    resampled = ops.convert_to_numpy(resample_grid(weight, grid))
    np.testing.assert_allclose(resampled, numpy_resample(weight, grid), atol=1e-5)


def test_fourier_features_are_numpys_fftn_over_the_spatial_axes():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(2, 4, 6, 3)).astype("float32")
    got = ops.convert_to_numpy(FourierFeatures()(x))
    expected = np.fft.fftn(x, axes=(1, 2), norm="ortho")
    np.testing.assert_allclose(got[..., :3], expected.real, atol=1e-4)
    np.testing.assert_allclose(got[..., 3:], expected.imag, atol=1e-4)


def test_tokens_and_pooling_values():
    rng = np.random.default_rng(5)
    x = rng.normal(size=(2, 5, 4)).astype("float32")
    cls = ClassToken(position_embedding=True)
    y = ops.convert_to_numpy(cls(x))
    token = ops.convert_to_numpy(cls.tokens) + ops.convert_to_numpy(cls.position)
    np.testing.assert_allclose(y[:, 0], np.broadcast_to(token, (2, 4)), atol=1e-6)
    np.testing.assert_allclose(y[:, 1:], x, atol=1e-6)
    registers = RegisterTokens(2)
    y = ops.convert_to_numpy(registers(x))
    np.testing.assert_allclose(y[1, :2], ops.convert_to_numpy(registers.tokens))
    np.testing.assert_allclose(y[:, 2:], x)
    pool = {p: ops.convert_to_numpy(TokenPooling(p, 2)(x)) for p in POOL_MODES}
    np.testing.assert_allclose(pool["cls"], x[:, 0])
    np.testing.assert_allclose(pool["mean"], x[:, 2:].mean(1), atol=1e-6)
    np.testing.assert_allclose(pool["max"], x[:, 2:].max(1))
    np.testing.assert_allclose(pool[None], x)


POOL_MODES = ("cls", "mean", "max", None)


def test_space_time_encoder_pools_each_frame_then_attends_over_frames():
    """With mean pooling and no class token, permuting the tokens inside a frame
    changes nothing (attention and pooling are permutation invariant), while
    permuting the frames permutes the outputs."""
    rng = np.random.default_rng(6)
    x = rng.normal(size=(2, 3, 4, 8)).astype("float32")
    layer = SpaceTimeEncoder(1, 1, 2, 16, class_token=False, pooling="mean")
    y = ops.convert_to_numpy(layer(x))
    assert y.shape == (2, 3, 8)
    inside = ops.convert_to_numpy(layer(x[:, :, ::-1]))
    np.testing.assert_allclose(inside, y, atol=1e-5)
    frames = ops.convert_to_numpy(layer(x[:, ::-1]))
    np.testing.assert_allclose(frames, y[:, ::-1], atol=1e-5)


# errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: PatchEmbedding(0, 8), "`patch_size` must be a positive int"),
        (lambda: PatchEmbedding((2, 2, 2, 2), 8), "`patch_size` must be an int or 1"),
        (lambda: PatchEmbedding(2, -1), "`dim` must be a positive int"),
        (lambda: PatchEmbedding(2, 4, pad=1), "`pad` must be True or False"),
        (lambda: TokenPooling("avg"), "`pooling` must be one of"),
        (lambda: TokenPooling("cls"), "`num_prefix_tokens` must be at least 1"),
        (lambda: RegisterTokens(0), "`num_tokens` must be a positive int"),
        (lambda: LearnedPositionEmbedding((4, 0)), "`grid_shape` must be a positive"),
        (lambda: SinCosPositionEmbedding(-1.0), "`temperature` must be a number"),
        (lambda: FourierFeatures("unit"), "`norm` must be one of"),
        (lambda: SpaceTimeEncoder(1, 1, 2, 8, class_token=False),
         "`pooling` must be 'mean' or 'max'"),
    ],
)  # fmt: skip
def test_bad_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize(
    "layer, shape, message",
    [
        (PatchEmbedding(4, 8), (1, 10, 8, 3), "divisible by patch_size"),
        (PatchEmbedding((2, 2), 8), (1, 8, 3), "an int or 1 ints"),
        (PatchEmbedding(2, 8), (1, 8), "1 to 3 spatial axes"),
        (LearnedPositionEmbedding(), (1, None, 4, 8), "`grid_shape` must be"),
        (LearnedPositionEmbedding((4,)), (1, 4, 4, 8), "2 ints for input grid"),
        (SinCosPositionEmbedding(), (1, 4, 4, 6), "multiple of 4"),
        (TokenPooling(), (1, 4, 4, 8), "(batch, tokens, dim)"),
        (TokenPooling("mean", 2), (1, 2, 8), "more tokens than num_prefix_tokens=2"),
    ],
)
def test_bad_inputs_name_the_problem(layer, shape, message):
    with pytest.raises(
        ValueError, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        layer(np.zeros([1 if s is None else s for s in shape], "float32")) if (
            None not in shape
        ) else layer.build(shape)
