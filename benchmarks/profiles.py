"""Where an FNO train step's time goes, from each backend's own profiler.

:func:`breakdown` runs a step function under the backend's profiler and sums the
time of every operation it records into the categories of ``flops.py`` plus
``activation/merge/bias``, ``optimizer``, ``loss`` and ``other``, each split by
kind: ``matmul``, ``copy`` (transposes, concatenations, layout changes) and
``elementwise``. ``framework overhead`` is the step's wall time during which no
operation ran (Python, dispatch, the host round trip).

* jax and tensorflow: the step is one XLA program. Its optimized HLO (dumped by
  ``--xla_dump_to``, which :func:`xla_dump_flags` adds to ``XLA_FLAGS`` before the
  backend starts) names every instruction the CPU runtime executes; the profiler
  (``jax.profiler.trace``, ``tf.profiler.experimental``) times each one. An
  instruction's category comes from its metadata: the Python stack of the op that
  produced it (jax), or its TF name scope (tensorflow).
* torch: ``torch.profiler`` with Python stacks. A forward op's category comes
  from its stack; a backward op's from the forward op whose autograd node it runs
  (matched by sequence number); the optimizer's ops from their stack.
"""

from __future__ import annotations

import collections
import glob
import gzip
import json
import os
import re
import tempfile

KINDS = ("matmul", "copy", "elementwise")
EXTRA = ("activation/merge/bias", "optimizer", "loss", "other")
DUMP = os.path.join(tempfile.gettempdir(), f"kx-roofline-hlo-{os.getpid()}")


def xla_dump_flags():
    """Add the HLO dump to ``XLA_FLAGS``; call before importing jax/tensorflow."""
    flags = os.environ.get("XLA_FLAGS", "")
    os.environ["XLA_FLAGS"] = (
        f"{flags} --xla_dump_to={DUMP} --xla_dump_hlo_as_text "
        "--xla_dump_hlo_module_re=.*(train_step|one_step_on).*"
    ).strip()


# classification -------------------------------------------------------------------


def _category(text, mix_hint):
    """A category from a stack (file and function names) or a name scope."""
    text = text.lower()
    if "optimizer" in text or "adam" in text:
        return "optimizer"
    if "_add_bias" in text:
        return "activation/merge/bias"
    if "complex_math.py" in text or "complex_einsum" in text:
        return "spectral mix"
    spectral = ("truncated.py", "spectral.py", "/fft.py", "spectral_conv")
    if any(s in text for s in spectral):
        return "spectral mix" if mix_hint else "transforms"
    if "_bypass" in text or "tensordot" in text:
        return "1x1 path"
    if "loss" in text:
        return "loss"
    if "fno" in text:
        return "activation/merge/bias"
    if "dense" in text:
        return "lifting/projection"
    return "other"


_MATMUL = re.compile(r"\b(dot|convolution|ynn_fusion|xnn_fusion|onednn|custom-call)")
_COPY = re.compile(r"\b(copy|transpose|concatenate|pad|slice|bitcast_fusion|gather)")


def _kind(name, opcode=""):
    text = f"{name} {opcode}".lower()
    if _MATMUL.search(text) or re.search(r"(mm|matmul|einsum|linear)\b", text):
        return "matmul"
    if _COPY.search(text) or re.search(r"(cat|clone|contiguous|permute)\b", text):
        return "copy"
    return "elementwise"


# XLA (jax, tensorflow) -------------------------------------------------------------


def _stack_tables(text):
    """The FileNames/FunctionNames/FileLocations/StackFrames tables of an HLO dump."""
    section, tables = None, {k: {} for k in ("files", "functions", "locations")}
    frames = {}
    names = {"FileNames": "files", "FunctionNames": "functions"}
    for line in text.splitlines():
        s = line.strip()
        if s in (*names, "FileLocations", "StackFrames"):
            section = s
            continue
        if not s:  # a blank line ends a table
            section = None
            continue
        if section in names:
            i, name = s.split(" ", 1)
            tables[names[section]][int(i)] = name.strip('"')
        elif section == "FileLocations":
            fields = dict(re.findall(r"(\w+)=(\d+)", s))
            tables["locations"][int(s.split(" ", 1)[0])] = (
                int(fields["file_name_id"]),
                int(fields["function_name_id"]),
            )
        elif section == "StackFrames":
            fields = dict(re.findall(r"(\w+)=(\d+)", s))
            frames[int(s.split(" ", 1)[0])] = (
                int(fields["file_location_id"]),
                int(fields["parent_frame_id"]) - 1,  # printed one-based
            )
    return tables, frames


