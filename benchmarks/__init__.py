"""circuitgrad's benchmarks: the engine timed against hand-written NumPy, PyTorch eager and
micrograd, interleaved in one process. Run `python -m benchmarks` (or `bash scripts/bench`)."""
