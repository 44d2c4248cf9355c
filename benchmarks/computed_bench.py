"""What each computed key and filter costs: whole runs over the benchmark's articles, in turns.

    python benchmarks/computed_bench.py [--files 3000] [--runs 7] [--memory-files 30000]

Each row is ``article-tool -f jsonl --files-from LIST`` with its options, its
median over ``--runs`` rounds (one of each a round), and its cost an article
over the plain run's.  The corpus is bench.py's (dated 2021-01-01 to
2021-12-28, a month each twelfth file), so ``--since 2021-12`` keeps one file
in twelve.  With ``--memory-files``, the peak memory of ``--repeated 2`` over
that many files against the plain run's (the table of block hashes and the
first ids of the bodies grow with the distinct blocks and articles).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks import bench  # noqa: E402  (the benchmark's corpus and its timing)

RUNS = {
    "plain": [],
    "--lang": ["--lang"],
    "--hash": ["--hash"],
    "--repeated 2": ["--repeated", "2"],
    "--lang --hash --repeated 2": ["--lang", "--hash", "--repeated", "2"],
    "--since 2021-12 (one file in twelve)": ["--since", "2021-12"],
    "--require-date (every file)": ["--require-date"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--memory-files", type=int, default=0)
    args = parser.parse_args()
    tool = shutil.which("article-tool", path=str(Path(sys.executable).parent))
    if tool is None:
        raise SystemExit("install the project first: pip install '.[lang]'")

    with tempfile.TemporaryDirectory() as temporary:
        listing = bench.build_corpus(Path(temporary) / "corpus", args.files)
        base = [tool, "-f", "jsonl", "--files-from", str(listing)]
        medians = bench.median_times({name: [*base, *options] for name, options in RUNS.items()}, args.runs)
        print(f"{args.files} files, medians of {args.runs} runs in turns")
        print()
        print("| run | median | against plain | an article |")
        print("| --- | ---: | ---: | ---: |")
        for name, seconds in medians.items():
            extra = (seconds - medians["plain"]) / args.files * 1e6
            print(f"| {name} | {seconds * 1000:.0f} ms | {seconds / medians['plain']:.3f}x | {extra:+.0f} µs |")
        if args.memory_files:
            listing = bench.build_corpus(Path(temporary) / "memory", args.memory_files)
            base = [tool, "-f", "jsonl", "--files-from", str(listing)]
            plain, repeated = bench.peak_rss(base), bench.peak_rss([*base, "--repeated", "2"])
            hashes = subprocess.run(
                [*base, "-f", "tsv", "--fields", "hash"], capture_output=True, check=False
            ).stdout.splitlines()
            print()
            print(
                f"peak memory over {args.memory_files} files ({len(set(hashes))} distinct blocks of "
                f"{len(hashes)}): plain {plain / 1024:.1f} MiB, --repeated 2 {repeated / 1024:.1f} MiB "
                f"({(repeated - plain) / 1024:+.1f} MiB)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
