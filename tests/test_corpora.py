"""The shipped corpora: the Census name lists and Genesis (KJV), read offline, as documented."""

import pathlib
import re
import tomllib

import pytest

import nn
from autograd.errors import ArgumentError


def test_name_lists_have_the_census_counts_and_order():
    female, male, last = nn.data.load_names("female"), nn.data.load_names("male"), nn.data.load_names("last")
    assert (len(female), len(male), len(last)) == (4275, 1219, 88799)
    assert female[:3] == ["mary", "patricia", "linda"]
    assert male[:3] == ["james", "john", "robert"]
    assert last[:3] == ["smith", "johnson", "williams"]
    first = nn.data.load_names()
    assert len(first) == len(set(female) | set(male)) == 5163
    assert first[: len(female)] == female  # female first, then the male names not already there
    assert "james" in first and first.index("james") > first.index("mary")
    assert all(re.fullmatch(r"[a-z]+", name) for name in first + last)


def test_genesis_is_the_kjv_text_one_verse_per_line():
    text = nn.data.load_text("genesis")
    verses = text.splitlines()
    assert len(verses) == 1533 and len(text) == 196_818
    assert verses[0] == "In the beginning God created the heaven and the earth."
    assert verses[-1].startswith("So Joseph died, being an hundred and ten years old")
    assert not re.search(r"^\s*\d|Genesis \d", text, flags=re.M)  # no verse numbers or chapter headings


def test_unknown_corpus_names_are_our_error():
    with pytest.raises(ArgumentError, match=r"load_names: unknown kind 'given'; expected one of \['female'"):
        nn.data.load_names("given")
    with pytest.raises(ArgumentError, match=r"load_text: unknown text 'exodus'; the shipped texts are \['genesis'\]"):
        nn.data.load_text("exodus")


def test_the_corpora_are_package_data():
    """A wheel carries the text files: pyproject's package-data names them."""
    config = tomllib.loads((pathlib.Path(__file__).parent.parent / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["*"]
    folder = pathlib.Path(nn.data.__file__).parent / "corpora"
    shipped = {p.name for p in folder.glob("*.txt")}
    assert shipped == {"female_first_names.txt", "male_first_names.txt", "surnames.txt", "genesis.txt"}
    assert any(all(pathlib.PurePath("corpora", name).match(pattern) for name in shipped) for pattern in patterns)
