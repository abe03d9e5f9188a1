"""Every public class through the shared kx layer-test harness."""

import keras
import numpy as np
import pytest

from kx.ncps import LTC, CfC, CfCCell, LTCCell, MixedMemoryRNN, WiredCfCCell
from kx.ncps.wirings import NCP, AutoNCP
from kx.ops.testing import random_inputs, run_layer_test

SHAPE = (2, 3, 3)  # batch, time, features


@keras.saving.register_keras_serializable(package="kx_tests")
class PlainRNN(keras.layers.RNN):
    """A plain keras.layers.RNN over a cell given by its config (for the harness).

    The cell follows the layer's dtype policy, as a cell built by CfC/LTC does.
    """

    def __init__(self, cell_config, **kwargs):
        cell = keras.saving.deserialize_keras_object(cell_config)
        super().__init__(cell, **kwargs)
        cell.dtype_policy = self.dtype_policy
        self.cell_config = cell_config

    def get_config(self):
        config = super().get_config()
        config.pop("cell")
        return {**config, "cell_config": self.cell_config}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _cell(cell):
    return {"cell_config": keras.saving.serialize_keras_object(cell)}


def test_cfc():
    # backbone (3+4)*6+6 = 48; heads 6*(4*4)+16 = 112
    run_layer_test(
        CfC,
        init_kwargs={"units": 4, "backbone_units": 6, "return_sequences": True},
        input_shape=SHAPE,
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=4,
        expected_num_params=48 + 112,
    )


def test_cfc_ncp_wiring_time_input():
    wiring = NCP(3, 3, 2, 2, 2, 2, 2)
    run_layer_test(
        CfC,
        init_kwargs={"units": wiring, "mode": "pure"},
        input_data=[
            random_inputs(SHAPE),
            np.random.default_rng(0).uniform(0.1, 2.0, (2, 3, 1)).astype("float32"),
        ],
        # w_tau starts at zero, as in ncps, and enters as |w_tau|, whose gradient
        # at zero is zero on every backend: it does not move in one step
        gradient_exempt={"w_tau": "zero-initialised inside abs(), as in ncps"},
        expected_output_shape=(2, 2),
        expected_num_trainable_weights=12,
        # pure: per block kernel (in+n)*n + bias n + w_tau n + A n
        expected_num_params=(3 + 3) * 3 + 9 + (3 + 3) * 3 + 9 + (3 + 2) * 2 + 6,
    )


def test_ltc_mixed_memory():
    # LTC on 4 neurons, 3 inputs fed by a 4-wide LSTM memory:
    # ltc 3*4 + 4*16 + 4*(4*4) + 2*4 + 2*4 = 156; lstm 3*16 + 4*16 + 16 = 128
    run_layer_test(
        LTC,
        init_kwargs={"units": 4, "mixed_memory": True, "ode_unfolds": 1},
        input_shape=SHAPE,
        expected_output_shape=(2, 4),
        expected_num_trainable_weights=18,
        expected_num_params=156 + 128,
    )


def test_ltc_auto_ncp():
    # n=6, f=3, m=2: 3n + 4n^2 + 4fn + 2f + 2m
    run_layer_test(
        LTC,
        init_kwargs={
            "units": AutoNCP(6, 2),
            "ode_unfolds": 1,
            "return_sequences": True,
        },
        input_shape=SHAPE,
        expected_output_shape=(2, 3, 2),
        expected_num_trainable_weights=15,
        expected_num_params=18 + 144 + 72 + 6 + 4,
    )


@pytest.mark.parametrize(
    "cell,params,output",
    [
        (CfCCell(4, mode="no_gate", backbone_layers=0), (3 + 4) * 16 + 16, 4),
        (WiredCfCCell(AutoNCP(6, 2), fully_recurrent=False), None, 2),
        (LTCCell(4, output_mapping=None), 12 + 64 + 48 + 6, 4),
        (MixedMemoryRNN(CfCCell(3, backbone_units=4)), None, 3),
    ],
    ids=["cfc_cell", "wired_cfc_cell", "ltc_cell", "mixed_memory"],
)
def test_cells_in_plain_rnn(cell, params, output):
    run_layer_test(
        PlainRNN,
        init_kwargs=_cell(cell),
        input_shape=SHAPE,
        expected_output_shape=(2, output),
        expected_num_params=params,
        # cost, not failure: a keras.layers.RNN of these cells compiles its own
        # loop, ~35 s per cell for training and jit on jax and tensorflow; the
        # same cells train and compile on every backend inside CfC and LTC above
        run_training_check=keras.config.backend() == "torch",
        run_jit_check=False,
    )
