"""Tests of article_tool, laid out like the module: each stage, the formats, inputs and the CLI, the golden samples, the library contract, properties, the installed command and the shared sets."""

from __future__ import annotations

import csv
import functools
import gzip
import io
import json
import os
import pickle
import shutil
import subprocess
import sys
import tarfile
import typing
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import article_tool as at
from article_tool import main, parse_article
from benchmarks import accuracy

HERE = Path(__file__).resolve().parent
SAMPLES = sorted((HERE / "samples").glob("*.txt"))
SHARED = HERE.parent / "shared"
CORPUS = SHARED / "corpus"
SEED = SHARED / "samples" / "000_cf65403929d0bfb7.txt"
needs_shared = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared is not beside the project")

SEED_TWEET = (
    "Еще 12 дней назад никто точно не знал, как снимать кино в невесомости # Вызов "
    "pic.twitter.com/9P6yv4jCZx – РОСКОСМОС (@roscosmos) October 17, 2021"
)


def only_quote(text: str) -> at.Block:
    quotes = [block for block in parse_article(text).blocks if block.kind == "quote"]
    assert len(quotes) == 1, parse_article(text).blocks
    return quotes[0]


def _run_module(argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    """The command as a process of its own, from this checkout, never for more than 20 s."""
    return subprocess.run(
        [sys.executable, str(HERE / "article_tool.py"), *argv], capture_output=True, timeout=20, **kwargs
    )


# ---------------------------------------------------------------------------
# Header
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date", "stamp", "first_block"),
    [
        (" date 2021-10-21 The crew returned.", "2021-10-21", None, "The crew returned."),
        ("date 2021-10-21  Two spaces follow.", "2021-10-21", None, "Two spaces follow."),
        (" DATE: 2021-10-21 Any case, a colon.", "2021-10-21", None, "Any case, a colon."),
        (" date 2021-10 Month only.", "2021-10", None, "Month only."),
        (" date 2021-10-21T23:30:00-05:00 Late.", "2021-10-21", "2021-10-21T23:30:00-05:00", "Late."),
        (" date 2021-10-21T04:30:00Z Zulu.", "2021-10-21", "2021-10-21T04:30:00+00:00", "Zulu."),
        (" date 21.10.2021 Dotted.", "2021-10-21", None, "Dotted."),
        (" date 2021/10/21 Slashed.", "2021-10-21", None, "Slashed."),
        (" date 2021-10-21 \n\nOn the next line.", "2021-10-21", None, "On the next line."),
        (" date 2021-10-21\n\n\nAfter blank lines.", "2021-10-21", None, "After blank lines."),
        ("Date: Thursday, 21 October 2021\n\nBody.", "2021-10-21", None, "Body."),
        ("Date: October 21, 2021\n\nBody.", "2021-10-21", None, "Body."),
        ("Date: October 2021\n\nBody.", "2021-10", None, "Body."),
        ("Date: 21 October 2021 14:05\n\nBody.", "2021-10-21", "2021-10-21T14:05:00", "Body."),
        # In the words of the languages the posts' dates are read in.
        ("Date: 21 octobre 2021\n\nBody.", "2021-10-21", None, "Body."),
        ("Date: 21. Oktober 2021\n\nBody.", "2021-10-21", None, "Body."),
        ("Date: 21 октября 2021\n\nBody.", "2021-10-21", None, "Body."),
        ("Date: 2021. október 17.\n\nBody.", "2021-10-17", None, "Body."),
        ("Date: jeudi 21 octobre 2021 à 14:43\n\nBody.", "2021-10-21", "2021-10-21T14:43:00", "Body."),
        ("Date: 17 de octubre de 2021\n\nBody.", "2021-10-17", None, "Body."),
        ("\n\n  date 2021-10-21 Leading blank lines.", "2021-10-21", None, "Leading blank lines."),
        # A time after a space is the header's with its unit, or alone on the line; else the text's.
        (" date 2023-10-30 21:43 Uhr. Das Fest.", "2023-10-30", "2023-10-30T21:43:00", "Das Fest."),
        (" date 2023-10-30 9:30 h Morgens.", "2023-10-30", "2023-10-30T09:30:00", "Morgens."),
        (" date 2023-10-30 21:43\n\nBody.", "2023-10-30", "2023-10-30T21:43:00", "Body."),
        (" date 2023-10-30 21:43 the doors opened.", "2023-10-30", None, "21:43 the doors opened."),
    ],
)
def test_header_forms(text: str, date: str, stamp: str | None, first_block: str) -> None:
    article = parse_article(text)
    assert (article.date, article.datetime, article.problems) == (date, stamp, ())
    assert article.blocks[0].text == first_block


@pytest.mark.parametrize(
    ("text", "dayfirst", "date"),
    [
        ("Date: 03/04/2021\n\nBody.", True, "2021-04-03"),
        ("Date: 03/04/2021\n\nBody.", False, "2021-03-04"),
        (" date 03/04/2021 Body.", True, "2021-04-03"),
        (" date 03/04/2021 Body.", False, "2021-03-04"),
    ],
)
def test_ambiguous_dates_follow_dayfirst(text: str, dayfirst: bool, date: str) -> None:
    assert parse_article(text, dayfirst=dayfirst).date == date


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (" date 2021-13-45 Body.", "invalid date '2021-13-45': month must be in 1..12"),
        (" date 2021-02-30 Body.", "invalid date '2021-02-30': day is out of range for month"),
        (" date 2021-13 Body.", "invalid date '2021-13': month must be in 1..12"),
        ("Date: 31 février 2021\n\nBody.", "invalid date '31 février 2021': day is out of range for month"),
        ("Date: someday soon\n\nBody.", "invalid date 'someday soon'"),
        ("Date:\n\nBody.", "missing date after 'date'"),
        (" date 99999-01-01 Body.", "invalid date '99999-01-01 Body.'"),
        ("The crew returned.", "no date header"),
        ("Date night ideas for couples\n\nBody.", "no date header"),
        ("Date night ideas for 2 people, " + "and more words " * 10_000 + "\n\nBody.", "no date header"),
        ("Date: " + "words 1 " * 10_000 + "\n\nBody.", "invalid date '" + "words 1 " * 10),
    ],
)
def test_header_problems(text: str, message: str) -> None:
    article = parse_article(text)
    assert article.date is None
    assert article.problems[0].line == 1
    assert article.problems[0].message.startswith(message)
    assert article.blocks[-1].text.endswith("Body.") or article.blocks[0].text.startswith("The crew")


@given(st.integers(-5, 10_005), st.integers(-1, 14), st.integers(-1, 33))
def test_date_check_agrees_with_datetime(year: int, month: int, day: int) -> None:
    import datetime

    try:
        expected = datetime.date(year, month, day).isoformat()
    except ValueError as exc:
        with pytest.raises(ValueError, match=str(exc)):
            at._date_from_parts(year, month, day)
    else:
        assert at._date_from_parts(year, month, day) == expected


def test_header_is_never_shifted_by_time_zone() -> None:
    assert parse_article(" date 2021-10-21T23:30:00-05:00 x").date == "2021-10-21"
    assert parse_article("Date: 2021-10-21 23:30 -0500\n\nx").date == "2021-10-21"


