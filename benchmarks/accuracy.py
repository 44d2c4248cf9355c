"""Accuracy of article-tool on the labelled data beside the project, in one table.

    python benchmarks/accuracy.py [--shared ../shared] [--write]

- ``crawl`` and ``crawl2``: ``../shared/crawl`` and ``../shared/crawl2``, real
  crawl excerpts (the second set chosen for its posts), scored by the crawl
  set's own ``score.py`` (its definitions: header dates, quote recall and
  precision by handle, posted dates, whole text, posts over several blocks,
  heading precision and recall by exact text, the headline call).
- ``corpus``: ``../shared/corpus``, articles made from saved HTML, against
  ``truth.jsonl``: header dates, block counts, quotes (platform and handle, or
  author where there is none), posted dates, and headings against the
  page's h2-h6 markup.

With ``--write`` the table goes into README.md in its place, and every figure
into ``benchmarks/floors.json`` with a digest of the data it was measured on:
the tests hold each figure there as a floor (test_article_tool.py), so that a
change cannot lower one unseen, and figures live in that one file.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import math
import re
import shlex
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import article_tool as at  # noqa: E402

SHARED = HERE.parent.parent / "shared"

# Printed month names of the corpus's embeds, for an oracle independent of the parser's own table.
TRUTH_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "mär": 3,
    "apr": 4,
    "may": 5,
    "mai": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "okt": 10,
    "nov": 11,
    "dec": 12,
    "dez": 12,
    "мая": 5,
    "янв": 1,
}


# The posts whose language is measured: long enough to tell, as the issue that asked for --lang measures it.
POST_LANG_MIN_CHARS = 40


def truth(shared: Path = SHARED) -> list[dict[str, Any]]:
    """The corpus's truth.jsonl, one record a file (variants included)."""
    with open(shared / "corpus" / "truth.jsonl", encoding="utf-8") as stream:
        return [json.loads(line) for line in stream]


def truth_posted(printed: str) -> str | None:
    """ISO date of an attribution's date as the truth file prints it ('Mär 12, 2018 um 12:30 PDT')."""
    words = re.findall(r"[^\W\d_]+", printed)
    month = next((TRUTH_MONTHS[w[:3].casefold()] for w in words if w[:3].casefold() in TRUTH_MONTHS), None)
    day = re.search(r"(?<!\d)\d{1,2}(?!\d)", printed)
    year = re.search(r"(?<!\d)(?:19|20)\d{2}(?!\d)", printed)
    if not (month and day and year):
        return None
    return f"{year.group()}-{month:02d}-{int(day.group()):02d}"


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def score_corpus(shared: Path = SHARED) -> dict[str, float]:
    """Every measure on the corpus's base files (the variants have tests of their own).

    A quote matches an embed of the same file with the same platform and
    handle (or author, where there is no handle); embeds with neither count
    for neither.  A heading matches an h2-h6 block of the same file with the
    same text.
    """
    counts: Counter[str] = Counter()
    for record in truth(shared):
        if record.get("variant"):
            continue
        text, _ = at.read_input(str(shared / "corpus" / record["file"]))
        article = at.parse_article(text)
        counts["files"] += 1
        counts["dates"] += article.date == record["date"]
        counts["block_counts"] += len(article.blocks) == record["paragraphs"]
        quotes = [b for b in article.blocks if b.kind == "quote" and (b.handle or b.author)]
        embeds = [e for e in record["embeds"] if e["handle"] or e["author"]]
        expected = Counter((e["platform"], e["handle"] or e["author"]) for e in embeds)
        found = Counter((q.platform, q.handle or q.author) for q in quotes)
        counts["quote_hits"] += sum((expected & found).values())
        counts["quote_misses"] += sum((expected - found).values())
        counts["quote_extras"] += sum((found - expected).values())
        for embed in embeds:
            posted = truth_posted(embed["posted"] or "")
            if posted:
                counts["dated"] += 1
                counts["dated_right"] += any(q.posted == posted for q in quotes if q.handle == embed["handle"])
        if record["lang"]:
            page_lang = record["lang"].replace("_", "-").split("-")[0].lower()
            source = at.Source(record["file"], record["file"])
            computed = at.computed_article_values(source, article.blocks, ("lang", "post_lang"))
            counts["langs"] += 1
            counts["langs_right"] += computed["lang"] == page_lang
            long_quotes = [b for b in article.blocks if b.kind == "quote" and len(b.text) > POST_LANG_MIN_CHARS]
            for post_lang in at.computed_block_values(long_quotes, ("post_lang",), computed)["post_lang"]:
                counts["post_langs"] += 1
                counts["post_langs_as_page"] += post_lang == page_lang
        true_headings = Counter(_norm(h) for h in record["headings"])
        called = Counter(_norm(b.text) for b in article.blocks if b.kind == "heading")
        counts["heading_hits"] += sum((true_headings & called).values())
        counts["headings"] += sum(true_headings.values())
        counts["headings_called"] += sum(called.values())

    def share(part: str, whole: int) -> float:
        return counts[part] / whole if whole else 0.0

    return {
        "files": counts["files"],
        "dates": share("dates", counts["files"]),
        "block_counts": share("block_counts", counts["files"]),
        "quote_recall": share("quote_hits", counts["quote_hits"] + counts["quote_misses"]),
        "quote_precision": share("quote_hits", counts["quote_hits"] + counts["quote_extras"]),
        "posted": share("dated_right", counts["dated"]),
        "lang": share("langs_right", counts["langs"]),
        "post_lang": share("post_langs_as_page", counts["post_langs"]),
        "heading_precision": share("heading_hits", counts["headings_called"]),
        "heading_recall": share("heading_hits", counts["headings"]),
        "embeds": counts["quote_hits"] + counts["quote_misses"],
        "headings": counts["headings"],
        "headings_called": counts["headings_called"],
    }


