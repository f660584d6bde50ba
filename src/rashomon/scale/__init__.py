"""Engines beyond one machine's processes: Ray (``rashomon[scale]``). See docs/scale.md."""
