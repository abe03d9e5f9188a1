"""Presets in timm's naming: each parameter count equals a hand count of timm's
layout and the published number."""

import pytest

import kx.vision as kv


def timm_vit_params(patch, size, dim, depth, classes=1000):
    """timm's VisionTransformer: conv patch embedding with bias, class token, a
    learned pos_embed of 1 + tokens positions, depth pre-norm blocks (qkv with
    bias, proj, MLP of 4 * dim), final norm, linear head."""
    tokens = (size // patch) ** 2
    patch_embed = patch * patch * 3 * dim + dim
    cls_token = dim
    pos_embed = (1 + tokens) * dim
    norms = 2 * (2 * dim)
    attention = dim * 3 * dim + 3 * dim + dim * dim + dim
    mlp = dim * 4 * dim + 4 * dim + 4 * dim * dim + dim
    blocks = depth * (norms + attention + mlp)
    return (
        patch_embed + cls_token + pos_embed + blocks + 2 * dim + dim * classes + classes
    )


# name: (patch, image size, dim, depth, the count in timm's tables or None)
PRESETS = {
    "vit_tiny_patch16_224": (16, 224, 192, 12, 5_717_416),
    "vit_tiny_patch16_384": (16, 384, 192, 12, None),
    "vit_small_patch16_224": (16, 224, 384, 12, 22_050_664),
    "vit_small_patch32_224": (32, 224, 384, 12, 22_878_952),
    "vit_base_patch16_224": (16, 224, 768, 12, 86_567_656),
    "vit_base_patch32_224": (32, 224, 768, 12, 88_224_232),
    "vit_base_patch16_384": (16, 384, 768, 12, None),
    "vit_large_patch16_224": (16, 224, 1024, 24, 304_326_632),
}


def test_every_preset_is_listed_and_counted():
    assert kv.list_models() == sorted(PRESETS)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_hand_count_equals_the_published_one(name):
    *config, published = PRESETS[name]
    if published is not None:
        assert timm_vit_params(*config) == published


# building vit_base takes a few seconds (vit_large far more): the built graph's
# count is checked against the formula on the tiny and base presets, and every
# preset's configuration against the table below
@pytest.mark.parametrize("name", ["vit_tiny_patch16_224", "vit_base_patch16_224"])
def test_built_preset_has_the_hand_counted_parameters(name):
    *config, _ = PRESETS[name]
    assert kv.create_model(name).count_params() == timm_vit_params(*config)


def test_preset_configs_match_the_table():
    for name, (patch, size, dim, depth, _) in PRESETS.items():
        cls, arguments = kv.PRESETS[name]
        assert cls is kv.ViT2D
        assert arguments["patch_size"] == patch
        assert arguments["input_shape"] == (size, size, 3)
        assert (arguments["dim"], arguments["depth"]) == (dim, depth)
        assert arguments["mlp_dim"] == 4 * dim and arguments["num_classes"] == 1000
        assert dim % arguments["heads"] == 0 and dim // arguments["heads"] == 64


def test_create_model_overrides_and_unknown_names():
    model = kv.create_model("vit_tiny_patch16_224", input_shape=(32, 32, 3), depth=1,
                            num_classes=10)  # fmt: skip
    assert model.name == "vit_tiny_patch16_224"
    assert tuple(model.output.shape) == (None, 10)
    with pytest.raises(ValueError, match="create_model: `name` must be one of"):
        kv.create_model("vit_huge")