def score_crawl(shared: Path = SHARED, command: str | None = None, folder: str = "crawl") -> dict[str, float]:
    """The crawl set's own score.py on ``shared/folder``, run on ``command`` (default: this module through
    this Python)."""
    return _crawl_scorer(shared)(command or _THIS_MODULE, shared / folder)


_THIS_MODULE = shlex.join([sys.executable, str(HERE.parent / "article_tool.py")])


def _crawl_scorer(shared: Path) -> Callable[[str, Path], dict[str, float]]:
    """The score function of the crawl set's score.py."""
    spec = importlib.util.spec_from_file_location("crawl_score", shared / "crawl" / "score.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    scorer: Callable[[str, Path], dict[str, float]] = module.score
    return scorer


def score_crawl_sets(
    shared: Path = SHARED, command: str | None = None, folders: tuple[str, ...] = ()
) -> dict[str, float]:
    """score.py on the crawl sets of ``folders`` as one: their labels in one file, their files linked into
    one folder (the sets' file names differ), so that every share is of all their posts together."""
    with tempfile.TemporaryDirectory() as together:
        base = Path(together)
        (base / "files").mkdir()
        labels = []
        for folder in folders:
            for row in (shared / folder / "labels.jsonl").read_text(encoding="utf-8").splitlines():
                name = json.loads(row)["file"]
                (base / "files" / name).symlink_to((shared / folder / "files" / name).resolve())
                labels.append(row)
        (base / "labels.jsonl").write_text("\n".join(labels) + "\n", encoding="utf-8")
        return _crawl_scorer(shared)(command or _THIS_MODULE, base)


# The sets, each with its folder of ../shared and what gives its figures; the two crawl sets are one
# development set too, whose targets are stated on both together.
SETS: dict[str, Callable[[Path, str | None], dict[str, float]]] = {
    "crawl": lambda shared, tool: score_crawl(shared, tool, "crawl"),
    "crawl2": lambda shared, tool: score_crawl(shared, tool, "crawl2"),
    "crawl + crawl2": lambda shared, tool: score_crawl_sets(shared, tool, ("crawl", "crawl2")),
    "corpus": lambda shared, tool: score_corpus(shared),
}

# The table's rows: a measure and its key in each set's figures; a set without the key does not measure it.
ROWS = (
    ("header dates", "dates"),
    ("block counts", "block_counts"),
    ("quote recall", "quote_recall"),
    ("quote precision", "quote_precision"),
    ("posted dates", "posted"),
    ("quote text equal to the post's words", "text_exact"),
    ("quote text's first words", "text_start"),
    ("posts over several blocks, whole text", "multi_block_exact"),
    ("article language (`--lang`), against the page's", "lang"),
    ("post language, posts of over 40 characters, as their page's", "post_lang"),
    ("heading precision", "heading_precision"),
    ("heading recall", "heading_recall"),
    ("headline call", "headline"),
)
# The figures that are shares, which the floors hold; the others are counts.
MEASURES = tuple(key for _, key in ROWS)

FLOORS = HERE / "floors.json"
README = HERE.parent / "README.md"
TABLE_START = "<!-- accuracy table: written by `python benchmarks/accuracy.py --write` -->"
TABLE_END = "<!-- end of the accuracy table -->"


def table(figures: dict[str, dict[str, float]]) -> str:
    """The figures of every set as a Markdown table."""
    lines = [
        "| measure | " + " | ".join(f"{name} ({int(score['files'])} files)" for name, score in figures.items()) + " |",
        "| --- |" + " ---: |" * len(figures),
    ]
    for measure, key in ROWS:
        cells = [f"{score[key]:.3f}" if key in score else "" for score in figures.values()]
        lines.append(f"| {measure} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def digest(shared: Path = SHARED) -> str:
    """SHA-256 of the labelled data the figures are measured on: every file of the sets' folders."""
    hashed = hashlib.sha256()
    for folder in ("crawl", "crawl2", "corpus"):
        for path in sorted((shared / folder).rglob("*")):
            if path.is_file() and path.suffix in (".txt", ".jsonl"):
                hashed.update(str(path.relative_to(shared)).encode())
                hashed.update(path.read_bytes())
    return hashed.hexdigest()


def write(figures: dict[str, dict[str, float]], shared: Path) -> None:
    """The table into README.md in its place, the figures into floors.json."""
    text = README.read_text(encoding="utf-8")
    start = text.index(TABLE_START) + len(TABLE_START)
    end = text.index(TABLE_END, start)
    README.write_text(text[:start] + "\n" + table(figures) + "\n" + text[end:], encoding="utf-8")
    floors = {
        "data_sha256": digest(shared),
        # Rounded down, so that the figure it was measured at passes.
        "sets": {
            name: {key: math.floor(score[key] * 1000) / 1000 for key in MEASURES if key in score}
            for name, score in figures.items()
        },
    }
    FLOORS.write_text(json.dumps(floors, indent=2) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared data folder (default: ../shared)")
    parser.add_argument("--tool", help="the command scored on the crawl sets (default: this checkout's module)")
    parser.add_argument("--write", action="store_true", help="write the table into README.md and the floors")
    args = parser.parse_args()
    figures = {name: measure(args.shared, args.tool) for name, measure in SETS.items()}
    print(table(figures))
    if args.write:
        write(figures, args.shared)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
