"""kx.layers.callbacks against expectations computed here, independently.

The learning rates against the schedule's formula, the weight norms against
numpy norms of the weights recorded by a separate callback, the early stop
against a plain-Python reading of the threshold rule on a fixed sequence.
"""

import csv

import keras
import numpy as np
import pytest

from kx.layers.callbacks import LRCSVLogger, ThresholdEarlyStopping, WeightNormLogger

SAMPLES, BATCH = 8, 2
STEPS = SAMPLES // BATCH  # training batches per epoch


def _data():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((SAMPLES, 3)).astype("float32")
    y = rng.standard_normal((SAMPLES, 1)).astype("float32")
    return x, y


def _model(optimizer="sgd"):
    model = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(4),
            keras.layers.BatchNormalization(),  # non-trainable weights too
            keras.layers.Dense(1),
        ]
    )
    model.compile(optimizer=optimizer, loss="mse")
    return model


def _rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


# ------------------------------------------------------------------- LRCSVLogger


@pytest.fixture(scope="module")
def lr_log(tmp_path_factory):
    path = tmp_path_factory.mktemp("lr") / "log.csv"
    schedule = keras.optimizers.schedules.ExponentialDecay(
        initial_learning_rate=0.1, decay_steps=3, decay_rate=0.5
    )
    x, y = _data()
    history = _model(keras.optimizers.SGD(schedule)).fit(
        x,
        y,
        batch_size=BATCH,
        epochs=3,
        verbose=0,
        validation_data=(x, y),
        callbacks=[LRCSVLogger(path)],
    )
    return _rows(path), history.history


def test_lr_csv_logger_writes_the_schedules_rate_after_each_epoch(lr_log):
    rows, history = lr_log
    # after epoch e the optimizer has taken STEPS * (e + 1) steps:
    # ExponentialDecay is 0.1 * 0.5 ** (step / 3)
    expected = [0.1 * 0.5 ** (STEPS * (e + 1) / 3) for e in range(3)]
    assert [int(r["epoch"]) for r in rows] == [0, 1, 2]
    np.testing.assert_allclose(
        [float(r["learning_rate"]) for r in rows], expected, rtol=1e-6
    )
    np.testing.assert_allclose(history["learning_rate"], expected, rtol=1e-6)
    # the loss columns are CSVLogger's, unchanged
    np.testing.assert_allclose(
        [float(r["loss"]) for r in rows], history["loss"], rtol=1e-6
    )
    assert set(rows[0]) == {"epoch", "learning_rate", "loss", "val_loss"}


# -------------------------------------------------------------- WeightNormLogger


class _Recorder(keras.callbacks.Callback):
    """Keeps a copy of the weights at the start and after every batch and epoch."""

    def __init__(self, trainable_only):
        super().__init__()
        self.trainable_only = trainable_only
        self.initial, self.batches, self.epochs = None, [], []

    def _weights(self):
        if self.trainable_only:
            return [keras.ops.convert_to_numpy(v) for v in self.model.trainable_weights]
        return [np.array(w) for w in self.model.get_weights()]

    def on_train_begin(self, logs=None):
        self.initial = self._weights()

    def on_train_batch_end(self, batch, logs=None):
        self.batches.append(self._weights())

    def on_epoch_end(self, epoch, logs=None):
        self.epochs.append(self._weights())


def _norm(weights):
    flat = np.concatenate([np.ravel(w).astype("float64") for w in weights])
    return np.linalg.norm(flat)


@pytest.fixture(scope="module")
def norm_logs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("norms")
    loggers = {
        ("batch", False): WeightNormLogger(folder / "batch.csv"),
        ("epoch", True): WeightNormLogger(
            folder / "epoch.csv", frequency="epoch", trainable_only=True
        ),
    }
    recorders = {False: _Recorder(False), True: _Recorder(True)}
    x, y = _data()
    model = _model(keras.optimizers.SGD(0.1))
    model.fit(
        x,
        y,
        batch_size=BATCH,
        epochs=2,
        verbose=0,
        callbacks=[*recorders.values(), *loggers.values()],
    )
    return {key: _rows(logger.filename) for key, logger in loggers.items()}, recorders


def test_weight_norm_logger_per_batch_is_the_numpy_norm_of_all_weights(norm_logs):
    logs, recorders = norm_logs
    rows, recorded = logs["batch", False], recorders[False]
    assert len(rows) == 2 * STEPS
    assert [(int(r["epoch"]), int(r["batch"])) for r in rows] == [
        (e, b) for e in range(2) for b in range(STEPS)
    ]
    norms = [_norm(w) for w in recorded.batches]
    np.testing.assert_allclose([float(r["weights_norm"]) for r in rows], norms, 1e-12)
    initial = _norm(recorded.initial)
    np.testing.assert_allclose(
        [float(r["relative_change"]) for r in rows], np.array(norms) / initial, 1e-12
    )
    # the weights moved: the rows are not all the initial norm
    assert np.ptp(norms) > 1e-4


def test_weight_norm_logger_per_epoch_of_the_trainable_weights(norm_logs):
    logs, recorders = norm_logs
    rows, recorded = logs["epoch", True], recorders[True]
    assert [(int(r["epoch"]), int(r["batch"])) for r in rows] == [
        (0, STEPS - 1),
        (1, STEPS - 1),
    ]
    norms = [_norm(w) for w in recorded.epochs]
    np.testing.assert_allclose([float(r["weights_norm"]) for r in rows], norms, 1e-12)
    # trainable only: the batch-normalization statistics are left out
    assert len(recorded.initial) == len(recorders[False].initial) - 2
    assert not np.isclose(norms[0], _norm(recorders[False].epochs[0]))


