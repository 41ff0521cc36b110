"""The timing and memory code every workload shares, written once.

A workload pits the engine against its references. All of them are built first, each is warmed up,
then they run interleaved in one process, A B C A B C …, so that a slow spell of a busy machine
hits every contender alike; the ratio is the median of each round's engine / reference ratio, which
holds even when the times themselves wander. Peak memory is measured afterwards in one more,
untimed, step per contender under `tracemalloc`: the most memory that Python and NumPy allocate
during a step beyond what was allocated before it (NumPy reports its array buffers to tracemalloc;
PyTorch's allocator does not, so a PyTorch contender's memory is not shown).
"""

from __future__ import annotations

import gc
import importlib.util
import math
import statistics
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

Step = Callable[[], object]


@dataclass(frozen=True)
class Contender:
    """One implementation of a workload: `build()` sets up its model and data and returns one step
    (a training step, a forward and backward pass, …) to time. `requires` names a module that must
    be importable (an optional reference); `target` is the engine / this ratio the engine should
    meet (references only)."""

    name: str
    build: Callable[[], Step]
    requires: str | None = None
    target: float | None = None
    tracemalloc_sees_it: bool = True

    @property
    def installed(self) -> bool:
        return self.requires is None or importlib.util.find_spec(self.requires) is not None


@dataclass(frozen=True)
class Workload:
    """The engine and its references on one task. `memory=False` skips the tracemalloc step (for
    long runs); `notes(row)` writes the row's last column from its timings."""

    name: str
    engine: Contender
    references: Sequence[Contender] = ()
    rounds: int = 20
    warmup: int = 2
    memory: bool = True
    notes: Callable[[Row], str] | None = None
    self_timed: bool = False  # the step returns {"seconds": …}: its own clock, leaving out e.g. writing files
    # Time a `gc.collect()` after each step as part of it, so each contender pays for reclaiming its
    # own garbage. Without it, garbage in reference cycles (micrograd's graphs: each `_backward`
    # closure refers to its output) is collected whenever the *next* allocation triggers the
    # collector, which in an interleaved run is mostly during the other contender's step.
    collect_garbage: bool = False


@dataclass
class Timing:
    """The seconds of each timed step, the peak bytes of one step (None where not measured) and
    what the last step returned."""

    seconds: list[float] = field(default_factory=list)
    peak_bytes: int | None = None
    result: object = None

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


@dataclass(frozen=True)
class Row:
    """One line of the table: the engine against one reference (None: the workload has none)."""

    workload: Workload
    engine: Timing
    reference: Contender | None
    timing: Timing | None  # None: the reference is not installed

    @property
    def ratio(self) -> float | None:
        """The median over rounds of engine time / reference time in the same round: the two ran
        back to back, so a slow spell of the machine mostly cancels out of each round's ratio."""
        if self.timing is None:
            return None
        return statistics.median(e / r for e, r in zip(self.engine.seconds, self.timing.seconds, strict=True))

    @property
    def same_result(self) -> bool | None:
        """Whether the engine's last step returned the reference's loss, to 1e-3 (None where the
        steps return no number). Both start from the same weights and data and take as many steps,
        so a difference means they do not compute the same thing: the ratio would mean nothing."""
        e, r = self.engine.result, None if self.timing is None else self.timing.result
        if not (isinstance(e, float) and isinstance(r, float)):
            return None
        return math.isclose(e, r, rel_tol=1e-3, abs_tol=1e-6)

    @property
    def met(self) -> bool | None:
        target = None if self.reference is None else self.reference.target
        return None if self.ratio is None or target is None else self.ratio <= target


def peak_memory(step: Step) -> int:
    """The peak of memory allocated (and traced by tracemalloc) during one call of `step`."""
    gc.collect()
    tracemalloc.start()
    try:
        step()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def measure(workload: Workload, *, quick: bool = False) -> list[Row]:
    """Time the engine and every installed reference interleaved; one Row per reference.
    `quick` runs each contender once, with no warm-up (the smoke test of the harness)."""
    contenders = [workload.engine, *(c for c in workload.references if c.installed)]
    steps = [c.build() for c in contenders]
    timings = [Timing() for _ in contenders]
    rounds, warmup = (1, 0) if quick else (workload.rounds, workload.warmup)
    for _ in range(warmup):
        for step in steps:
            step()
    gc.collect()
    for _ in range(rounds):
        for step, timing in zip(steps, timings):
            start = time.perf_counter()
            timing.result = step()
            if workload.collect_garbage:
                gc.collect()
            elapsed = time.perf_counter() - start
            timing.seconds.append(timing.result["seconds"] if workload.self_timed else elapsed)
    for contender, step, timing in zip(contenders, steps, timings):
        if workload.memory and contender.tracemalloc_sees_it:
            timing.peak_bytes = peak_memory(step)
    engine, by_name = timings[0], {c.name: t for c, t in zip(contenders[1:], timings[1:])}
    if not workload.references:
        return [Row(workload, engine, None, None)]
    return [Row(workload, engine, ref, by_name.get(ref.name)) for ref in workload.references]


def format_seconds(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def format_bytes(n: float) -> str:
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{n:.3g} B"


def _time_cell(t: Timing) -> str:
    return f"{format_seconds(t.median)} ({format_seconds(min(t.seconds))}–{format_seconds(max(t.seconds))})"


def _memory_cell(t: Timing | None) -> str:
    return "—" if t is None or t.peak_bytes is None else format_bytes(t.peak_bytes)


COLUMNS = (
    "workload",
    "engine median (min–max)",
    "reference",
    "reference median (min–max)",
    "ratio",
    "target",
    "met",
    "engine peak mem",
    "reference peak mem",
    "notes",
)


def _cells(row: Row) -> list[str]:
    ref, ratio, met = row.reference, row.ratio, row.met
    if ref is None:
        ref_time = "—"
    else:
        ref_time = "not installed" if row.timing is None else _time_cell(row.timing)
    return [
        row.workload.name,
        _time_cell(row.engine),
        "—" if ref is None else ref.name,
        ref_time,
        "—" if ratio is None else f"{ratio:.2f}×",
        "—" if ref is None or ref.target is None else f"≤ {ref.target:g}×",
        "—" if met is None else ("yes" if met else "no"),
        _memory_cell(row.engine),
        _memory_cell(row.timing),
        _notes(row),
    ]


def _notes(row: Row) -> str:
    notes = [row.workload.notes(row)] if row.workload.notes else []
    if row.same_result is not None:
        e, r = row.engine.result, row.timing.result  # type: ignore[union-attr]
        notes.append("same loss" if row.same_result else f"LOSSES DIFFER: {e:.6g} vs {r:.6g}")
    return "; ".join(notes) or "—"


def per_gate(gates: int) -> Callable[[Row], str]:
    """Notes for a chain of `gates` gates: the engine's median time and peak memory per gate."""

    def notes(row: Row) -> str:
        t = row.engine
        memory = "" if t.peak_bytes is None else f" and {format_bytes(t.peak_bytes / gates)}"
        return f"{format_seconds(t.median / gates)}{memory} per gate"

    return notes


def markdown_lines(rows: Sequence[Row], header: bool = False) -> str:
    """The rows as lines of a Markdown table (it reads as plain text too), after its header if asked."""
    lines = [COLUMNS, ["---"] * len(COLUMNS)] if header else []
    return "\n".join("| " + " | ".join(cells) + " |" for cells in [*lines, *(_cells(r) for r in rows)])
