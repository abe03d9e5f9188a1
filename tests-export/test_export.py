"""``model.export`` of an FNO, a CfC and a ViT model to a TensorFlow SavedModel, ONNX
and LiteRT, reloaded in its own runtime, with outputs equal to Keras's.

A format/backend pair that Keras 3.15 does not offer, or whose converter or runtime
cannot take an op these models use, is skipped, but only when the export fails with
the documented error (``UNSUPPORTED``, matched by message): any other failure, or a
wrong output, fails the test, and a pair that starts to work runs its comparison.
The table in docs/export.md is this one.
"""

from __future__ import annotations

import re

import keras
import numpy as np
import pytest
from portability import FAMILIES, sample_inputs

BACKEND = keras.config.backend()
FORMATS = ("tf_saved_model", "onnx", "litert")
SUFFIX = {"tf_saved_model": "", "onnx": ".onnx", "litert": ".tflite"}


def cfc() -> keras.Model:
    """A CfC over a variable-length sequence."""
    from kx.ncps import CfC

    inputs = keras.Input((None, 3))
    return keras.Model(inputs, CfC(8, return_sequences=True)(inputs))


# family -> (builder, the sample's family in portability.FAMILIES, the export's
# input_signature: None lets Keras take the model's own, with every size it left
# open still open)
MODELS = {
    "fno": (FAMILIES["neural-operator"][0], "neural-operator", None),
    "cfc": (cfc, "neural-operator", None),  # the same (2, 16, 3) sequences
    # the image size fixed, as a ViT is served: jax's shape-polymorphic export
    # cannot reshape an (h // 4, w // 4) patch grid of symbolic h and w
    "vit": (
        FAMILIES["vit"][0],
        "vit",
        [keras.InputSpec(shape=(None, 8, 8, 3), dtype="float32")],
    ),
}

# (backend, format, family or "*") -> (a regex the export's error matches, the reason)
GELU_ERFC = (
    "No Op registered for Erfc",
    "tf2onnx 1.17 writes keras's exact gelu (tf.math.erfc on tensorflow) as an ONNX "
    "Erfc node, and ONNX has no Erfc op (only Erf), so onnxruntime rejects the graph",
)
UNSUPPORTED: dict[tuple[str, str, str], tuple[str, str]] = {
    ("torch", "tf_saved_model", "*"): (
        "requires the tensorflow module|torch_xla",
        "Keras writes a SavedModel from torch with tensorflow and torch-xla's "
        "StableHLO export; torch-xla has no release for torch 2.13 (the newest, "
        "2.9.0, requires torch 2.9.0), so the export venv has neither",
    ),
    ("jax", "litert", "*"): (
        "LiteRT export requires TensorFlow or PyTorch backend",
        "Keras 3.15 has no LiteRT export on jax (model.export raises ValueError)",
    ),
    ("jax", "onnx", "fno"): (
        "passed to jax.numpy.arange at position 1",
        "jax2onnx 0.17.1's arange plugin rejects jnp.arange(n, None), the call "
        "keras.ops.arange(n) makes on jax (in GridEmbedding's coordinate grid)",
    ),
    ("tensorflow", "onnx", "fno"): GELU_ERFC,
    ("tensorflow", "onnx", "vit"): GELU_ERFC,
    ("tensorflow", "onnx", "cfc"): (
        "No Op registered for PartitionedCall",
        "kx.ops's tensorflow scan runs inside a tf.function(jit_compile=True) "
        "(with_gradient's XLA-compiled forward), which tf2onnx leaves as a "
        "PartitionedCall node that onnxruntime cannot run",
    ),
    ("tensorflow", "litert", "fno"): (
        "FlexComplex",
        "the spectral convolution multiplies complex64 tensors; LiteRT's builtin "
        "ops have no complex arithmetic, so the converter keeps the select-TF op "
        "Complex, which ai-edge-litert's interpreter (no Flex delegate) cannot run",
    ),
    ("tensorflow", "litert", "cfc"): (
        "FlexTensorList",
        "kx.ops's tensorflow scan (a tf.while_loop over TensorArrays) converts to "
        "select-TF TensorList ops, which ai-edge-litert's interpreter (no Flex "
        "delegate) cannot run",
    ),
}


def reason_for(fmt: str, family: str) -> tuple[str, str] | None:
    return UNSUPPORTED.get((BACKEND, fmt, family)) or UNSUPPORTED.get(
        (BACKEND, fmt, "*")
    )


def run_exported(fmt: str, path: str, x: np.ndarray) -> np.ndarray:
    """The exported artifact's output on ``x``, in the format's own runtime."""
    if fmt == "tf_saved_model":
        import tensorflow as tf

        artifact = tf.saved_model.load(path)  # kept alive while it serves
        return np.asarray(artifact.serve(x))
    if fmt == "onnx":
        import onnxruntime

        session = onnxruntime.InferenceSession(path)
        return session.run(None, {session.get_inputs()[0].name: x})[0]
    from ai_edge_litert.interpreter import Interpreter

    interpreter = Interpreter(model_path=path)
    (spec,) = interpreter.get_input_details()
    interpreter.resize_tensor_input(spec["index"], x.shape)
    interpreter.allocate_tensors()
    interpreter.set_tensor(spec["index"], x)
    interpreter.invoke()
    return interpreter.get_tensor(interpreter.get_output_details()[0]["index"])


@pytest.fixture(scope="module", params=sorted(MODELS))
def model_and_input(request):
    build, sample, signature = MODELS[request.param]
    keras.utils.set_random_seed(0)
    model = build()
    x = sample_inputs(sample)
    return request.param, model, signature, x, keras.ops.convert_to_numpy(model(x))


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_reloads_with_equal_outputs(model_and_input, fmt, tmp_path):
    family, model, signature, x, expected = model_and_input
    path = str(tmp_path / f"{family}{SUFFIX[fmt]}")
    known = reason_for(fmt, family)
    if BACKEND == "torch" and fmt in ("onnx", "litert"):
        # torch's ONNX (dynamo) and LiteRT exporters take static shapes only (Keras
        # routes an open size to the TorchScript ONNX exporter, which has no FFT)
        signature = [keras.InputSpec(shape=x.shape, dtype="float32")]
    try:
        model.export(path, format=fmt, verbose=False, input_signature=signature)
        got = run_exported(fmt, path, x)
    except Exception as error:
        if known and re.search(known[0], f"{type(error).__name__}: {error}"):
            pytest.skip(f"{BACKEND} {fmt} {family}: {known[1]}")
        raise
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-5)
