"""Where a post's text starts: article_tool's look back against a model learned from the labels.

    pip install numpy && python benchmarks/starts.py [--shared ../shared]

A post whose attribution ends a block may have begun blocks earlier: the
crawler turned its line breaks into block breaks.  How many of the blocks
before it are the post's is article_tool._post_blocks_before's call, a few
named steps.  Here every such call the parser makes on ``../shared/crawl`` and
``../shared/crawl2`` is recorded with the blocks it looked at, and told right
or wrong against the labels: the blocks from the line where the labelled text
starts are the post's.

The rules are scored as they stand.  Against them, a logistic regression
(benchmarks/kinds.py's fit) over the evidence a reader weighs for each block
going back (its length and the post's so far, the gaps on both sides against
the article's usual one, how it ends and opens, what stands before it,
whether the attribution stands alone; ``FEATURES``) takes blocks while it
says yes, and is scored left out one file at a time: each file's calls by
weights learned from every other file.  It prints, for each set, the share
of calls whose count of blocks is right, over all calls and over the posts
that do begin blocks earlier.
"""

from __future__ import annotations

import argparse
import bisect
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import article_tool as at  # noqa: E402
from benchmarks.kinds import CRAWL_SETS, SHARED, fit  # noqa: E402

# How far back a look is recorded and a model may take: further than any labelled post runs.
MAX_BACK = 15
EMOJI_RE = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff]")
LINK_END_RE = re.compile(r"(?:pic\.\S+|https?://\S+)\Z")


class Call(NamedTuple):
    """One look back the parser made, and what the labels say of it."""

    source: str
    file: str
    blocks: list[Any]  # the joined blocks before the attribution (_RawBlock), the last MAX_BACK
    line: int  # the attribution block's line
    words: str  # the post's words in the attribution's own block
    usual_gap: int
    rule: int  # how many blocks _post_blocks_before took
    truth: int  # how many the labelled text starts in or before


def calls(shared: Path = SHARED) -> list[Call]:
    """Every look back the parser makes on the labelled crawl sets, told against the labels."""
    recorded: list[dict[str, Any]] = []
    rule = at._post_blocks_before

    def record(joined: list[Any], line: int, words: str, usual_gap: Any, attributed: bool = True) -> int:
        taken = rule(joined, line, words, usual_gap, attributed)
        recorded.append({"blocks": joined[-MAX_BACK:], "line": line, "words": words, "gap": usual_gap()})
        recorded[-1]["rule"] = taken
        return taken

    found: list[Call] = []
    at._post_blocks_before = record
    try:
        for source in CRAWL_SETS:
            for row in (shared / source / "labels.jsonl").read_text(encoding="utf-8").splitlines():
                label = json.loads(row)
                text = at.normalize_newlines((shared / source / "files" / label["file"]).read_text(encoding="utf-8"))
                line_starts = [0, *(index + 1 for index, character in enumerate(text) if character == "\n")]

                def line_of(offset: int, starts: list[int] = line_starts) -> int:
                    return bisect.bisect_right(starts, offset)

                spans = [
                    (line_of(embed["text_span"][0]), line_of(embed["text_span"][1] - 1))
                    for embed in label["embeds"]
                    if embed.get("text_span") and embed.get("handle")
                ]
                recorded.clear()
                at.parse_article(text)
                for call in recorded:
                    before = call["blocks"][-1][0] if call["blocks"] else 0
                    # The labelled post whose text ends in the attribution's block (or, for one standing
                    # alone, in the blocks before it).
                    ends = [
                        (start, end)
                        for start, end in spans
                        if (end == call["line"] if call["words"] else before <= end < call["line"])
                    ]
                    if not ends:
                        continue
                    start, _ = ends[-1]
                    truth = sum(1 for block_line, *_ in call["blocks"] if start <= block_line < call["line"])
                    found.append(
                        Call(
                            source,
                            label["file"],
                            call["blocks"],
                            call["line"],
                            call["words"],
                            call["gap"],
                            call["rule"],
                            truth,
                        )
                    )
    finally:
        at._post_blocks_before = rule
    return found


