"""Benchmark article-tool against the floor for Python (a minimal splitter) and awk.

Run by hand, not in the test suite (the machines are shared and noisy, so
every figure is a median of several runs, and every target is a ratio of two
commands run in turns in the same session):

    python benchmarks/bench.py [--files 10000] [--runs 5] [--against OTHER_ARTICLE_TOOL]

It builds a corpus of seed-sized articles (23 paragraphs, 2 headings and one
embedded post each, like ../shared/samples/000_*.txt) from the blocks of
samples/*.txt, then times, in one run:

- article-tool TSV and JSON Lines over the corpus against the splitter;
- article-tool -j 2 against the splitter;
- start-up on one small file against the splitter on the same file;
- peak memory of the 10,000-file run against a one-file run, and of a 50 MB
  single article;
- awk in paragraph mode, the C reference;
- with ``--against``, another article-tool (say, main's, installed in a venv of
  its own) on the same corpus, TSV, JSON Lines and start-up taken in turns
  with this one: the ratios that tell whether a change made it slower.

Peak memory is each command's own, as /usr/bin/time reports it: a child's
``ru_maxrss`` seen from here would include this process's size at the fork.

The tool is run as installed (`article-tool` next to this Python), so its
module is loaded from byte code as users get it.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent / "samples"
sys.path.insert(0, str(HERE.parent))

import article_tool  # noqa: E402  (the tool's own parser sorts the sample blocks)

# The floor for Python: read each file, split the header and the blank-line
# blocks, print them.  Nothing the tool does can take less.
SPLITTER = r"""
import re, sys
HEADER = re.compile(r"\s*date\s+(\S+)\s*")
write = sys.stdout.write
with open(sys.argv[1], encoding="utf-8") as listing:
    paths = listing.read().split("\n")
for path in paths:
    if not path:
        continue
    with open(path, encoding="utf-8") as stream:
        text = stream.read()
    match = HEADER.match(text)
    date, body = (match.group(1), text[match.end():]) if match else ("", text)
    for n, block in enumerate(body.split("\n\n"), 1):
        block = block.strip()
        if block:
            write(f"{date}\t{n}\t{block}\n")
"""

AWK = r"""BEGIN { RS = "" } FNR == 1 { date = $2 } { gsub(/\n/, " "); print date "\t" FNR "\t" $0 }"""


def sample_blocks() -> tuple[list[str], list[str], list[str]]:
    """Paragraphs, headings and quotes of the samples, as the tool classifies them."""
    paragraphs, headings, quotes = [], [], []
    for path in sorted(SAMPLES.glob("*.txt")):
        article = article_tool.parse_article(path.read_text(encoding="utf-8"))
        for block in article.blocks:
            if block.kind == "quote" and block.handle and block.platform == "twitter":
                quotes.append(f"{block.text} — {block.author} (@{block.handle}) May 2, 2022")
            elif block.kind == "heading":
                headings.append(block.text)
            elif block.kind == "paragraph" and not article_tool.QUOTE_HINT_RE.search(block.text):
                paragraphs.append(block.text)
    return paragraphs, headings, quotes


def build_corpus(root: Path, count: int) -> Path:
    paragraphs, headings, quotes = sample_blocks()
    rng = random.Random(20211021)
    paths = []
    for i in range(count):
        # The seed's paragraphs are twice as long as the samples': two make one.
        blocks = [f"{rng.choice(paragraphs)} {rng.choice(paragraphs)}" for _ in range(23)]
        blocks.insert(rng.randrange(4, 20), rng.choice(quotes))
        blocks.insert(8, rng.choice(headings))
        blocks.insert(17, rng.choice(headings))
        folder = root / f"{i // 1000:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{i:06d}.txt"
        path.write_text(f" date 2021-{1 + i % 12:02d}-{1 + i % 28:02d} " + "\n\n".join(blocks) + "\n", "utf-8")
        paths.append(str(path))
    listing = root / "list.txt"
    listing.write_text("\n".join(paths) + "\n", "utf-8")
    return listing


def run(command: list[str] | str, shell: bool = False) -> float:
    """Wall time of one command, output discarded."""
    started = time.perf_counter()
    status = subprocess.run(command, shell=shell, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    elapsed = time.perf_counter() - started
    if status not in (0, 1):
        raise SystemExit(f"failed: {command}")
    return elapsed


def peak_rss(command: list[str]) -> int:
    """Peak memory (KiB) of one command by itself, as GNU time measures it from its own small process."""
    timed = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    if timed.returncode not in (0, 1):
        raise SystemExit(f"failed: {command}")
    return int(timed.stderr.strip().splitlines()[-1])


def median_times(commands: dict[str, list[str] | str], runs: int) -> dict[str, float]:
    """Median wall time of each command, run in turns (one of each per round), so that a busy
    moment of the shared machine slows every command of a round, not all the runs of one."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(run(command, shell=isinstance(command, str)))
    return {name: statistics.median(values) for name, values in times.items()}