def test_a_time_with_its_unit_is_the_headers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.txt"
    path.write_text(" date 2023-10-30 21:43 Uhr. Das schrille Fest begann um neun.")
    assert main(["-f", "jsonl", str(path)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert (record["datetime"], record["text"]) == ("2023-10-30T21:43:00", "Das schrille Fest begann um neun.")


def test_cli_invalid_date_warns_and_still_prints(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(" date 2021-13-45 Body text.")
    assert main(["-f", "tsv", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == "\tparagraph\t1\t2021-13-45 Body text.\n"  # nothing is lost
    assert captured.err == f"article-tool: {path}:1: invalid date '2021-13-45': month must be in 1..12\n"
    assert main(["-q", "-f", "tsv", str(path)]) == 1
    assert capsys.readouterr().err == ""


# ---------------------------------------------------------------------------
# Blocks
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("One.\n\nTwo.", ["One.", "Two."]),
        ("One.\nTwo.\nThree.", ["One.", "Two.", "Three."]),
        ("One.\r\n\r\nTwo.\r\n", ["One.", "Two."]),
        ("One.\rTwo.", ["One.", "Two."]),
        ("\ufeff date 2021-01-01 One.\n\nTwo.", ["One.", "Two."]),
        ("One\u00a0 \t word.\u3000Two\u200bwords.", ["One word. Two words."]),
        ("  \n\n   \n", []),
    ],
)
def test_block_separators(body: str, expected: list[str]) -> None:
    assert [block.text for block in parse_article(body).blocks] == expected


HARD_WRAPPED = """\
 date 2020-02-17 The strike began on a Tuesday, when the first of the
drivers left their cabs at the depot and walked to the gates to join the
picket line that had formed there overnight.

Short heading

The second paragraph was wrapped the same way, so that none of its lines
runs past the seventy-second column of the file, as mail and old tools do.
"""


def test_hard_wrapped_lines_are_joined() -> None:
    article = parse_article(HARD_WRAPPED)
    assert [b.kind for b in article.blocks] == ["paragraph", "heading", "paragraph"]
    assert article.blocks[0].text.endswith("had formed there overnight.")
    assert article.blocks[0].text.startswith("The strike began")
    assert article.blocks[2].line == 7


def test_single_newline_paragraphs_are_not_joined() -> None:
    lines = [f"Sentence number {i} of a paragraph that stands on its own line, as in many files." for i in range(6)]
    assert len(parse_article("\n".join(lines)).blocks) == 6


def test_line_numbers_point_at_the_block() -> None:
    article = parse_article(" date 2021-01-01 First.\n\nSecond.\nThird.\n\n\nFourth.")
    assert [b.line for b in article.blocks] == [1, 3, 4, 7]


@pytest.mark.parametrize(
    "text",
    [
        " date 2021-10-21 Whitespace\u00a0everywhere:\ttabs,\u2003em\u2009spaces,\u200bzero\u3000width.",
        " date 2021-10-21 Control \x01 characters \x7f and \x9b escapes \x1b[31m stay visible.",
    ],
)
def test_odd_whitespace_separates_words_and_nothing_else_changes(text: str) -> None:
    (block,) = parse_article(text).blocks
    assert "  " not in block.text
    assert block.text.split(" ") == [w for w in text[17:].replace("\u200b", " ").split() if w]


# ---------------------------------------------------------------------------
# Posts
# ---------------------------------------------------------------------------


def test_seed_tweet() -> None:
    quote = only_quote(SEED_TWEET)
    assert (quote.platform, quote.author, quote.handle, quote.posted, quote.url) == (
        "twitter",
        "РОСКОСМОС",
        "roscosmos",
        "2021-10-17",
        "https://pic.twitter.com/9P6yv4jCZx",
    )
    assert quote.text.endswith("# Вызов pic.twitter.com/9P6yv4jCZx")


@pytest.mark.parametrize(
    "text",
    [
        "Launch day! pic.twitter.com/QGFKUQzbOs— NASA (@NASA) October 17, 2021",
        "Launch day! pic.twitter.com/QGFKUQzbOs — NASA (@NASA) October 17, 2021",
        "Launch day! pic.twitter.com/QGFKUQzbOs\n— NASA (@NASA) October 17, 2021",
        "Launch day! pic.twitter.com/QGFKUQzbOs\n\n— NASA (@NASA) October 17, 2021",
        "Launch day! pic.twitter.com/QGFKUQzbOs\n\n\n\n— NASA (@NASA) October 17, 2021",
        "Launch day! pic.twitter.com/QGFKUQzbOs-— NASA (@NASA) October 17, 2021",
        "Launch day! pic.twitter.com/QGFKUQzbOsNASA (@NASA) October 17, 2021",
        "Launch day! pic.twitter.com/QGFKUQzbOs — NASA (@NASA)\nOctober 17, 2021",
    ],
)
def test_tweet_attribution_shapes_give_one_record(text: str) -> None:
    article = parse_article(text)
    assert len(article.blocks) == 1
    quote = article.blocks[0]
    assert (quote.kind, quote.author, quote.handle, quote.posted) == ("quote", "NASA", "NASA", "2021-10-17")
    assert quote.text == "Launch day! pic.twitter.com/QGFKUQzbOs"
    assert quote.url == "https://pic.twitter.com/QGFKUQzbOs"


@pytest.mark.parametrize(
    "text",
    [
        "What she said — Ann (@ann) June is here",
        "What she said — Ann (@a) I agree",
        "What she said — Ann (@a) a reply",
        "What she said — Ann (@a) no",
        "What she said — Ann (@a) Mar 3 then more",
    ],
)
def test_words_after_an_attribution_that_are_no_cut_date_are_kept(text: str) -> None:
    """Only what is left of a date cut off ('Septem', 'Oct 17, 20', 'M') is taken for one and dropped."""
    words = " ".join(block.text for block in parse_article(text).blocks).split()
    assert words[-2:] == text.split()[-2:]


@pytest.mark.parametrize("tail", ["Septem", "Oct 17, 20", "M", "17 de oct"])
def test_a_cut_date_ends_a_post(tail: str) -> None:
    quote = only_quote(f"Launch day pic.twitter.com/AbCdEfGh12 — Ann (@ann) {tail}")
    assert (quote.handle, quote.posted, quote.text) == ("ann", None, "Launch day pic.twitter.com/AbCdEfGh12")


def test_prose_after_the_date_is_a_paragraph_of_its_own() -> None:
    article = parse_article("What a goal — Club (@club) September 1, 2021 The defender then left the pitch.")
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("quote", "What a goal"),
        ("paragraph", "The defender then left the pitch."),
    ]


T = "Launch day! pic.twitter.com/QGFKUQzbOs"


POSTS = [
    # twitter dates by language
    (f"{T} — NASA (@NASA) October 17, 2021", ("twitter", "NASA", "NASA", "2021-10-17")),
    (f"{T} — NASA (@NASA) Oct 17, 2021", ("twitter", "NASA", "NASA", "2021-10-17")),
    (f"{T} — NASA (@NASA) 17 de octubre de 2021", ("twitter", "NASA", "NASA", "2021-10-17")),
    (f"{T} — NASA (@NASA) 17 de outubro de 2021", ("twitter", "NASA", "NASA", "2021-10-17")),
    (f"{T} — NASA (@NASA) 17 octobre 2021", ("twitter", "NASA", "NASA", "2021-10-17")),
    (f"{T} — NASA (@NASA) 17. Oktober 2021", ("twitter", "NASA", "NASA", "2021-10-17")),
    (f"{T} — NASA (@NASA) 17 ottobre 2021", ("twitter", "NASA", "NASA", "2021-10-17")),
    (f"{T} — NASA (@NASA) 17 oktober 2021", ("twitter", "NASA", "NASA", "2021-10-17")),
    (f"{T} — NASA (@NASA) 17 października 2021", ("twitter", "NASA", "NASA", "2021-10-17")),
    (f"{T} — NASA (@NASA) 17 d’octubre de 2021", ("twitter", "NASA", "NASA", "2021-10-17")),
    (f"{T} — NASA (@NASA) 17 d'octubre del 2021", ("twitter", "NASA", "NASA", "2021-10-17")),
    (f"{T} — NASA (@NASA) 17 октября 2021 г.", ("twitter", "NASA", "NASA", "2021-10-17")),
    (f"{T} — NASA (@NASA) 17 жовтня 2021 р.", ("twitter", "NASA", "NASA", "2021-10-17")),
    (f"{T} — NASA (@NASA) 2021年10月17日", ("twitter", "NASA", "NASA", "2021-10-17")),
    (f"{T} — NASA (@NASA)", ("twitter", "NASA", "NASA", None)),
    (f"{T} — NASA (@NASA) Septem", ("twitter", "NASA", "NASA", None)),
    # links
    ("Launch day! https://t.co/Ab3dE5gH7k — NASA (@NASA) October 17, 2021", ("twitter", "NASA", "NASA", "2021-10-17")),
    ("Launch day! pic.x.com/Ab3dE5gH7k — NASA (@NASA) October 17, 2021", ("twitter", "NASA", "NASA", "2021-10-17")),
    (
        "Launch day! https://twitter.com/NASA/status/1449 — NASA (@NASA) October 17, 2021",
        ("twitter", "NASA", "NASA", "2021-10-17"),
    ),
    (
        "Launch day! https://x.com/NASA/status/1449 — NASA (@NASA) October 17, 2021",
        ("twitter", "NASA", "NASA", "2021-10-17"),
    ),
    ("Launch day! — NASA (@NASA) October 17, 2021", ("twitter", "NASA", "NASA", "2021-10-17")),
    # dashes
    (f"{T} – NASA (@NASA) October 17, 2021", ("twitter", "NASA", "NASA", "2021-10-17")),
    (f"{T} - NASA (@NASA) October 17, 2021", ("twitter", "NASA", "NASA", "2021-10-17")),
    (f"{T}- NASA (@NASA) October 17, 2021", ("twitter", "NASA", "NASA", "2021-10-17")),
    (f"{T}%u2014 NASA (@NASA) October 17, 2021", ("twitter", "NASA", "NASA", "2021-10-17")),
    (f"{T} &mdash; NASA (@NASA) October 17, 2021", ("twitter", "NASA", "NASA", "2021-10-17")),
    (f"{T}NASA (@NASA) October 17, 2021", ("twitter", "NASA", "NASA", "2021-10-17")),
    ("Launch day! pic.twitter.com/QGFKUQzbOsOctober 17, 2021", ("twitter", None, None, "2021-10-17")),
    ("Launch day! pic.twitter.com/QGFKUQzbOs — Jane Doe May 2, 2022", ("twitter", "Jane Doe", None, "2022-05-02")),
    ("Launch day! pic.twitter.com/QGFKUQzbOs", ("twitter", None, None, None)),
    (
        "What a final #WorldCupFinalpic.twitter.com/QGFKUQzbOs — FIFA World Cup (@FIFAWorldCup) December 18, 2022",
        ("twitter", "FIFA World Cup", "FIFAWorldCup", "2022-12-18"),
    ),
    ("Thanks @NASApic.twitter.com/QGFKUQzbOs — Ann (@ann) May 2, 2022", ("twitter", "Ann", "ann", "2022-05-02")),
    ("Tweet may have been deleted (opens in a new tab)", ("twitter", None, None, None)),
    # names
    (f"{T} — 𝐆𝐫𝐞𝐠 🇺🇦 (@greg) May 2, 2022", ("twitter", "𝐆𝐫𝐞𝐠 🇺🇦", "greg", "2022-05-02")),
    (f"{T} — Benjamin N. (he/him) (@ben) May 2, 2022", ("twitter", "Benjamin N. (he/him)", "ben", "2022-05-02")),
    (f"{T} — Team | News #1 (@team) May 2, 2022", ("twitter", "Team | News #1", "team", "2022-05-02")),
    (f"{T} — ABC 7 News - WJLA (@ABC7News) May 2, 2022", ("twitter", "ABC 7 News - WJLA", "ABC7News", "2022-05-02")),
    (f"{T} — ꜱᴍᴀʟʟ ᴄᴀᴘꜱ ⭐️ (@caps) May 2, 2022", ("twitter", "ꜱᴍᴀʟʟ ᴄᴀᴘꜱ ⭐️", "caps", "2022-05-02")),
    # instagram
    (
        "Sunset over the bay A post shared by Ann Lee (@ann.lee) on Aug 8, 2020 at 3:12pm PDT",
        ("instagram", "Ann Lee", "ann.lee", "2020-08-08"),
    ),
    (
        "Sonnenuntergang Ein Beitrag geteilt von Ann Lee (@ann.lee) am 23. Okt 2017 um 0:31 Uhr",
        ("instagram", "Ann Lee", "ann.lee", "2017-10-23"),
    ),
    (
        "Sonnenuntergang Ein Beitrag geteilt von Ann Lee (@ann.lee) am Mär 12, 2018 um 12:30 PDT",
        ("instagram", "Ann Lee", "ann.lee", "2018-03-12"),
    ),
    (
        "View this post on Instagram Sunset A post shared by Ann Lee (@ann.lee) on Apr 21, 2019 at 4:40am PDT",
        ("instagram", "Ann Lee", "ann.lee", "2019-04-21"),
    ),
    ("View this post on Instagram A post shared by Ann Lee (@ann.lee)", ("instagram", "Ann Lee", "ann.lee", None)),
    (
        "Sieh dir diesen Beitrag auf Instagram an Ein Beitrag geteilt von Ann Lee (@ann.lee)",
        ("instagram", "Ann Lee", "ann.lee", None),
    ),
    ("この投稿をInstagramで見る 山田花子(@hanako.y)がシェアした投稿", ("instagram", "山田花子", "hanako.y", None)),
    ("在 Instagram 查看這則貼文 王小明(@xiaoming) 分享的貼文", ("instagram", "王小明", "xiaoming", None)),
    (
        "Ver esta publicación en Instagram Una publicación compartida por Ana (@ana) el 2 mar 2020 a las 10:15 PST",
        ("instagram", "Ana", "ana", "2020-03-02"),
    ),
    (
        "Voir cette publication sur Instagram Une publication partagée par Anne (@anne) le 2 mars 2020 à 10:15 PST",
        ("instagram", "Anne", "anne", "2020-03-02"),
    ),
    (
        "Visualizza questo post su Instagram Un post condiviso da Anna (@anna) in data: 2 Mar 2020 alle ore 10:15 PST",
        ("instagram", "Anna", "anna", "2020-03-02"),
    ),
    ("View this photo on Instagram", ("instagram", None, None, None)),
    (
        "View this post on Instagram\n\nSunset over the bay\n\nA post shared by Ann Lee (@ann.lee) on Aug 8, 2020 at 3:12pm PDT",
        ("instagram", "Ann Lee", "ann.lee", "2020-08-08"),
    ),
    ("View this post on Instagram\n\nA post shared by Ann Lee (@ann.lee)", ("instagram", "Ann Lee", "ann.lee", None)),
    # facebook
    (
        "We are open again. Posted by Harbour Café on Monday, March 27, 2017",
        ("facebook", "Harbour Café", None, "2017-03-27"),
    ),
    (
        "Abrimos de nuevo. Publicado por Café del Puerto en Sábado, 2 de enero de 2021",
        ("facebook", "Café del Puerto", None, "2021-01-02"),
    ),
    (
        "Nous rouvrons. Publiée par Café du Port sur Jeudi 26 mars 2020",
        ("facebook", "Café du Port", None, "2020-03-26"),
    ),
    (
        "Мы снова открыты. Опубликовано Кафе Порт Вторник, 17 марта 2020 г.",
        ("facebook", "Кафе Порт", None, "2020-03-17"),
    ),
    (
        "We are open again. Posted by Harbour Café on Saturday, 4 July 2015",
        ("facebook", "Harbour Café", None, "2015-07-04"),
    ),
    # bluesky
    (
        "Big news today [image or embed] — Ann Lee (@annlee.bsky.social) November 25, 2024 at 12:58 AM",
        ("bluesky", "Ann Lee", "annlee.bsky.social", "2024-11-25"),
    ),
    (
        "Grande nouvelle [image or embed] — Anne (@anne.fr) 20 novembre 2024 à 14:43",
        ("bluesky", "Anne", "anne.fr", "2024-11-20"),
    ),
    # tiktok, threads, mastodon, reddit
    ("@annlee Making bread at 3am #baking #fyp ♬ original sound - Ann Lee", ("tiktok", "Ann Lee", "annlee", None)),
    ("@annlee Making bread ♬ Espresso - Sabrina Carpenter", ("tiktok", None, "annlee", None)),
    ("Post by @annlee View on Threads", ("threads", None, "annlee", None)),
    ("Post by @ann@mastodon.social View on Mastodon", ("mastodon", None, "ann@mastodon.social", None)),
    ("My cat learned to open the fridge by u/catperson in r/cats", ("reddit", None, "catperson", None)),
    ("My cat learned to open the fridge from r/cats", ("reddit", None, None, None)),
]


@pytest.mark.parametrize(("text", "expected"), POSTS, ids=lambda v: v[:60] if isinstance(v, str) else "")
def test_posts_of_every_platform_and_language(text: str, expected: tuple[str | None, ...]) -> None:
    article = parse_article(text)
    assert len(article.blocks) == 1, article.blocks
    quote = article.blocks[0]
    assert quote.kind == "quote"
    assert (quote.platform, quote.author, quote.handle, quote.posted) == expected


LOOK_ALIKES = [
    "The owner, Maria (@mariabakes), said the shop would reopen on May 2, 2022.",
    "La dueña, María (@mariabakes), dijo que la tienda reabriría el 2 de mayo de 2022.",
    "Die Inhaberin Maria (@mariabakes) sagte am 2. Mai 2022, der Laden öffne wieder.",
    "The mayor — who posts as Ana (@ana_mayor) — said on May 2, 2022 that the bridge would close.",
    "El alcalde — que tuitea como Ana (@ana_alcaldesa) — anunció el 2 de mayo de 2022 el cierre.",
    "— Reporting by John Smith; Editing by Jane Doe",
    "— Reportage de Jean Dupont, édité par Marie Curie",
    "Posted by Anna on February 1, 2017 at 2:13 pm",
    "Posted by Anna on February 1, 2017",
    "Publicado por Ana el 1 de febrero de 2017 a las 14:13",
    "Photo: X/@account",
    "Foto: Instagram @account",
    "Instagram / account",
    "Reprodução/Twitter @account",
    "Share via Twitter",
    "Teilen auf Facebook",
    "Compartir en Twitter",
    "— ¿Vienes mañana? — preguntó ella.",
    "— Tak, oczywiście — odpowiedział Jan.",
    "— Так, звичайно, — відповів він.",
    "The harbour at dawn. - Jane Doe",
    '@account commented: "We are thrilled" on May 2, 2022.',
    "Jane Doe is a reporter. Follow her on Twitter @janedoe.",
    "Write to jane.doe@example.com with your tips.",
    "Thanks to our photographer — Maria (@mariabakes)",
    "Follow us on Instagram (@harbourferry) for updates.",
    "See the video from r/cats here.",
    "Instagram",
    "The council posted on Instagram that the ferry is back.",
    "He wrote on Twitter (@joe) October 17, 2021 was the best day of his life.",
]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_stay_prose(text: str) -> None:
    assert all(block.kind != "quote" for block in parse_article(" date 2022-05-03 " + text).blocks)


LONG = (
    "The council met on Tuesday evening to vote on the new harbour plan, which had been delayed twice before "
    "because of the storms of the winter and the cost of the repairs to the old sea wall."
)


ATTRIBUTION = "— Lena Marsh (@lenamarsh) May 2, 2022"


MULTI_BLOCK_POSTS = [
    # The crawler turned the post's line breaks into wide gaps; the article's own gaps are narrower.
    (
        f"{LONG}\n\nFerry is back\n\n\n\nQueue goes round the market twice {ATTRIBUTION}",
        ["paragraph", "quote"],
        "Ferry is back Queue goes round the market twice",
    ),
    # An introducing line, then a dialogue.
    (
        f"{LONG}\n\nOne resident summed it up:\n\nme: is the ferry back?\n\nharbour: yes {ATTRIBUTION}",
        ["paragraph", "paragraph", "quote"],
        "me: is the ferry back? harbour: yes",
    ),
    # A list number, then the post's lines.
    (
        f"{LONG}\n\n3.\n\nNobody:\n\nAbsolutely nobody:\n\nThe harbour cat at 6am {ATTRIBUTION}",
        ["paragraph", "paragraph", "quote"],
        "Nobody: Absolutely nobody: The harbour cat at 6am",
    ),
    # Every line a block: the lines from the post before, the attribution alone on its line.
    (
        f"{LONG}\nFirst ride today {ATTRIBUTION}\nGreat crew @harbourferry 👏\nSee you tomorrow pic.twitter.com/AbCdEfGh12\n"
        "— Tom Reed (@tomreed) May 2, 2022",
        ["paragraph", "quote", "quote"],
        "Great crew @harbourferry 👏 See you tomorrow pic.twitter.com/AbCdEfGh12",
    ),
    # Every line a block, up to a line in title case: a list item's title, not the post's.
    (
        f"{LONG}\nFirst ride today {ATTRIBUTION}\nWho Rode It Best Today?\nBack on the water at dawn\n"
        "— Tom Reed (@tomreed) May 2, 2022",
        ["paragraph", "quote", "paragraph", "quote"],
        "Back on the water at dawn",
    ),
    # The attribution alone, after a blank line.
    (
        f"{LONG}\n\nBack on the water pic.twitter.com/AbCdEfGh12\n\n{ATTRIBUTION}",
        ["paragraph", "quote"],
        "Back on the water pic.twitter.com/AbCdEfGh12",
    ),
    # A one-word caption under the post's text.
    (
        f"{LONG}\n\nThe queue this morning went round the fish market twice\n\nWow {ATTRIBUTION}",
        ["paragraph", "quote"],
        "The queue this morning went round the fish market twice Wow",
    ),
    # Or a caption of two words.
    (
        f"{LONG}\n\nThe queue this morning went round the fish market twice\n\nDay 3 {ATTRIBUTION}",
        ["paragraph", "quote"],
        "The queue this morning went round the fish market twice Day 3",
    ),
    # A short paragraph of the article's before a post of one block stays the article's.
    (
        f"{LONG}\n\nLocals were delighted.\n\nFerry is back, queue round the market twice {ATTRIBUTION}",
        ["paragraph", "paragraph", "quote"],
        "Ferry is back, queue round the market twice",
    ),
    # Bluesky's stand-in for the post's picture is not the post's words.
    (
        f"{LONG}\n\nThe new timetable is up\n\n[image or embed]\n\n— Harbour Ferry (@harbourferry.bsky.social) "
        "February 23, 2025 at 8:59 PM",
        ["paragraph", "quote"],
        "The new timetable is up",
    ),
    # A post in another script than the article's: its blocks up to where the article's script comes back.
    (
        f"{LONG}\n\nЖители ждали паром три зимы.\n\nFerry is back!\n\nQueue goes round the market\n\n{ATTRIBUTION}",
        ["paragraph", "paragraph", "quote"],
        "Ferry is back! Queue goes round the market",
    ),
    # Its last line's link has no script: the post's lines are still told by theirs.
    (
        f"{LONG}\n\nПаром вернулся!\n\nОчередь до рынка pic.twitter.com/AbCdEfGh12\n\n{ATTRIBUTION}",
        ["paragraph", "quote"],
        "Паром вернулся! Очередь до рынка pic.twitter.com/AbCdEfGh12",
    ),
    # In the same script, an attribution alone takes the block before it only.
    (
        f"{LONG}\n\nLocals waited three winters.\n\nFerry is back!\n\nQueue goes round the market\n\n{ATTRIBUTION}",
        ["paragraph", "paragraph", "paragraph", "quote"],
        "Queue goes round the market",
    ),
    # Lines that read as a post's before its words: opened by a hashtag, ending in a comma, an emoji, two dots.
    (
        f"{LONG}\n\n#FerryDay is here\n\nDear Harbour Ferry,\n\nwe missed you 👏\n\nsee you tonight..\n\n"
        f"Queue round the market {ATTRIBUTION}",
        ["paragraph", "quote"],
        "#FerryDay is here Dear Harbour Ferry, we missed you 👏 see you tonight.. Queue round the market",
    ),
    # A sentence in capitals is the post's shouting; a heading in capitals has no stop.
    (
        f"{LONG}\n\nTHE FERRY IS BACK.\n\nQueue round the market {ATTRIBUTION}",
        ["paragraph", "quote"],
        "THE FERRY IS BACK. Queue round the market",
    ),
    (
        f"{LONG}\n\nWATCH\n\nQueue round the market {ATTRIBUTION}",
        ["paragraph", "paragraph", "quote"],
        "Queue round the market",
    ),
    # A line that breaks off on a word no sentence ends with goes on in the post's words.
    (
        f"{LONG}\n\nFinally the ferry is back and the queue goes round the\n\nFish Market twice {ATTRIBUTION}",
        ["paragraph", "quote"],
        "Finally the ferry is back and the queue goes round the Fish Market twice",
    ),
    # A hashtag of digits alone opens a ranking, not a post's line.
    (
        f"{LONG}\n\n#1 choice of the commuters\n\nQueue round the market {ATTRIBUTION}",
        ["paragraph", "paragraph", "quote"],
        "Queue round the market",
    ),
    # A caption after a sentence's stop answers the article: the block before stays the article's.
    (
        f"{LONG}\n\nThe mayor said the ferry would run all winter.\n\n😂 {ATTRIBUTION}",
        ["paragraph", "paragraph", "quote"],
        "😂",
    ),
    # An embed's frame, wider than the post's own line breaks, parts it from the article's paragraph.
    (
        f"{LONG}\n\nLocals waited.\n\n\n\n\n\nFerry is back!\n\n\n\nQueue goes round the market\n\n{ATTRIBUTION}",
        ["paragraph", "paragraph", "quote"],
        "Ferry is back! Queue goes round the market",
    ),
    # A chant of short lines before an attribution alone: all of them.
    (
        f"{LONG}\n\nWho rules the harbour\n\nWe rule the harbour\n\nWho rows the fastest\n\nWe row the fastest"
        f"\n\n{ATTRIBUTION}",
        ["paragraph", "quote"],
        "Who rules the harbour We rule the harbour Who rows the fastest We row the fastest",
    ),
    # Short lines before the post's words that are one more: the post's verse.
    (
        f"{LONG}\n\nOn the quay at nine\n\nA crowd of a thousand\n\nAnd one small boat {ATTRIBUTION}",
        ["paragraph", "quote"],
        "On the quay at nine A crowd of a thousand And one small boat",
    ),
    # One short line before the post's words that are one too: the post's two lines.
    (
        f"{LONG}\n\nWaited all winter on the quay\n\nNow look at her pic.twitter.com/AbCdEfGh12 {ATTRIBUTION}",
        ["paragraph", "quote"],
        "Waited all winter on the quay Now look at her pic.twitter.com/AbCdEfGh12",
    ),
    # Unless that line is a title: a subhead over the post, its small words and all.
    (
        f"{LONG}\n\nFans at the Harbour Gates\n\nNow look at her pic.twitter.com/AbCdEfGh12 {ATTRIBUTION}",
        ["paragraph", "paragraph", "quote"],
        "Now look at her pic.twitter.com/AbCdEfGh12",
    ),
    # Before a post's words of another shape, short lines are the article's list.
    (
        f"{LONG}\n\nGood light\n\nA clear subject\n\nA short caption\n\nBravo, the harbour has a proper ferry "
        f"again after three winters. Come and see it. {ATTRIBUTION}",
        ["paragraph", "paragraph", "paragraph", "paragraph", "quote"],
        "Bravo, the harbour has a proper ferry again after three winters. Come and see it.",
    ),
    # Lines opened by the dash that opens the post's words: its dialogue.
    (
        f"{LONG}\n\n-Is the ferry back?\n\n-Yes, since Monday. {ATTRIBUTION}",
        ["paragraph", "quote"],
        "-Is the ferry back? -Yes, since Monday.",
    ),
    # A post that lost its attribution, its first line three blank lines before its picture's link.
    (
        f"{LONG}\n\nWe are going.\n\n\n\nLast ferry leaves at 23:40 pic.twitter.com/AbCdEfGh12",
        ["paragraph", "quote"],
        "We are going. Last ferry leaves at 23:40 pic.twitter.com/AbCdEfGh12",
    ),
    # A post's lines after a run of wide gaps are its own too.
    (
        f"{LONG}\n\nDear council,\n\nFerry is back!\n\n\n\nQueue goes round the market\n\n\n\n{ATTRIBUTION}",
        ["paragraph", "quote"],
        "Dear council, Ferry is back! Queue goes round the market",
    ),
    # An embed's frame ends the reach: the blocks after it are the post's, however they read.
    (
        f"{LONG}\n\n\n\n\n\nFerry is back.\n\nQueue goes round the market twice. {ATTRIBUTION}",
        ["paragraph", "quote"],
        "Ferry is back. Queue goes round the market twice.",
    ),
    # After a list number, the list item is the post, a list of its own lines and all.
    (
        f"{LONG}\n\n2.\n\nBest boats of the day\n\n3 The tug\n\n2 The yacht\n\n1 The ferry, at last, back on the "
        f"water after three winters {ATTRIBUTION}",
        ["paragraph", "paragraph", "quote"],
        "Best boats of the day 3 The tug 2 The yacht 1 The ferry, at last, back on the water after three winters",
    ),
    # A subhead after an introducing line: the line introduced its section, not the post.
    (
        f"{LONG}\n\nThe harbour office wrote this morning:\n\nThe Morning Queue\n\nCommuters waited an hour at the "
        f"quay.\n\nFerry is back, queue round the market twice {ATTRIBUTION}",
        ["paragraph", "paragraph", "paragraph", "paragraph", "quote"],
        "Ferry is back, queue round the market twice",
    ),
    # Every line a block: an attribution alone takes its words' line however long, and the list item's lines.
    (
        f"{LONG}\n5.\nMe: *opens the ferry app*\nThe app: Your ferry is delayed by ten minutes, then twenty, then "
        "forty, and now it has been cancelled altogether, but here is a voucher for a coffee at the quay\n"
        f"{ATTRIBUTION}",
        ["paragraph", "paragraph", "quote"],
        "Me: *opens the ferry app* The app: Your ferry is delayed by ten minutes, then twenty, then forty, and now "
        "it has been cancelled altogether, but here is a voucher for a coffee at the quay",
    ),
    # An introducing line in capitals opens the post; one written as prose is the article's.
    (
        f"{LONG}\n\nJUST IN FROM THE PORT:\n\nFerries run again from noon. {ATTRIBUTION}",
        ["paragraph", "quote"],
        "JUST IN FROM THE PORT: Ferries run again from noon.",
    ),
    (
        f"{LONG}\n\nThe port said on Twitter:\n\nFerries run again from noon. {ATTRIBUTION}",
        ["paragraph", "paragraph", "quote"],
        "Ferries run again from noon.",
    ),
    # A verse's lines may trail off, and its last line's picture link is no line of its own.
    (
        f"{LONG}\n\n#FerryDay\n\nWaited so long...\n\nRain on the quay\n\nAnd there it comes pic.twitter.com/AbCdEfGh12 "
        f"{ATTRIBUTION}",
        ["paragraph", "quote"],
        "#FerryDay Waited so long... Rain on the quay And there it comes pic.twitter.com/AbCdEfGh12",
    ),
]


@pytest.mark.parametrize(
    "advert", ["CONTINUA DEPOIS DA PUBLICIDADE", "Advertisement", "Story continues below advertisement", "Anzeige"]
)
def test_an_advert_amid_a_posts_blocks_is_a_paragraph_after_it(advert: str) -> None:
    text = f" date 2022-05-03 {LONG}\n\nThe cheapest fish sandwich on the quay\n\n{advert}\n\n{ATTRIBUTION}\n\n{LONG}"
    blocks = parse_article(text).blocks
    assert [(b.kind, b.text) for b in blocks[1:3]] == [
        ("quote", "The cheapest fish sandwich on the quay"),
        ("paragraph", advert),
    ]


@pytest.mark.parametrize(
    ("attribution", "kinds"),
    [
        ("Words — Ann (@ann) May 2, 2022", ["paragraph", "quote", "quote"]),  # another post: its own quote
        ("— Ann (@ann) May 2, 2022", ["paragraph", "quote"]),  # the deleted tweet's name
    ],
)
def test_a_deleted_tweets_stand_in_after_an_introducing_line(attribution: str, kinds: list[str]) -> None:
    # An introducing line's reach once took in the stand-in, whose empty text broke the list test (a traceback).
    text = f" date 2021-10-21 Intro line that sets it up:\nTweet may have been deleted\n{attribution}\n"
    blocks = parse_article(text).blocks
    assert [b.kind for b in blocks] == kinds
    assert blocks[-1].handle == "ann"


@pytest.mark.parametrize(("text", "kinds", "words"), MULTI_BLOCK_POSTS)
def test_a_post_is_all_of_its_blocks(text: str, kinds: list[str], words: str) -> None:
    article = parse_article(" date 2022-05-03 " + text)
    assert [b.kind for b in article.blocks] == kinds
    assert article.blocks[-1].text == words
    assert article.blocks[0].text == LONG


@pytest.mark.parametrize(
    ("text", "records"),
    [
        # The article's sentence reports the post (a verb and a word for a post): split off.
        (
            "The mayor posted a photo of the queue. Great day for the city! pic.twitter.com/AbCdEfGh12 "
            "— Mayor Jane (@mayorjane) May 1, 2023",
            [
                ("paragraph", "The mayor posted a photo of the queue."),
                ("quote", "Great day for the city! pic.twitter.com/AbCdEfGh12"),
            ],
        ),
        (
            "Sur Bluesky, un café a publié une photo de sa terrasse. Terrasse vide ce matin — Café (@cafe.fr) "
            "1 mai 2023",
            [
                ("paragraph", "Sur Bluesky, un café a publié une photo de sa terrasse."),
                ("quote", "Terrasse vide ce matin"),
            ],
        ),
        # The handle named without its '@': the article's sentence, up to its colon.
        (
            "Another user, kpatel, wrote: Packed at 1am. pic.twitter.com/AbCdEfGh12 — K Patel (@kpatel) May 1, 2023",
            [("paragraph", "Another user, kpatel, wrote:"), ("quote", "Packed at 1am. pic.twitter.com/AbCdEfGh12")],
        ),
        # Named with its '@', and the article's copy of the post in quote marks after it: the article's too.
        (
            "Then @kpatel weighed in: “Still packed, still no ferry”. Still packed, still no ferry "
            "pic.twitter.com/AbCdEfGh12 — K Patel (@kpatel) May 1, 2023",
            [
                ("paragraph", "Then @kpatel weighed in: “Still packed, still no ferry”."),
                ("quote", "Still packed, still no ferry pic.twitter.com/AbCdEfGh12"),
            ],
        ),
        # Another account's handle in the post is the post's own.
        (
            "Thanks @harbourferry for the ride. Back again tomorrow! — K Patel (@kpatel) May 1, 2023",
            [("quote", "Thanks @harbourferry for the ride. Back again tomorrow!")],
        ),
        # A journalist's post of one sentence reads as the article does: nothing of its own would be left.
        (
            "Aaron shared a video of the flood this morning. pic.twitter.com/AbCdEfGh12 — Aaron (@aaron) May 1, 2023",
            [("quote", "Aaron shared a video of the flood this morning. pic.twitter.com/AbCdEfGh12")],
        ),
        # A post naming its author by the display name, or saying 'said' of someone, is the post's.
        (
            "What working at SKEP feels like... #skep — SKEP (@skep.association) May 1, 2023",
            [("quote", "What working at SKEP feels like... #skep")],
        ),
        (
            "The minister said the photo was real. We checked. https://t.co/AbCdEfGh12 — Desk (@desk) May 1, 2023",
            [("quote", "The minister said the photo was real. We checked. https://t.co/AbCdEfGh12")],
        ),
    ],
)
def test_the_articles_sentence_before_a_posts_words_is_a_paragraph(text: str, records: list[tuple[str, str]]) -> None:
    article = parse_article(" date 2023-05-01 " + text)
    assert [(b.kind, b.text) for b in article.blocks] == records


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A '?' where the scrape lost the dash.
        (
            "Nuevo horario pic.twitter.com/AbCdEfGh12 ? Ana Ruiz (@anaruiz) 18 de enero de 2017",
            ("Nuevo horario pic.twitter.com/AbCdEfGh12", "Ana Ruiz", "anaruiz", "2017-01-18"),
        ),
        # An apostrophe where the scrape lost the dash: spaced, or glued to a link's id (a word's is its own).
        (
            "Stay indoors, drink water ' City Health (@cityhealth) May 19, 2024",
            ("Stay indoors, drink water", "City Health", "cityhealth", "2024-05-19"),
        ),
        (
            "Not a soul outside pic.twitter.com/Hx7Qm2Lp9T' Ravi Menon (@ravimenon) May 19, 2024",
            ("Not a soul outside pic.twitter.com/Hx7Qm2Lp9T", "Ravi Menon", "ravimenon", "2024-05-19"),
        ),
        # The name glued to the handle, its parenthesis lost; no name at all after a link.
        (
            "Still melting pic.twitter.com/Kq4Zt8Wn3R — Lena@lenamarsh_) May 19, 2024",
            ("Still melting pic.twitter.com/Kq4Zt8Wn3R", "Lena", "lenamarsh_", "2024-05-19"),
        ),
        (
            "Sold out by lunch pic.twitter.com/Vb2Nc6Xy1P (@icecreamvan) May 19, 2024",
            ("Sold out by lunch pic.twitter.com/Vb2Nc6Xy1P", None, "icecreamvan", "2024-05-19"),
        ),
        # Links glued to each other are the post's, not a link glued to the name.
        (
            "Horario https://t.co/AbCdEfGh12pic.twitter.com/ZyXwVuTs98 ? Ana Ruiz (@anaruiz) 18 de enero de 2017",
            ("Horario https://t.co/AbCdEfGh12pic.twitter.com/ZyXwVuTs98", "Ana Ruiz", "anaruiz", "2017-01-18"),
        ),
        (
            "Nový jízdní řád — Jan Novák (@jnovak) 6. dubna 2017",
            ("Nový jízdní řád", "Jan Novák", "jnovak", "2017-04-06"),
        ),
        ("Program nou — Ion Pop (@ionpop) 15 octombrie 2019", ("Program nou", "Ion Pop", "ionpop", "2019-10-15")),
        ("Yeni tarife — Ali Kaya (@alikaya) 15 Ekim 2019", ("Yeni tarife", "Ali Kaya", "alikaya", "2019-10-15")),
        ("Jadwal baru — Budi (@budi) 17 Agustus 2020", ("Jadwal baru", "Budi", "budi", "2020-08-17")),
        # Dashes inside the name: the one followed by a space opens the attribution.
        (
            "Launch day — Amy—#SaveTheFerry—Lee (@amylee) July 17, 2021",
            ("Launch day", "Amy—#SaveTheFerry—Lee", "amylee", "2021-07-17"),
        ),
        # A date cut off where the file ends.
        ("Launch day at the harbour — Jess (@jess) October 2,", ("Launch day at the harbour", "Jess", "jess", None)),
        # Dashes that are the post's own.
        (
            "Best day ever --— Ferry Fan (@ferryfan) July 8, 2018",
            ("Best day ever --", "Ferry Fan", "ferryfan", "2018-07-08"),
        ),
        # An en dash inside the name: Twitter's em dash opens the attribution, not the en dash after it.
        (
            "Best show tonight — Jordan – Late Shift Radio (@LateShift) June 1, 2024",
            ("Best show tonight", "Jordan – Late Shift Radio", "LateShift", "2024-06-01"),
        ),
        # A date to the month only is the month, as the header's may be; its words are in no other field.
        ("Old news — Ann Lee (@annlee) May 2019", ("Old news", "Ann Lee", "annlee", "2019-05")),
        ("Noticias viejas — Ana (@ana) mayo de 2019", ("Noticias viejas", "Ana", "ana", "2019-05")),
        # A lost attribution: the article's quote marks around the post; a name without its handle, what is
        # left of the handle dropped.
        (
            "“Stay safe everyone pic.twitter.com/Ar89IkH8JL“",
            ("Stay safe everyone pic.twitter.com/Ar89IkH8JL", None, None, None),
        ),
        (
            "Late again pic.twitter.com/LateAgain1 — Sam Lee (@\n\nThe ferry left at ten.",
            ("Late again pic.twitter.com/LateAgain1", "Sam Lee", None, None),
        ),
        # A status link alone: a post without words, whose link names the account.
        ("https://twitter.com/NASA/status/1954221234567890?s=20", ("", None, "NASA", None)),
    ],
)
def test_attributions_of_more_shapes(text: str, expected: tuple[str, str, str, str | None]) -> None:
    quote = only_quote(text)
    assert (quote.text, quote.author, quote.handle, quote.posted) == expected


