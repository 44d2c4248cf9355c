"""Time and memory of article-tool on corpora as they ship: a tar.gz and a WET file of the benchmark's articles.

Run by hand, not in the test suite:

    python benchmarks/collections_bench.py [--files 3000] [--runs 5] [--big] [--against OTHER_ARTICLE_TOOL]

It builds bench.py's corpus of seed-sized articles, then times, in turns:

- the loose files (``--files-from``), the same articles as one ``.tar.gz``, and as a WET file (a gzipped
  ``conversion`` record per article, as Common Crawl writes them), each to JSON Lines;
- with ``--big``, the peak memory of a tar of about 2 GB of small files and of a WET file of 100,000
  records, against one file's: a collection is read as a stream, one article at a time;
- with ``--against``, another build on the loose files, the ratio that tells whether reading collections
  cost the plain path anything.
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import statistics
import sys
import tarfile
import tempfile
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.bench import build_corpus, peak_rss, run  # noqa: E402


def write_tar(paths: list[str], target: Path, repeat: int = 1) -> Path:
    """A gzipped tar of the files, ``repeat`` times over (each copy under a name of its own)."""
    with tarfile.open(target, "w:gz", compresslevel=1) as archive:
        for copy in range(repeat):
            for path in paths:
                data = Path(path).read_bytes()
                info = tarfile.TarInfo(f"{copy:04d}/{Path(path).name}")
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
    return target


def write_wet(paths: list[str], target: Path, records: int) -> Path:
    """A WET file of ``records`` conversion records, the files' texts in turn, each gzipped by itself."""
    with open(target, "wb") as output:
        for number in range(records):
            text = Path(paths[number % len(paths)]).read_bytes()
            head = (
                "WARC/1.1\r\nWARC-Type: conversion\r\n"
                f"WARC-Target-URI: https://example.com/news/{number}\r\nWARC-Date: 2021-10-21T10:00:00Z\r\n"
                f"WARC-Record-ID: <urn:uuid:{uuid.UUID(int=number)}>\r\nContent-Type: text/plain\r\n"
                f"Content-Length: {len(text)}\r\n\r\n"
            )
            output.write(gzip.compress(head.encode() + text + b"\r\n\r\n", compresslevel=1))
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--big", action="store_true", help="also the 2 GB tar and the 100,000-record WET file")
    parser.add_argument("--against", help="another article-tool, on the loose files")
    args = parser.parse_args()
    tool = str(Path(sys.executable).with_name("article-tool"))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        listing = build_corpus(root / "corpus", args.files)
        paths = listing.read_text().split()
        tar = write_tar(paths, root / "corpus.tar.gz")
        wet = write_wet(paths, root / "corpus.warc.wet.gz", len(paths))
        commands = {
            "loose files": [tool, "-f", "jsonl", "--files-from", str(listing)],
            "one .tar.gz": [tool, "-f", "jsonl", str(tar)],
            "one WET file": [tool, "-f", "jsonl", str(wet)],
        }
        if args.against:
            commands["loose files, OTHER"] = [args.against, "-f", "jsonl", "--files-from", str(listing)]
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(run(command))
        floor = statistics.median(times["loose files"])
        print(f"# {args.files} articles, medians of {args.runs} runs in turns")
        print("| run | median | against the loose files |")
        print("| --- | ---: | ---: |")
        for name, values in times.items():
            print(f"| {name} | {statistics.median(values) * 1000:.0f} ms | {statistics.median(values) / floor:.3f}x |")
        if args.big:
            one = peak_rss([tool, "-f", "jsonl", paths[0]])
            big_tar = write_tar(
                paths, root / "big.tar.gz", repeat=max(1, (2 << 30) // sum(map(os.path.getsize, paths)))
            )
            big_wet = write_wet(paths, root / "big.warc.wet.gz", 100_000)
            print("\n| input | size | peak RSS | over one file's |")
            print("| --- | ---: | ---: | ---: |")
            print(f"| one file | {os.path.getsize(paths[0]) / 1e3:.0f} KB | {one / 1024:.1f} MiB | |")
            for name, path in (("tar.gz of ~2 GB of files", big_tar), ("WET file, 100,000 records", big_wet)):
                peak = peak_rss([tool, "-f", "jsonl", str(path)])
                size = os.path.getsize(path) / 1e6
                print(f"| {name} | {size:.0f} MB | {peak / 1024:.1f} MiB | +{(peak - one) / 1024:.1f} MiB |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