FEATURES = (
    "bias",
    "length",  # of the block, over 280
    "post_length",  # of the post with it
    "wide_gap",  # after it: two lines or more over the usual gap
    "usual_gap",
    "narrow_gap",
    "ends_sentence",
    "ends_colon",
    "ends_link",
    "ends_emoji",
    "ends_hashtag",
    "ends_word",  # a letter or digit: no stop
    "opens_bullet",  # a dash, bullet or list number
    "opens_emoji",
    "opens_quote",
    "opens_lower",
    "after_post",  # the block before it is a post
    "first_block",
    "alone",  # the attribution stands alone
    "words",  # the post's words in the attribution's block, over 280
    "mentions",  # an @handle or #tag
    "sentences",  # two or more sentence stops inside
    "nearest",  # the block right before the attribution
)


def features(call: Call, back: int) -> list[float]:
    """The evidence for taking the ``back``-th block before the attribution, those after it taken."""
    blocks = call.blocks
    line, text, _, _, _ = blocks[-back]
    after = blocks[-back + 1][0] if back > 1 else call.line
    taken = sum(len(block[1]) for block in blocks[len(blocks) - back + 1 :]) + len(call.words)
    gap = after - line
    before = blocks[-back - 1] if back < len(blocks) else None
    text = text.strip()
    return [
        1.0,
        min(len(text) / 280, 2),
        min((taken + len(text)) / 280, 2),
        float(gap >= call.usual_gap + 2),
        float(gap == call.usual_gap),
        float(gap < call.usual_gap),
        float(text[-1:] in ".!?。"),
        float(text[-1:] == ":"),
        float(bool(LINK_END_RE.search(text))),
        float(bool(EMOJI_RE.search(text[-2:]))),
        float(bool(re.search(r"#\w+\Z", text))),
        float(text[-1:].isalnum()),
        float(bool(re.match(r"[-–—•▪·*]|\d{1,3}[.)]", text))),
        float(bool(EMOJI_RE.match(text))),
        float(text[:1] in "\"“«'"),
        float(text[:1].islower()),
        float(before is not None and before[2] is not None),
        float(before is None),
        float(not call.words),
        min(len(call.words) / 280, 2),
        float("@" in text or "#" in text),
        float(len(re.findall(r"[.!?]\s", text)) >= 2),
        float(back == 1),
    ]


def _reachable(call: Call) -> range:
    """The blocks back a model may take: up to another post with its attribution."""
    for back in range(1, min(len(call.blocks), MAX_BACK) + 1):
        post = call.blocks[-back][2]
        if post is not None and (at._is_attributed(post) or call.words):
            return range(1, back)
    return range(1, min(len(call.blocks), MAX_BACK) + 1)


def predicted(call: Call, weights: Any) -> int:
    taken = 0
    for back in _reachable(call):
        if np.dot(weights, features(call, back)) <= 0:
            break
        taken = back
    return taken


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared data folder (default: ../shared)")
    args = parser.parse_args()
    found = calls(args.shared)
    steps, labels, names = [], [], []
    for call in found:
        for back in _reachable(call):
            steps.append(features(call, back))
            labels.append(float(back <= call.truth))
            names.append(f"{call.source}/{call.file}")
            if back > call.truth:
                break
    matrix, truths, files = np.array(steps), np.array(labels), np.array(names)
    tally: Counter[str] = Counter()
    for held_out in sorted(set(files)):
        weights = fit(matrix[files != held_out], truths[files != held_out])
        for call in found:
            if f"{call.source}/{call.file}" != held_out:
                continue
            model = predicted(call, weights)
            earlier = call.truth > 0
            tally[f"{call.source} calls"] += 1
            tally[f"{call.source} earlier"] += earlier
            tally[f"{call.source} rules right"] += call.rule == call.truth
            tally[f"{call.source} model right"] += model == call.truth
            tally[f"{call.source} rules right, earlier"] += earlier and call.rule == call.truth
            tally[f"{call.source} model right, earlier"] += earlier and model == call.truth
    print("| set | calls | rules right | model right (left out one file) | earlier | rules right | model right |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for source in CRAWL_SETS:
        n, reached = tally[f"{source} calls"], tally[f"{source} earlier"]
        print(
            f"| {source} | {n} | {tally[f'{source} rules right'] / n:.3f} | {tally[f'{source} model right'] / n:.3f} "
            f"| {reached} | {tally[f'{source} rules right, earlier'] / reached:.3f} "
            f"| {tally[f'{source} model right, earlier'] / reached:.3f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
