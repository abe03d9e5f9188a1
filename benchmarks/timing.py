"""Interleaved timing, shared by the benchmark scripts.

Even idle, the project's virtual machine drifts by up to 1.5x from minute to
minute. Every benchmark therefore warms its functions up (compilation excluded),
then times them in interleaved rounds, so that a slow spell hits all of them
alike, and compares the least disturbed rounds.
"""

from __future__ import annotations

import time


def interleaved(functions, warmup, rounds, block=1):
    """Seconds per call of each function in each round: one list per function.

    Args:
        functions: callables taking no argument; each must wait for its result.
        warmup: untimed calls of each function first.
        rounds: how many rounds; a round times ``block`` calls of every function
            in turn and records their mean.
        block: calls per function per round.
    """
    for function in functions:
        for _ in range(warmup):
            function()
    times = [[] for _ in functions]
    for _ in range(rounds):
        for function, record in zip(functions, times):
            start = time.perf_counter()
            for _ in range(block):
                function()
            record.append((time.perf_counter() - start) / block)
    return times
