"""Training callbacks of kerex (``kerex.callbacks``) that Keras has no equivalent of.

- :class:`LRCSVLogger`: ``keras.callbacks.CSVLogger`` with the optimizer's current
  learning rate as a ``learning_rate`` column (also put in the epoch's logs, so
  ``History`` records it).
- :class:`WeightNormLogger`: writes the global L2 norm of the model's weights,
  and its ratio to the norm at the start of training, to a CSV file after every
  training batch (or every epoch).
- :class:`ThresholdEarlyStopping`: ``keras.callbacks.EarlyStopping`` that starts
  watching only once the monitored value has crossed a threshold.

They run on every backend (they read values through the public Keras API, on
the host, between steps) and are not serializable: callbacks are not saved with
a model.
"""

from __future__ import annotations

import csv
import math
import os
from typing import IO, Any

import keras
import numpy as np

from kx.ops import checks

__all__ = ["LRCSVLogger", "ThresholdEarlyStopping", "WeightNormLogger"]

Logs = dict[str, Any]


def _filename(value: Any, owner: str) -> str:
    if not isinstance(value, str | os.PathLike) or not os.fspath(value):
        checks.fail(owner, "filename", value, "a non-empty path (str or os.PathLike)")
    return os.fspath(value)


def _separator(value: Any, owner: str) -> str:
    # the csv module takes a one-character delimiter
    if not isinstance(value, str) or len(value) != 1:
        checks.fail(owner, "separator", value, "a one-character string")
    return value


class LRCSVLogger(keras.callbacks.CSVLogger):
    """``CSVLogger`` that also logs the optimizer's current learning rate.

    At the end of every epoch the optimizer's learning rate at that point (a
    schedule evaluated at the optimizer's step count, as the next step would use
    it) is written to ``logs["learning_rate"]``; the CSV file then has a
    ``learning_rate`` column beside the loss and metrics, and ``History`` (and
    every callback after this one) sees it too. kerex's class of the same name,
    on the public ``optimizer.learning_rate`` instead of a private method. As
    with ``CSVLogger``, a fit without validation data gets an empty ``val_``
    column for every logged key (``val_learning_rate`` among them).

    Args:
        filename: path of the CSV file.
        separator: the one-character column separator.
        append: append to an existing file instead of overwriting it.

    Example:

    >>> import os, tempfile
    >>> import keras, numpy as np
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> schedule = keras.optimizers.schedules.ExponentialDecay(0.1, 2, 0.5)
    >>> model.compile(optimizer=keras.optimizers.SGD(schedule), loss="mse")
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = os.path.join(folder.name, "log.csv")
    >>> x, y = np.ones((4, 2), "float32"), np.ones((4, 1), "float32")
    >>> history = model.fit(x, y, batch_size=2, epochs=2, verbose=0,
    ...                     validation_data=(x, y), callbacks=[LRCSVLogger(path)])
    >>> with open(path) as f:
    ...     print(f.readline().strip())
    epoch,learning_rate,loss,val_loss
    >>> # 0.1 * 0.5 ** (steps / 2) after 2 and 4 steps
    >>> [round(v, 4) for v in history.history["learning_rate"]]
    [0.05, 0.025]
    >>> folder.cleanup()
    """

    def __init__(
        self,
        filename: str | os.PathLike[str],
        separator: str = ",",
        append: bool = False,
    ) -> None:
        owner = type(self).__name__
        super().__init__(
            _filename(filename, owner),
            separator=_separator(separator, owner),
            append=checks.boolean(append, "append", owner),
        )

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        logs = {} if logs is None else logs
        learning_rate = self.model.optimizer.learning_rate
        logs["learning_rate"] = float(keras.ops.convert_to_numpy(learning_rate))
        super().on_epoch_end(epoch, logs)