def _stack_text(frame, tables, frames):
    parts = []
    while frame in frames and len(parts) < 80:
        location, parent = frames[frame]
        file_id, function_id = tables["locations"][location]
        parts.append(f"{tables['files'][file_id]}:{tables['functions'][function_id]}")
        if parent == frame:
            break
        frame = parent
    # the innermost kx or keras-layer frames decide; drop the trainer's frames
    return " ".join(p for p in parts if "trainer" not in p)


_INSTRUCTION = re.compile(
    r"^\s*(?:ROOT )?%?([\w.\-]+) = (\S+?)(?:\{[^}]*\})? ([\w\-]+)\((.*)$"
)


def _hlo_instructions(path):
    """``{instruction name: (category, kind)}`` of an optimized HLO dump."""
    text = open(path).read()
    tables, frames = _stack_tables(text)
    result = {}
    for line in text.splitlines():
        match = _INSTRUCTION.match(line)
        if not match:
            continue
        name, shape, opcode, rest = match.groups()
        op_name = re.search(r'op_name="([^"]*)"', rest)
        frame = re.search(r"stack_frame_id=(\d+)", rest)
        where = op_name.group(1) if op_name else ""
        if frame and frames:
            where = f"{where} {_stack_text(int(frame.group(1)), tables, frames)}"
        mix = "c64" in shape or "c128" in shape or "einsum" in where.lower()
        kind = _kind(name, opcode)
        if kind == "copy" and opcode == "fusion" and "kind=kCustom" in rest:
            kind = "matmul"
        result[name] = (_category(where, mix), kind)
    return result


def dumped_modules():
    """The optimized HLO files dumped so far (see :func:`xla_dump_flags`)."""
    files = glob.glob(os.path.join(DUMP, "*after_optimizations.txt"))
    return {f for f in files if "buffer" not in f and "memory" not in f}


def _train_module(before):
    files = dumped_modules() - set(before)
    if not files:
        raise RuntimeError(f"no new optimized HLO dump in {DUMP}: was XLA_FLAGS set?")
    return max(files, key=os.path.getsize)


def _busy(intervals):
    """Total length of the union of ``(start, end)`` intervals."""
    busy, end = 0.0, None
    for s, e in sorted(intervals):
        if end is None or s > end:
            busy += e - s
            end = e
        elif e > end:
            busy += e - end
            end = e
    return busy


def _summarize(records, steps, wall):
    """The breakdown dict of ``(category, kind, start_s, duration_s)`` records."""
    table = collections.defaultdict(float)
    intervals = []
    for category, kind, start, duration in records:
        table[(category, kind)] += duration / steps
        intervals.append((start, start + duration))
    busy = _busy(intervals) / steps
    return {
        "ops": dict(table),
        "busy": busy,
        "wall": wall,
        "overhead": max(wall - busy, 0.0),
    }


def _jax_events(directory):
    path = glob.glob(os.path.join(directory, "**", "*.trace.json.gz"), recursive=True)
    trace = json.load(gzip.open(path[0]))
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    return [
        (e["name"], e["ts"] * 1e-6, e["dur"] * 1e-6)
        for e in events
        if e.get("ph") == "X" and "dur" in e
    ]


def _tensorflow_events(directory):
    from tensorflow.tsl.profiler.protobuf import xplane_pb2

    path = glob.glob(os.path.join(directory, "**", "*.xplane.pb"), recursive=True)
    space = xplane_pb2.XSpace()
    with open(path[0], "rb") as f:
        space.ParseFromString(f.read())
    events = []
    for plane in space.planes:
        names = {k: v.name for k, v in plane.event_metadata.items()}
        for line in plane.lines:
            for e in line.events:
                start = line.timestamp_ns * 1e-9 + e.offset_ps * 1e-12
                events.append(
                    (names.get(e.metadata_id, ""), start, e.duration_ps * 1e-12)
                )
    return events


