"""Time and peak memory of article-tool on the hostile shapes of input, as users meet them: one file each.

Run by hand, not in the test suite (the tests hold the same bounds as ratios, on smaller inputs):

    python benchmarks/hostile.py [--mb 20] [--timeout 120] [--against OTHER_ARTICLE_TOOL] [--only NAME]

Each shape is written to a file of about ``--mb`` megabytes (the shapes the
README's bounds were broken by, in hostile-input rounds two and three), then
run through the installed ``article-tool`` (the one next to this Python) and,
with ``--against``, through another build, in turns.  It prints, for each
command, the wall time and the peak memory /usr/bin/time reports, against the
input's size: the README promises linear time, and memory within 4 times the
input or 200 MiB, whichever is more.  A run that passes ``--timeout`` is
stopped and shown as such.
"""

from __future__ import annotations

import argparse
import bz2
import lzma
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

HEADER = b" date 2021-10-21 "


class Shape(NamedTuple):
    """A hostile input: its bytes, of about ``size`` bytes of text, and the options it is run with."""

    make: Callable[[int], bytes]
    options: tuple[str, ...] = ()


def repeated(unit: str) -> Callable[[int], bytes]:
    """A body of ``unit`` repeated to the size."""
    return lambda size: HEADER + unit.encode() * (size // len(unit.encode()))


def nested_embed(size: int) -> bytes:
    depth = size // 11
    return HEADER + b'<blockquote class="twitter-tweet">' + b"<div>" * depth + b"x</div>" * depth + b"</blockquote>"


def one_embed(size: int) -> bytes:
    inner = b"<p>Words of a post.</p>" * (size // 23)
    return HEADER + b'Intro.\n\n<blockquote class="twitter-tweet">' + inner + b"</blockquote>\n\nEnd.\n"


def legacy(size: int) -> bytes:
    line = ("Café naïve déjà vu, l'été € " * 40).encode("cp1252") + b".\n\n"
    return HEADER + line * (size // len(line))


def mixed(size: int) -> bytes:
    line = ("Café naïve déjà vu, l'été " * 40).encode("cp1252") + " ‘quoted’ ".encode() + b".\n\n"
    return HEADER + line * (size // len(line))


def bzip2_bomb(size: int) -> bytes:
    return bz2.compress(b"\0" * (size * 20))  # 20 times the size once decompressed


def xz_streams(size: int) -> bytes:
    stream = lzma.compress(HEADER + b"Words. " * (size // 7))
    return stream * 20


SHAPES: dict[str, Shape] = {
    "blank lines": Shape(repeated("\n")),
    "whitespace lines": Shape(repeated(" \t\xa0\n")),
    "instagram in Spanish": Shape(repeated("Una publicación compartida de Ann (@ann) ")),
    "facebook in French": Shape(repeated("Publiée par Ann sur Jeudi 26 mars 2020 ")),
    "nested divs in an embed": Shape(nested_embed),
    "one embed": Shape(one_embed),
    "attributions alone": Shape(repeated("— Ann (@ann)\n")),
    "instagram openers": Shape(repeated("View this post on Instagram\n\n")),
    "media stand-ins": Shape(repeated("[image or embed]\n\n")),
    "deleted tweets": Shape(repeated("Tweet may have been deleted\n\n")),
    "instagram attributions": Shape(repeated("A post shared by Ann (@ann)\n\n")),
    "cut handles": Shape(repeated("(@\n")),
    "cp1252": Shape(legacy),
    "UTF-8 mixed with cp1252": Shape(mixed),
    "one line, text view": Shape(repeated("word "), ("-f", "text", "--width", "80")),
    "bzip2 bomb (.bz2)": Shape(bzip2_bomb),
    "xz streams (.xz)": Shape(xz_streams),
}
SUFFIXES = {"bzip2 bomb (.bz2)": ".bz2", "xz streams (.xz)": ".xz"}


def measure(command: list[str], timeout: float) -> tuple[float, int] | None:
    """(wall seconds, peak KiB) of ``command``, its output dropped; None if it passed ``timeout`` (then it
    is killed, /usr/bin/time and the tool both: they run in a session of their own)."""
    started = time.perf_counter()
    with subprocess.Popen(
        ["/usr/bin/time", "-f", "%M", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as process:
        try:
            _, errors = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            return None
    return time.perf_counter() - started, int(errors.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20, help="size of each input, in MB of text")
    parser.add_argument("--timeout", type=float, default=120, help="seconds before a run is stopped")
    parser.add_argument("--against", help="another article-tool to run in turns with this one")
    parser.add_argument("--only", action="append", choices=SHAPES, help="run only this shape (repeatable)")
    args = parser.parse_args()
    tools = {"this": str(Path(sys.executable).with_name("article-tool"))}
    if args.against:
        tools["other"] = args.against
    size = int(args.mb * 1_000_000)
    print(f"# each input about {args.mb:g} MB of text; time in s, peak in MiB (x: times the text's size, --mb)")
    print("| shape | file MB | " + " | ".join(f"{name} s | {name} MiB" for name in tools) + " |")
    print("| --- | ---: | " + " | ".join("---: | ---:" for _ in tools) + " |")
    with tempfile.TemporaryDirectory() as folder:
        for name in args.only or SHAPES:
            shape = SHAPES[name]
            path = Path(folder, "input" + SUFFIXES.get(name, ".txt"))
            path.write_bytes(shape.make(size))
            file_mb = os.path.getsize(path) / 1e6
            cells = []
            for tool in tools.values():
                result = measure([tool, *shape.options, str(path)], args.timeout)
                if result is None:
                    cells.append(f"> {args.timeout:g} | –")
                else:
                    seconds, peak_kib = result
                    cells.append(f"{seconds:.2f} | {peak_kib / 1024:.0f} ({peak_kib * 1024 / max(size, 1):.1f}x)")
            print(f"| {name} | {file_mb:.1f} | " + " | ".join(cells) + " |", flush=True)
            path.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
