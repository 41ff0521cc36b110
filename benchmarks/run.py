"""`python -m benchmarks [--quick] [--only NAME ...]`: run the workloads, print the machine and the table.

Each row times the engine against one reference, interleaved in this process (see `harness`):
the medians with their min–max, the ratio engine / reference, its target and whether it is met, and
the peak memory tracemalloc sees during one step. A reference that is not installed (PyTorch and
micrograd come with the `bench` extra) shows "not installed". `--quick` runs every workload once
at small sizes: the test suite runs it so that the harness cannot rot.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import importlib.util
import os
import platform
import sys
from collections.abc import Sequence

import numpy as np

from .harness import Row, markdown_lines, measure
from .workloads import WORKLOADS


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="each workload once, at small sizes (seconds)")
    p.add_argument("--only", nargs="+", choices=list(WORKLOADS), help="run only these workloads")
    p.add_argument("--threads", type=int, default=1, help="threads for NumPy's BLAS and PyTorch (default: 1)")
    return p.parse_args(argv)


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def blas_threads() -> str:
    """The BLAS NumPy uses and its thread count (threadpoolctl, part of the `bench` extra)."""
    if importlib.util.find_spec("threadpoolctl") is None:
        return "unknown (threadpoolctl not installed)"
    from threadpoolctl import threadpool_info

    pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
    return ", ".join(f"{p['internal_api']} {p.get('version')}, threads: {p['num_threads']}" for p in pools) or "none"


def installed_version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def machine() -> list[str]:
    """What the table was measured on: CPU, cores, load, versions, threads."""
    lines = [
        f"CPU: {cpu_model()}, {os.cpu_count()} cores; load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}",
        f"Python {platform.python_version()}, NumPy {np.__version__} (BLAS: {blas_threads()})",
        f"PyTorch: {installed_version('torch')}, micrograd: {installed_version('micrograd')}",
    ]
    if "torch" in sys.modules or importlib.util.find_spec("torch") is not None:
        import torch

        lines[-1] += f" (PyTorch threads: {torch.get_num_threads()})"
    return lines


def limit_threads(n: int) -> contextlib.AbstractContextManager:
    """Let NumPy's BLAS (through threadpoolctl, where installed) and PyTorch compute on `n` threads:
    on a shared machine more threads than free cores make the times of both erratic."""
    if importlib.util.find_spec("torch") is not None:
        import torch

        torch.set_num_threads(n)
    if importlib.util.find_spec("threadpoolctl") is None:
        return contextlib.nullcontext()
    from threadpoolctl import threadpool_limits

    return threadpool_limits(n)


def main(argv: Sequence[str] | None = None) -> list[Row]:
    args = parse_args(argv)
    with limit_threads(args.threads):
        return run(args)


def run(args: argparse.Namespace) -> list[Row]:
    print("\n".join(machine()), flush=True)
    if args.quick:
        print("quick mode: small sizes, one run each without warm-up; the ratios mean nothing")
    print(flush=True)
    print(markdown_lines([], header=True), flush=True)
    rows: list[Row] = []
    for name in args.only or WORKLOADS:
        new = measure(WORKLOADS[name](args.quick), quick=args.quick)
        print(markdown_lines(new), flush=True)
        rows += new
    return rows


if __name__ == "__main__":
    main()
