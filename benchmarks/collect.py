"""Assemble docs/benchmarks.md from the sections each benchmark writes to docs/bench/.

    .venv/bin/python benchmarks/collect.py

Each benchmark script writes its own section (command, date, machine, figures); this
script only puts them in order under a summary table kept in docs/bench/_summary.md.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ORDER = ["_summary", "briefgold", "clean", "claims", "ggt", "statements", "quotes_briefgold", "polnear",
         "scaling_names", "stories", "streamgold", "multilingual", "multilingual_statements", "timeline", "timebank", "embeddings", "pipeline", "startup", "reliability",
         "web", "story_page", "scale", "ecbplus_coref", "live"]


def main() -> None:
    folder = ROOT / "docs" / "bench"
    sections = {p.stem: p.read_text(encoding="utf-8").strip() for p in folder.glob("*.md")}
    names = [n for n in ORDER if n in sections] + sorted(n for n in sections if n not in ORDER)
    header = ("# Benchmarks\n\nEvery figure below was measured on this project's machine by the command shown "
              "with it; the machine is shared and noisy, so timings are compared as ratios within one run. "
              "Regenerate this page with `.venv/bin/python benchmarks/collect.py` after running a benchmark.\n")
    text = header + "\n" + "\n\n".join(sections[n] for n in names) + "\n"
    (ROOT / "docs" / "benchmarks.md").write_text(text, encoding="utf-8")
    print(f"wrote docs/benchmarks.md from {len(names)} sections")


if __name__ == "__main__":
    main()
