"""The bundled demo corpus: fictional outlets reporting one fictional event (four in English,
one in Russian: ``06_kessel_vestnik.txt``, which quotes the spokeswoman and a minister the
English reports quote too), plus one unrelated article. Written for this project; no text is
copied from anywhere."""

from __future__ import annotations

from importlib import resources


def demo_paths() -> list[str]:
    """Paths of the demo articles inside the installed package."""
    folder = resources.files("rashomon") / "data" / "demo"
    return sorted(str(p) for p in folder.iterdir() if p.name.endswith(".txt"))