@pytest.mark.parametrize(
    ("ending", "kinds"),
    [
        # The text's end cut the attribution before its handle, on the post's line or alone on the next.
        (" — Jane Doe", ["paragraph"]),
        (" — Jane Doe (@", ["paragraph"]),
        (" — Jane Doe (@jan", ["paragraph"]),
        (" —", ["paragraph"]),
        ("\n— Jane Doe (@jan", ["paragraph", "paragraph"]),
        ("\n\n— Jane", ["paragraph", "paragraph"]),
        # Its handle or its date survived, the text goes on, or no attribution followed the picture's link.
        (" — Jane Doe (@janedoe) Ma", ["quote"]),
        (" — Jane Doe May 2, 2022", ["quote"]),
        ("\n\nMay 2, 2022", ["quote"]),
        (" — Jane Doe\n\nThe ferry left at ten.", ["quote", "paragraph"]),
        ("\n— Jane\n\nThe ferry left at ten.", ["quote", "paragraph", "paragraph"]),
        ("", ["quote"]),
    ],
)
def test_a_post_the_texts_end_cut_off_before_its_handle_is_none(ending: str, kinds: list[str]) -> None:
    text = "Launch day! pic.twitter.com/QGFKUQzbOs" + ending
    assert [block.kind for block in parse_article(text).blocks] == kinds
    # Read a segment at a time, whatever the segments' size, only the text's own end cuts a post: not a
    # segment's.
    for whole in (f"{LONG}\n\n{text}", f"{LONG}\n\n{text}\n\n{LONG}"):
        for size in range(20, len(whole), 9):
            segments = at.parse_article_segments(whole, size=size)
            assert [block for segment in segments for block in segment.blocks] == list(parse_article(whole).blocks)


@pytest.mark.parametrize(
    ("after", "posted"),
    [("October 17, 2022", "2022-10-17"), ("17 octobre 2022", "2022-10-17"), ("October 17, 2022, said the mayor", None)],
)
def test_a_date_alone_after_a_post_without_its_attribution_is_its_date(after: str, posted: str | None) -> None:
    article = parse_article(f" date 2022-10-18 Intro paragraph.\n\nA storm at sea pic.twitter.com/QqWwEeRrTt\n{after}")
    assert [(b.kind, b.posted) for b in article.blocks[1:]] == [
        ("quote", posted),
        *([("paragraph", None)] * (not posted)),
    ]


def test_an_attribution_with_a_handle_and_neither_date_nor_link_is_no_post() -> None:
    article = parse_article(" date 2022-10-18 Intro paragraph.\n\n💞💓 — aamirah (@Aamirah_salie)\n\nMore prose here.")
    assert {block.kind for block in article.blocks} == {"paragraph"}


def test_a_list_number_glued_to_a_post_stays_the_articles() -> None:
    article = parse_article(
        " date 2022-04-02 The best posts about spring.1.Spring is finally here — Ann Lee (@annlee) April 1, 2022 "
        "2.Sun at last! — Ben Ray (@benray) April 1, 2022"
    )
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("paragraph", "The best posts about spring.1."),
        ("quote", "Spring is finally here"),
        ("paragraph", "2."),
        ("quote", "Sun at last!"),
    ]


def test_tweet_url_prefers_the_status_then_the_picture() -> None:
    quote = only_quote(
        "Read https://t.co/Ab3dE5gH7k pic.twitter.com/QGFKUQzbOs https://twitter.com/NASA/status/1449"
        " — NASA (@NASA) May 2, 2022"
    )
    assert quote.url == "https://twitter.com/NASA/status/1449"
    assert only_quote("Read https://t.co/Ab3dE5gH7k pic.twitter.com/QGFKUQzbOs — N (@n) May 2, 2022").url == (
        "https://pic.twitter.com/QGFKUQzbOs"
    )


# Shapes that cost quadratic time once, each a unit and how many of it make about 2 MB.
ADVERSARIAL_SHAPES = {
    "near-signatures": ("— a (@b) October ", 120_000),
    "handles": ("x (@b) ", 300_000),
    "parens": ("(@", 1_000_000),
    "pictures": ("pic.twitter.com/AbCdEfGh12 ", 80_000),
    "instagram": ("A post shared by ", 120_000),
    "facebook": ("Posted by a on Monday, ", 100_000),
    "unclosed": ('<blockquote class="twitter-tweet">', 60_000),
    "tags": ("<a ", 700_000),
    "openers": ("View this post on Instagram\n\n", 70_000),
    "comments": ("<!--", 500_000),
    "hinted lines": ("(@\n", 300_000),
    "short lines": ("Short heading-like line\n", 100_000),
    "near-miss attributions": ("(@a) x\n", 150_000),
    "attributions alone": ("Words of a post\n— A (@a) May 2, 2022\n", 20_000),  # 45,000 took 40 s
    "instagram in Spanish": ("Una publicación compartida de Ann (@ann) ", 20_000),  # each post folded the block
    "facebook in French": ("Publiée par Ann sur Jeudi 26 mars 2020 ", 20_000),  # each post scanned the block
    "names after pictures": ("Words pic.twitter.com/AbCdEfGh12\n— Ann (@a\n", 8_000),
}


def _assert_linear_time(small: str, large: str, parse: Callable[[str], object] = parse_article) -> None:
    """Parsing ``large``, twice ``small``, takes at most 2.5 times as long (quadratic time would take 4): a
    ratio holds on a shared machine and under coverage, where a time would not.  Each size's least
    process time of five parses, the two sizes in turns so that a burst of the machine's load falls on
    both, the collector off: its passes grow with all that a process holds, not with what parsing does."""
    import gc
    import time

    times: dict[str, list[float]] = {small: [], large: []}
    gc.collect()
    gc.disable()
    try:
        for _ in range(5):
            for text, runs in times.items():
                started = time.process_time()
                parse(text)
                runs.append(time.process_time() - started)
    finally:
        gc.enable()
    least_small, least_large = min(times[small]), min(times[large])
    assert least_large <= 2.5 * least_small + 0.1, (least_small, least_large)


def _peak_memory(call: Callable[[], object]) -> int:
    """The most memory ``call`` held at once, in bytes, by tracemalloc."""
    import tracemalloc

    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(("unit", "count"), ADVERSARIAL_SHAPES.values(), ids=ADVERSARIAL_SHAPES)
def test_adversarial_blocks_parse_in_linear_time(unit: str, count: int) -> None:
    _assert_linear_time(unit * (count // 4), unit * (count // 2))


@pytest.mark.parametrize("blank", ["\n", " \n", "\t\n", "\r\n", "\xa0\n", "\u2028\n"])
def test_a_run_of_blank_lines_in_a_huge_article_is_read_in_linear_time(blank: str) -> None:
    def segmented(text: str) -> object:
        return list(at.parse_article_segments(text, size=1 << 16))

    def article(count: int) -> str:
        return " date 2021-10-21 Start.\n" + blank * count + "End.\n"

    _assert_linear_time(article(100_000), article(200_000), segmented)
    assert [
        block.text for segment in at.parse_article_segments(article(1000), size=100) for block in segment.blocks
    ] == [
        "Start.",
        "End.",
    ]


# ---------------------------------------------------------------------------
# Markup
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The formula a<b and c>d holds, <i>really</i>.", "The formula a<b and c>d holds, really."),
        ("Write <your name here> on the <b>form</b>.", "Write <your name here> on the form."),
        ('Read <a href="https://example.com/a" class="x">the report</a> first.', "Read the report first."),
        # Never closed, a script tag is prose naming it: the words after it stayed out.
        ("Put it in a <script> element, as the <b>guide</b> says.", "Put it in a <script> element, as the guide says."),
        ("Style it <style>p {}</style>here, in a <style> tag.", "Style it here, in a <style> tag."),
    ],
)
def test_only_real_markup_goes(text: str, expected: str) -> None:
    assert [b.text for b in parse_article(text).blocks] == [expected]


MARKUP_HEAD = " date 2024-11-25 Intro paragraph.\n\n"


MARKUP_TAIL = "\n\nOutro <b>bold</b> &amp; plain.<br>Second line."


MARKUP = {
    "twitter": '<blockquote class="twitter-tweet" data-lang="en"><p lang="en" dir="ltr">Launch day &amp; more! <a href="https://t.co/QGFKUQzbOs">pic.twitter.com/QGFKUQzbOs</a></p>&mdash; NASA (@NASA) <a href="https://twitter.com/NASA/status/1449?ref_src=twsrc%5Etfw">October 17, 2021</a></blockquote> <script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>',
    "instagram": '<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/ByzVwmRB0gM/" data-instgrm-version="14"><div><a href="https://www.instagram.com/p/ByzVwmRB0gM/">View this post on Instagram</a></div><p><a href="https://www.instagram.com/p/ByzVwmRB0gM/">A post shared by Ann Lee (@ann.lee)</a></p></blockquote>\n<script async src="//www.instagram.com/embed.js"></script>',
    "tiktok": '<blockquote class="tiktok-embed" cite="https://www.tiktok.com/@annlee/video/7123" data-video-id="7123"><section><a title="@annlee" href="https://www.tiktok.com/@annlee">@annlee</a> <p>Making bread #baking</p> <a href="https://www.tiktok.com/music/x">♬ original sound - Ann Lee</a></section></blockquote><script async src="https://www.tiktok.com/embed.js"></script>',
    "bluesky": '<blockquote class="bluesky-embed" data-bluesky-uri="at://did:plc:abc123/app.bsky.feed.post/3lbxyz" data-bluesky-cid="x"><p lang="en">Big news today<br><br><a href="https://bsky.app/profile/did:plc:abc123/post/3lbxyz?ref_src=embed">[image or embed]</a></p>&mdash; Ann Lee (<a href="https://bsky.app/profile/did:plc:abc123?ref_src=embed">@annlee.bsky.social</a>) <a href="https://bsky.app/profile/did:plc:abc123/post/3lbxyz?ref_src=embed">November 25, 2024 at 12:58 AM</a></blockquote><script async src="https://embed.bsky.app/static/embed.js" charset="utf-8"></script>',
    "facebook": '<div class="fb-post" data-href="https://www.facebook.com/harbourcafe/posts/123" data-width="500"><blockquote cite="https://www.facebook.com/harbourcafe/posts/123" class="fb-xfbml-parse-ignore"><p>We are open again.</p>Posted by <a href="https://www.facebook.com/harbourcafe">Harbour Café</a> on&nbsp;<a href="https://www.facebook.com/harbourcafe/posts/123">Monday, March 27, 2017</a></blockquote></div>',
    "threads": '<blockquote class="text-post-media" data-text-post-permalink="https://www.threads.net/@annlee/post/C1abc" data-text-post-version="0"><a href="https://www.threads.net/@annlee/post/C1abc"><div>Post by @annlee</div><div>View on Threads</div></a></blockquote><script async src="https://www.threads.net/embed.js"></script>',
    "mastodon": '<blockquote class="mastodon-embed" data-embed-url="https://mastodon.social/@ann/1123/embed"><a href="https://mastodon.social/@ann/1123">Post by @ann@mastodon.social</a><a href="https://mastodon.social/@ann/1123">View on Mastodon</a></blockquote><script data-allowed-prefixes="https://mastodon.social/" async src="https://mastodon.social/embed.js"></script>',
    "reddit": '<blockquote class="reddit-embed-bq" data-embed-height="316"><a href="https://www.reddit.com/r/cats/comments/abc/my_cat/">My cat learned to open the fridge</a><br> by <a href="https://www.reddit.com/user/catperson/">u/catperson</a> in <a href="https://www.reddit.com/r/cats/">r/cats</a></blockquote><script async src="https://embed.reddit.com/widgets.js" charset="UTF-8"></script>',
    "youtube": '<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ" title="YouTube video player" frameborder="0" allowfullscreen></iframe>',
    "telegram": '<script async src="https://telegram.org/js/telegram-widget.js?22" data-telegram-post="durov/43" data-width="100%"></script>',
}


MARKUP_EXPECTED = {
    "twitter": (
        "Launch day & more! pic.twitter.com/QGFKUQzbOs",
        "NASA",
        "NASA",
        "2021-10-17",
        "https://twitter.com/NASA/status/1449?ref_src=twsrc%5Etfw",
    ),
    "instagram": ("", "Ann Lee", "ann.lee", None, "https://www.instagram.com/p/ByzVwmRB0gM/"),
    "tiktok": ("Making bread #baking", "Ann Lee", "annlee", None, "https://www.tiktok.com/@annlee/video/7123"),
    "bluesky": (
        "Big news today [image or embed]",
        "Ann Lee",
        "annlee.bsky.social",
        "2024-11-25",
        "https://bsky.app/profile/did:plc:abc123/post/3lbxyz",
    ),
    "facebook": (
        "We are open again.",
        "Harbour Café",
        None,
        "2017-03-27",
        "https://www.facebook.com/harbourcafe/posts/123",
    ),
    "threads": ("", None, "annlee", None, "https://www.threads.net/@annlee/post/C1abc"),
    "mastodon": ("", None, "ann@mastodon.social", None, "https://mastodon.social/@ann/1123"),
    "reddit": (
        "My cat learned to open the fridge",
        None,
        "catperson",
        None,
        "https://www.reddit.com/r/cats/comments/abc/my_cat/",
    ),
    "youtube": ("", None, None, None, "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
    "telegram": ("", None, "durov", None, "https://t.me/durov/43"),
}


@pytest.mark.parametrize("platform", MARKUP)
def test_embed_markup_gives_the_same_record(platform: str) -> None:
    article = parse_article(MARKUP_HEAD + MARKUP[platform] + MARKUP_TAIL)
    assert [b.kind for b in article.blocks] == ["paragraph", "quote", "paragraph", "paragraph"]
    quote = article.blocks[1]
    assert quote.platform == platform
    assert (quote.text, quote.author, quote.handle, quote.posted, quote.url) == MARKUP_EXPECTED[platform]
    assert [b.text for b in article.blocks[2:]] == ["Outro bold & plain.", "Second line."]
    for block in article.blocks:
        assert "<" not in block.text
        assert "&amp;" not in block.text


def test_a_line_break_written_as_an_entity_is_a_space() -> None:
    text = "First&#10;block &amp; more&#xd;still&NewLine;first\n\nSecond &#10"
    assert [(b.line, b.text) for b in parse_article(text).blocks] == [
        (1, "First block & more still first"),
        (3, "Second"),
    ]


def test_markup_in_prose_that_is_not_html_is_kept() -> None:
    text = 'Google "<noun>.js" and a < b.\n\n<script src="vendor/blanket.js"></script>'
    assert [b.text for b in parse_article(text).blocks] == [
        'Google "<noun>.js" and a < b.',
        '<script src="vendor/blanket.js"></script>',
    ]


EMBED_OPENING = '<blockquote class="twitter-tweet">'


def _nested_embed(depth: int, words: str = "") -> str:
    """An embed of ``depth`` nested <div>s, each holding ``words`` after its inner one."""
    return f" date 2021-10-21 {EMBED_OPENING}{'<div>' * depth}Words{f'{words}</div>' * depth}</blockquote>\n\nEnd."


@pytest.mark.parametrize("words", ["", " more"])
def test_an_embed_of_nested_elements_is_read_in_linear_time(words: str) -> None:
    # bs4 walks down the nesting for each append, up it for each string: 160 KB took 46 s.
    _assert_linear_time(_nested_embed(2000, words), _nested_embed(4000, words))
    deeper = parse_article(_nested_embed(2000, words)).blocks  # than any embed: read as plain markup
    assert {b.kind for b in deeper} == {"paragraph"}
    assert " ".join(b.text for b in deeper).split() == f"Words{words * 2000} End.".split()
    assert [(b.kind, b.text) for b in parse_article(_nested_embed(at.EMBED_MAX_DEPTH - 1, words)).blocks] == [
        ("quote", " ".join(f"Words{words * (at.EMBED_MAX_DEPTH - 1)}".split())),
        ("paragraph", "End."),
    ]


def test_markup_longer_than_any_embed_is_read_as_plain_markup() -> None:
    # bs4 holds about 130 bytes a character of what it parses: 8 MB in one embed took 971 MiB.
    text = f" date 2021-10-21 Intro.\n\n{EMBED_OPENING}{'<p>Many words here.</p>' * 5000}</blockquote>\n\nEnd."
    assert len(text) > at.EMBED_MAX_CHARS
    blocks = parse_article(text).blocks
    assert [b.text for b in blocks[:2]] == ["Intro.", "Many words here."]
    assert len(blocks) == 5002
    assert _peak_memory(lambda: parse_article(text)) < 40 * len(text)  # short blocks: about 30 bytes a character


# ---------------------------------------------------------------------------
# Kinds
# ---------------------------------------------------------------------------


PARAGRAPHS = (
    "The Russian film crew that spent twelve days aboard the International Space Station came back to Earth.",
    "The first feature film shot in orbit will reach cinemas next year, the studio said after the landing.",
    "Other space agencies are watching closely, and two more crews are already training for such missions.",
)


def test_kinds_title_heading_paragraph_and_sections() -> None:
    first, second, third = PARAGRAPHS
    article = parse_article(
        f" date 2021-10-21 Film crew returns to Earth after twelve days in orbit\n\n{first}\n\nNew space race\n\n"
        f"{second}\n\nthe lower-case line is no heading\n\n{third}\n\nWhy does it matter?\n\n{first}"
    )
    assert [(b.kind, b.n, b.section) for b in article.blocks] == [
        ("title", 1, None),
        ("paragraph", 2, None),
        ("heading", 3, None),
        ("paragraph", 4, "New space race"),
        ("paragraph", 5, "New space race"),
        ("paragraph", 6, "New space race"),
        ("heading", 7, "New space race"),
        ("paragraph", 8, "Why does it matter?"),
    ]


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("New space race", "heading"),
        ("Photo: Roscosmos", "paragraph"),  # a credit
        ("By Anna Petrova", "paragraph"),  # a byline
        ("Mehr zum Thema", "paragraph"),  # a widget's label
        ("Dienstag, 29. Januar 2019", "paragraph"),  # a date
        ("29. Januar 2019", "paragraph"),  # a date opened by a day that looks like a list number
        ("3. Meetup.com", "heading"),  # a list item's title: its number is no date
        ("Last updated on October 21 by the desk", "paragraph"),  # a line that gives a date
        ("What the crew saw in October", "heading"),  # a month's name with no number beside it
        ("Фото: Роскосмос", "paragraph"),  # a credit in Russian
        ("Lea más: La tripulación vuelve a la Tierra", "paragraph"),  # a related link in Spanish
        ("- a dash list line", "paragraph"),
        # A word that only may be a month's vetoes nothing: Portuguese 'out', 'set', English 'may' lower-case.
        ("Top 10 out of 100 picks", "heading"),
        ("Our 5 set pieces to watch", "heading"),
        ("Why 3 may matter", "heading"),
        ("Updated 21 Oct 2021", "paragraph"),  # an abbreviation in a full date gives one
        ("Mai 2019 im Rückblick", "paragraph"),  # a month's name beside a year
    ],
)
def test_a_short_line_between_paragraphs_is_told_by_its_features(line: str, kind: str) -> None:
    first, second, _ = PARAGRAPHS
    article = parse_article(f" date 2021-10-21 {first}\n\n{line}\n\n{second}")
    assert [b.kind for b in article.blocks] == ["paragraph", kind, "paragraph"]


@pytest.mark.parametrize(
    "ending",
    [
        "",  # a crawl cut the paragraph short
        " https://example.org/crew",  # a link
        " 🚀",  # an emoji
    ],
)
def test_a_long_block_is_a_paragraph_whether_or_not_it_ends_its_sentence(ending: str) -> None:
    first, second, _ = PARAGRAPHS
    long_block = second.rstrip(".") + " and more words past a heading's length" + ending
    article = parse_article(f" date 2021-10-21 {first}\n\nNew space race\n\n{long_block}")
    assert [b.kind for b in article.blocks] == ["paragraph", "heading", "paragraph"]


@pytest.mark.parametrize(
    ("first_line", "kind"),
    [
        ("Film crew returns to Earth after twelve days in orbit", "title"),
        ("11 things we learned from the first film shot in space", "title"),  # a listicle's number
        ("立院發咨文邀賴清德列席說明彈劾案 府：尊重國會職權", "title"),
        ("Space News", "paragraph"),  # a site or section name
        ("Anna Petrova Bluesky", "paragraph"),  # a byline, too short for a headline
        ("Tuesday, 21 October 2021 23:30", "paragraph"),  # a timestamp: too short
        ("The crew landed. Then the film began.", "paragraph"),  # two sentences
    ],
)
def test_the_first_block_is_a_title_when_it_reads_as_a_headline(first_line: str, kind: str) -> None:
    first, second, _ = PARAGRAPHS
    article = parse_article(f" date 2021-10-21 {first_line}\n\n{first}\n\n{second}")
    assert article.blocks[0].kind == kind