def _time(step, steps):
    import time

    start = time.perf_counter()
    for _ in range(steps):
        step()
    return (time.perf_counter() - start) / steps


def breakdown(step, backend, steps=3, before=()):
    """Profile ``steps`` calls of ``step`` (already warmed up): a dict with the
    per-``(category, kind)`` seconds per step (``ops``), the time some op ran
    (``busy``), the wall time (``wall``) and ``overhead`` = wall - busy.

    ``before``: on jax and tensorflow, :func:`dumped_modules` from before the
    step was first compiled (its module is the largest dumped since).
    """
    if backend == "torch":
        return _torch_breakdown(step, steps)
    directory = tempfile.mkdtemp(prefix="kx-roofline-trace-")
    if backend == "jax":
        import jax

        with jax.profiler.trace(directory, create_perfetto_trace=True):
            wall = _time(step, steps)
        events = _jax_events(directory)
    else:
        import tensorflow as tf

        tf.profiler.experimental.start(directory)
        wall = _time(step, steps)
        tf.profiler.experimental.stop()
        events = _tensorflow_events(directory)
    instructions = _hlo_instructions(_train_module(before))
    records = [
        (*instructions[name], start, duration)
        for name, start, duration in events
        if name in instructions
    ]
    return _summarize(records, steps, wall)


# torch -----------------------------------------------------------------------------


def _torch_breakdown(step, steps):
    """Two profiled runs: one with Python stacks (slow) to learn each op's
    category by its signature (name and shapes, with those of the ops it runs),
    one without them for the times."""
    from torch.profiler import ProfilerActivity, profile

    options = {"activities": [ProfilerActivity.CPU], "record_shapes": True}
    with profile(with_stack=True, **options) as prof:
        step()
    learned = _torch_categories(list(prof.events()))
    with profile(**options) as prof:
        wall = _time(step, steps)
    records = []
    for e, _, signature in _torch_top_ops(list(prof.events())):
        node = e.name.split(": ", 1)[-1]
        kind = _kind(re.sub(r"Backward\d*$", "", node.split("::")[-1]).lower())
        start, seconds = e.time_range.start * 1e-6, e.cpu_time_total * 1e-6
        records.append((learned.get(signature, "other"), kind, start, seconds))
    return _summarize(records, steps, wall)


def _is_op(e):
    return e.name.startswith(("aten::", "autograd::engine::evaluate_function"))


def _torch_top_ops(events):
    """``(event, its Python frames, signature)`` of every op not inside another."""
    children = collections.defaultdict(list)
    found = []
    for e in events:
        if not _is_op(e):
            continue
        frames, parent = [], e.cpu_parent
        while parent is not None and not _is_op(parent):
            frames.append(parent.name)
            parent = parent.cpu_parent
        if parent is None:
            found.append((e, frames))
        else:
            children[id(parent)].append(e)
    result = []
    for e, frames in found:
        shapes = [str(e.input_shapes)] + [
            f"{c.name}{c.input_shapes}" for c in children[id(e)]
        ]
        result.append((e, frames, (e.name, *shapes)))
    return result


def _torch_categories(events):
    """``{signature: category}``: forward ops by their stack; a backward node by
    the forward op that recorded its sequence number (any op inside it)."""
    top = _torch_top_ops(events)
    owner = {}  # id of any op -> its top-level op's category
    by_sequence = {}
    for e, frames, _ in top:
        category = _category(" ".join(frames).replace("trainer", ""), _mix(frames))
        stack = [e]
        while stack:
            op = stack.pop()
            owner[id(op)] = category
            if op.sequence_nr >= 0 and op.name.startswith("aten::"):
                by_sequence.setdefault(op.sequence_nr, category)
            stack.extend(op.cpu_children)
    learned = collections.defaultdict(collections.Counter)
    for e, _, signature in top:
        category = owner[id(e)]
        if e.name.startswith("autograd::"):
            category = by_sequence.get(e.sequence_nr, category)
            if "ContiguousBmm" in e.name:  # kx's torch einsum, a custom Function
                category = "spectral mix"
        learned[signature][category] += 1
    return {s: c.most_common(1)[0][0] for s, c in learned.items()}


def _mix(frames):
    text = " ".join(frames)
    return "_complex_einsum" in text or "einsum" in text and "_backend/torch" in text
