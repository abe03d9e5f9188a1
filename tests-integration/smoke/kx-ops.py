"""Run inside a venv that holds only kx-ops and jax: the harness checks a layer."""

import keras

from kx.ops.testing import run_layer_test

run_layer_test(
    keras.layers.Dense,
    init_kwargs={"units": 2},
    input_shape=(3, 4),
    expected_output_shape=(3, 2),
    expected_num_params=10,
    run_float64_check=False,
)
print("smoke: kx-ops works")