class WeightNormLogger(keras.callbacks.Callback):
    """Write the global L2 norm of the model's weights to a CSV file.

    The norm is ``sqrt(sum of w ** 2 over every entry of every weight)``
    (computed in float64 on the host), of all the model's weights
    (``model.get_weights()``, as kerex) or of the trainable ones only. Each row
    holds ``epoch``, ``batch`` (the batch index within the epoch that Keras
    reports, the last one of the epoch for ``frequency="epoch"``),
    ``weights_norm`` and ``relative_change``: the norm divided by the norm at the
    start of training (1 at the start; ``nan`` if that norm is 0). kerex's class
    of the same name (which numbered its rows by the batch index alone).

    Reading the weights moves them to the host after every batch: with
    ``frequency="batch"`` expect a slower fit on an accelerator.

    Args:
        filename: path of the CSV file.
        separator: the one-character column separator.
        append: append to an existing file instead of overwriting it (the header
            is written only to an empty file).
        frequency: ``"batch"`` (a row after every training batch) or
            ``"epoch"`` (a row at the end of every epoch).
        trainable_only: the norm of the trainable weights only (leaving out,
            e.g., batch-normalization statistics).

    Example:

    >>> import os, tempfile
    >>> import keras, numpy as np
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = os.path.join(folder.name, "norms.csv")
    >>> x, y = np.ones((4, 2), "float32"), np.ones((4, 1), "float32")
    >>> _ = model.fit(x, y, batch_size=2, epochs=2, verbose=0,
    ...               callbacks=[WeightNormLogger(path)])
    >>> with open(path) as f:
    ...     lines = f.read().splitlines()
    >>> lines[0]
    'epoch,batch,weights_norm,relative_change'
    >>> [line.split(",")[:2] for line in lines[1:]]  # one row per batch
    [['0', '0'], ['0', '1'], ['1', '0'], ['1', '1']]
    >>> folder.cleanup()
    """

    COLUMNS = ("epoch", "batch", "weights_norm", "relative_change")

    def __init__(
        self,
        filename: str | os.PathLike[str],
        separator: str = ",",
        append: bool = False,
        frequency: str = "batch",
        trainable_only: bool = False,
    ) -> None:
        super().__init__()
        owner = type(self).__name__
        self.filename = _filename(filename, owner)
        self.separator = _separator(separator, owner)
        self.append = checks.boolean(append, "append", owner)
        self.frequency = checks.one_of(
            frequency, "frequency", ("batch", "epoch"), owner
        )
        self.trainable_only = checks.boolean(trainable_only, "trainable_only", owner)
        self.initial_norm: float | None = None
        self._file: IO[str] | None = None
        self._writer: Any = None
        self._epoch = 0
        self._batch = 0

    def weights_norm(self) -> float:
        """The global L2 norm of the model's (trainable) weights now."""
        if self.trainable_only:
            weights = [
                keras.ops.convert_to_numpy(v) for v in self.model.trainable_weights
            ]
        else:
            weights = self.model.get_weights()
        total = sum(float(np.sum(np.square(np.asarray(w, "float64")))) for w in weights)
        return math.sqrt(total)

    def _write(self) -> None:
        norm = self.weights_norm()
        initial = self.initial_norm
        relative = norm / initial if initial else float("nan")
        self._writer.writerow([self._epoch, self._batch, repr(norm), repr(relative)])
        assert self._file is not None
        self._file.flush()

    def on_train_begin(self, logs: Logs | None = None) -> None:
        keep = self.append and os.path.exists(self.filename)
        empty = not keep or os.path.getsize(self.filename) == 0
        self._file = open(self.filename, "a" if keep else "w", newline="")
        self._writer = csv.writer(self._file, delimiter=self.separator)
        if empty:
            self._writer.writerow(self.COLUMNS)
        self.initial_norm = self.weights_norm()

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None:
        self._epoch = epoch

    def on_train_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        self._batch = batch
        if self.frequency == "batch":
            self._write()

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        if self.frequency == "epoch":
            self._write()

    def on_train_end(self, logs: Logs | None = None) -> None:
        if self._file is not None:
            self._file.close()
        self._file = self._writer = None


