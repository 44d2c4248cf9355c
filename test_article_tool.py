"""Tests of article_tool: each piece, the golden samples, the CLI, and the shared corpus when it is there."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import article_tool as at
from article_tool import main, parse_article

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


def blocks_of(text: str) -> list[tuple[str, str]]:
    return [(block.kind, block.text) for block in parse_article(text).blocks]


def only_quote(text: str) -> at.Block:
    quotes = [block for block in parse_article(text).blocks if block.kind == "quote"]
    assert len(quotes) == 1, parse_article(text).blocks
    return quotes[0]


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
        (" date 2021-10-21 \n\nOn the next line.", "2021-10-21", None, "On the next line."),
        (" date 2021-10-21\n\n\nAfter blank lines.", "2021-10-21", None, "After blank lines."),
        ("Date: Thursday, 21 October 2021\n\nBody.", "2021-10-21", None, "Body."),
        ("Date: October 21, 2021\n\nBody.", "2021-10-21", None, "Body."),
        ("Date: October 2021\n\nBody.", "2021-10", None, "Body."),
        ("Date: 21 October 2021 14:05\n\nBody.", "2021-10-21", "2021-10-21T14:05:00", "Body."),
        ("\n\n  date 2021-10-21 Leading blank lines.", "2021-10-21", None, "Leading blank lines."),
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
        ("Date: someday soon\n\nBody.", "invalid date 'someday soon'"),
        ("The crew returned.", "no date header"),
        ("Date night ideas for couples\n\nBody.", "no date header"),
    ],
)
def test_header_problems(text: str, message: str) -> None:
    article = parse_article(text)
    assert article.date is None
    assert article.problems[0].line == 1
    assert article.problems[0].message.startswith(message)
    assert article.blocks[-1].text == "Body." or article.blocks[0].text.startswith("The crew")


def test_header_is_never_shifted_by_time_zone() -> None:
    assert parse_article(" date 2021-10-21T23:30:00-05:00 x").date == "2021-10-21"
    assert parse_article("Date: 2021-10-21 23:30 -0500\n\nx").date == "2021-10-21"


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


def test_kinds_title_heading_paragraph_and_sections() -> None:
    article = parse_article(
        " date 2021-10-21 A headline without a full stop\n\nFirst paragraph.\n\nNew space race\n\n"
        "Second paragraph.\n\nthe lower-case line is no heading\n\nWhy does it matter?"
    )
    assert [(b.kind, b.n, b.section) for b in article.blocks] == [
        ("title", 1, None),
        ("paragraph", 2, None),
        ("heading", 3, None),
        ("paragraph", 4, "New space race"),
        ("paragraph", 5, "New space race"),
        ("heading", 6, "New space race"),
    ]


def test_line_numbers_point_at_the_block() -> None:
    article = parse_article(" date 2021-01-01 First.\n\nSecond.\nThird.\n\n\nFourth.")
    assert [b.line for b in article.blocks] == [1, 3, 4, 7]


# ---------------------------------------------------------------------------
# Quotes: the core shapes (the full set is in the quote tests below)
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


def test_prose_after_the_date_is_a_paragraph_of_its_own() -> None:
    article = parse_article("What a goal — Club (@club) September 1, 2021 The defender then left the pitch.")
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("quote", "What a goal"),
        ("paragraph", "The defender then left the pitch."),
    ]


# ---------------------------------------------------------------------------
# Formatting
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


def test_text_view_never_passes_control_characters() -> None:
    article = parse_article(" date 2021-01-01 Evil \x1b]0;title\x07 text \x1b[2J and \u202e reversed.")
    view = at.format_text("a\x1bfile.txt", article, article.blocks)
    assert "\x1b" not in view
    assert "\x07" not in view
    assert "\u202e" not in view
    assert "\\x1b" in view


# ---------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------


@pytest.fixture
def article_file(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text(" date 2021-10-21 Headline here\n\nFirst paragraph.\n\nSection\n\n" + SEED_TWEET + "\n")
    return path


def test_cli_tsv_default(article_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-f", "tsv", str(article_file)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "2021-10-21\ttitle\t1\tHeadline here"
    assert [line.split("\t")[1] for line in lines] == ["title", "paragraph", "heading", "quote"]


def test_cli_tsv_file_column_fields_and_header(article_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-f", "tsv", str(article_file), str(article_file)]) == 0
    assert capsys.readouterr().out.splitlines()[0].split("\t")[0] == str(article_file)
    assert main(["-f", "tsv", "--no-filename", str(article_file), str(article_file)]) == 0
    assert capsys.readouterr().out.splitlines()[0].split("\t")[0] == "2021-10-21"
    assert main(["-f", "tsv", "-H", str(article_file)]) == 0
    assert capsys.readouterr().out.splitlines()[0].split("\t")[0] == str(article_file)
    assert main(["-f", "tsv", "--header", "--fields", "handle,posted,section", "-k", "quote", str(article_file)]) == 0
    assert capsys.readouterr().out.splitlines() == ["handle\tposted\tsection", "roscosmos\t2021-10-17\tSection"]


def test_cli_jsonl_records(article_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-f", "jsonl", str(article_file)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["n"] for r in records] == [1, 2, 3, 4]
    for record in records:
        assert {"file", "date", "kind", "n", "section", "text"} <= record.keys()
    quote = records[-1]
    assert {k: quote[k] for k in at.QUOTE_KEYS} == {
        "platform": "twitter",
        "author": "РОСКОСМОС",
        "handle": "roscosmos",
        "posted": "2021-10-17",
        "url": "https://pic.twitter.com/9P6yv4jCZx",
    }
    assert quote["section"] == "Section"


def test_cli_json_one_object_per_article(article_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-f", "json", "-k", "quote,heading", str(article_file), str(article_file)]) == 0
    documents = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(documents) == 2
    assert documents[0]["date"] == "2021-10-21"
    assert [b["kind"] for b in documents[0]["blocks"]] == ["heading", "quote"]
    assert [b["n"] for b in documents[0]["blocks"]] == [3, 4]


def test_cli_text_view(article_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["-f", "text", str(article_file)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "— РОСКОСМОС (@roscosmos) · twitter · 2021-10-17" in out
    assert main(["-f", "text", "--color", "always", str(article_file)]) == 0
    assert "\x1b[1m" in capsys.readouterr().out


def test_cli_reads_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", _BytesStdin(b" date 2021-10-21 From a pipe."))
    assert main(["-f", "jsonl"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert (record["file"], record["text"]) == ("-", "From a pipe.")


class _BytesStdin:
    def __init__(self, data: bytes) -> None:
        import io

        self.buffer = io.BytesIO(data)


def test_cli_invalid_date_warns_and_still_prints(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(" date 2021-13-45 Body text.")
    assert main(["-f", "tsv", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == "\tparagraph\t1\tBody text.\n"
    assert captured.err == f"article-tool: {path}:1: invalid date '2021-13-45': month must be in 1..12\n"
    assert main(["-q", "-f", "tsv", str(path)]) == 1
    assert capsys.readouterr().err == ""


def test_cli_unreadable_inputs_exit_2_and_others_still_run(
    tmp_path: Path, article_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.txt"
    assert main(["-f", "tsv", "-q", str(missing), str(tmp_path), str(article_file)]) == 2
    captured = capsys.readouterr()
    assert f"article-tool: {missing}: No such file or directory" in captured.err
    assert f"article-tool: {tmp_path}: is a directory" in captured.err
    assert captured.out.count("\n") == 4


@pytest.mark.parametrize(
    "argv",
    [["--format", "xml"], ["--kind", "tweet"], ["--fields", "nope"], ["--jobs", "-1"], ["--encoding", "nope"]],
)
def test_cli_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert "article-tool: error:" in capsys.readouterr().err


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
        "bad = [m for m in ('bs4', 'dateutil.parser') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=HERE)


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


WORDS = st.lists(
    st.sampled_from(["alpha", "beta", "gamma", "delta", "Epsilon", "zeta", "eta"]), min_size=1, max_size=12
)


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS.map(" ".join), min_size=1, max_size=8), st.sampled_from(["\n", "\n\n", "\n \n\n"]))
def test_every_word_of_plain_prose_is_kept_in_order(paragraphs: list[str], separator: str) -> None:
    text = " date 2021-01-01 " + separator.join(paragraphs)
    words = " ".join(b.text for b in parse_article(text).blocks).split()
    assert words == " ".join(paragraphs).split()


# ---------------------------------------------------------------------------
# The installed command
# ---------------------------------------------------------------------------


def _installed_command() -> list[str]:
    command = shutil.which("article-tool")
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
    # UTF-8 out whatever the locale.
    run = subprocess.run(
        [*command, "-f", "jsonl", "-"], input=SEED_TWEET.encode(), capture_output=True, env=environment
    )
    assert run.returncode == 1  # no date header
    assert json.loads(run.stdout)["author"] == "РОСКОСМОС"
    assert run.stderr == b"article-tool: -:1: no date header\n"


# ---------------------------------------------------------------------------
# The shared corpus
# ---------------------------------------------------------------------------


def _truth() -> list[dict[str, object]]:
    with open(CORPUS / "truth.jsonl", encoding="utf-8") as stream:
        return [json.loads(line) for line in stream]


@needs_shared
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
@pytest.mark.parametrize("record", _truth() if CORPUS.is_dir() else [], ids=lambda r: str(r["file"]))
def test_corpus_date_and_block_count(record: dict[str, object]) -> None:
    text, warnings = at.read_input(str(CORPUS / str(record["file"])))
    article = parse_article(text)
    assert warnings == []
    assert article.date == record["date"]
    assert len(article.blocks) == record["paragraphs"]
