"""Learn the weights that tell headings from other short blocks (article_tool's Kinds).

    pip install numpy && python benchmarks/kinds.py [--shared ../shared] [--write]

The examples are the short blocks of the labelled data beside the project;
the ones article_tool calls candidates (article_tool.heading_candidates, the
one rule both use, passing article_tool._may_be_heading) have the features
article_tool.kind_features gives them.  A first block that reads as a
headline is left out: whether it is the article's headline is
article_tool._is_headline's call, a rule, which beat a regression learned
the same way (headline call 0.93 against 0.83 on the crawl set).

- ``../shared/crawl`` and ``../shared/crawl2``: real crawl excerpts; a block is a heading when its
  text is among the file's labelled headings;
- ``../shared/corpus``: articles made from saved HTML; a block is a heading
  when its text is one of the page's h2-h6.

A logistic regression (L2-regularised, fitted by Newton's method) is scored
by leave-one-file-out cross-validation: each file's blocks are classified by
weights learned from every other file.  The weights learned from all files
are printed as article_tool's HEADING_WEIGHTS block, and with ``--write``
written into article_tool.py in its place, with the figures left out one file
at a time.  numpy is needed here only, never at run time.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import article_tool as at  # noqa: E402

SHARED = HERE.parent.parent / "shared"
# L2 penalty on the weights (not the bias): enough to keep rare features from
# deciding alone, small against the hundreds of examples.
PENALTY = 1.0
# The probability above which a block is called a heading.  Of the ones tried
# left out one file at a time, 0.5 gives the best precision that keeps recall
# at 0.65 on both sets (0.4: precision 0.64 and 0.60, recall 0.72 and 0.72;
# 0.6: precision 0.73 and 0.68, recall 0.49 and 0.43).
THRESHOLD = 0.5


# The labelled crawl sets.
CRAWL_SETS = ("crawl", "crawl2")


class Example(NamedTuple):
    source: str  # the set: a name of CRAWL_SETS, or 'corpus'
    file: str
    label: bool
    features: list[float] | None  # None: not a candidate (article_tool._may_be_heading), never called


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _examples(source: str, path: Path, headings: set[str]) -> Iterator[Example]:
    text, _ = at.read_input(str(path))
    text = at.normalize_newlines(text)
    header = at._parse_header(text, True)
    blocks = at._join_posts(at._body_blocks(text, header.body_start, header.body_line))
    candidates = at.heading_candidates(blocks, 1)
    chosen = set(candidates.indexes)
    for index, (_, block_text, post, _, _) in enumerate(blocks):
        if post is not None or len(block_text) > at.HEADING_MAX_CHARS or (index == 0 and at._is_headline(block_text)):
            continue
        label = _norm(block_text) in headings
        if index in chosen and at._may_be_heading(block_text):
            yield Example(source, path.name, label, list(at.kind_features(blocks, index, candidates.listed)))
        else:
            yield Example(source, path.name, label, None)


def examples(shared: Path = SHARED) -> list[Example]:
    """Every short block of the crawl sets and the corpus, with its label."""
    found: list[Example] = []
    for crawl in CRAWL_SETS:
        with open(shared / crawl / "labels.jsonl", encoding="utf-8") as stream:
            for line in stream:
                label = json.loads(line)
                headings = {_norm(heading) for heading in label["headings"]}
                found += _examples(crawl, shared / crawl / "files" / label["file"], headings)
    with open(shared / "corpus" / "truth.jsonl", encoding="utf-8") as stream:
        for line in stream:
            record = json.loads(line)
            if not record.get("variant"):
                headings = {_norm(heading) for heading in record["headings"]}
                found += _examples("corpus", shared / "corpus" / record["file"], headings)
    return found


def fit(features: Any, labels: Any) -> Any:
    """Weights of an L2-regularised logistic regression, by Newton's method."""
    weights = np.zeros(features.shape[1])
    penalty = np.full(features.shape[1], PENALTY)
    penalty[0] = 0.0  # the bias
    for _ in range(50):
        scores = 1 / (1 + np.exp(-features @ weights))
        gradient = features.T @ (scores - labels) + penalty * weights
        hessian = (features.T * (scores * (1 - scores))) @ features + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-8:
            break
    return weights