def test_weight_norm_logger_appends_without_a_second_header(tmp_path):
    path = tmp_path / "norms.csv"
    x, y = _data()
    model = _model()
    for append in (False, True):
        logger = WeightNormLogger(path, frequency="epoch", append=append)
        model.fit(x, y, batch_size=SAMPLES, epochs=1, verbose=0, callbacks=[logger])
    lines = path.read_text().splitlines()
    assert lines[0] == "epoch,batch,weights_norm,relative_change"
    assert len(lines) == 3 and not lines[2].startswith("epoch")


# --------------------------------------------------------- ThresholdEarlyStopping

# A monitored sequence (lower is better): flat above the threshold 1.0, below it
# at epoch 6, then not improving.
SEQUENCE = [3.0, 3.0, 3.0, 3.0, 2.0, 2.0, 0.9, 0.95, 0.97, 0.99, 0.5, 0.4]


def _expected_stop(values, threshold, patience, below=True):
    """The epoch training stops at, read off the rule; None if it does not."""
    if threshold is None:
        first = 0
    else:
        crossed = [v < threshold if below else v > threshold for v in values]
        if not any(crossed):
            return None
        first = crossed.index(True)
    best, since = values[first], 0
    for epoch in range(first + 1, len(values)):
        better = values[epoch] < best if below else values[epoch] > best
        best, since = (values[epoch], 0) if better else (best, since + 1)
        if since >= patience:
            return epoch
    return None


def _fit_on(values, stopper):
    fake = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: logs.update(val_fake=values[epoch])
    )
    x, y = _data()
    history = _model().fit(
        x,
        y,
        batch_size=SAMPLES,
        epochs=len(values),
        verbose=0,
        callbacks=[fake, stopper],
    )
    return len(history.epoch)


@pytest.mark.parametrize("patience", [1, 2, 3])
def test_threshold_early_stopping_counts_from_the_crossing(patience):
    stopper = ThresholdEarlyStopping(
        "val_fake", patience=patience, mode="min", threshold=1.0
    )
    epochs = _fit_on(SEQUENCE, stopper)
    stop = _expected_stop(SEQUENCE, 1.0, patience)
    assert stopper.threshold_epoch == 6
    assert stopper.stopped_epoch == stop
    assert epochs == stop + 1
    # plain EarlyStopping would have stopped before the crossing
    assert _expected_stop(SEQUENCE, None, patience) < 6


def test_threshold_early_stopping_without_threshold_is_early_stopping():
    ours = ThresholdEarlyStopping("val_fake", patience=2, mode="min")
    keras_own = keras.callbacks.EarlyStopping("val_fake", patience=2, mode="min")
    assert _fit_on(SEQUENCE, ours) == _fit_on(SEQUENCE, keras_own) == 3
    assert ours.stopped_epoch == keras_own.stopped_epoch == 2


def test_threshold_early_stopping_max_mode_and_auto_direction():
    values = [0.2, 0.2, 0.2, 0.8, 0.7, 0.6, 0.5]  # an accuracy: higher is better
    stopper = ThresholdEarlyStopping("val_fake", patience=2, mode="max", threshold=0.75)
    assert _fit_on(values, stopper) == 6
    assert stopper.stopped_epoch == _expected_stop(values, 0.75, 2, below=False) == 5
    assert ThresholdEarlyStopping("val_accuracy", threshold=0.9).threshold_mode == "max"
    assert ThresholdEarlyStopping("val_loss", threshold=0.1).threshold_mode == "min"


def test_threshold_early_stopping_never_crossed_never_stops():
    stopper = ThresholdEarlyStopping("val_fake", patience=1, mode="min", threshold=0.1)
    assert _fit_on(SEQUENCE[:6], stopper) == 6
    assert stopper.stopped_epoch == 0 and stopper.threshold_epoch is None


# ------------------------------------------------------------------ bad arguments


@pytest.mark.parametrize(
    ("cls", "kwargs", "message"),
    [
        (LRCSVLogger, {"filename": ""}, "LRCSVLogger: `filename` must be"),
        (LRCSVLogger, {"filename": "a", "separator": ";;"}, "`separator` must be"),
        (LRCSVLogger, {"filename": "a", "append": 1}, "got append=1"),
        (WeightNormLogger, {"filename": 3}, "WeightNormLogger: `filename`"),
        (
            WeightNormLogger,
            {"filename": "a", "frequency": "step"},
            "got frequency='step'",
        ),
        (
            WeightNormLogger,
            {"filename": "a", "trainable_only": "yes"},
            "trainable_only",
        ),
        (ThresholdEarlyStopping, {"patience": -1}, "`patience` must be a non-negative"),
        (ThresholdEarlyStopping, {"mode": "lowest"}, "got mode='lowest'"),
        (ThresholdEarlyStopping, {"threshold": "low"}, "got threshold='low'"),
        (ThresholdEarlyStopping, {"min_delta": -0.1}, "got min_delta=-0.1"),
        (ThresholdEarlyStopping, {"monitor": ""}, "`monitor` must be a non-empty"),
        (
            ThresholdEarlyStopping,
            {"monitor": "val_f1", "threshold": 0.5},
            "ThresholdEarlyStopping: `mode` must be 'min' or 'max' for a threshold",
        ),
    ],
)
def test_bad_arguments(cls, kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        cls(**kwargs)
