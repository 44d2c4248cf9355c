"""Language identification libraries on the articles beside the project: which one `--lang` uses.

    python benchmarks/languages.py [--shared ../shared] [--rounds 5]

For each library installed (resiliparse, py3langid, lingua, langdetect; the
ones missing are skipped), on the texts `--lang` hands it (an article's body,
its first LANG_TEXT_CHARS characters, and each quote's text):

- accuracy per article on ``../shared/corpus`` against each page's language
  (``truth.jsonl``'s ``lang``, its first subtag), and per quote of over 40
  characters against its page's language (a quote is often in another one,
  so this is a floor), and how often each library agrees with the others;
- on ``../shared/crawl`` and ``../shared/crawl2`` (no language labels; their
  prose is scrambled letter for letter, so letters keep their frequencies but
  not their order), agreement between the libraries;
- time per article (least of ``--rounds`` rounds), the import's time in a
  fresh interpreter, the installed size, and whether it fetches anything at
  run time.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from itertools import combinations
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import article_tool as at  # noqa: E402

SHARED = HERE.parent.parent / "shared"
QUOTE_MIN_CHARS = 40


def _article_tool() -> Callable[[str], str | None]:
    """What --lang writes: detect_fast, links left out, too short texts None (a post's article's language
    preferred between close calls is measured apart, as it needs the article)."""
    at.language("")
    return at.language


def _resiliparse() -> Callable[[str], str | None]:
    from resiliparse.parse.lang import detect_fast

    def detect(text: str) -> str | None:
        lang, _ = detect_fast(text)
        return None if lang == "unknown" else lang

    return detect


def _py3langid() -> Callable[[str], str | None]:
    import py3langid

    return lambda text: py3langid.classify(text)[0]


def _lingua() -> Callable[[str], str | None]:
    from lingua import LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()

    def detect(text: str) -> str | None:
        language = detector.detect_language_of(text)
        return None if language is None else language.iso_code_639_1.name.lower()

    return detect


def _langdetect() -> Callable[[str], str | None]:
    import langdetect

    langdetect.DetectorFactory.seed = 0

    def detect(text: str) -> str | None:
        try:
            code: str = langdetect.detect(text)
            return code.split("-")[0]
        except langdetect.LangDetectException:
            return None

    return detect


# Each library: its distribution, the module its import loads, how to build its detector, what it fetches.
LIBRARIES = {
    "article-tool --lang": ("Resiliparse", "resiliparse.parse.lang", _article_tool, "nothing (profiles compiled in)"),
    "resiliparse": ("Resiliparse", "resiliparse.parse.lang", _resiliparse, "nothing (profiles compiled in)"),
    "py3langid": ("py3langid", "py3langid", _py3langid, "nothing (model in the package)"),
    "lingua": ("lingua-language-detector", "lingua", _lingua, "nothing (models in the package)"),
    "langdetect": ("langdetect", "langdetect", _langdetect, "nothing (profiles in the package)"),
}


def installed_size(distribution: str) -> int:
    files = importlib.metadata.distribution(distribution).files or []
    located = (Path(str(path.locate())) for path in files)
    return sum(path.stat().st_size for path in located if path.is_file())


def import_seconds(module: str, rounds: int) -> float:
    """Least wall time of importing ``module`` in a fresh interpreter, less the interpreter's own start."""

    def least(code: str) -> float:
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            times.append(time.perf_counter() - started)
        return min(times)

    return least(f"import {module}") - least("pass")


