"""Text corpora shipped with the package (no download at run time), for the sequence models.

- Names: the 1990 US Census lists (public domain) as packaged, with their frequency columns, in
  the `names` package on PyPI (version 0.3.0, MIT): 4,275 female and 1,219 male first names
  (5,494 in all, 331 of them in both lists) and 88,799 surnames, each file in the Census's order
  (most frequent first), lowercased, one name per line.
- Genesis: the Book of Genesis in the King James Version (1611, public domain), as Debian's
  `bible-kjv-text` package (4.38) holds it, printed by its `bible` program: the 1,533 verses, one per
  line, without chapter headings and verse numbers (196,818 characters).
"""

from __future__ import annotations

from importlib import resources

from autograd.errors import ArgumentError

NAME_LISTS = {
    "female": ("female_first_names.txt",),
    "male": ("male_first_names.txt",),
    "first": ("female_first_names.txt", "male_first_names.txt"),
    "last": ("surnames.txt",),
}
TEXTS = {"genesis": "genesis.txt"}


def _read(filename: str) -> str:
    return resources.files(__name__).joinpath(filename).read_text(encoding="utf-8")


def load_names(kind: str = "first") -> list[str]:
    """The Census names of one `kind`: "first" (female then male, a name in both lists once, at its
    female rank: 5,163 names), "female" (4,275), "male" (1,219) or "last" (88,799 surnames);
    lowercase, most frequent first."""
    if kind not in NAME_LISTS:
        raise ArgumentError(f"load_names: unknown kind {kind!r}; expected one of {sorted(NAME_LISTS)}")
    names = [name for filename in NAME_LISTS[kind] for name in _read(filename).split()]
    return list(dict.fromkeys(names))


def load_text(name: str = "genesis") -> str:
    """A shipped public-domain text as one string, one line per verse (or paragraph)."""
    if name not in TEXTS:
        raise ArgumentError(f"load_text: unknown text {name!r}; the shipped texts are {sorted(TEXTS)}")
    return _read(TEXTS[name])