@pytest.mark.parametrize(
    ("block", "marked"),
    [
        ("<h2>What happens next</h2>", [True]),
        ('<h3 class="sub">The vote, and what the council said about it afterwards</h3>', [True]),
        ("<H4>Timetable</H4>", [True]),
        ("<h2>Two</h2><p>A paragraph after it, in the same block of the file.</p>", [False, False]),
        ("<h1>A page title in the body</h1>", [False]),  # the title's rules tell
        ("<h2>Open</h3>", [False]),
    ],
)
def test_a_heading_the_markup_marks_is_a_heading(block: str, marked: list[bool]) -> None:
    assert [heading for *_, heading in at._read_markup([(1, block, None, False, False)])] == marked
    prose = "The council voted on Tuesday to rebuild the harbour wall, which the storms of last winter broke."
    article = parse_article(f" date 2024-12-02 {prose}\n\n{prose}\n\n{block}\n\n{prose}\n")
    if marked == [True]:  # whatever its length and its neighbours
        assert [b.kind for b in article.blocks] == ["paragraph", "paragraph", "heading", "paragraph"]


def test_each_feature_of_a_candidate_is_in_its_field() -> None:
    paragraph = (
        "The crew returned to Earth this morning after twelve days in orbit, and the capsule landed on the steppe."
    )
    blocks: list[Any] = [(1, paragraph, None, False, False), (3, "3. Rockets", None, False, False)]
    blocks += [(5, "a note", None, False, False), (7, paragraph, None, False, False)]
    features = at.kind_features(blocks, 1, {1})
    assert features._asdict() == {
        "bias": 1.0,
        "length": len("3. Rockets") / at.HEADING_MAX_CHARS,
        "one_word": 0.0,
        "numbered": 1.0,
        "title_case": 0.5,
        "in_list": 1.0,
        "next_paragraph": 0.0,
        "previous_paragraph": 1.0,
        "text_follows": 1.0,
        "short_neighbours": 0.5,
        "month_opens": 0.0,
    }
    timeline: list[Any] = [(1, paragraph, None, False, False), (3, "March: the strike", None, False, False)]
    assert at.kind_features(timeline, 1, set()).month_opens == 1.0


def test_three_short_lines_in_a_row_are_a_list_not_headings() -> None:
    first, second, third = PARAGRAPHS
    article = parse_article(
        f" date 2021-10-21 Results of the regional chess championship\n\n{first}\n\nAnna Lee 3\n\nBen Ray 2"
        f"\n\nCal Oz 1\n\n{second}\n\nWhat comes next\n\n{third}"
    )
    assert [b.kind for b in article.blocks] == [
        "title",
        "paragraph",
        "paragraph",
        "paragraph",
        "paragraph",
        "paragraph",
        "heading",
        "paragraph",
    ]
    assert article.blocks[-1].section == "What comes next"


