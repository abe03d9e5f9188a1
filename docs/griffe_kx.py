"""A griffe extension that reads kx's Keras-style docstrings for mkdocstrings.

kx writes its docstrings in Keras's Google style, which griffe's Google parser reads
only in part:

- ``Call arguments:`` is not a section griffe knows: it would render as a note with
  the arguments run together. It is parsed here like ``Args:`` and renders as a
  parameter table titled "Call arguments".
- ``Example:`` (singular) is not a griffe section either, and kx, like Keras, writes
  the ``>>>`` lines of an example flush with the section title: griffe would read
  them as Markdown block quotes. They become an indented ``Examples:`` section,
  which renders as code.
- ``>>>`` lines outside an example section become a fenced ``pycon`` block.
- Sphinx roles (``:class:`X```, ``:func:`~kx.ops.rfftn```) become cross-references
  where the target is a documented kx object, and inline code otherwise.

A malformed section (an argument line that is not ``name: description``, an example
section without a ``>>>`` line, an unknown role) is reported as a warning that names
the object, which fails ``mkdocs build --strict``.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import griffe

# under "mkdocs", so that `mkdocs build --strict` counts its warnings
LOG = logging.getLogger("mkdocs.plugins.kx.docstrings")

SECTION_TITLE = re.compile(r"^([A-Z][A-Za-z]*(?: [a-z][A-Za-z]*)*):\s*$")
ARGUMENT = re.compile(r"^(\*{0,2}[A-Za-z_][A-Za-z0-9_]*)(?:\s*\(.*\))?:(\s|$)")
# "a, b, c," on a line of its own, and the "d, e: text" that ends such a group
GROUP = re.compile(r"^\s*\w+(?:, *\w+)*,$")
ARGUMENT_NAMES = re.compile(r"^\w+(?:, *\w+)*:(\s|$)")
ROLE = re.compile(r":(class|func|meth|mod|attr|data|obj|exc|const):`(~?)([^`]+)`")
PROMPT = re.compile(r"^\s*(>>>|\.\.\.)( |$)")
CALL_ARGUMENTS = "Call arguments"
# the title griffe's parser gives its own table to; renamed back after parsing
CALL_ARGUMENTS_STAND_IN = "Keyword Args"


def _level(line: str) -> int:
    """The indentation of a line (a blank line has none)."""
    return len(line) - len(line.lstrip()) if line.strip() else 0


def _indent(lines: list[str]) -> list[str]:
    return [("    " + line) if line.strip() else "" for line in lines]


def _section_end(lines: list[str], start: int) -> int:
    """Index of the first line after ``start`` that opens another section."""
    for i in range(start, len(lines)):
        if SECTION_TITLE.match(lines[i]) and not PROMPT.match(lines[i - 1] or ""):
            return i
    return len(lines)


def _fence_prompts(lines: list[str]) -> list[str]:
    """Fence runs of ``>>>`` lines (and the output under them) as pycon blocks."""
    out: list[str] = []
    i = 0
    in_fence = False
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        if not in_fence and line.lstrip().startswith(">>>"):
            indent = line[: len(line) - len(line.lstrip())]
            out.append(indent + "```pycon")
            while i < len(lines) and lines[i].strip():
                out.append(lines[i])
                i += 1
            out.append(indent + "```")
            continue
        out.append(line)
        i += 1
    return out


class KerasDocstrings(griffe.Extension):
    """Normalise kx's Keras-style docstrings before griffe parses them."""

    def on_object(self, *, obj: griffe.Object, loader: Any, **kwargs: Any) -> None:
        docstring = obj.docstring
        if docstring is None or obj.is_alias:
            return
        self.collection = loader.modules_collection
        docstring.value = self.normalise(obj, docstring.value)
        if CALL_ARGUMENTS_STAND_IN + ":" not in docstring.value:
            return
        # the call arguments' types are those of the `call` method, not of the
        # constructor griffe would look them up in
        options = {**docstring.parser_options, "warn_missing_types": False}
        sections = docstring.parse(**options)
        call = obj.members.get("call") if obj.is_class else None
        for section in sections:
            if isinstance(section, griffe.DocstringSectionOtherParameters):
                section.title = CALL_ARGUMENTS
                for parameter in section.value:
                    if call is not None and parameter.name in call.parameters:
                        annotation = call.parameters[parameter.name].annotation
                        parameter.annotation = parameter.annotation or annotation
        docstring.__dict__["parsed"] = sections  # griffe's cached parse, kept

    # -- the text ---------------------------------------------------------------
    def normalise(self, obj: griffe.Object, text: str) -> str:
        text = ROLE.sub(lambda m: self.role(obj, m), text)
        lines = text.split("\n")
        out: list[str] = []
        i = 0
        while i < len(lines):
            match = SECTION_TITLE.match(lines[i])
            if not match:
                out.append(lines[i])
                i += 1
                continue
            title = match.group(1)
            end = _section_end(lines, i + 1)
            body = lines[i + 1 : end]
            if title in ("Example", "Examples"):
                if not any(PROMPT.match(line) for line in body):
                    self.warn(obj, f"the {title!r} section has no '>>>' line")
                flush = any(
                    line.startswith(">>>") for line in body
                )  # written flush with the title, as Keras does
                out.append("Examples:")
                out.extend(_indent(body) if flush else body)
            elif title in ("Args", "Arguments", CALL_ARGUMENTS):
                body = self.split_groups(body)
                self.check_arguments(obj, title, body)
                out.append(
                    (CALL_ARGUMENTS_STAND_IN if title == CALL_ARGUMENTS else title)
                    + ":"
                )
                out.extend(body)
            else:
                out.append(lines[i])
                out.extend(body)
            i = end
        return "\n".join(self.fence_outside_examples(out))

    @staticmethod
    def fence_outside_examples(lines: list[str]) -> list[str]:
        out: list[str] = []
        chunk: list[str] = []
        in_examples = False
        for line in lines:
            if SECTION_TITLE.match(line):
                out.extend(chunk if in_examples else _fence_prompts(chunk))
                chunk = []
                in_examples = line == "Examples:"
                out.append(line)
            else:
                chunk.append(line)
        out.extend(chunk if in_examples else _fence_prompts(chunk))
        return out

    @staticmethod
    def split_groups(body: list[str]) -> list[str]:
        """Keras's grouped entries, ``a, b,`` (lines) ``c: text``, one entry each."""
        lines = [line for line in body if line.strip()]
        if not lines:
            return body
        indent = _level(lines[0])
        out: list[str] = []
        i = 0
        while i < len(body):
            # "a, b," lines at the entries' indent, then the "c, d: text" line that
            # ends the group (indented as a continuation, or a one-line group at the
            # entries' indent with a comma before its colon)
            names: list[str] = []
            j = i
            while j < len(body) and _level(body[j]) == indent and GROUP.match(body[j]):
                names += body[j].strip().rstrip(",").split(",")
                j += 1
            entry = body[j] if j < len(body) else ""
            head, _, text = entry.strip().partition(":")
            if ARGUMENT_NAMES.match(entry.strip()) and (
                names or ("," in head and _level(entry) == indent)
            ):
                description = [text.strip()]
                k = j + 1
                while k < len(body) and _level(body[k]) > indent:
                    description.append(body[k].strip())
                    k += 1
                out += [
                    " " * indent + f"{name.strip()}: " + " ".join(description)
                    for name in names + head.split(",")
                ]
                i = k
                continue
            out.append(body[i])
            i += 1
        return out

    def check_arguments(self, obj: griffe.Object, title: str, body: list[str]) -> None:
        lines = [line for line in body if line.strip()]
        if not lines:
            self.warn(obj, f"the {title!r} section is empty")
            return
        indent = _level(lines[0])
        if indent == 0:
            self.warn(obj, f"the {title!r} section is not indented")
            return
        for line in lines:
            if _level(line) == indent and not ARGUMENT.match(line.strip()):
                self.warn(
                    obj,
                    f"the {title!r} section has a line that is not "
                    f"'name: description': {line.strip()!r}",
                )

    # -- roles ------------------------------------------------------------------
    def role(self, obj: griffe.Object, match: re.Match[str]) -> str:
        kind, short, target = match.groups()
        label = target.rsplit(".", 1)[-1] if short else target
        path = self.resolve(obj, target)
        if path is None:
            if target.startswith("kx."):
                self.warn(obj, f"the {kind} role points to an unknown {target!r}")
            return f"`{label}`"
        return f"[`{label}`][{path}]"

    def resolve(self, obj: griffe.Object, target: str) -> str | None:
        """The documented path of ``target``: its kx package's public name first."""
        package = ".".join(obj.path.split(".")[:2])  # kx.layers
        name = target.rsplit(".", 1)[-1]
        candidates = [target] if target.startswith("kx.") else []
        if target.startswith("kx."):
            candidates.insert(0, ".".join(target.split(".")[:2]) + "." + name)
        else:
            candidates.append(f"{package}.{target}")
            candidates.append(f"{obj.path.rsplit('.', 1)[0]}.{target}")
        for path in candidates:
            try:
                self.collection[path]
            except (
                KeyError,
                ValueError,
                griffe.AliasResolutionError,
                griffe.CyclicAliasError,
            ):
                continue
            return path
        return None

    @staticmethod
    def warn(obj: griffe.Object, message: str) -> None:
        where = f"{obj.relative_filepath}:{obj.lineno}"
        LOG.warning("kx docstring of %s (%s): %s", obj.path, where, message)
