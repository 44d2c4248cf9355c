"""What each rule of where a post's text starts gains on the labelled crawl sets, each turned off in turn.

    python benchmarks/rules.py [--shared ../shared]

The rules are article_tool's, in the look back over the blocks before a
post's attribution (_post_blocks_before's named steps) and in the post's own
block.  Each is turned off on its own (its function made to say nothing, or
its constant put out of reach), and ``../shared/crawl`` and
``../shared/crawl2`` are scored with the crawl set's measures, read as
score.py reads them: a labelled post is matched to a quote by its handle, and
its text is right when it equals the quote's, whitespace collapsed and case
folded.  The table gives, per set and both together, the posts whose text is
right and the posts over several blocks whose text is, with every rule on and
with each one off.

No rule here has a weight learned from the labels: a rule's figures left out
one file at a time are its figures on all of them (the constants, such as
POST_FRAME_EXTRA_LINES, are read off the shapes, not searched for).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import article_tool as at  # noqa: E402
from benchmarks.kinds import CRAWL_SETS, SHARED  # noqa: E402


def _norm(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def score(shared: Path = SHARED) -> Counter[str]:
    """The posts of each crawl set whose text is right, over one block and over several."""
    counts: Counter[str] = Counter()
    for source in CRAWL_SETS:
        for row in (shared / source / "labels.jsonl").read_text(encoding="utf-8").splitlines():
            label = json.loads(row)
            text = (shared / source / "files" / label["file"]).read_text(encoding="utf-8")
            quotes = [b for b in at.parse_article(at.normalize_newlines(text)).blocks if b.kind == "quote"]
            handles: list[str | None] = [(q.handle or "").casefold() for q in quotes]
            for embed in label["embeds"]:
                handle = (embed.get("handle") or "").casefold()
                if not handle or handle not in handles or not embed.get("text_span"):
                    continue
                quote = quotes[handles.index(handle)]
                handles[handles.index(handle)] = None
                start, end = embed["text_span"]
                right = _norm(quote.text) == _norm(text[start:end])
                several = embed.get("blocks", 1) > 1
                counts[f"{source} texts"] += 1
                counts[f"{source} right"] += right
                counts[f"{source} several"] += several
                counts[f"{source} several right"] += right and several
    return counts


@contextlib.contextmanager
def _replaced(name: str, value: Any) -> Iterator[None]:
    """article_tool's ``name`` replaced by ``value`` for the block's time."""
    kept = getattr(at, name)
    setattr(at, name, value)
    try:
        yield
    finally:
        setattr(at, name, kept)


def _without_lost_attributions_look_back() -> Callable[..., int]:
    rule = at._post_blocks_before

    def look_back(joined: Any, line: int, words: str, usual_gap: Any, attributed: bool = True) -> int:
        return rule(joined, line, words, usual_gap, attributed) if attributed else 0

    return look_back


# Each rule, and how it is turned off.
RULES: dict[str, Callable[[], contextlib.AbstractContextManager[None]]] = {
    "an embed's frame ends the look back": lambda: _replaced("POST_FRAME_EXTRA_LINES", 10**9),
    "the reach up to an embed's frame": lambda: _replaced("_taken_up_to_the_frame", lambda _: None),
    "a list item's whole reach": lambda: _replaced("_taken_as_a_list_item", lambda _: None),
    "an introducing line in capitals": lambda: _replaced("_opens_a_post", lambda _: False),
    "a post's lines (hashtag, emoji, comma, two dots, the next two)": lambda: _replaced("_posts_lines", lambda *_: 0),
    "a post's line: a sentence in capitals": lambda: _replaced("_shouts", lambda _: False),
    "a post's line: one that breaks off ('… round the')": lambda: _replaced("_breaks_off", lambda _: False),
    "a post's verse": lambda: _replaced("_taken_as_verse", lambda *_: None),
    "a post's two lines": lambda: _replaced("_opens_as_a_sentence", lambda _: False),
    "a title's small words ('Fans at the Gates')": lambda: _replaced("TITLE_SMALL_WORD_MAX_CHARS", 0),
    "a verse's lines trail off": lambda: _replaced("TRAILING_OFF", "\0"),
    "links left out of a verse's line and a caption": lambda: _replaced("_without_links", str.strip),
    "a caption of two words": lambda: _replaced("POST_CAPTION_MAX_WORDS", 1),
    "lines opened by the post's own bullet": lambda: _replaced("_taken_by_the_same_bullet", lambda *_: 0),
    "every line a block: up to a title": lambda: _replaced("_taken_up_to_a_title", lambda reach, _: reach.blocks),
    "a lost attribution's post looks back": lambda: _replaced(
        "_post_blocks_before", _without_lost_attributions_look_back()
    ),
    "the article's reporting sentence split off": lambda: _replaced(
        "_split_reporting_sentences", lambda words, _: ("", words)
    ),
    "adverts amid a post": lambda: _replaced("_is_advert", lambda _: False),
}


def row(name: str, counts: Counter[str], base: Counter[str] | None) -> str:
    """A table row: the shares right with every rule on, or what the rule gained (the figures with it on
    less those with it off)."""
    cells = []
    for sets in (*((source,) for source in CRAWL_SETS), CRAWL_SETS):
        right = sum(counts[f"{s} right"] for s in sets)
        several = sum(counts[f"{s} several right"] for s in sets)
        if base is None:
            texts = sum(counts[f"{s} texts"] for s in sets)
            many = sum(counts[f"{s} several"] for s in sets)
            cells.append(f"{right / texts:.3f} ({right}/{texts}) | {several / many:.3f} ({several}/{many})")
        else:
            gained = right - sum(base[f"{s} right"] for s in sets)
            gained_several = several - sum(base[f"{s} several right"] for s in sets)
            cells.append(f"{-gained:+d} | {-gained_several:+d}")
    return f"| {name} | " + " | ".join(cells) + " |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared data folder (default: ../shared)")
    args = parser.parse_args()
    every = score(args.shared)
    sets = [*CRAWL_SETS, " + ".join(CRAWL_SETS)]
    print("| rule | " + " | ".join(f"{s}: text | several blocks" for s in sets) + " |")
    print("| --- |" + " ---: | ---: |" * len(sets))
    print(row("every rule on", every, None))
    for name, turned_off in RULES.items():
        with turned_off():
            print(row(f"gained by: {name}", score(args.shared), every))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
