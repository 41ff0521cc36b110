"""Rebuild nn/data/digits.npz, the UCI handwritten digits shipped in the package.

Source: the copy of the UCI "Optical Recognition of Handwritten Digits" test set that scikit-learn
ships as sklearn/datasets/data/digits.csv.gz (1,797 rows of 64 pixel counts in 0..16 and a label).
The data set is by E. Alpaydin and C. Kaynak, UCI Machine Learning Repository, licensed CC BY 4.0
(https://archive.ics.uci.edu/dataset/80/optical+recognition+of+handwritten+digits).

    python scripts/make_digits_npz.py                 # downloads the scikit-learn wheel with pip
    python scripts/make_digits_npz.py --wheel W.whl   # or reads a wheel you already have
"""

from __future__ import annotations

import argparse
import gzip
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

SKLEARN = "scikit-learn==1.9.1"
MEMBER = "sklearn/datasets/data/digits.csv.gz"
OUT = Path(__file__).resolve().parent.parent / "nn" / "data" / "digits.npz"


def fetch_wheel(directory: str) -> Path:
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", SKLEARN, "-d", directory]
    subprocess.run(cmd, check=True)
    return next(Path(directory).glob("scikit_learn-*.whl"))


def read_digits(wheel: Path) -> tuple[np.ndarray, np.ndarray]:
    with zipfile.ZipFile(wheel) as z:
        text = gzip.decompress(z.read(MEMBER)).decode("ascii")
    table = np.loadtxt(io.StringIO(text), delimiter=",", dtype=np.int64)
    assert table.shape == (1797, 65), table.shape
    pixels, labels = table[:, :64], table[:, 64]
    assert pixels.min() == 0 and pixels.max() == 16 and set(labels.tolist()) == set(range(10))
    return pixels.reshape(-1, 8, 8).astype(np.uint8), labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wheel", type=Path, help="a scikit-learn wheel to read instead of downloading one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        images, labels = read_digits(args.wheel or fetch_wheel(tmp))
    np.savez_compressed(OUT, images=images, labels=labels)
    print(f"wrote {OUT}: images {images.shape} {images.dtype}, labels {labels.shape} {labels.dtype}")
    print("per-class counts:", np.bincount(labels).tolist())


if __name__ == "__main__":
    main()