def cross_validate(chosen: list[Example], threshold: float) -> dict[str, dict[str, int]]:
    """Leave-one-file-out counts of true and false positives and negatives, for each set."""
    counts = {name: {"tp": 0, "fp": 0, "fn": 0, "tn": 0} for name in (*CRAWL_SETS, "corpus")}
    for example in chosen:
        if example.features is None:
            counts[example.source]["fn" if example.label else "tn"] += 1
    chosen = [example for example in chosen if example.features is not None]
    matrix = np.array([example.features for example in chosen])
    labels = np.array([example.label for example in chosen], dtype=float)
    names = np.array([f"{example.source}/{example.file}" for example in chosen])
    cut = np.log(threshold / (1 - threshold))
    for held_out in sorted(set(names)):
        train = names != held_out
        weights = fit(matrix[train], labels[train])
        tally = counts[held_out.split("/")[0]]
        for said, truth in zip(matrix[~train] @ weights > cut, labels[~train] > 0, strict=True):
            tally[("t" if said == truth else "f") + ("p" if said else "n")] += 1
    return counts


# The block of article_tool.py that --write replaces, from its first line to its last.
BLOCK_START = "# BEGIN HEADING_WEIGHTS"
BLOCK_END = "# END HEADING_WEIGHTS"


def weights_block(weights: Any, scores: dict[str, tuple[float, float]]) -> str:
    """article_tool's HEADING_WEIGHTS block: the weights, and the figures left out one file at a time."""
    figures = " ".join(
        f"{name}: precision {precision:.3f}, recall {recall:.3f};" for name, (precision, recall) in scores.items()
    )
    lines = [
        f"{BLOCK_START}: written by `python benchmarks/kinds.py --write`",
        "# A logistic regression over the candidates of the labelled sets, called",
        f"# above a probability of {THRESHOLD}, which is folded into the bias: a",
        "# candidate is a heading where the sum of its features times these weights",
        "# is above zero.  Left out one file at a time:",
        *textwrap.wrap(figures.rstrip(";") + ".", 76, initial_indent="# ", subsequent_indent="# "),
        "HEADING_WEIGHTS = KindFeatures(",
        *(f"    {name}={weight:+.3f}," for name, weight in zip(at.KindFeatures._fields, weights, strict=True)),
        ")",
        BLOCK_END,
    ]
    return "\n".join(lines)


def write_block(block: str, module: Path = HERE.parent / "article_tool.py") -> None:
    """Put ``block`` in the place of the HEADING_WEIGHTS block of ``module``."""
    text = module.read_text(encoding="utf-8")
    start = text.index(BLOCK_START)
    end = text.index(BLOCK_END, start) + len(BLOCK_END)
    module.write_text(text[:start] + block + text[end:], encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared data folder (default: ../shared)")
    parser.add_argument("--write", action="store_true", help="write the weights into article_tool.py")
    args = parser.parse_args()
    found = examples(args.shared)
    print(f"# {len(found)} short blocks, {sum(e.label for e in found)} of them headings.")
    candidates = [example for example in found if example.features is not None]
    scores = {}
    for data, counts in cross_validate(found, THRESHOLD).items():
        precision = counts["tp"] / max(counts["tp"] + counts["fp"], 1)
        recall = counts["tp"] / max(counts["tp"] + counts["fn"], 1)
        scores[data] = (precision, recall)
        print(f"# {data} {counts}")
    weights = fit(np.array([e.features for e in candidates]), np.array([e.label for e in candidates], dtype=float))
    weights[0] -= np.log(THRESHOLD / (1 - THRESHOLD))
    block = weights_block(weights, scores)
    print(block)
    if args.write:
        write_block(block)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