# ---------------------------------------------------------------------------
# Segments
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("output_format", ["tsv", "jsonl", "json", "text"])
def test_a_huge_article_is_written_in_segments_as_a_whole_one(
    output_format: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    path = tmp_path / "huge.txt"
    paragraphs = [f"Paragraph {i} of a long article, with words. {PARAGRAPHS[i % 3]}" for i in range(300)]
    paragraphs[150:150] = ["A heading", SEED_TWEET, "— Ann (@ann) May 2, 2022", "Another heading"]
    paragraphs[200:200] = [MARKUP["twitter"], "A paragraph with <b>markup</b> &amp; an entity."]
    path.write_text(" date 2021-10-21 " + "\n\n".join(paragraphs))
    assert main(["-f", output_format, str(path)]) == 0
    whole = capsysbinary.readouterr()
    monkeypatch.setattr(at, "LARGE_ARTICLE_CHARS", 1000)
    monkeypatch.setattr(at, "SEGMENT_CHARS", 500)
    assert len(list(at.parse_article_segments(path.read_text(), size=500))) > 10
    assert main(["-f", output_format, str(path)]) == 0
    assert capsysbinary.readouterr() == whole


def test_a_run_of_short_blocks_does_not_end_the_segmenting() -> None:
    paragraphs = [f"Paragraph {i} of a long article, with words. {PARAGRAPHS[i % 3]}" for i in range(60)]
    text = " date 2021-10-21 " + "\n\n".join(paragraphs[:30] + [f"Line {i}" for i in range(400)] + paragraphs[30:])
    segments = list(at.parse_article_segments(text, size=500))
    assert [block for segment in segments for block in segment.blocks] == list(parse_article(text).blocks)
    assert len([segment for segment in segments if segment.blocks[0].n > 430]) > 5


SHORT_LINES = "".join(f"Line {i}\n(@a) x\nTitle\n\n" for i in range(10_000))


PROSE_WITH_MARKUP = "".join(
    f"Paragraph {i}, <b>with</b> words &amp; more. {PARAGRAPHS[i % 3]}\n\n"
    + (MARKUP["twitter"] if i % 500 == 7 else "")
    for i in range(2_000)
)


@pytest.mark.parametrize(
    ("body", "at_least"),
    [(SHORT_LINES, 35), (PROSE_WITH_MARKUP, 15)],  # of 1,024 lines (SEGMENT_CHARS_PER_LINE); of 16 Ki characters
    ids=["short lines", "prose with markup"],
)
def test_a_huge_article_is_parsed_in_segments_in_bounded_memory(body: str, at_least: int) -> None:
    text = " date 2021-10-21\n" + body
    whole = parse_article(text).blocks
    blocks = iter(whole)
    segments = 0

    def read() -> None:
        nonlocal segments
        for segment in at.parse_article_segments(text, size=1 << 14):
            segments += 1
            assert all(block == next(blocks) for block in segment.blocks)

    peak = _peak_memory(read)
    assert next(blocks, None) is None
    assert segments >= at_least
    assert peak < 5 * len(text)  # parsed whole: 44 bytes a character (short lines), 3 (prose with markup)


@pytest.mark.parametrize(
    "unit",
    [
        "— Ann (@ann)\n",
        "View this post on Instagram\n\n",
        "A post shared by Ann (@ann)\n\n",
        "(@\n",
        "Tweet may have been deleted\n\n",  # a post that is gone, which an attribution alone may name
        "[image or embed]\n\n",  # a post's picture, which its attribution after may take
    ],
)
def test_runs_of_posts_that_may_take_the_next_block_are_segmented(unit: str) -> None:
    """An attribution waiting for its date, or an opener for its post, is cut from what follows when that
    is none, and a run of attributions alone is not held back whole: segments stay segment-sized."""
    text = " date 2021-10-21 " + unit * 20_000
    whole = parse_article(text).blocks
    position = 0

    def read() -> None:
        nonlocal position
        for segment in at.parse_article_segments(text, size=1 << 12):
            assert segment.blocks == whole[position : position + len(segment.blocks)]
            position += len(segment.blocks)

    peak = _peak_memory(read)
    assert position == len(whole)
    assert peak < 1 << 20  # held whole, a run took several MiB


@pytest.mark.parametrize(
    ("unit", "words", "least_blocks"),
    [
        ("word ", 80_000, 2),
        ("Una publicación compartida de Ann (@ann) ", 0, 9000),  # a post every 40 characters
        ("<p>Words of a post.</p>", 17_391, 17_391),  # a block every 23
        ("<div>", 0, 2),  # nested, with no space to cut at: kept as written, as a block of markup alone is
    ],
)
def test_a_line_longer_than_any_paragraph_is_read_in_pieces(
    unit: str, words: int, least_blocks: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every word is kept; one such line read whole held 20 to 30 times its size in records."""
    text = " date 2021-10-21 " + unit * (400_000 // len(unit)) + "\n\nEnd."
    monkeypatch.setattr(at, "LINE_CUT_CHARS", 1 << 14)
    counts: list[tuple[int, int]] = []  # of each segment: blocks, words

    def read() -> None:
        for segment in at.parse_article_segments(text, size=1 << 12):
            paragraphs = " ".join(block.text for block in segment.blocks if block.kind == "paragraph").split()
            counts.append((len(segment.blocks), paragraphs.count("word") + paragraphs.count("Words")))

    assert _peak_memory(read) < 1536 << 10  # read whole: 2 to 9 MiB
    assert len(counts) > 40
    assert sum(words for _, words in counts) == words
    assert sum(blocks for blocks, _ in counts) >= least_blocks


def test_a_segment_has_a_size() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        next(at.parse_article_segments("Text.", size=-1))


def test_a_huge_article_tells_its_usual_gap_from_its_first_blocks() -> None:
    lines = "\n".join(f"Line {i} of the article." for i in range(3000))  # one newline apart: the usual gap is 1
    text = f" date 2021-10-21\n{lines}\nFerry is back\n\n\n\nQueue goes round\n— Ann (@ann) May 2, 2022"
    blocks = [block for segment in at.parse_article_segments(text, size=1 << 12) for block in segment.blocks]
    assert blocks == list(parse_article(text).blocks)
    assert blocks[-1].text == "Ferry is back Queue goes round"  # blocks parted by gaps wider than the usual


# ---------------------------------------------------------------------------
# The article's computed keys
# ---------------------------------------------------------------------------

LANGUAGES_SAMPLE = HERE / "samples" / "14_languages_and_boilerplate.txt"
SAME_SITE_SAMPLE = HERE / "samples" / "15_same_site_other_story.txt"
COPY_SAMPLE = HERE / "samples" / "16_syndicated_copy.txt"
# The blocks that samples 14 and 15, of one site, share.
BOILERPLATE = {
    "Anzeige",
    "Newsletter abonnieren: Die wichtigsten Nachrichten der Inseln jeden Morgen in Ihrem Postfach.",
    "Teilen Sie diesen Artikel",
}


def json_output(capsys: pytest.CaptureFixture[str], argv: list[str]) -> list[dict[str, Any]]:
    """The records (or, with -f json, the articles) that ``main(argv)`` writes."""
    main(argv)
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


@pytest.mark.parametrize(
    ("text", "same"),
    [
        ("Sign up for our daily newsletter", "SIGN UP  for our daily\tnewsletter "),
        ("Straße gesperrt", "STRASSE GESPERRT"),
        ("Read more: the vote", "\nRead  more:\u00a0the vote"),
    ],
)
def test_a_blocks_hash_is_the_same_however_it_is_cased_or_spaced(text: str, same: str) -> None:
    assert at.text_hash(text) == at.text_hash(same)


@pytest.mark.parametrize(("text", "other"), [("Advertisement", "Advertisements"), ("a b", "ab"), ("", " x")])
def test_different_texts_hash_apart(text: str, other: str) -> None:
    assert at.text_hash(text) != at.text_hash(other)


def test_only_short_texts_are_kept_for_their_hashes_second_use() -> None:
    at._cached_text_hash.cache_clear()
    huge, short = "word " * 100_000, "Sign up for our newsletter"
    assert at._block_hash(huge) == at.text_hash(huge)
    assert at._block_hash(short) == at.text_hash(short)
    assert at._cached_text_hash.cache_info().currsize == 1  # the short one only: the cache holds its texts


def test_hash_gives_each_block_its_hash_and_each_article_its_fingerprint(capsys: pytest.CaptureFixture[str]) -> None:
    records = json_output(capsys, ["-f", "jsonl", "--hash", str(LANGUAGES_SAMPLE), str(SAME_SITE_SAMPLE)])
    assert list(records[0])[-2:] == ["fingerprint", "hash"]
    assert all(record["hash"] == at.hash_text(at.text_hash(record["text"])) for record in records)
    assert all(len(record["hash"]) == 16 and int(record["hash"], 16) for record in records)
    fingerprints: dict[str, set[str]] = {}
    for record in records:
        fingerprints.setdefault(record["file"], set()).add(record["fingerprint"])
    assert [len(found) for found in fingerprints.values()] == [1, 1]  # one an article
    assert len(set.union(*fingerprints.values())) == 2


@needs_shared
def test_the_corpus_variants_have_their_bases_fingerprint(capsys: pytest.CaptureFixture[str]) -> None:
    variants = sorted((CORPUS / "variants").glob("*.txt"))
    bases = [CORPUS / f"{variant.name.split('__')[0]}.txt" for variant in variants]
    documents = json_output(capsys, ["-f", "json", "--fields", "file,fingerprint", *map(str, bases + variants)])
    fingerprints = {document["file"]: document["fingerprint"] for document in documents}
    assert len(variants) == 11
    assert [fingerprints[str(variant)] for variant in variants] == [fingerprints[str(base)] for base in bases]
    assert len({fingerprints[str(base)] for base in bases}) == len(bases)


@needs_shared
def test_repeated_names_each_corpus_variant_a_copy_of_its_base(capsys: pytest.CaptureFixture[str]) -> None:
    variants = sorted((CORPUS / "variants").glob("*.txt"))
    bases = sorted(CORPUS.glob("*.txt"))
    documents = json_output(
        capsys, ["-f", "json", "--repeated", "2", "--fields", "id,duplicate_of", *map(str, bases + variants)]
    )
    copies = {document["id"]: document["duplicate_of"] for document in documents if document["duplicate_of"]}
    assert copies == {str(variant): str(CORPUS / f"{variant.name.split('__')[0]}.txt") for variant in variants}


@needs_shared
@pytest.mark.parametrize("languages", ["de", "en,ru", "ja"])
def test_lang_keeps_the_corpus_articles_in_its_languages(languages: str, capsys: pytest.CaptureFixture[str]) -> None:
    pages = {
        str(CORPUS / record["file"]): record["lang"].replace("_", "-").split("-")[0].lower()
        for record in accuracy.truth()
        if record.get("lang") and not record.get("variant")
    }
    documents = json_output(capsys, ["-f", "json", "--fields", "file", f"--lang={languages}", *pages])
    assert sorted(document["file"] for document in documents) == sorted(
        path for path, lang in pages.items() if lang in languages.split(",")
    )


@needs_shared
@pytest.mark.parametrize(("since", "until"), [("2019", "2020-06"), ("2015-03-10", None), (None, "2016")])
def test_since_and_until_keep_the_corpus_articles_of_their_range(
    since: str | None, until: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = {CORPUS / record["file"]: record["date"] for record in accuracy.truth() if not record.get("variant")}
    low, high = at.date_bound(since or "0001", end=False), at.date_bound(until or "9999", end=True)
    expected = sorted(str(path) for path, date in pages.items() if date and low <= date <= high)
    bounds = [*(["--since", since] if since else []), *(["--until", until] if until else [])]
    documents = json_output(capsys, ["-f", "json", "--require-date", *bounds, "--fields", "file", *map(str, pages)])
    assert sorted(document["file"] for document in documents) == expected
    assert 0 < len(expected) < len(pages)


def test_lang_tells_the_articles_language_and_each_posts(capsys: pytest.CaptureFixture[str]) -> None:
    records = json_output(capsys, ["-f", "jsonl", "--lang", "--", str(LANGUAGES_SAMPLE)])
    assert list(records[0])[-2:] == ["lang", "post_lang"]
    assert {record["lang"] for record in records} == {"de"}
    assert {record["handle"]: record["post_lang"] for record in records if record["kind"] == "quote"} == {
        "northsealines": "en",
        "martaruiz": "es",
        "puteshestviya": "ru",
        "jpetersen": None,  # 'Endlich!': too short to tell
    }
    assert {record["post_lang"] for record in records if record["kind"] != "quote"} == {None}


def test_a_post_in_its_articles_language_is_taken_so_in_a_close_call() -> None:
    # detect_fast puts this English post nearest to English, and German 44 farther: no close call.
    assert at.language("Closed until further notice, stay safe everyone.", prefer="de") == "en"
    # Nearest to French, English 11 farther: the English article decides.
    post = "Senate resolves to: Observe a minute silence in honour of the departed souls."
    assert at.language(post) == "fr"
    assert at.language(post, prefer="en") == "en"


@pytest.mark.parametrize(("languages", "kept"), [("de", ["14"]), ("en", ["01"]), ("de,en", ["01", "14"]), ("fr", [])])
def test_lang_with_a_list_keeps_the_articles_in_those_languages(
    languages: str, kept: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = [str(HERE / "samples" / "01_harbour_ferry.txt"), str(LANGUAGES_SAMPLE)]
    assert main(["-f", "json", "--fields", "file", f"--lang={languages}", "--progress", *inputs]) == 0
    output = capsys.readouterr()
    assert [Path(line.split('"')[3]).name[:2] for line in output.out.splitlines()] == kept
    left_out = 2 - len(kept)
    assert (f"{left_out} article{'s' * (left_out > 1)} left out" in output.err) == bool(left_out)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--lang=xx"], "argument --lang: languages not told: xx"),
        (["--lang", "a.txt"], "to read a file right after --lang, write --lang -- FILE"),
        (["--repeated", "1"], "argument --repeated: must be 2 or more"),
        (["--fields", "text,repeated"], "the keys repeated and duplicate_of need --repeated N"),
        (["--since", "2021-13"], "argument --since: month must be in 1..12"),
        (["--until", "21-10"], "not a date as YYYY, YYYY-MM or YYYY-MM-DD: '21-10'"),
        (["--since", "2022", "--until", "2021-06"], "--since 2022-01-01 is after --until 2021-06-31"),
    ],
)
def test_the_new_options_values_are_checked(
    argv: list[str], message: str, article_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, str(article_file)])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_lang_without_resiliparse_says_how_to_install_it(
    article_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "resiliparse.parse.lang", None)  # as if it were not installed
    at._language_detector.cache_clear()
    try:
        assert main(["--lang", "--", str(article_file)]) == 2
    finally:
        at._language_detector.cache_clear()
    assert capsys.readouterr().err == (
        "article-tool: language detection needs resiliparse: pip install 'article-tool[lang]'\n"
    )


@pytest.mark.parametrize(
    ("date", "since", "until", "kept"),
    [
        ("2021-10-21", "2021-10-21", None, True),
        ("2021-10-20", "2021-10-21", None, False),
        ("2021-10", "2021-10-15", None, True),  # a month overlapping the range
        ("2021-10", "2021-11", None, False),
        ("2021-10", None, "2021-10-01", True),
        ("2021-09-30", None, "2021-09", True),  # a month as a bound: to its last day
        ("2021-10-01", None, "2021-09", False),
        ("2021-12-31", "2021", "2021", True),
        ("2022-01-01", None, "2021", False),
    ],
)
def test_since_and_until_keep_the_articles_of_their_range(
    date: str, since: str | None, until: str | None, kept: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.txt"
    path.write_text(f" date {date} A paragraph of the article.\n", encoding="utf-8")
    bounds = [*(["--since", since] if since else []), *(["--until", until] if until else [])]
    assert main([*bounds, "--fields", "date", str(path)]) == 0
    assert capsys.readouterr().out == (f"{date}\n" if kept else "")


@pytest.mark.parametrize(("argv", "kept"), [([], True), (["--require-date"], False), (["--since", "2020"], True)])
def test_an_undated_article_is_kept_unless_a_date_is_required(
    argv: list[str], kept: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.txt"
    path.write_text("A paragraph without a header.\n", encoding="utf-8")
    assert main([*argv, "--fields", "text", str(path)]) == (1 if kept else 0)  # undated: a warning, if kept
    assert bool(capsys.readouterr().out) == kept


def test_an_article_out_of_the_range_is_not_parsed_past_its_header(
    article_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def never(*args: object) -> None:
        raise AssertionError("the body was parsed")

    monkeypatch.setattr(at, "_whole_article", never)
    monkeypatch.setattr(at, "parse_article_segments", never)
    assert main(["--since", "2022", str(article_file)]) == 0
    assert capsys.readouterr().out == ""
    assert main(["--until", "2022", str(article_file)]) == 2  # in the range: parsed (and failed so)
    assert "the body was parsed" in capsys.readouterr().err


def test_repeated_marks_every_copy_of_a_block_met_in_n_files(capsys: pytest.CaptureFixture[str]) -> None:
    records = json_output(capsys, ["-f", "jsonl", "--repeated", "2", str(LANGUAGES_SAMPLE), str(SAME_SITE_SAMPLE)])
    assert list(records[0])[-2:] == ["duplicate_of", "repeated"]
    assert {record["text"] for record in records if record["repeated"]} == BOILERPLATE
    assert sum(record["repeated"] for record in records) == 2 * len(BOILERPLATE)  # the first file's too
    assert {record["duplicate_of"] for record in records} == {None}
    records = json_output(capsys, ["-f", "jsonl", "--repeated", "3", str(LANGUAGES_SAMPLE), str(SAME_SITE_SAMPLE)])
    assert not any(record["repeated"] for record in records)


def test_duplicate_of_names_the_first_article_with_the_same_body(capsys: pytest.CaptureFixture[str]) -> None:
    inputs = [str(LANGUAGES_SAMPLE), str(SAME_SITE_SAMPLE), str(COPY_SAMPLE)]
    documents = json_output(capsys, ["-f", "json", "--repeated", "2", "--fields", "id,duplicate_of", *inputs])
    assert documents == [
        {"id": inputs[0], "duplicate_of": None},
        {"id": inputs[1], "duplicate_of": None},
        {"id": inputs[2], "duplicate_of": inputs[0]},
    ]


def test_repeated_reads_standard_input_twice(monkeypatch: pytest.MonkeyPatch, capsysbinary: Any) -> None:
    def run(argv: list[str], stdin: bytes) -> bytes:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        main(["--repeated", "2", "--fields", "file,repeated,duplicate_of,text", *argv])
        output: bytes = capsysbinary.readouterr().out
        return output

    inputs = [str(LANGUAGES_SAMPLE), str(SAME_SITE_SAMPLE), str(COPY_SAMPLE)]
    expected = run(inputs, b"")
    assert run(["--files-from", "-"], "\n".join(inputs).encode()) == expected
    as_input = run(["-", *inputs[1:]], LANGUAGES_SAMPLE.read_bytes())
    assert as_input == expected.replace(inputs[0].encode(), b"-")


def test_repeated_gives_the_same_output_with_jobs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: Any
) -> None:
    monkeypatch.setattr(at, "CHUNK_FILES", 2)  # many chunks, in the workers too (forked)
    copies = []
    for index in range(12):
        copy = tmp_path / f"{index:02d}.txt"
        copy.write_bytes((LANGUAGES_SAMPLE, SAME_SITE_SAMPLE, COPY_SAMPLE)[index % 3].read_bytes())
        copies.append(str(copy))
    outputs = []
    for jobs in ("1", "2", "3"):
        main(["-f", "jsonl", "--repeated", "5", "--hash", "-j", jobs, *copies])
        outputs.append(capsysbinary.readouterr().out)
    assert outputs[0] == outputs[1] == outputs[2]
    records = [json.loads(line) for line in outputs[0].splitlines()]
    # Met in 8 files: the boilerplate (in every one), and sample 14's blocks (in its copies and the syndicated's).
    assert {record["hash"] for record in records if record["repeated"]} == {
        at.hash_text(at.text_hash(text)) for text in BOILERPLATE
    } | {record["hash"] for record in records if record["file"] == copies[0]}
    assert {record["duplicate_of"] for record in records if record["file"] in copies[3:]} == {copies[0], copies[1]}


@pytest.mark.parametrize("output_format", ["jsonl", "json", "tsv"])
def test_a_huge_articles_computed_keys_are_the_whole_articles(
    output_format: str, monkeypatch: pytest.MonkeyPatch, capsysbinary: Any
) -> None:
    argv = ["-f", output_format, "--lang", "--hash", "--repeated", "2", "--"]
    argv += [str(LANGUAGES_SAMPLE), str(SAME_SITE_SAMPLE), str(COPY_SAMPLE)]
    main(argv)
    whole = capsysbinary.readouterr().out
    monkeypatch.setattr(at, "LARGE_ARTICLE_CHARS", 500)  # each parsed a segment at a time, in both passes
    monkeypatch.setattr(at, "SEGMENT_CHARS", 600)
    main(argv)
    assert capsysbinary.readouterr().out == whole


def test_the_tally_counts_each_hash_up_to_its_cap_in_about_twelve_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(at, "TALLY_START_SLOTS", 8)
    tally = at._Tally(cap=3)
    values = [at.text_hash(str(number)) for number in range(10_000)]
    counts = [tally.add(value) for times in range(5) for value in values[: 2_000 * (times + 1)]]
    # The first 2,000 met five times, the last 2,000 once; each add says the count so far, up to the cap.
    assert counts[:2_000] == [1] * 2_000
    assert counts[20_000:22_000] == [3] * 2_000  # the first 2,000 in the fifth round: capped
    assert counts[-2_000:] == [1] * 2_000
    assert [tally.count(value) for value in (values[0], values[5_999], values[6_000], values[-1])] == [3, 3, 2, 1]
    assert list(tally.at_least(3)) == sorted(values[:6_000])
    assert list(tally.at_least(1)) == sorted(values)
    assert (len(tally.keys) * tally.keys.itemsize + len(tally.counts) * tally.counts.itemsize) / len(values) <= 30


# ---------------------------------------------------------------------------
# Formats
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        (None, ""),
        (3, "3"),
        ("plain", "plain"),
        ("a\tb", "a\\tb"),
        ("a\nb\rc", "a\\nb\\rc"),
        ("back\\slash", "back\\\\slash"),
        ("\x1b[31mred", "\\x1b[31mred"),
        ("\x85next line", "\\x85next line"),
    ],
)
def test_tsv_escape(value: object, escaped: str) -> None:
    assert at.tsv_escape(value) == escaped


@given(st.text())
def test_tsv_escape_round_trips_and_never_breaks_a_line(value: str) -> None:
    escaped = at.tsv_escape(value)
    assert "\t" not in escaped
    assert "\n" not in escaped
    assert "\r" not in escaped
    assert at.tsv_unescape(escaped) == value


def test_an_unknown_format_is_refused() -> None:
    article = parse_article(" date 2021-10-21 Body.")
    with pytest.raises(at.ArticleToolError, match="unknown output format 'csv'"):
        at.render("a.txt", article, at.Options(output_format="csv"))


def test_text_view_never_passes_control_characters() -> None:
    article = parse_article(" date 2021-01-01 Evil \x1b]0;title\x07 text \x1b[2J and \u202e reversed.")
    view = at.format_text("a\x1bfile.txt", article, article.blocks)
    assert "\x1b" not in view
    assert "\x07" not in view
    assert "\u202e" not in view
    assert "\\x1b" in view


def test_escaping_control_characters_takes_no_more_memory_than_the_result() -> None:
    field = "\x01" * 2_000_000
    escaped: list[str] = []
    peak = _peak_memory(lambda: escaped.append(at.tsv_escape(field)))
    assert escaped == ["\\x01" * 2_000_000]
    assert peak < 3 * len(escaped[0])  # the result, and a little; a substitution by function took 80 a character


@pytest.fixture
def article_file(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text(
        f" date 2021-10-21 Film crew returns to Earth after twelve days\n\n{PARAGRAPHS[0]}\n\nSection heading\n\n"
        f"{PARAGRAPHS[1]}\n\n{SEED_TWEET}\n"
    )
    return path


def test_cli_tsv_default(article_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-f", "tsv", str(article_file)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "2021-10-21\ttitle\t1\tFilm crew returns to Earth after twelve days"
    assert [line.split("\t")[1] for line in lines] == ["title", "paragraph", "heading", "paragraph", "quote"]


def test_cli_tsv_file_column_fields_and_header(article_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-f", "tsv", str(article_file), str(article_file)]) == 0
    assert capsys.readouterr().out.splitlines()[0].split("\t")[0] == str(article_file)
    assert main(["-f", "tsv", "--no-filename", str(article_file), str(article_file)]) == 0
    assert capsys.readouterr().out.splitlines()[0].split("\t")[0] == "2021-10-21"
    assert main(["-f", "tsv", "-H", str(article_file)]) == 0
    assert capsys.readouterr().out.splitlines()[0].split("\t")[0] == str(article_file)
    assert main(["-f", "tsv", "--header", "--fields", "handle,posted,section", "-k", "quote", str(article_file)]) == 0
    assert capsys.readouterr().out.splitlines() == ["handle\tposted\tsection", "roscosmos\t2021-10-17\tSection heading"]


def test_cli_jsonl_records(article_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-f", "jsonl", str(article_file)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["n"] for r in records] == [1, 2, 3, 4, 5]
    for record in records:
        assert {"file", "date", "kind", "n", "section", "text"} <= record.keys()
    quote = records[-1]
    assert {k: quote[k] for k in at.QUOTE_KEYS} == {
        "platform": "twitter",
        "author": "РОСКОСМОС",
        "handle": "roscosmos",
        "community": None,
        "posted": "2021-10-17",
        "posted_datetime": None,
        "url": "https://pic.twitter.com/9P6yv4jCZx",
        "post_id": None,  # a picture's link names no post
    }
    assert quote["section"] == "Section heading"


def test_cli_json_one_object_per_article(article_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-f", "json", "-k", "quote,heading", str(article_file), str(article_file)]) == 0
    documents = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(documents) == 2
    assert documents[0]["date"] == "2021-10-21"
    assert [b["kind"] for b in documents[0]["blocks"]] == ["heading", "quote"]
    assert [b["n"] for b in documents[0]["blocks"]] == [3, 5]


@pytest.mark.parametrize("output_format", ["jsonl", "json"])
@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--lang", "--hash", "--repeated", "2"],
        ["--fields", "id,hash,kind,text,repeated,post_lang", "--repeated", "3"],
        ["--fields", "file,lang,fingerprint"],
    ],
    ids=["every key", "every computed key", "some keys", "the article's keys"],
)
def test_every_record_of_the_samples_holds_to_the_schema(
    output_format: str, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    import jsonschema

    assert main(["--schema", "-f", output_format, *argv]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    main(["-f", output_format, *argv, "--", *map(str, SAMPLES)])
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) > (100 if output_format == "jsonl" else len(SAMPLES) - 1)
    for record in records:
        validator.validate(record)
    assert not validator.is_valid({**records[0], "extra": 1})


@pytest.mark.parametrize(
    ("fields", "article_keys", "block_keys"),
    [
        ("text,kind,n", [], ["text", "kind", "n"]),
        ("id,date,kind,text", ["id", "date"], ["kind", "text"]),
        ("kind,hash,id,lang", ["id", "lang"], ["kind", "hash"]),
        ("id,fingerprint", ["id", "fingerprint"], []),
    ],
)
def test_fields_selects_the_json_formats_keys_in_their_order(
    fields: str, article_keys: list[str], block_keys: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    records = json_output(capsys, ["-f", "jsonl", "--fields", fields, str(LANGUAGES_SAMPLE)])
    assert len(records) == 15
    assert {tuple(record) for record in records} == {tuple(fields.split(","))}
    (document,) = json_output(capsys, ["-f", "json", "--fields", fields, str(LANGUAGES_SAMPLE)])
    assert list(document) == article_keys + (["blocks"] if block_keys else [])
    assert [list(block) for block in document.get("blocks", [])] == [block_keys] * (15 if block_keys else 0)


def test_a_posts_id_is_its_links(capsys: pytest.CaptureFixture[str]) -> None:
    quotes = [parse_article(MARKUP_HEAD + MARKUP[platform]).blocks[1] for platform in MARKUP]
    assert {quote.platform: quote.post_id for quote in quotes} == {
        "twitter": "1449",
        "instagram": "ByzVwmRB0gM",
        "tiktok": "7123",
        "bluesky": "3lbxyz",
        "facebook": "123",
        "threads": "C1abc",
        "mastodon": "1123",
        "reddit": "abc",
        "youtube": "dQw4w9WgXcQ",
        "telegram": "43",
    }


@pytest.fixture(scope="module")
def engine_inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """JSON Lines and TSV (with its header) of 25,000 paragraphs, then the samples: more paragraphs
    before the first quote than DuckDB reads (20,480) to tell the columns."""
    folder = tmp_path_factory.mktemp("engines")
    prose = folder / "prose.txt"
    prose.write_text(" date 2021-10-21 " + "\n\n".join(f'"Quoted" paragraph {i}, with words.' for i in range(25_000)))
    inputs = [str(prose), *map(str, SAMPLES)]
    tsv_options = ["--header", "--fields", ",".join(at.RECORD_KEYS)]
    for name, options in (("all.jsonl", ["-f", "jsonl"]), ("all.tsv", ["-f", "tsv", *tsv_options])):
        with open(folder / name, "wb") as output:
            subprocess.run(
                [sys.executable, str(HERE / "article_tool.py"), *options, *inputs], stdout=output, check=False
            )
    return folder / "all.jsonl", folder / "all.tsv"


def test_duckdb_reads_every_column_of_the_json_lines_and_writes_parquet(engine_inputs: tuple[Path, Path]) -> None:
    import duckdb

    jsonl, _ = engine_inputs
    # The README's commands, as written there. (DuckDB 2 types a key that is null in all of the records it
    # samples as NULL, and its values after them are lost: the whole file is read to type the columns.)
    table = duckdb.execute(f"SELECT * FROM read_json('{jsonl}', sample_size = -1)")
    assert [column[0] for column in table.description] == list(at.RECORD_KEYS)
    quotes = duckdb.execute(
        f"SELECT platform, handle, section FROM read_json('{jsonl}', sample_size = -1) WHERE kind = 'quote'"
    ).fetchall()
    expected = [json.loads(line) for line in jsonl.read_text().splitlines()]
    assert quotes == [(r["platform"], r["handle"], r["section"]) for r in expected if r["kind"] == "quote"]
    assert len(quotes) > 40
    parquet = jsonl.with_suffix(".parquet")
    duckdb.execute(f"COPY (SELECT * FROM read_json('{jsonl}', sample_size = -1)) TO '{parquet}'")
    counts = duckdb.execute(f"SELECT count(*), count(platform) FROM '{parquet}'").fetchall()
    assert counts == [(len(expected), len(quotes))]


def test_duckdb_finds_boilerplate_and_copies_by_their_hashes(tmp_path: Path) -> None:
    import duckdb

    jsonl = tmp_path / "blocks.jsonl"
    inputs = [str(LANGUAGES_SAMPLE), str(SAME_SITE_SAMPLE), str(COPY_SAMPLE)]
    with open(jsonl, "wb") as output:
        subprocess.run([sys.executable, str(HERE / "article_tool.py"), "--hash", "-f", "jsonl", *inputs], stdout=output)
    # The README's queries, as written there.
    boilerplate = duckdb.execute(
        f"SELECT any_value(text) AS text, count(DISTINCT id) AS files FROM read_json('{jsonl}') "
        "GROUP BY hash HAVING files >= 3 ORDER BY files DESC, text"
    ).fetchall()
    assert boilerplate == [(text, 3) for text in sorted(BOILERPLATE)]
    copies = duckdb.execute(
        f"SELECT list(DISTINCT id ORDER BY id) AS copies FROM read_json('{jsonl}') "
        "GROUP BY fingerprint HAVING count(DISTINCT id) > 1"
    ).fetchall()
    assert copies == [([inputs[0], inputs[2]],)]


def test_polars_and_pandas_read_the_records_whole(engine_inputs: tuple[Path, Path]) -> None:
    import pandas
    import polars

    jsonl, tsv = engine_inputs
    records = [json.loads(line) for line in jsonl.read_text().splitlines()]
    texts = [record["text"] for record in records]
    # (polars types a key null in its first 100 records as Null, then fails on a value: all are read to type.)
    loaded = polars.read_ndjson(jsonl, infer_schema_length=None)
    assert loaded.columns == list(at.RECORD_KEYS)
    assert loaded.to_dicts() == records
    # The README's readers of the TSV: no quoting (texts may start with '"'), every field a string.
    frame = polars.read_csv(tsv, separator="\t", quote_char=None, infer_schema=False, empty_string_is_null=False)
    assert frame.columns == list(at.RECORD_KEYS)
    assert [at.tsv_unescape(text) for text in frame["text"]] == texts
    table = pandas.read_csv(tsv, sep="\t", quoting=csv.QUOTE_NONE, dtype=str, keep_default_na=False)
    assert [at.tsv_unescape(text) for text in table["text"]] == texts


def test_cli_text_view(article_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["-f", "text", str(article_file)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "— РОСКОСМОС (@roscosmos) · twitter · 2021-10-17" in out
    assert main(["-f", "text", "--color", "always", str(article_file)]) == 0
    assert "\x1b[1m" in capsys.readouterr().out


def test_text_view_wraps_to_the_terminal(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    article = parse_article(" date 2021-10-21 " + "word " * 60 + "\n\n" + SEED_TWEET)
    view = at.format_text("a.txt", article, article.blocks, width=40)
    assert max(len(line) for line in view.splitlines()) <= 40
    assert view.split() == at.format_text("a.txt", article, article.blocks).split()


WIDE_ARTICLE = (
    " date 2021-10-21 日本の映画チームが国際宇宙ステーションで十二日間を過ごし、日曜日の朝に地球へ戻った映画の話\n\n"
    "日本の映画チームが国際宇宙ステーションで十二日間を過ごし、日曜日の朝に地球へ戻った。これは宇宙で撮影された最初の長編映画になる。\n\n"
    "Launch day 🚀🚀🚀 at the harbour with everyone there 🎉🎉 and a great many more words to wrap around the line.\n\n"
    "עברית טקסט ארוך מאוד שצריך לעטוף בשורות רבות כדי לבדוק את העטיפה של השורות בתצוגה.\n\n"
    "A heading that runs long enough to need wrapping at forty columns\n\n"
    "And a paragraph after it, so that the line above is a heading of this short article here.\n\n" + SEED_TWEET
)


@pytest.mark.parametrize("width", [40, 80, 140])
def test_the_text_view_wraps_by_display_width(width: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "wide.txt"
    path.write_text(WIDE_ARTICLE)
    assert main(["-f", "text", "--width", str(width), str(path)]) == 0
    view = capsys.readouterr().out
    assert max(at._columns(line) for line in view.splitlines()) <= width
    unwrapped = at.format_text(str(path), parse_article(WIDE_ARTICLE), parse_article(WIDE_ARTICLE).blocks)
    assert "".join(view.split()) == "".join(unwrapped.split())  # nothing lost, every character in order


def test_the_text_view_wraps_a_huge_paragraph_in_memory_of_its_size() -> None:
    # str.split of the paragraph, then a string for each line, took 14 times its size.
    article = parse_article(" date 2021-10-21 " + "word " * 400_000)
    view = at.format_text("p", article, article.blocks, width=80)
    assert max(map(len, view.splitlines())) <= 80
    assert view.count("word") == 400_000
    assert _peak_memory(lambda: at.format_text("p", article, article.blocks, width=80)) < 3 * len(view)


def test_the_text_view_shows_only_what_the_filter_keeps(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text(" date 2021-10-21 No post in here, only prose.")
    (tmp_path / "b.txt").write_text(
        " date 2021-10-21 Intro.\n\npic.twitter.com/AbCdEfGh12 — Ann Lee (@annlee) May 2, 2022\n\n"
        "Section heading\n\nA paragraph after the heading, long enough to be read as a paragraph."
    )
    assert main(["-f", "text", "-k", "quote", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]) == 0
    view = capsys.readouterr().out
    assert "a.txt" not in view  # nothing to show, no header
    assert "> https://" not in view
    assert "   2  > pic.twitter.com/AbCdEfGh12" in view
    assert main(["-f", "text", str(tmp_path / "b.txt")]) == 0
    assert "   3  ## Section heading" in capsys.readouterr().out  # headings keep their number


def test_control_characters_never_reach_the_terminal(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "evil\x1b[2J.txt"
    path.write_text(" date 2021-10-21 Title \x1b]0;pwned\x07\n\nText \x1b[31mred\x9b1m and \u202egnp.exe")
    assert main(["-f", "text", str(path)]) == 0
    out = capsys.readouterr().out
    assert not set(out) & {"\x1b", "\x07", "\x9b", "\u202e"}


def test_file_names_show_losslessly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = os.fsencode(tmp_path)
    for name in (b"x\xff.txt", b"x\xfe.txt"):  # no UTF-8: os.fsdecode makes surrogates of them
        descriptor = os.open(folder + b"/" + name, os.O_WRONLY | os.O_CREAT)
        os.write(descriptor, b" date 2021-10-21 Text.")
        os.close(descriptor)
    assert main(["-f", "tsv", "--fields", "file", "-r", "--glob", "x*", str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines() == [f"{tmp_path}/x\\xfe.txt", f"{tmp_path}/x\\xff.txt"]
    assert main(["-f", "jsonl", "-r", "--glob", "x*", str(tmp_path)]) == 0
    names = [os.fsencode(json.loads(line)["file"]) for line in capsys.readouterr().out.splitlines()]
    assert names == [folder + b"/x\xfe.txt", folder + b"/x\xff.txt"]
    assert main(["-f", "tsv", str(tmp_path / "a\nb\x1b[31m.txt")]) == 2
    assert capsys.readouterr().err == f"article-tool: {tmp_path}/a\\nb\\x1b[31m.txt: No such file or directory\n"


# ---------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------


FRENCH = " date 2020-01-01 Le crème brûlée était délicieuse, très légère. « Bientôt », dit l'élève.\n"


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (FRENCH.encode("latin-1"), FRENCH),
        (FRENCH.encode("cp1252"), FRENCH),
        (" date 2020-01-01 “Smart quotes” – en dash — em dash, 5 €.".encode("cp1252"), None),
        (" date 2020-01-01 Полностью обеспечить регион мясом птицы нам удалось.".encode("cp1251"), None),
        (" date 2020-01-01 Zażółć gęślą jaźń. Łódź i Kraków są pięknymi miastami.".encode("cp1250"), None),
        ("\ufeff date 2020-01-01 Mit BOM: Grüße.".encode("utf-16-le"), None),
        ("\ufeff date 2020-01-01 Mit BOM: Grüße.".encode("utf-16-be"), None),
        ("\ufeff date 2020-01-01 Mit BOM: Grüße.".encode(), None),
    ],
)
def test_legacy_encodings_and_boms_decode_right(data: bytes, text: str | None) -> None:
    decoded, warnings = at.decode_bytes(data)
    assert warnings == []
    for codec in ("latin-1", "cp1252", "cp1251", "cp1250", "utf-16", "utf-8"):
        try:
            expected = text or data.decode(codec)
        except UnicodeDecodeError:
            continue
        if at.normalize_newlines(decoded) == at.normalize_newlines(expected).lstrip("\ufeff"):
            break
    else:
        pytest.fail(f"decoded as {decoded!r}")


def test_undecodable_bytes_are_replaced_with_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "damaged.txt"
    path.write_bytes(" date 2020-01-01 Grüße aus Köln, schöne Straße ".encode() + b"\xff\xfe and more.")
    assert main(["-f", "tsv", str(path)]) == 1
    captured = capsys.readouterr()
    assert "Grüße aus Köln" in captured.out
    assert "\ufffd" in captured.out
    assert f"article-tool: {path}: bytes not valid in UTF-8 replaced with U+FFFD" in captured.err


@settings(max_examples=50, deadline=None)
@given(st.binary(min_size=1, max_size=200).map(lambda b: b.replace(b"\0", b"") + b" \x81\x98\x8d\x90"))
def test_undecodable_bytes_give_our_warning_only(data: bytes) -> None:
    import contextlib
    import logging

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logging.getLogger().addHandler(handler)  # what bs4 would log would land here
    try:
        with contextlib.redirect_stderr(io.StringIO()) as err:
            text, warnings = at.decode_bytes(b" date 2020-01-01 " + data)
    finally:
        logging.getLogger().removeHandler(handler)
    assert stream.getvalue() == ""
    assert err.getvalue() == ""
    assert not warnings or "\ufffd" in text or warnings[0].startswith("UTF-8 mixed with")


@pytest.mark.parametrize(
    ("data", "text", "warning"),
    [
        (
            "Café du monde, très bien. ".encode() + "Café crème, très léger.".encode("cp1252"),
            "Café du monde, très bien. Café crème, très léger.",
            "UTF-8 mixed with cp1252: each read where it stands",
        ),
        (
            b"Smile \xed\xa0\xbd\xed\xb8\x80 please.",  # U+1F600 as the surrogates D83D DE00, each in UTF-8
            "Smile \U0001f600 please.",
            "CESU-8: its surrogate pairs read as the characters they stand for",
        ),
    ],
)
def test_mixed_encodings_and_cesu8_read_each_part_right(data: bytes, text: str, warning: str) -> None:
    assert at.decode_bytes(data) == (text, [warning])


@pytest.mark.parametrize("utf8", ["", " ‘quoted’ "], ids=["legacy", "mixed"])
def test_bytes_that_are_not_utf8_decode_in_memory_that_grows_with_them_at_most_4_times(utf8: str) -> None:
    # Decoded whole with a surrogate for each bad byte, and its runs listed, a file took 20 times its size
    # more for each byte more. (The encoding is told from a sample, whose cost is the same at every size.)
    line = ("Café naïve déjà vu, " * 30).encode("cp1252") + utf8.encode() + b".\n\n"
    small, large = b" date 2021-10-21 " + line * 2000, b" date 2021-10-21 " + line * 4000
    grown = _peak_memory(lambda: at.decode_bytes(large)) - _peak_memory(lambda: at.decode_bytes(small))
    assert grown <= 4 * (len(large) - len(small))


def test_forced_encoding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "koi8.txt"
    path.write_bytes(" date 2020-01-01 Привет, мир.".encode("koi8_r"))
    assert main(["-f", "tsv", "--encoding", "koi8-r", str(path)]) == 0
    assert capsys.readouterr().out == "2020-01-01\tparagraph\t1\tПривет, мир.\n"


def test_utf32_with_its_byte_order_mark_is_not_read_as_utf16(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes(" date 2021-10-21 Wide text.".encode("utf-32"))
    assert main(["-f", "tsv", str(path)]) == 0
    assert capsys.readouterr().out == "2021-10-21\tparagraph\t1\tWide text.\n"


def test_utf16_without_a_byte_order_mark_is_read_when_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes(" date 2021-10-21 Wide text.".encode("utf-16-le"))
    assert main(["-f", "tsv", "--encoding", "utf-16-le", str(path)]) == 0
    assert capsys.readouterr().out == "2021-10-21\tparagraph\t1\tWide text.\n"


ARCHIVED = {
    "corpus/a.txt": b" date 2021-10-21 First article.",
    "corpus/b.txt.gz": gzip.compress(b" date 2021-10-22 Second article, compressed inside."),
    "corpus/notes.md": b"Not an article by its name.",
    "corpus/picture.txt": b"\x89PNG\r\n\x1a\n\x00\x00 binary",
}


def _tar(path: Path, members: dict[str, bytes], mode: Literal["w:gz", "w"] = "w:gz") -> Path:
    with tarfile.open(path, mode) as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize("make", [_tar, _zip], ids=["tar.gz", "zip"])
def test_an_archives_members_are_articles_named_archive_member(
    make: Callable[[Path, dict[str, bytes]], Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = make(tmp_path / "corpus.archive", ARCHIVED)
    # The binary member is an error, and the rest goes on; the glob chooses members as -r chooses files.
    assert main(["-f", "jsonl", "--glob", "*.txt*", str(archive), str(archive)]) == 2
    out, err = capsys.readouterr()
    records = [json.loads(line) for line in out.splitlines()]
    assert [(r["file"].split(":", 1)[1], r["id"] == r["file"], r["text"]) for r in records[:2]] == [
        ("corpus/a.txt", True, "First article."),
        ("corpus/b.txt.gz", True, "Second article, compressed inside."),
    ]
    assert len(records) == 4
    assert err.splitlines()[0] == f"article-tool: {archive}:corpus/picture.txt: binary file, skipped"
    assert main(["-f", "tsv", "--glob", "*.md", str(archive)]) == 1  # no date header: a warning
    assert capsys.readouterr().out == "\tparagraph\t1\tNot an article by its name.\n"


def test_jobs_spread_an_archives_members_and_write_what_one_job_writes(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    members = {f"{i:03d}.txt": f" date 2021-10-21 Article {i}.\n\nIts second paragraph.".encode() for i in range(300)}
    members["150.txt"] = b"\x00binary"
    members["151.txt"] = b"No header here."
    archive = _tar(tmp_path / "corpus.tar.gz", members)
    plain = tmp_path / "plain.txt"
    plain.write_text(" date 2021-10-21 A file after the archive.")
    monkeypatch.setattr(at, "_is_terminal", lambda stream: stream is sys.stderr)  # the summary line
    monkeypatch.setattr(at, "_is_regular_file", lambda stream: stream is sys.stdout)
    outputs = []
    for jobs in ("1", "2", "3"):
        assert main(["-f", "jsonl", "-j", jobs, str(archive), str(plain)]) == 2
        out, err = capsysbinary.readouterr()
        outputs.append(out)
        assert err.decode().rstrip().endswith("article-tool: 2 files, 598 records, 0 quotes, 0 without date, 1 error")
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0].count(b"\n") == 598


def test_an_archive_member_larger_than_any_article_is_named_and_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(at, "MEMBER_MAX_BYTES", 40)
    archive = _tar(tmp_path / "a.tar", {"big.txt": b" date 2021-10-21 " + b"word " * 20, "small.txt": b"Small."}, "w")
    assert main(["-f", "tsv", "-H", str(archive)]) == 2
    out, err = capsys.readouterr()
    assert out == f"{archive}:small.txt\t\tparagraph\t1\tSmall.\n"
    assert f"{archive}:big.txt: 117 bytes, more than any article: skipped" in err


def test_a_damaged_archive_says_so_and_keeps_what_came_before(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    whole = _tar(tmp_path / "a.tar.gz", {f"{i}.txt": f" date 2021-10-21 Article {i}.".encode() for i in range(30)})
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(whole.read_bytes()[: len(whole.read_bytes()) // 2])
    assert main(["-f", "tsv", str(cut), str(whole)]) == 2
    out, err = capsys.readouterr()
    assert out.count("\n") >= 30 + 1
    assert f"article-tool: {cut}: gzip data cut off" in err


def _warc_record(headers: dict[str, str], content: bytes) -> bytes:
    """A WARC 1.1 record, as the spec writes one, gzipped by itself as Common Crawl's are."""
    head = "".join(f"{name}: {value}\r\n" for name, value in {**headers, "Content-Length": str(len(content))}.items())
    return gzip.compress(b"WARC/1.1\r\n" + head.encode() + b"\r\n" + content + b"\r\n\r\n")


def _wet(path: Path, count: int = 3) -> Path:
    """A WET file of ``count`` conversion records of a few paragraphs each."""
    path.write_bytes(
        b"".join(
            _warc_record(
                {"WARC-Type": "conversion", "WARC-Record-ID": f"<urn:uuid:{i}>", "Content-Type": "text/plain"},
                f" date 2024-03-18 News {i}\n\nThe ferry came back after three winters.".encode(),
            )
            for i in range(count)
        )
    )
    return path


@pytest.mark.parametrize(
    "make",
    [
        functools.partial(_tar, members=ARCHIVED),
        functools.partial(_tar, members=ARCHIVED, mode="w"),
        functools.partial(_zip, members=ARCHIVED),
        _wet,
    ],
    ids=["tar.gz", "tar", "zip", "wet"],
)
def test_a_collection_on_standard_input_is_read_as_its_file_is(
    make: Callable[[Path], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: Any
) -> None:
    collection = make(tmp_path / "collection")
    main(["-f", "jsonl", "--glob", "*.txt*", str(collection)])
    by_name = capsysbinary.readouterr().out
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(collection.read_bytes())))
    main(["-f", "jsonl", "--glob", "*.txt*", "-"])
    from_stdin = capsysbinary.readouterr().out
    assert from_stdin.count(b"\n") >= 2
    assert from_stdin == by_name.replace(json.dumps(str(collection)).encode()[:-1] + b":", b'"-:')


def test_a_wet_files_conversion_records_are_articles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = [
        _warc_record({"WARC-Type": "warcinfo", "Content-Type": "application/warc-fields"}, b"software: test\r\n"),
        *(
            _warc_record(
                {
                    "WARC-Type": "conversion",
                    "WARC-Target-URI": f"https://example.com/news/{i}",
                    "WARC-Date": "2024-03-18T07:45:00Z",
                    "WARC-Record-ID": f"<urn:uuid:0000000{i}-0000-0000-0000-000000000000>",
                    "Content-Type": "text/plain",
                },
                f"Harbour news {i}\nThe ferry came back after three winters, and the town said so online.".encode(),
            )
            for i in range(3)
        ),
        _warc_record(
            {"WARC-Type": "response", "Content-Type": "application/http; msgtype=response"},
            b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nA plain text page, long enough to be prose.",
        ),
    ]
    wet = tmp_path / "CC-MAIN-1.warc.wet.gz"
    wet.write_bytes(b"".join(records))
    assert main(["-f", "jsonl", str(wet)]) == 1  # no date header in a crawled page's text: a warning
    got = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    first = ("<urn:uuid:00000000-0000-0000-0000-000000000000>", "https://example.com/news/0", "2024-03-18T07:45:00Z")
    assert [(r["id"], r["page_url"], r["crawl_date"], r["date"]) for r in got[:2]] == [(*first, None)] * 2
    assert [r["text"] for r in got[:2]] == [
        "Harbour news 0",
        "The ferry came back after three winters, and the town said so online.",
    ]
    assert [r["file"] for r in got] == [f"{wet}:{n}" for n in (2, 2, 3, 3, 4, 4, 5)]
    assert got[-1]["text"] == "A plain text page, long enough to be prose."


def test_a_warc_record_larger_than_any_article_is_skipped_and_the_next_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(at, "MEMBER_MAX_BYTES", 100)
    records = [b" date 2021-10-21 " + b"big " * 40, b" date 2021-10-21 Small."]
    wet = tmp_path / "a.warc"
    wet.write_bytes(b"".join(gzip.decompress(_warc_record({"WARC-Type": "conversion"}, data)) for data in records))
    assert main(["-f", "tsv", str(wet)]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == (
        "2021-10-21\tparagraph\t1\tSmall.\n",
        f"article-tool: {wet}:1: 177 bytes, more than any article: skipped\n",
    )


def test_a_stream_of_pieces_ends_only_at_their_end() -> None:
    # A decompressor may give an empty piece where a gzip member ends: the WET file of 3,000 records of
    # the benchmark stopped after a hundred, without a word.
    stream = io.BufferedReader(at._ChunkReader(iter([b"WARC/1.1\r\n", b"", b"rest", b"", b"", b" of it"])), 4)
    assert stream.read() == b"WARC/1.1\r\nrest of it"


@pytest.mark.parametrize(
    ("lines", "expected", "errors"),
    [
        (
            ['{"text": "First article.", "date": "2021-10-21", "url": "https://a.example/1"}', "", "not json", "[1]"],
            [("https://a.example/1", "2021-10-21", "First article.")],
            [":3: not JSON: ", ":4: no text in the field 'text'"],
        ),
        (['{"text": " date 2020-01-02 Own header.", "date": "2021-10-21"}'], [(":1", "2020-01-02", "Own header.")], []),
    ],
)
def test_json_lines_input_an_article_a_line(
    lines: list[str],
    expected: list[tuple[str, str, str]],
    errors: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(lines) + "\n")
    status = main(["-f", "jsonl", "--input-format", "jsonl", "--id-field", "url", str(path)])
    assert status == (2 if errors else 0)
    out, err = capsys.readouterr()
    got = [json.loads(line) for line in out.splitlines()]
    assert [(r["id"].replace(str(path), ""), r["date"], r["text"]) for r in got] == expected
    # Each bad line is its own error, FILE:LINE: what is wrong, and the file goes on.
    shown = [line.removeprefix(f"article-tool: {path}") for line in err.splitlines()]
    assert len(shown) == len(errors)
    assert all(message.startswith(error) for error, message in zip(errors, shown, strict=True))


def test_a_decompression_bomb_is_refused_before_it_stands_in_memory(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b" date 2021-10-21 " + b"a" * (200 << 20), compresslevel=1))

    def read() -> None:
        with pytest.raises(at.InputError, match="expands more than 200 times"):
            at.read_input(str(bomb))

    peak = _peak_memory(read)
    assert peak < at.DECOMPRESSED_FREE_BYTES + (32 << 20)  # what it may expand to freely, and the pieces


def test_plain_text_that_begins_like_bzip2_is_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bzh.txt"
    path.write_text(" date 2021-10-21 BZh9 is no archive, and neither is this.")
    assert main(["-f", "tsv", "--fields", "text", str(path)]) == 0
    assert capsys.readouterr().out == "BZh9 is no archive, and neither is this.\n"


def test_gzip_padded_with_zeros_is_read_as_gzip_reads_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "padded.txt.gz"
    path.write_bytes(gzip.compress(b" date 2021-10-21 Padded to a block.") + bytes(512))
    assert main(["-f", "tsv", "--fields", "text", str(path)]) == 0
    assert capsys.readouterr().out == "Padded to a block.\n"


@pytest.mark.parametrize(
    ("body", "text"),
    [
        (
            "See https://example.org/?q=x&not_found=1&para=2&copy=3 now",
            "See https://example.org/?q=x&not_found=1&para=2&copy=3 now",
        ),
        ("Tom &amp Jerry, and Tom &amp; Jerry", "Tom &amp Jerry, and Tom & Jerry"),
        ("Nine&#160;lives &#10 and more", "Nine lives and more"),
    ],
)
def test_entities_are_read_only_where_they_are_entities(body: str, text: str) -> None:
    """A name needs its ';' (a URL's '&para=' is none), in whatever company and at any size."""
    for company in ("", "\n\nAnother paragraph &amp; more."):
        assert parse_article(f" date 2021-10-21 {body}{company}").blocks[0].text == text
    huge = parse_article_segments_text(f" date 2021-10-21 {body}\n\n" + "Filler paragraph.\n\n" * 300_000)
    assert huge[0] == text


def parse_article_segments_text(text: str) -> list[str]:
    return [block.text for segment in at.parse_article_segments(text) for block in segment.blocks]


@pytest.mark.parametrize("kind", ["gz", "bz2", "xz", "zst"])
def test_compressed_inputs_are_read_by_their_first_bytes(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import bz2
    import lzma

    import zstandard

    compressors: dict[str, Callable[[bytes], bytes]] = {
        "gz": gzip.compress,
        "bz2": bz2.compress,
        "xz": lzma.compress,
        "zst": zstandard.ZstdCompressor().compress,
    }
    compress = compressors[kind]
    data = b" date 2021-10-21 Packed text.\n"
    (tmp_path / f"a.txt.{kind}").write_bytes(compress(data) + compress(b"\nA second stream.\n"))
    (tmp_path / f"cut.txt.{kind}").write_bytes(compress(data)[:-8])
    assert main(["-f", "tsv", "-r", "--glob", f"*.txt.{kind}", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        f"{tmp_path}/a.txt.{kind}\t2021-10-21\tparagraph\t1\tPacked text.",
        f"{tmp_path}/a.txt.{kind}\t2021-10-21\tparagraph\t2\tA second stream.",
    ]
    assert captured.err.startswith(f"article-tool: {tmp_path}/cut.txt.{kind}: ")


@pytest.mark.parametrize("size_after", ["cut", "kept"])
def test_a_file_cut_while_it_is_read_is_named(
    size_after: str, article_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Fewer bytes than the size said, and a smaller size after: cut.  The size kept: a file the kernel
    makes as it is read (/sys, /proc), which gives fewer bytes than it says, and no warning."""
    import types

    real_fstat = os.fstat
    size = article_file.stat().st_size
    asked: list[int] = []

    def fstat(descriptor: int) -> Any:
        asked.append(descriptor)
        # The file had 100 bytes more when it was opened than were left to read.
        grown = len(asked) == 1 or size_after == "kept"
        return types.SimpleNamespace(st_size=real_fstat(descriptor).st_size + (100 if grown else 0))

    monkeypatch.setattr(os, "fstat", fstat)
    status = main(["-f", "tsv", str(article_file)])
    captured = capsys.readouterr()
    assert captured.out.count("\n") == 5  # what was read is written
    if size_after == "kept":
        assert (status, captured.err) == (0, "")
        return
    assert status == 1
    assert (
        captured.err
        == f"article-tool: {article_file}: the file was cut while it was read: {size} of its {size + 100} bytes\n"
    )


def test_an_endless_binary_input_is_refused_as_it_is_read() -> None:
    run = _run_module(["/dev/zero"])
    assert run.returncode == 2
    assert run.stderr == b"article-tool: /dev/zero: binary file, skipped\n"


def test_binary_standard_input_is_refused(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", _BytesStdin(b"\0" * 20_000))
    assert main(["-f", "tsv"]) == 2
    assert capsys.readouterr().err == "article-tool: -: binary file, skipped\n"


def test_binary_files_are_skipped_and_others_processed(
    tmp_path: Path, article_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)))
    assert main(["-f", "tsv", str(binary), str(article_file)]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"article-tool: {binary}: binary file, skipped\n"
    assert captured.out.count("\n") == 5


@pytest.mark.parametrize(
    ("content", "message"),
    [("", ":1: no date header"), ("   \n\n \t\n", ":1: no date header"), (" date 2021-10-21 ", ":1: no text after")],
)
def test_files_without_text_warn(
    tmp_path: Path, content: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "empty.txt"
    path.write_text(content)
    assert main(["-f", "jsonl", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err


def test_unreadable_file_is_an_error(
    tmp_path: Path, article_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text(" date 2021-10-21 Secret.")
    real_open = os.open

    def guarded_open(file: str, *args: int) -> int:
        if str(file) == str(locked):  # root reads anything, so deny it here
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args)

    monkeypatch.setattr(os, "open", guarded_open)
    assert main(["-f", "tsv", str(locked), str(article_file)]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"article-tool: {locked}: Permission denied\n"
    assert captured.out.count("\n") == 5


def test_a_fifo_is_read_like_standard_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "w", encoding="utf-8") as stream:
            stream.write(" date 2021-10-21 Through a pipe.")

    writer = threading.Thread(target=feed)
    writer.start()
    assert main(["-f", "tsv", str(fifo)]) == 0
    writer.join()
    assert capsys.readouterr().out == "2021-10-21\tparagraph\t1\tThrough a pipe.\n"


@pytest.mark.parametrize("size", [0, 65535, 65536, 65537, 300_000])
def test_files_are_read_whole_at_any_size(tmp_path: Path, size: int) -> None:
    path = tmp_path / "article.txt"
    data = (b" date 2021-10-21 " + b"word " * (size // 5 + 1))[:size]
    path.write_bytes(data)
    assert at.read_input(str(path)) == (data.decode(), [])


class _BytesStdin:
    def __init__(self, data: bytes) -> None:
        import io

        self.buffer = io.BytesIO(data)


def test_cli_reads_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", _BytesStdin(b" date 2021-10-21 From a pipe."))
    assert main(["-f", "jsonl"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert (record["file"], record["text"]) == ("-", "From a pipe.")


def test_a_nul_in_a_listed_name_is_one_error_and_the_list_goes_on(
    article_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = tmp_path / "list.txt"
    listing.write_bytes(b"bad\0name.txt\n" + str(article_file).encode() + b"\n")
    assert main(["-f", "tsv", "--files-from", str(listing)]) == 2
    captured = capsys.readouterr()
    assert captured.err == "article-tool: bad\\x00name.txt: a NUL byte in the file name\n"
    assert captured.out.count("\n") == 5


def test_a_walk_skips_fifos(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(" date 2021-10-21 Text.")
    os.mkfifo(tmp_path / "pipe.txt")
    run = _run_module(["-f", "tsv", "-r", str(tmp_path)])
    assert run.returncode == 0
    assert run.stdout.decode().splitlines() == [f"{tmp_path / 'a.txt'}\t2021-10-21\tparagraph\t1\tText."]


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    for name in ["b/2.txt", "a/1.txt", "a/10.txt", "c.txt", "skip.md", "b/sub/3.txt"]:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f" date 2021-10-21 Article {name}.\n\nSecond paragraph of {name}.\n")
    return root


def _files_column(out: str) -> list[str]:
    return list(dict.fromkeys(line.split("\t")[0] for line in out.splitlines()))


def test_recursive_walks_sorted_by_path_with_glob(corpus_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-f", "tsv", "-r", str(corpus_dir)]) == 0
    names = [str(Path(p).relative_to(corpus_dir)) for p in _files_column(capsys.readouterr().out)]
    assert names == ["a/1.txt", "a/10.txt", "b/2.txt", "b/sub/3.txt", "c.txt"]
    assert main(["-f", "tsv", "-r", "--glob", "*.md", str(corpus_dir)]) == 0
    assert [Path(p).name for p in _files_column(capsys.readouterr().out)] == ["skip.md"]


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A folder as a checkout holds articles: hidden folders, ignore files, a nested ignore file that takes
    a name back in."""
    files = {
        "a.txt": "",
        ".hidden.txt": "",
        ".venv/lib/x.txt": "",
        ".git/x.txt": "",
        "build/out.txt": "",
        "notes/keep.txt": "",
        "notes/draft.txt": "",
        "notes/deep/more/d.txt": "",
        "logs/1.txt": "",
        ".gitignore": "build/\n*draft*\n/logs\n",
        ".ignore": "notes/deep/\n",
        "notes/.gitignore": "!draft.txt\n",
    }
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content or " date 2021-10-21 Text.")
    return tmp_path


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ([], ["a.txt", "notes/draft.txt", "notes/keep.txt"]),
        (["--max-depth", "1"], ["a.txt"]),
        (["--max-depth", "0"], []),
        (
            ["--no-ignore"],
            ["a.txt", "build/out.txt", "logs/1.txt", "notes/deep/more/d.txt", "notes/draft.txt", "notes/keep.txt"],
        ),
        # (As rg's --hidden: .git too.)
        (["--hidden"], [".git/x.txt", ".hidden.txt", ".venv/lib/x.txt", "a.txt", "notes/draft.txt", "notes/keep.txt"]),
        (
            ["--hidden", "--no-ignore"],
            [
                ".git/x.txt",
                ".hidden.txt",
                ".venv/lib/x.txt",
                "a.txt",
                "build/out.txt",
                "logs/1.txt",
                "notes/deep/more/d.txt",
                "notes/draft.txt",
                "notes/keep.txt",
            ],
        ),
    ],
)
def test_the_walk_passes_by_what_rg_passes_by(
    options: list[str], expected: list[str], checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["-f", "tsv", "-H", "-r", *options, str(checkout)])
    names = [str(Path(p).relative_to(checkout)) for p in _files_column(capsys.readouterr().out)]
    assert (status, names) == (0 if expected else 1, expected)


def test_the_walk_options_need_r(capsys: pytest.CaptureFixture[str], checkout: Path) -> None:
    assert main(["--hidden", "--max-depth", "2", str(checkout / "a.txt")]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "article-tool: warning: --hidden does nothing without -r",
        "article-tool: warning: --max-depth does nothing without -r",
    ]
    with pytest.raises(SystemExit):
        main(["-r", "--max-depth", "-1"])


def test_an_unreadable_folder_is_reported_and_the_walk_goes_on(
    corpus_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_scandir = os.scandir

    def guarded_scandir(path: str) -> object:
        if path.endswith("/a"):  # root lists anything, so deny it here
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", guarded_scandir)
    assert main(["-f", "tsv", "-r", str(corpus_dir)]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"article-tool: {corpus_dir}/a: Permission denied\n"
    assert [Path(p).name for p in _files_column(captured.out)] == ["2.txt", "3.txt", "c.txt"]


@pytest.mark.parametrize("separator", ["\n", "\0"])
def test_files_from_lists_in_order(
    corpus_dir: Path, separator: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = [str(corpus_dir / "c.txt"), str(corpus_dir / "a/1.txt"), str(corpus_dir / "b/2.txt")]
    listing = tmp_path / "list"
    listing.write_text(separator.join(paths) + separator)
    argv = ["-f", "tsv", "--files-from", str(listing)] + (["-0"] if separator == "\0" else [])
    assert main(argv) == 0
    assert _files_column(capsys.readouterr().out) == paths


def test_files_from_a_missing_list_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--files-from", str(tmp_path / "nope")]) == 2
    assert "No such file or directory" in capsys.readouterr().err


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_wide_text_of_nul_characters_is_binary(encoding: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--encoding", encoding, "/dev/zero"]) == 2
    assert capsys.readouterr().err == "article-tool: /dev/zero: binary file, skipped\n"


def test_a_byte_order_mark_before_nul_characters_is_binary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "zeros.txt"
    path.write_bytes(b"\xff\xfe" + bytes(100_000))
    assert main([str(path)]) == 2
    assert capsys.readouterr().err.endswith("binary file, skipped\n")


def test_a_list_with_the_wrong_separator_is_one_short_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "a.txt"
    article.write_text(" date 2021-10-21 Listed.")
    listing = tmp_path / "list"
    listing.write_bytes(b"\0".join([str(article).encode()] * 20_000) + b"\n" + str(article).encode() + b"\n")
    assert main(["--files-from", str(listing), "-f", "tsv", "--fields", "text"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "Listed.\n"  # the entry after the separator
    (message,) = captured.err.splitlines()[:-1] or captured.err.splitlines()
    assert len(message) < 200
    assert "needs -0" in message


def test_a_walk_names_what_it_cannot_follow_and_goes_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text(" date 2021-10-21 First.")
    (tmp_path / "loop1.txt").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop1.txt")
    deep = tmp_path.joinpath(*["d"] * 400)  # deeper than Python's recursion limit would walk
    deep.mkdir(parents=True)
    (deep / "z.txt").write_text(" date 2021-10-21 Deep.")
    assert main(["-r", "-f", "tsv", "--fields", "text", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "First.\nDeep.\n"
    assert captured.err.splitlines()[0] == f"article-tool: {tmp_path / 'loop1.txt'}: Too many levels of symbolic links"


def test_the_output_file_is_not_read_as_an_input(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(" date 2021-10-21 First.")
    run = subprocess.run(
        f"{sys.executable} {HERE / 'article_tool.py'} -r . --fields text > all.txt",
        shell=True,
        cwd=tmp_path,
        capture_output=True,
    )
    assert (tmp_path / "all.txt").read_text() == "First.\n"
    assert run.stderr.decode().splitlines()[0] == "article-tool: ./all.txt: input file is also the output, skipped"
    assert run.returncode == 2


def test_a_bidirectional_override_in_a_name_is_escaped_in_messages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "evil\u202etxt.gpj"
    path.write_text("No header.")
    main(["-f", "tsv", str(path)])
    assert "\u202e" not in capsys.readouterr().err
    assert at.shown_path(str(path)).endswith("evil\\u202etxt.gpj")


def test_recursive_without_a_path_reads_this_folder(
    corpus_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(corpus_dir)
    assert main(["-f", "tsv", "-r"]) == 0
    assert _files_column(capsys.readouterr().out) == [
        "./a/1.txt",
        "./a/10.txt",
        "./b/2.txt",
        "./b/sub/3.txt",
        "./c.txt",
    ]


# ---------------------------------------------------------------------------
# Processing
# ---------------------------------------------------------------------------


def test_a_worker_leaves_a_huge_article_and_the_rest_of_its_chunk_to_the_main_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfdbinary: pytest.CaptureFixture[bytes]
) -> None:
    paths = []
    for i in range(130):  # the second chunk of 64 goes to the worker
        path = tmp_path / f"{i:04d}.txt"
        body = "\n\n".join([f"Paragraph {i}, with a few words."] * (80 if i == 70 else 1))
        path.write_text(f" date 2021-10-21 {body}\n")
        paths.append(str(path))
    monkeypatch.setattr(at, "LARGE_ARTICLE_CHARS", 1000)
    monkeypatch.setattr(at, "SEGMENT_CHARS", 500)
    batch = at._process_chunk(paths[64:128], at.Options(output_format="tsv"))
    assert [len(batch.results), batch.left] == [6, paths[70:128]]
    assert main(["-f", "jsonl", *paths]) == 0
    serial = capfdbinary.readouterr()
    assert main(["-j", "2", "-f", "jsonl", *paths]) == 0
    assert capfdbinary.readouterr() == serial


def test_parallel_output_is_byte_identical(
    corpus_dir: Path, tmp_path: Path, capfdbinary: pytest.CaptureFixture[bytes]
) -> None:
    many = []
    for i in range(300):  # several chunks per worker
        path = tmp_path / "many" / f"{i:04d}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(f" date 2021-10-{1 + i % 28:02d} Paragraph {i}.\n\n{SEED_TWEET}\n")
        many.append(str(path))
    missing = str(tmp_path / "missing.txt")
    argv = ["-f", "jsonl", *many[:150], missing, *many[150:]]
    assert main(argv) == 2
    serial = capfdbinary.readouterr()
    assert main(["-j", "2", *argv]) == 2
    parallel = capfdbinary.readouterr()
    assert parallel.out == serial.out
    assert parallel.err == serial.err
    assert serial.out.count(b"\n") == 600


def _process_state(pid: int) -> tuple[str, int] | None:
    """A live process's state letter and parent, from /proc; None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return fields[0], int(fields[1])


def _children(pid: int) -> list[int]:
    """The live processes whose parent is ``pid``."""
    states = {
        int(entry.name): _process_state(int(entry.name)) for entry in Path("/proc").iterdir() if entry.name.isdigit()
    }
    return [child for child, state in states.items() if state is not None and state[1] == pid and state[0] != "Z"]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_workers_end_when_the_main_process_is_killed(tmp_path: Path) -> None:
    import signal
    import time

    for i in range(400):
        (tmp_path / f"{i:04d}.txt").write_text(" date 2021-10-21 " + "Some words of a paragraph. " * 400)
    # Nobody reads the output: the run blocks on its pipe with its workers started.
    run = subprocess.Popen(
        [sys.executable, str(HERE / "article_tool.py"), "-j", "2", "-r", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not (workers := _children(run.pid)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert workers
        run.send_signal(signal.SIGTERM)
        run.wait(timeout=10)
        deadline = time.monotonic() + 5

        def alive() -> list[int]:
            return [pid for pid in workers if (state := _process_state(pid)) is not None and state[0] != "Z"]

        while alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert alive() == []
    finally:
        run.kill()
        run.wait()


def _dying_chunk(paths: list[str], options: at.Options) -> Any:
    """A worker's chunk that kills its worker, as the OOM killer or kill -9 would, on a file named 'die'."""
    if any("die" in os.path.basename(path) for path in paths):
        os._exit(9)
    return _real_process_chunk(paths, options)


_real_process_chunk = at._process_chunk


def test_a_killed_worker_loses_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = []
    for index in range(300):
        path = tmp_path / (f"{index:03}die.txt" if index == 100 else f"{index:03}.txt")  # in a worker's chunk
        path.write_text(f" date 2021-10-21 File {index}.")
        paths.append(str(path))
    monkeypatch.setattr(at, "_process_chunk", _dying_chunk)
    assert main(["-j", "2", "-f", "tsv", "--fields", "text", *paths]) == 0
    assert capsys.readouterr().out == "".join(f"File {index}.\n" for index in range(300))


def test_process_pool_gives_the_records_of_a_plain_loop() -> None:
    from concurrent.futures import ProcessPoolExecutor

    texts = [path.read_text(encoding="utf-8") for path in SAMPLES]
    with ProcessPoolExecutor(max_workers=2) as pool:
        pooled = list(pool.map(parse_article, texts))
    assert pooled == [parse_article(text) for text in texts]


def test_jobs_are_capped_at_the_cores() -> None:
    assert at.build_parser().parse_args(["-j", "99999999"]).jobs == (os.cpu_count() or 1)


def test_progress_and_summary_only_on_a_terminal(
    corpus_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    assert main(["-f", "tsv", "-r", str(corpus_dir)]) == 0
    assert capsys.readouterr().err == ""  # stderr is no terminal here
    monkeypatch.setattr(at, "_is_terminal", lambda stream: stream is sys.stderr)
    assert main(["-f", "tsv", "-r", str(corpus_dir)]) == 0
    assert capsys.readouterr().err == ""  # the output goes to no file: it may end on the bar's terminal
    monkeypatch.setattr(at, "_is_regular_file", lambda stream: stream is sys.stdout)
    assert main(["-f", "tsv", "-r", str(corpus_dir)]) == 0
    err = capsys.readouterr().err
    assert "file/s" in err or "files/s" in err or "s/file" in err  # tqdm's rate
    assert err.rstrip().endswith("article-tool: 5 files, 10 records, 0 quotes, 0 without date, 0 errors")
    for extra in (["-q"], ["--no-filename"]):
        assert main(["-f", "tsv", "-r", *extra, str(corpus_dir)]) == 0
        assert ("records" in capsys.readouterr().err) is (extra != ["-q"])
    monkeypatch.setenv("CI", "true")
    assert main(["-f", "tsv", "-r", str(corpus_dir)]) == 0
    assert capsys.readouterr().err == ""
    assert main(["-f", "tsv", "--progress", "-r", str(corpus_dir)]) == 0  # asked for: shown all the same
    assert "records" in capsys.readouterr().err


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_messages_never_share_a_line_with_the_progress_bar(tmp_path: Path) -> None:
    for i in range(40):
        (tmp_path / f"{i:02d}.txt").write_text(" date 2021-10-21 Text." if i != 20 else "No header here.")
    leader, follower = os.openpty()
    environment = {key: value for key, value in os.environ.items() if key != "CI"}
    output = tmp_path / "out" / "all.tsv"
    output.parent.mkdir()
    with output.open("wb") as written:
        run = subprocess.run(
            [sys.executable, str(HERE / "article_tool.py"), "-f", "tsv", "-r", str(tmp_path)],
            stdout=written,
            stderr=follower,
            env=environment,
            timeout=20,
        )
    os.close(follower)
    shown = b""
    while True:
        try:
            piece = os.read(leader, 65536)
        except OSError:
            break
        if not piece:
            break
        shown += piece
    os.close(leader)
    assert run.returncode == 1
    # What stays on each line of the terminal is what follows its last carriage return.
    lines = [line.rsplit("\r", 1)[-1] for line in shown.decode().replace("\r\n", "\n").split("\n")]
    warnings = [line for line in lines if "no date header" in line]
    assert warnings == [f"article-tool: {tmp_path / '20.txt'}:1: no date header"]
    assert lines[-2 if lines[-1] == "" else -1].startswith("article-tool: 40 files")


def test_the_summary_counts_what_is_shown(
    article_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(at, "_is_terminal", lambda stream: stream is sys.stderr)
    monkeypatch.setattr(at, "_is_regular_file", lambda stream: stream is sys.stdout)
    assert main(["-f", "tsv", "-k", "paragraph", str(article_file), str(tmp_path / "missing.txt")]) == 2
    assert (
        capsys.readouterr().err.splitlines()[-1]
        == "article-tool: 2 files, 2 records, 0 quotes, 0 without date, 1 error"
    )


def test_the_summary_line_in_the_singular() -> None:
    result = at.FileResult()
    result.count("a.txt", parse_article(SEED_TWEET), frozenset({"paragraph"}))
    assert (result.records, result.quotes) == (0, 0)
    summary = at._Summary()
    summary.add(at.FileResult(errors=["a.txt: gone"]))
    assert summary.line() == "1 file, 0 records, 0 quotes, 0 without date, 1 error"


@pytest.mark.parametrize(
    "hostile",
    [
        "a\n\n&#11;\n\nb <br>\n",  # a block that is whitespace once decoded
        ' date 2021-10-21 x <blockquote class="twitter-tweet"><p>x <![ y</p></blockquote> after',  # rejected markup
        '<![x]> <blockquote class="twitter-tweet"><![x]></blockquote>',
        "&nbsp;\n\n&#x2028;\n\nText.",
    ],
)
def test_a_hostile_file_loses_no_other_files_records(
    hostile: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = []
    for index in range(3):
        path = tmp_path / f"{index}.txt"
        path.write_text(hostile if index == 1 else f" date 2021-10-21 Good file {index}.")
        paths.append(str(path))
    assert main(["-f", "jsonl", "-j", "1", *paths]) in (0, 1)
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["text"] for r in records if r["file"] != paths[1]] == ["Good file 0.", "Good file 2."]
    assert all(r["text"].strip() and "\u2028" not in r["text"] for r in records)


def test_a_fault_in_one_file_is_its_error_and_the_run_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = at._whole_article  # what reads a file's body, past its header

    def faulty(text: str, header: Any) -> at.Article:
        if "fault" in text:
            raise IndexError("string index out of range")
        return real(text, header)

    monkeypatch.setattr(at, "_whole_article", faulty)
    paths = [tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.txt"]
    for path, text in zip(paths, ["A one.", "A fault.", "A three."], strict=True):
        path.write_text(f" date 2021-10-21 {text}")
    assert main(["-f", "tsv", "--fields", "text", *map(str, paths)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "A one.\nA three.\n"
    assert (
        f"{paths[1]}: cannot be parsed, a fault of article-tool's (IndexError: string index out of range)"
        in captured.err
    )


def test_a_closed_stderr_or_stdin_costs_no_output(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("No header here.")
    command = [sys.executable, str(HERE / "article_tool.py"), "-f", "jsonl", str(path), "/nonexistent.txt"]
    quiet = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False)
    closed = subprocess.run(
        f"{sys.executable} {HERE / 'article_tool.py'} -f jsonl {path} /nonexistent.txt 2>&-",
        shell=True,
        capture_output=True,
    )
    assert closed.stdout == quiet.stdout  # no message went into the JSON Lines
    assert [json.loads(line)["text"] for line in closed.stdout.decode().splitlines()] == ["No header here."]
    assert closed.returncode == 2
    for options in ("", "--files-from -", "--input-format jsonl -", "--repeated 2 -", "--repeated 2 --files-from -"):
        no_stdin = subprocess.run(
            f"{sys.executable} {HERE / 'article_tool.py'} {options} <&-", shell=True, capture_output=True
        )
        assert (options, no_stdin.returncode, no_stdin.stderr) == (
            options,
            2,
            b"article-tool: -: standard input is closed\n",
        )


def test_a_list_from_a_pipe_is_read_once_with_the_bar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    article = tmp_path / "a.txt"
    article.write_text(" date 2021-10-21 Listed.")
    fifo = tmp_path / "list"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text(f"{article}\n"))
    writer.start()
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(at, "_is_terminal", lambda stream: stream is sys.stderr)  # a bar is drawn
    assert main(["--files-from", str(fifo), "-f", "tsv", "--fields", "text"]) == 0
    writer.join()
    assert capsys.readouterr().out == "Listed.\n"


def test_cli_unreadable_inputs_exit_2_and_others_still_run(
    tmp_path: Path, article_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.txt"
    assert main(["-f", "tsv", "-q", str(missing), str(tmp_path), str(article_file)]) == 2
    captured = capsys.readouterr()
    assert f"article-tool: {missing}: No such file or directory" in captured.err
    assert f"article-tool: {tmp_path}: is a directory" in captured.err
    assert captured.out.count("\n") == 5


# ---------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------


def test_an_earlier_error_survives_the_reader_leaving(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(" date 2021-10-21 " + "\n\n".join(f"Paragraph {i}." for i in range(100_000)))
    run = subprocess.run(
        f"set -o pipefail; {sys.executable} {HERE / 'article_tool.py'} /nonexistent.txt {big} | head -1",
        shell=True,
        capture_output=True,
        executable="/bin/bash",
    )
    assert run.stdout.count(b"\n") == 1
    assert run.returncode == 2


@pytest.mark.parametrize("columns", ["0", "1"])
def test_a_terminal_too_narrow_gets_the_narrowest_view(
    columns: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setattr(at, "_is_terminal", lambda stream: stream is sys.stdout)
    monkeypatch.setattr(sys, "stdin", _BytesStdin(b" date 2021-10-21 A paragraph of several words to wrap."))
    main(["--color", "never"])
    assert max(map(len, capsys.readouterr().out.splitlines())) <= at.MIN_COLUMNS


@pytest.mark.parametrize(
    "argv",
    [
        ["--format", "xml"],
        ["--kind", "tweet"],
        ["--fields", "nope"],
        ["--jobs", "-1"],
        ["--encoding", "nope"],
        # Codecs that are not text encodings.
        ["--encoding", "rot13"],
        ["--encoding", "hex"],
        ["--encoding", "uu_codec"],
        ["--encoding", "idna"],
        ["-r", "--glob", ""],  # an empty pattern matches nothing (it meant *.txt silently)
    ],
)
def test_cli_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert "article-tool: error:" in capsys.readouterr().err


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["-V"])
    assert capsys.readouterr().out == f"article-tool {at.__version__}\n"
    with pytest.raises(SystemExit):
        main(["--help"])
    shown = capsys.readouterr().out
    assert "record keys: " + " ".join(at.RECORD_KEYS) in shown
    assert "article-tool -r corpus/ -f jsonl | jq ." in shown
    assert "JSON Lines of articles" in " ".join(shown.split())


def test_a_negative_job_count_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["-j", "-1", "a.txt"])
    assert exit_info.value.code == 2
    assert "argument -j/--jobs: must be 0 (all cores) or more, not -1" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "note"),
    [
        (["-f", "jsonl", "--header"], "--header applies to TSV only, not to -f jsonl"),
        (["-f", "text", "--fields", "text"], "--fields does nothing in the text view"),
        (["--hash", "--fields", "text"], "--hash does nothing when --fields names neither hash nor fingerprint"),
        (["-f", "text", "--hash"], "the text view shows no computed key (--lang, --hash, --repeated)"),
        (["-H", "--fields", "text"], "-H does nothing when --fields has no file column"),
        (["-0"], "-0 does nothing without --files-from"),
        (["--no-ignore"], "--no-ignore does nothing without -r"),
    ],
)
def test_options_that_do_nothing_are_named(
    argv: list[str], note: str, article_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*argv, str(article_file)]) == 0
    assert capsys.readouterr().err == f"article-tool: warning: {note}\n"


@pytest.mark.parametrize("argv", [["-r", "--glob", "*.text"], ["--files-from", "/dev/null"]])
def test_a_run_that_finds_no_input_says_so(argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text(" date 2021-10-21 Text.")
    assert main([*argv, str(tmp_path)] if "-r" in argv else argv) == 1
    assert capsys.readouterr().err.startswith("article-tool: no input file found")


@pytest.mark.parametrize(("shell", "message"), [("> /dev/full", "No space left on device"), (">&-", "")])
def test_output_errors_are_one_line_and_exit_2(article_file: Path, shell: str, message: str) -> None:
    run = subprocess.run(
        ["bash", "-c", f'"{sys.executable}" "{HERE / "article_tool.py"}" "{article_file}" {shell}'],
        capture_output=True,
        timeout=20,
    )
    assert run.returncode == 2
    assert run.stderr.startswith(b"article-tool: standard output: ")
    assert message.encode() in run.stderr
    assert run.stderr.count(b"\n") == 1


def test_ctrl_c_exits_130_without_traceback() -> None:
    import signal
    import time

    process = subprocess.Popen(
        [sys.executable, str(HERE / "article_tool.py"), "-f", "tsv"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # Interrupt it once it has started and waits on standard input (a signal
    # during start-up would interrupt Python, not the tool).
    wchan = Path(f"/proc/{process.pid}/wchan")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not (wchan.exists() and "pipe" in wchan.read_text()):
        time.sleep(0.05)
    time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert b"Traceback" not in err


# ---------------------------------------------------------------------------
# Golden samples
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_golden_samples(sample: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(HERE)
    relative = str(sample.relative_to(HERE))
    main(["-f", "jsonl", relative])
    expected = sample.with_suffix(".jsonl").read_text(encoding="utf-8")
    assert capsys.readouterr().out == expected


# ---------------------------------------------------------------------------
# Library contract
# ---------------------------------------------------------------------------


def test_article_is_picklable() -> None:
    article = parse_article(SEED_TWEET)
    assert pickle.loads(pickle.dumps(article)) == article


def test_import_and_iso_parse_stay_off_the_slow_imports() -> None:
    code = (
        "import sys, article_tool\n"
        "article_tool.parse_article(' date 2021-10-21 Plain text.\\n\\nMore.')\n"
        "bad = [m for m in ('bs4', 'dateutil.parser', 'tqdm', 'json') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=HERE)


def test_a_walk_over_plain_files_imports_none_of_the_collections_readers(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(" date 2021-10-21 Plain text.")
    code = (
        "import sys, article_tool\n"
        f"article_tool.main(['-f', 'tsv', '-r', {str(tmp_path)!r}])\n"
        "slow = ('tarfile', 'zipfile', 'pathspec', 'zstandard', 'json', 'bs4', 'tqdm', 'concurrent.futures')\n"
        "bad = [m for m in slow if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=HERE, stdout=subprocess.DEVNULL)


def test_the_block_maker_has_every_field_of_block_in_its_place() -> None:
    # _block_of makes a Block of a plain tuple: its type must list Block's fields, in their order.
    assert list(typing.get_args(at._BlockValues)) == list(at.Block.__annotations__.values())


def test_one_record_layout_drives_every_format() -> None:
    article = parse_article(SEED_TWEET)
    assert (*at.ARTICLE_KEYS, *at.Block._fields) == at.RECORD_KEYS
    for block in article.blocks:
        record = at.block_record("a.txt", article, block)
        assert list(record) == list(at.RECORD_KEYS)  # every key, null where it has no value
        assert (record["file"], record["id"]) == ("a.txt", "a.txt")
        assert block.kind == "quote" or all(record[key] is None for key in at.QUOTE_KEYS)
    fields = at.RECORD_KEYS
    tsv = at.render("a.txt", article, at.Options(output_format="tsv", fields=fields)).decode().splitlines()
    for line, block in zip(tsv, article.blocks, strict=True):
        row = dict(zip(fields, map(at.tsv_unescape, line.split("\t")), strict=True))
        assert (row["file"], row["n"], row["text"]) == ("a.txt", str(block.n), block.text)
    with pytest.raises(AttributeError):
        article.blocks[0].text = "changed"  # type: ignore[misc]


@pytest.mark.parametrize(
    "text",
    [
        "Plain words.",
        'He said "no" and left.',
        "A back\\slash and a tab\tinside.",
        "A bell \x07 and a null \x00 and a DEL \x7f.",
        "Line separator \u2028 and C1 \x85 stay as they are.",
    ],
)
def test_jsonl_escapes_what_json_dumps_escapes(text: str) -> None:
    article = at.Article("2021-10-21", (at.Block("paragraph", 1, 1, section='A "quoted" heading', text=text),))
    output = at.render('dir\\a "b".txt', article, at.Options(output_format="jsonl")).decode()
    expected = json.dumps(at.block_record('dir\\a "b".txt', article, article.blocks[0]), ensure_ascii=False)
    assert output == expected + "\n"


# ---------------------------------------------------------------------------
# Property tests
# ---------------------------------------------------------------------------


SHAPES = st.sampled_from(
    [
        " date 2021-10-21 ",
        "Date: October 21, 2021\n\n",
        "\n",
        "\n\n",
        "\r\n",
        " — ",
        "–",
        "(@",
        ")",
        "(@roscosmos)",
        " October 17, 2021",
        "pic.twitter.com/9P6yv4jCZx",
        "https://t.co/Ab3dE5gH7k",
        "View this post on Instagram",
        "A post shared by Ann (@ann) on Apr 21, 2019 at 4:40am PDT",
        "Posted by Ann on Monday, March 27, 2017",
        '<blockquote class="twitter-tweet"><p>',
        "</p></blockquote>",
        "<br>",
        "&amp;",
        "♬ original sound - Ann",
        "@ann ",
        "Post by @ann View on Threads",
        "word ",
        "Heading",
        ".",
        "\t",
        "\x00",
        "\u00a0",
        "\ufeff",
        "2021-13-45 ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(st.one_of(SHAPES, st.text(max_size=5)), max_size=40).map("".join)))
def test_parse_never_raises_and_records_serialise(text: str) -> None:
    article = parse_article(text)
    assert [b.n for b in article.blocks] == list(range(1, len(article.blocks) + 1))
    for block in article.blocks:
        assert block.kind in at.KINDS
        record = json.loads(json.dumps(at.block_record("f", article, block)))
        assert {"file", "date", "kind", "n", "section", "text"} <= record.keys()
        line = "\t".join(at.tsv_escape(record.get(k)) for k in at.RECORD_KEYS)
        assert line.count("\t") == len(at.RECORD_KEYS) - 1
        assert "\n" not in line


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(SHAPES, st.text(max_size=8)), max_size=30).map("".join), st.text(max_size=10))
def test_jsonl_rows_equal_json_dumps_of_the_records(text: str, path: str) -> None:
    article = parse_article(text)
    expected = "".join(json.dumps(at.block_record(path, article, b), ensure_ascii=False) + "\n" for b in article.blocks)
    assert at.render(path, article, at.Options(output_format="jsonl")).decode() == expected
    document: dict[str, Any] = {
        key: at.block_record(path, article, at.Block("", 0, 0, None, ""))[key] for key in at.ARTICLE_KEYS
    }
    document["blocks"] = [
        {k: v for k, v in at.block_record(path, article, b).items() if k not in at.ARTICLE_KEYS} for b in article.blocks
    ]
    assert at.render(path, article, at.Options(output_format="json")).decode() == (
        json.dumps(document, ensure_ascii=False) + "\n"
    )


def records_with(path: str, article: at.Article, keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """Each block's record and its computed ``keys``, from the library's functions, one by one."""
    source = at.Source(path, path)
    values = at.computed_article_values(source, article.blocks, keys)
    columns = at.computed_block_values(article.blocks, keys, values)
    return [
        at.block_record(path, article, block)
        | {key: values[key] if key in at.ARTICLE_COMPUTED_KEYS else columns[key][index] for key in keys}
        for index, block in enumerate(article.blocks)
    ]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.one_of(SHAPES, st.text(max_size=8)), max_size=30).map("".join),
    st.text(max_size=10),
    st.lists(st.sampled_from(at.COMPUTED_KEYS), min_size=1, unique=True),
)
def test_jsonl_rows_with_computed_keys_equal_json_dumps_of_the_records(text: str, path: str, asked: list[str]) -> None:
    article = parse_article(text)
    keys = tuple(key for key in at.COMPUTED_KEYS if key in asked)
    expected = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records_with(path, article, keys))
    assert at.render(path, article, at.Options(output_format="jsonl", computed=keys)).decode() == expected


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(SHAPES, st.text(max_size=8)), max_size=30).map("".join),
    st.text(max_size=10),
    st.lists(st.sampled_from((*at.RECORD_KEYS, *at.COMPUTED_KEYS)), min_size=1, max_size=6),
)
def test_tsv_lines_unescape_to_the_records(text: str, path: str, fields: list[str]) -> None:
    article = parse_article(text)
    computed = tuple(key for key in fields if key in at.COMPUTED_KEYS)
    options = at.Options(output_format="tsv", fields=tuple(fields), computed=computed)
    lines = at.render(path, article, options).decode().split("\n")
    assert lines.pop() == ""
    assert len(lines) == len(article.blocks)
    for line, record in zip(lines, records_with(path, article, computed), strict=True):
        columns = line.split("\t")
        assert len(columns) == len(fields)
        for key, column in zip(fields, columns, strict=True):
            value = record[key]
            assert column == at.tsv_escape(value)
            shown = "" if value is None else ("true" if value else "false") if isinstance(value, bool) else str(value)
            assert at.tsv_unescape(column) == shown


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.lists(st.sampled_from(["  ", "\t", "\n", "\u00a0", "\u2003"]), max_size=3))
def test_a_blocks_hash_holds_across_case_and_spacing(text: str, spaces: list[str]) -> None:
    import hashlib

    spaced = "".join(spaces) + text.replace(" ", "".join(spaces) or " ") + "".join(spaces)
    assert at.text_hash(text) == at.text_hash(spaced) == at.text_hash(text.casefold())
    folded = " ".join(text.casefold().split()).encode("utf-8", "surrogatepass")  # its definition, spelt out
    assert at.text_hash(text) == (int.from_bytes(hashlib.blake2b(folded, digest_size=8).digest(), "big") or 1)


WORDS = st.lists(
    st.sampled_from(["alpha", "beta", "gamma", "delta", "Epsilon", "zeta", "eta"]), min_size=1, max_size=12
)


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS.map(" ".join), min_size=1, max_size=8), st.sampled_from(["\n", "\n\n", "\n \n\n"]))
def test_every_word_of_plain_prose_is_kept_in_order(paragraphs: list[str], separator: str) -> None:
    text = " date 2021-01-01 " + separator.join(paragraphs)
    words = " ".join(b.text for b in parse_article(text).blocks).split()
    assert words == " ".join(paragraphs).split()


# Articles built from the real shapes, with the words each record must hold.
PROSE_WORD = st.from_regex(r"[a-zäöüéàçñß]{1,10}", fullmatch=True)


NAMES = st.sampled_from(["Ann Lee", "РОСКОСМОС", "𝐆𝐫𝐞𝐠 🇺🇦", "ABC 7 - WJLA", "M&S", "Benjamin N. (he/him)"])


HANDLES = st.from_regex(r"[A-Za-z0-9_]{1,15}", fullmatch=True)


POSTED = st.sampled_from(
    ["October 17, 2021", "17 de octubre de 2021", "17. Oktober 2021", "17 октября 2021 г.", "2021年10月17日", ""]
)


TWEET_LAYOUTS = st.sampled_from([" — ", "— ", " – ", "\n— ", "\n\n— ", "\n\n\n— ", ""])


@st.composite
def article_shapes(draw: st.DrawFn) -> tuple[str, list[str], list[tuple[str, str]]]:
    """(article text, the words its records must hold in order, the (author, handle) of its tweets)."""
    parts, words, tweets = [], [], []
    for _ in range(draw(st.integers(1, 6))):
        paragraph = draw(st.lists(PROSE_WORD, min_size=1, max_size=12))
        if draw(st.booleans()):
            parts.append(" ".join(paragraph))
            words += paragraph
            continue
        name, handle, posted = draw(NAMES), draw(HANDLES), draw(POSTED)
        layout = draw(TWEET_LAYOUTS)
        link = "pic.twitter.com/AbCdEfGh12"
        attribution = f"{name} (@{handle}) {posted}".rstrip()
        after = draw(st.lists(PROSE_WORD, max_size=4)) if posted else []
        parts.append(" ".join([*paragraph, link]) + layout + attribution + "".join(" " + w for w in after))
        words += [*paragraph, link, *after]
        tweets.append((name, handle))
    separator = draw(st.sampled_from(["\n\n", "\n"]))
    return " date 2021-10-21 " + separator.join(parts), words, tweets


@settings(max_examples=300, deadline=None)
@given(article_shapes())
def test_every_word_of_the_body_is_in_the_records_in_order(shape: tuple[str, list[str], list[tuple[str, str]]]) -> None:
    text, words, tweets = shape
    article = parse_article(text)
    assert " ".join(b.text for b in article.blocks).split() == words
    assert [(b.author, b.handle) for b in article.blocks if b.kind == "quote"] == tweets


SEGMENTED_SHAPES = st.one_of(
    article_shapes().map(lambda shape: shape[0]),
    st.lists(st.one_of(SHAPES, st.sampled_from(["\n", "\n\n", "Heading\n\n", "word. "])), max_size=60).map("".join),
    st.lists(st.sampled_from([HARD_WRAPPED, "\n\n", "Short heading\n\n", SEED_TWEET, "\n"]), max_size=8).map("".join),
    # Attributions and dates that belong to a block several blank lines away.
    st.lists(
        st.sampled_from(
            [
                "Words of a tweet pic.twitter.com/AbCdEfGh12",
                "— Ann (@ann)",
                "October 17, 2021",
                "Prose.",
                "Short line",
                "",
                "\n\n",
                # Near misses, which a segment may end beside, and Instagram's three blocks.
                "(@",
                "a (@b) c",
                "View this post on Instagram",
                "A post shared by Ann (@ann) on May 2, 2022",
                "Tweet may have been deleted",
            ]
        ),
        max_size=30,
    ).map(lambda lines: " date 2021-10-21 " + "\n".join(lines)),
    # Nothing but posts, where a segment may end only between two posts that take nothing across.
    st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "Words — A (@a) May 2, 2022",
                    "— B (@b) May 3, 2022",
                    "Words — C (@c)",
                    "Hmg",
                    "pic.twitter.com/AbCdEfGh12",
                    "Caption pic.twitter.com/AbCdEfGh12 — E (@e) May 4, 2022",
                    "A post shared by Ann (@ann) on May 2, 2022",
                    "View this post on Instagram",
                    "October 17, 2021",
                    "Tweet may have been deleted",
                    "Intro line that sets it up:",
                    "Words — A (@a) May 2, 2022 and prose after",
                ]
            ),
            st.sampled_from(["\n", "\n\n", "\n\n\n\n"]),
        ),
        max_size=30,
    ).map(lambda parts: " date 2021-10-21 " + "".join(line + gap for line, gap in parts)),
    # Markup: embeds, tags, entities, comments and scripts between plain lines.
    st.lists(
        st.one_of(
            st.sampled_from(list(MARKUP.values())),
            st.sampled_from(
                [
                    "<p>A paragraph in tags.</p>",
                    "Fish &amp; chips",
                    "Two&#10;lines&#xD;in one",
                    "<!-- a comment -->",
                    "<script>var a = 1;</script>",
                    "<script>",
                    "Plain prose.",
                    "Short line",
                    "— Ann (@ann) May 2, 2022",
                    "View this post on Instagram",  # which takes an embed after it, and the block after that
                    "A post shared by Ann (@ann) on May 2, 2022",
                    "",
                    "\n",
                ]
            ),
        ),
        max_size=25,
    ).map(lambda lines: " date 2021-10-21 " + "\n".join(lines)),
)


@settings(max_examples=300, deadline=None)
@given(SEGMENTED_SHAPES, st.sampled_from([1, 20, 80, 400]))
def test_segments_give_the_blocks_of_the_whole_article(text: str, size: int) -> None:
    whole = parse_article(text)
    segments = list(at.parse_article_segments(text, size=size))
    assert [b for segment in segments for b in segment.blocks] == list(whole.blocks)
    assert {(s.date, s.datetime) for s in segments} == {(whole.date, whole.datetime)}
    assert segments[0].problems == whole.problems
    assert all(not s.problems for s in segments[1:])


# The hostile shapes of the third round, as pieces to mix: entities that decode to whitespace, markup the
# parser rejects, unclosed scripts, attributions followed by prose or by dates cut off, phrases of many
# platforms in one block, runs of blank and whitespace lines.
HOSTILE_PIECES = st.sampled_from(
    [
        "&#11;",
        "&nbsp;",
        "&#x2028;",
        "&#28;&#31;",
        "b <br>",
        '<blockquote class="twitter-tweet"><p>x <![ y</p></blockquote>',
        "<![x]>",
        "put it in a <script> element, as the guide says.",
        "a <!-- b --> c",
        "— Ann (@ann) June is here",
        "— Ann (@a) I agree",
        "— Ann (@a) Septem",
        "?q=x&not_found=1&para=2&copy=3",
        "Tom &amp Jerry",
        "Una publicación compartida de Ann (@ann) ",
        "Publiée par Ann sur Jeudi 26 mars 2020 ",
        "View this post on Instagram",
        "Tweet may have been deleted",
        "[image or embed]",
        "\n",
        "\n\n\n\n",
        " \n\t\n\xa0\n",
        "BZh9",
        *(unit for unit, _ in ADVERSARIAL_SHAPES.values()),
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(HOSTILE_PIECES, SHAPES), max_size=30).map("".join), st.sampled_from([1, 40, 300]))
def test_mixes_of_hostile_shapes_parse_and_segment_as_one(body: str, size: int) -> None:
    """No exception escapes parse_article, no block is empty or holds a line break, and the segmented
    article equals the whole one, for any mix of the hostile shapes."""
    text = " date 2021-10-21 " + body
    whole = parse_article(text)
    assert all(block.text.strip() or block.kind == "quote" for block in whole.blocks)
    assert all(not set(block.text) & set("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029") for block in whole.blocks)
    segments = list(at.parse_article_segments(text, size=size))
    assert [block for segment in segments for block in segment.blocks] == list(whole.blocks)


def fuzz_parse_article(data: bytes) -> None:
    """The fuzz target: decoding, parsing and every output format never raise, whatever the bytes."""
    text, _ = at.decode_bytes(data)
    article = parse_article(text)
    for output_format in at.FORMATS:
        at.render("fuzz", article, at.Options(output_format=output_format, fields=at.RECORD_KEYS))


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.binary(max_size=3000), st.lists(SHAPES, max_size=40).map(lambda s: "".join(s).encode())))
def test_fuzz_target_on_random_input(data: bytes) -> None:
    fuzz_parse_article(data)


# ---------------------------------------------------------------------------
# The installed command
# ---------------------------------------------------------------------------


def _installed_command() -> list[str]:
    # Beside this Python first: the venv that runs the tests need not be activated.
    command = shutil.which("article-tool", path=os.path.dirname(sys.executable)) or shutil.which("article-tool")
    if command is None:
        if os.environ.get("CI"):
            pytest.fail("article-tool is not installed")
        pytest.skip("article-tool is not installed")
    return [command]


def test_installed_command_end_to_end(tmp_path: Path) -> None:
    command = _installed_command()
    big = tmp_path / "big.txt"
    big.write_text(" date 2021-10-21 " + "\n\n".join(f"Paragraph {i}." for i in range(100_000)))
    environment = {**os.environ, "LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": ""}
    # `| head -1` ends quietly.
    pipeline = subprocess.run(
        f"{command[0]} {big} | head -1", shell=True, capture_output=True, env=environment, check=True
    )
    assert pipeline.stdout == b"2021-10-21\tparagraph\t1\tParagraph 0.\n"
    assert pipeline.stderr == b""
    # Process substitution: a pipe given as a path.
    substituted = subprocess.run(
        ["bash", "-c", f"{command[0]} -f tsv <(printf ' date 2021-10-21 From a pipe.')"],
        capture_output=True,
        check=True,
    )
    assert substituted.stdout == b"2021-10-21\tparagraph\t1\tFrom a pipe.\n"
    # UTF-8 out whatever the locale.
    run = subprocess.run(
        [*command, "-f", "jsonl", "-"], input=SEED_TWEET.encode(), capture_output=True, env=environment
    )
    assert run.returncode == 1  # no date header
    assert json.loads(run.stdout)["author"] == "РОСКОСМОС"
    assert run.stderr == b"article-tool: -:1: no date header\n"


# ---------------------------------------------------------------------------
# The shared sets
# ---------------------------------------------------------------------------


@needs_shared
def test_the_dask_recipe_gives_the_records_of_the_command(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    readme = (HERE / "README.md").read_text(encoding="utf-8")
    start = readme.index("```python\n# Dask: ") + len("```python\n")
    (tmp_path / "recipe.py").write_text(readme[start : readme.index("```", start)])
    (tmp_path / "corpus").symlink_to(CORPUS)
    environment = {**os.environ, "PYTHONPATH": str(HERE)}
    subprocess.run([sys.executable, "recipe.py"], cwd=tmp_path, env=environment, check=True, timeout=300)
    parts = sorted((tmp_path / "records").glob("*.jsonl"), key=lambda part: int(part.stem))
    # Read back as `cat records/*.jsonl` gives them: a part without its final newline joined two records.
    joined = "".join(part.read_text(encoding="utf-8") for part in parts)
    assert joined.endswith("\n")
    from_dask = [json.loads(line) for line in joined.splitlines()]
    paths = sorted(str(path.relative_to(tmp_path)) for path in (tmp_path / "corpus").glob("*.txt"))
    command = subprocess.run(
        [sys.executable, str(HERE / "article_tool.py"), "-f", "jsonl", *paths], cwd=tmp_path, capture_output=True
    )
    assert from_dask == [json.loads(line) for line in command.stdout.decode().splitlines()]
    assert len(from_dask) > 2500


@pytest.mark.skipif(not SEED.is_file(), reason="needs ../shared/samples")
def test_seed_article() -> None:
    text, _ = at.read_input(str(SEED))
    article = parse_article(text)
    assert article.date == "2021-10-21"
    kinds = Counter(block.kind for block in article.blocks)
    assert kinds == {"paragraph": 23, "heading": 2, "quote": 1}
    assert [b.text for b in article.blocks if b.kind == "heading"] == [
        "New space race",
        "The universe beyond scientists",
    ]
    (quote,) = (b for b in article.blocks if b.kind == "quote")
    assert (quote.platform, quote.author, quote.handle, quote.posted, quote.url) == (
        "twitter",
        "РОСКОСМОС",
        "roscosmos",
        "2021-10-17",
        "https://pic.twitter.com/9P6yv4jCZx",
    )


@needs_shared
@pytest.mark.parametrize("record", accuracy.truth(SHARED) if CORPUS.is_dir() else [], ids=lambda r: str(r["file"]))
def test_corpus_date_and_block_count(record: dict[str, Any]) -> None:
    text, warnings = at.read_input(str(CORPUS / str(record["file"])))
    article = parse_article(text)
    assert warnings == []
    assert article.date == record["date"]
    assert len(article.blocks) == record["paragraphs"]
    segments = list(at.parse_article_segments(text, size=300))
    assert [block for segment in segments for block in segment.blocks] == list(article.blocks)


CRAWL_FILES = sorted((SHARED / "crawl" / "files").glob("*.txt"))


def _every_block_text() -> Iterator[str]:
    """The text of every block of the samples and of the shared sets that are beside the project."""
    paths = [
        *SAMPLES,
        *CRAWL_FILES,
        *sorted((SHARED / "crawl2" / "files").glob("*.txt")),
        *sorted(CORPUS.glob("*.txt")),
    ]
    for path in paths:
        text = at.normalize_newlines(at.read_input(str(path))[0])
        header = at._parse_header(text, True)
        for _, block_text, _, _, _ in at._body_blocks(text, header.body_start, header.body_line):
            yield block_text


def test_every_finder_finds_the_same_with_the_hint_gate_on_and_off() -> None:
    """A finder runs only on blocks holding a hint of a post: every post it finds holds one of its own
    platform's hints, so none is lost to the gate."""
    finders = [finder for platform in at.PLATFORMS for finder in platform.finders]
    finders += [platform.find_unattributed for platform in at.PLATFORMS if platform.find_unattributed]
    found: Counter[str] = Counter()
    for text in _every_block_text():
        gated = at._has_hint(text)
        for finder in finders:
            post = finder(text, 0)
            if post is None:
                continue
            platform = at.PLATFORM_BY_NAME[post.platform]
            own_hint = any(c in text for c in platform.hint_characters) or any(w in text for w in platform.hint_words)
            assert gated, (finder.__name__, text)
            assert own_hint, (finder.__name__, text)
            found[post.platform] += 1
    assert len(found) >= 7, found  # every platform the samples and sets flatten


@pytest.mark.skipif(not CRAWL_FILES, reason="needs ../shared/crawl")
@pytest.mark.parametrize("size", [1, 40, 300])
def test_crawl_files_in_segments_give_their_whole_blocks(size: int) -> None:
    for path in CRAWL_FILES:
        text, _ = at.read_input(str(path))
        segments = list(at.parse_article_segments(text, size=size))
        assert [block for segment in segments for block in segment.blocks] == list(parse_article(text).blocks), path


FLOORS = json.loads((HERE / "benchmarks" / "floors.json").read_text(encoding="utf-8"))


@needs_shared
def test_the_floors_were_measured_on_this_data() -> None:
    assert accuracy.digest(SHARED) == FLOORS["data_sha256"], "the labelled data changed: run accuracy.py --write"


@needs_shared
@pytest.mark.parametrize("name", sorted(FLOORS["sets"]))
def test_accuracy_holds_its_floors(name: str) -> None:
    """Each figure of benchmarks/accuracy.py at least the one floors.json holds (accuracy.py --write)."""
    score = accuracy.SETS[name](SHARED, None)
    floors = FLOORS["sets"][name]
    assert set(floors) == set(accuracy.MEASURES) & set(score)
    assert [f"{key} {score[key]:.3f} < {floor}" for key, floor in floors.items() if score[key] < floor] == []


@needs_shared
@pytest.mark.parametrize(
    "variant",
    [
        "cp1251",
        "latin1",
        "cp1252",
        "bom",
        "crlf",
        "html_entities",
        "hardwrap72",
        "single_newline",
        "date_line",
        "iso_datetime",
        "raw_embed_html",
    ],
)
def test_corpus_variants_give_the_records_of_their_base(variant: str) -> None:
    (record,) = (r for r in accuracy.truth(SHARED) if r.get("variant") == variant)
    variant_text, _ = at.read_input(str(CORPUS / str(record["file"])))
    base_text, _ = at.read_input(str(CORPUS / str(record["base_file"])))
    variant_article, base_article = parse_article(variant_text), parse_article(base_text)
    assert variant_article.date == base_article.date

    def fields(block: at.Block) -> tuple[object, ...]:
        # Only markup carries the status link; the flattened text carries the picture's.
        return (
            block.kind,
            block.n,
            block.text,
            block.section,
            block.platform,
            block.author,
            block.handle,
            block.posted,
        ) + ((block.url,) if variant != "raw_embed_html" else ())

    assert [fields(b) for b in variant_article.blocks] == [fields(b) for b in base_article.blocks]


if __name__ == "__main__":
    # Fuzzing with atheris (pip install atheris): python test_article_tool.py -max_total_time=300
    import atheris

    atheris.instrument_all()
    atheris.Setup(sys.argv, fuzz_parse_article)
    atheris.Fuzz()