def texts_of(path: Path) -> tuple[str, list[str]]:
    """An article's body as --lang reads it, and its quotes' texts of over QUOTE_MIN_CHARS characters."""
    text, _ = at.read_input(str(path))
    article = at.parse_article(text)
    return at.body_text(article.blocks), [
        block.text for block in article.blocks if block.kind == "quote" and len(block.text) > QUOTE_MIN_CHARS
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    detectors: dict[str, Callable[[str], str | None]] = {}
    for name, (_, _, build, _) in LIBRARIES.items():
        try:
            detectors[name] = build()
        except ImportError:
            print(f"{name}: not installed, skipped", file=sys.stderr)

    with open(args.shared / "corpus" / "truth.jsonl", encoding="utf-8") as stream:
        pages = [json.loads(line) for line in stream]
    pages = [page for page in pages if page.get("lang") and "/" not in page["file"]]
    bodies, page_langs, quotes, quote_page_langs, quote_articles = [], [], [], [], []
    for page in pages:
        body, page_quotes = texts_of(args.shared / "corpus" / page["file"])
        lang = page["lang"].replace("_", "-").split("-")[0].lower()
        bodies.append(body)
        page_langs.append(lang)
        quotes += page_quotes
        quote_page_langs += [lang] * len(page_quotes)
        quote_articles += [len(bodies) - 1] * len(page_quotes)
    crawl_bodies, crawl_quotes, crawl_quote_articles = [], [], []
    for folder in ("crawl", "crawl2"):
        for path in sorted((args.shared / folder / "files").glob("*.txt")):
            body, page_quotes = texts_of(path)
            crawl_bodies.append(body)
            crawl_quotes += page_quotes
            crawl_quote_articles += [len(crawl_bodies) - 1] * len(page_quotes)

    answers: dict[str, dict[str, list[str | None]]] = {}
    rows = []
    for name, detect in detectors.items():
        distribution, module, _, fetches = LIBRARIES[name]
        answers[name] = {
            "bodies": [detect(text) for text in bodies],
            "quotes": [detect(text) for text in quotes],
            "crawl bodies": [detect(text) for text in crawl_bodies],
            "crawl quotes": [detect(text) for text in crawl_quotes],
        }
        seconds = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            for text in bodies:
                detect(text)
            seconds.append((time.perf_counter() - started) / len(bodies))
        body_right = statistics.mean(a == b for a, b in zip(answers[name]["bodies"], page_langs, strict=True))
        quote_right = statistics.mean(a == b for a, b in zip(answers[name]["quotes"], quote_page_langs, strict=True))
        rows.append(
            f"| {name} {importlib.metadata.version(distribution)} | {body_right:.3f} | {quote_right:.3f} | "
            f"{min(seconds) * 1e6:.0f} µs | {import_seconds(module, args.rounds) * 1000:.0f} ms | "
            f"{installed_size(distribution) / 2**20:.1f} MiB | {fetches} |"
        )
    if "article-tool --lang" in answers:  # its posts with their article's language preferred, as --lang does
        plain = answers["article-tool --lang"]

        def preferred(texts: list[str], articles: list[int], langs: list[str | None]) -> list[str | None]:
            return [at.language(text, langs[index]) for text, index in zip(texts, articles, strict=True)]

        answers["article-tool --lang, article's language preferred"] = {
            **plain,
            "quotes": preferred(quotes, quote_articles, plain["bodies"]),
            "crawl quotes": preferred(crawl_quotes, crawl_quote_articles, plain["crawl bodies"]),
        }
        as_page = answers["article-tool --lang, article's language preferred"]["quotes"]
        right = statistics.mean(a == b for a, b in zip(as_page, quote_page_langs, strict=True))
        rows.append(f"| article-tool --lang, a post's article's language preferred | | {right:.3f} | | | | |")
    print(
        f"{len(bodies)} corpus articles with a page language, {len(quotes)} of their quotes of over "
        f"{QUOTE_MIN_CHARS} characters; {len(crawl_bodies)} crawl articles, {len(crawl_quotes)} quotes"
    )
    print()
    print("| library | articles right | quotes as their page | time an article | import | size | fetches |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    print("\n".join(rows))
    print()
    print("| agreement | corpus articles | corpus quotes | crawl articles | crawl quotes |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for first, second in combinations(answers, 2):
        shares = [
            statistics.mean(a == b for a, b in zip(answers[first][part], answers[second][part], strict=True))
            for part in ("bodies", "quotes", "crawl bodies", "crawl quotes")
        ]
        print(f"| {first} and {second} | " + " | ".join(f"{share:.3f}" for share in shares) + " |")
    if {"py3langid", "langdetect"} <= answers.keys():
        # Where two independent methods (a naive Bayes model, character n-gram profiles) agree on a corpus
        # post, their answer is most likely right: the nearest to a truth for posts there is.
        reference = answers["py3langid"]["quotes"]
        pairs = enumerate(zip(reference, answers["langdetect"]["quotes"], strict=True))
        agreed = [index for index, (first, second) in pairs if first == second]
        print()
        print(f"Agreement on the {len(agreed)} corpus posts where py3langid and langdetect agree:")
        print()
        for name, found in answers.items():
            share = statistics.mean(found["quotes"][index] == reference[index] for index in agreed)
            print(f"- {name}: {share:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