class ThresholdEarlyStopping(keras.callbacks.EarlyStopping):
    """``EarlyStopping`` that is inactive until the monitored value crosses a threshold.

    Until the monitored value is first below ``threshold`` (``mode="min"``) or
    above it (``mode="max"``), epochs are not counted: no patience runs out and
    no best value is kept, so a slow start does not stop training. From the
    epoch of the crossing on it is ``keras.callbacks.EarlyStopping`` with the
    same arguments (that epoch is its first, and so its first best value). With
    ``threshold=None`` it is ``EarlyStopping``. kerex's class of the same name
    (which compared with ``<`` in every mode).

    Args:
        monitor: the quantity to monitor (a key of the epoch's logs).
        min_delta: the smallest change that counts as an improvement.
        patience: epochs without improvement, after the crossing, before
            training stops.
        verbose: 1 prints a message when the callback stops training.
        mode: ``"min"``, ``"max"``, or ``"auto"``. For the threshold, ``"auto"``
            means ``"min"`` for a ``monitor`` that ends with ``loss`` or
            ``error`` and ``"max"`` for one that ends with ``accuracy``, ``acc``
            or ``auc``; other names need an explicit mode when ``threshold`` is
            set.
        threshold: the value the monitored quantity must cross before the
            callback becomes active; ``None``: active from the start.
        baseline: as in ``EarlyStopping``: training stops if the model does not
            improve on it within ``patience`` epochs (counted after the crossing).
        restore_best_weights: restore the weights of the best epoch (after the
            crossing) when training stops.
        start_from_epoch: epochs to wait before watching at all (the threshold
            is looked at from that epoch on too).

    Example:

    >>> import keras, numpy as np
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> values = [3.0, 3.0, 3.0, 0.9, 0.95, 0.97, 0.99]  # a fake validation loss
    >>> fake = keras.callbacks.LambdaCallback(
    ...     on_epoch_end=lambda epoch, logs: logs.update(val_fake=values[epoch]))
    >>> stop = ThresholdEarlyStopping("val_fake", patience=2, mode="min", threshold=1.0)
    >>> x, y = np.ones((4, 2), "float32"), np.ones((4, 1), "float32")
    >>> history = model.fit(x, y, epochs=len(values), verbose=0, callbacks=[fake, stop])
    >>> stop.threshold_epoch, stop.stopped_epoch  # plain EarlyStopping stops at 2
    (3, 5)
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        min_delta: float = 0,
        patience: int = 0,
        verbose: int = 0,
        mode: str = "auto",
        threshold: float | None = None,
        baseline: float | None = None,
        restore_best_weights: bool = False,
        start_from_epoch: int = 0,
    ) -> None:
        owner = type(self).__name__
        if not isinstance(monitor, str) or not monitor:
            checks.fail(owner, "monitor", monitor, "a non-empty string")
        mode = checks.one_of(mode, "mode", ("auto", "min", "max"), owner)
        super().__init__(
            monitor=monitor,
            min_delta=checks.number(min_delta, "min_delta", owner, low=0.0),
            patience=checks.positive_int(patience, "patience", owner, allow_zero=True),
            verbose=checks.positive_int(verbose, "verbose", owner, allow_zero=True),
            mode=mode,
            baseline=checks.optional(checks.number, baseline, "baseline", owner),
            restore_best_weights=checks.boolean(
                restore_best_weights, "restore_best_weights", owner
            ),
            start_from_epoch=checks.positive_int(
                start_from_epoch, "start_from_epoch", owner, allow_zero=True
            ),
        )
        self.threshold = checks.optional(checks.number, threshold, "threshold", owner)
        self.threshold_mode = mode
        if self.threshold is not None and mode == "auto":
            self.threshold_mode = self._threshold_direction(monitor, owner)
        self.threshold_crossed = self.threshold is None
        self.threshold_epoch: int | None = None

    @staticmethod
    def _threshold_direction(monitor: str, owner: str) -> str:
        name = monitor.lower()
        if name.endswith(("loss", "error")):
            return "min"
        if name.endswith(("accuracy", "acc", "auc")):
            return "max"
        checks.fail(
            owner,
            "mode",
            "auto",
            f"'min' or 'max' for a threshold on {monitor!r} (auto reads only names "
            "ending in loss or error, accuracy, acc or auc)",
        )

    def on_train_begin(self, logs: Logs | None = None) -> None:
        super().on_train_begin(logs)
        self.threshold_crossed = self.threshold is None
        self.threshold_epoch = None

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        if not self.threshold_crossed:
            current = (logs or {}).get(self.monitor)
            if current is None:
                # EarlyStopping warns that the monitored value is missing
                super().on_epoch_end(epoch, logs)
                return
            if epoch < self.start_from_epoch:
                return
            value = float(current)
            assert self.threshold is not None
            if self.threshold_mode == "min":
                crossed = value < self.threshold
            else:
                crossed = value > self.threshold
            if not crossed:
                return
            self.threshold_crossed = True
            self.threshold_epoch = epoch
        super().on_epoch_end(epoch, logs)
