"""The check that a rank subclass's signature is its N-d base's without ``rank``."""

import inspect


def assert_rank_signature(base, cls, rank=None):
    """Asserts that ``cls``'s signature is ``base``'s minus the leading ``rank``, with
    the same (string) annotations and ``-> None``; with ``rank``, also that ``cls``'s
    docstring names every argument and says ``rank={rank}``."""
    parameters = list(inspect.signature(base).parameters.values())
    assert parameters[0].name == "rank"
    expected = inspect.signature(base).replace(parameters=parameters[1:])
    assert inspect.signature(cls) == expected
    # the annotations (strings: the modules use `from __future__ import annotations`)
    annotations = {n: p.annotation for n, p in expected.parameters.items()}
    assert all(isinstance(a, str) for a in annotations.values()), annotations
    got = {n: p.annotation for n, p in inspect.signature(cls).parameters.items()}
    assert got == annotations
    assert inspect.signature(cls).return_annotation == "None"
    if rank is None:
        return
    doc = inspect.getdoc(cls)
    for name in expected.parameters:
        if name != "kwargs":
            assert name in doc, f"{cls.__name__} does not document `{name}`"
    assert f"rank={rank}" in doc