def peak_memory(command: list[str], runs: int) -> int:
    return int(statistics.median(peak_rss(command) for _ in range(runs)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--big-mb", type=int, default=50)
    parser.add_argument("--against", metavar="OTHER_ARTICLE_TOOL", help="another article-tool to compare with")
    args = parser.parse_args()
    if not os.access("/usr/bin/time", os.X_OK):
        raise SystemExit("the memory rows need GNU time: apt-get install time")

    tool = shutil.which("article-tool", path=str(Path(sys.executable).parent)) or shutil.which("article-tool")
    awk = shutil.which("mawk") or shutil.which("gawk") or shutil.which("awk")
    if tool is None:
        raise SystemExit("install the project first: pip install .")
    python = sys.executable

    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        listing = build_corpus(root / "corpus", args.files)
        splitter = root / "splitter.py"
        splitter.write_text(SPLITTER, "utf-8")
        one = root / "one.txt"
        first = listing.read_text().split("\n")[0]
        one.write_text(first + "\n")
        big = root / "big.txt"
        paragraph = sample_blocks()[0]
        with open(big, "w", encoding="utf-8") as stream:
            stream.write(" date 2021-10-21 ")
            size = 0
            rng = random.Random(1)
            while size < args.big_mb * 1_000_000:
                text = rng.choice(paragraph) + "\n\n"
                stream.write(text)
                size += len(text.encode())

        rows: list[tuple[str, float, str]] = []
        corpus_runs: dict[str, list[str] | str] = {
            "splitter": [python, str(splitter), str(listing)],
            "tsv": [tool, "-f", "tsv", "--files-from", str(listing)],
            "jsonl": [tool, "-f", "jsonl", "--files-from", str(listing)],
            "jobs2": [tool, "-f", "tsv", "-j", "2", "--files-from", str(listing)],
        }
        if args.against:
            corpus_runs["against tsv"] = [args.against, "-f", "tsv", "--files-from", str(listing)]
            corpus_runs["against jsonl"] = [args.against, "-f", "jsonl", "--files-from", str(listing)]
        if awk:
            corpus_runs["awk"] = f"xargs -a {listing} {awk} '{AWK}' > /dev/null"
        medians = median_times(corpus_runs, args.runs)
        base, tsv, jsonl, jobs2 = medians["splitter"], medians["tsv"], medians["jsonl"], medians["jobs2"]
        awk_time = medians.get("awk", float("nan"))
        rows += [
            (f"splitter, {args.files} files", base, "1.00x (floor)"),
            ("article-tool -f tsv", tsv, f"{tsv / base:.2f}x (target <= 2.0x)"),
            ("article-tool -f jsonl", jsonl, f"{jsonl / base:.2f}x (target <= 2.0x)"),
            ("article-tool -j 2", jobs2, f"{jobs2 / base:.2f}x (target <= 1.2x)"),
            (f"awk paragraph mode ({Path(awk).name if awk else '-'})", awk_time, f"{awk_time / base:.2f}x"),
        ]
        if args.against:
            rows += [
                ("article-tool -f tsv, against OTHER", tsv, f"{tsv / medians['against tsv']:.3f}x OTHER's"),
                ("article-tool -f jsonl, against OTHER", jsonl, f"{jsonl / medians['against jsonl']:.3f}x OTHER's"),
            ]
        small_runs = max(args.runs * 4, 21)
        start_runs: dict[str, list[str] | str] = {
            "splitter": [python, str(splitter), str(one)],
            "tool": [tool, first],
            "python": [python, "-c", "pass"],
        }
        if args.against:
            start_runs["against"] = [args.against, first]
        starts = median_times(start_runs, small_runs)
        start_base, start_tool, start_python = starts["splitter"], starts["tool"], starts["python"]
        rows += [
            ("python -c pass", start_python, ""),
            ("splitter, one file", start_base, "1.00x"),
            ("article-tool, one file", start_tool, f"{start_tool / start_base:.2f}x (target <= 2.0x)"),
        ]
        if args.against:
            rows.append(("article-tool, one file, against OTHER", start_tool, f"{start_tool / starts['against']:.3f}x"))
        memory_one = peak_memory([tool, first], args.runs)
        memory_all = peak_memory([tool, "--files-from", str(listing)], max(3, args.runs // 2))
        memory_big = peak_memory([tool, str(big)], 3)
        big_mib = big.stat().st_size / 2**20

    if args.against:
        print(f"OTHER: {args.against}")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.platform()}; {time.strftime('%Y-%m-%d')}; medians of {args.runs} runs"
    )
    print()
    print("| run | median | ratio |")
    print("| --- | ---: | --- |")
    for name, seconds, ratio in rows:
        print(f"| {name} | {seconds * 1000:.0f} ms | {ratio} |")
    print()
    print("| memory | peak RSS | target |")
    print("| --- | ---: | --- |")
    print(f"| one file | {memory_one / 1024:.1f} MiB | |")
    print(
        f"| {args.files} files | {memory_all / 1024:.1f} MiB | within 15 MiB of one file: "
        f"{(memory_all - memory_one) / 1024:+.1f} MiB |"
    )
    print(
        f"| one {big_mib:.0f} MiB article | {memory_big / 1024:.1f} MiB | under 5x its size: "
        f"{memory_big / 1024 / big_mib:.2f}x |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
