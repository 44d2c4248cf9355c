"""Split scraped news articles into dated paragraphs, headings and social-media quotes.

Usage::

    article-tool [options] FILE...          # '-' or no FILE reads standard input
    article-tool -r corpus/ -f jsonl | jq .
    find . -name '*.txt' -print0 | article-tool --files-from - -0 -j 0 > all.tsv

Input is a raw article text file as scrapers write it: an optional header
(`` date 2021-10-21 ``, usually on the same line as the first paragraph), then
blocks separated by blank lines, single newlines or hard wrapping.  Embedded
posts (tweets, Instagram, Facebook, Bluesky, TikTok, Threads, Mastodon,
Reddit) that were flattened into text, or left as their HTML markup, become
``quote`` records.  Files may be compressed (gzip, bzip2, xz, zstd), or hold
many articles: tar and zip archives (a member each), WARC and WET files (a text
record each), JSON Lines with ``--input-format jsonl`` (an object each).

Records (one per block, in document order; every key in every record, None
where it has no value, in this order, which is ``RECORD_KEYS``: the fields of
``Source``, the article's date and datetime, then the fields of ``Block``)::

    file      str        path as given, '-' for standard input
    id        str        the article's id: its file
    page_url  str|None   the page the article was taken from, where the input says so
    crawl_date str|None  when that page was fetched, where the input says so
    date      str|None   ISO date of the header: '2021-10-21', or '2021-10' for
                         a month; None when the header is missing or invalid
    datetime  str|None   when the header carries a time ('2021-10-21T23:30:00-05:00')
    kind      str        'title' | 'heading' | 'paragraph' | 'quote'
    n         int        1-based position of the block in its article
    line      int        line of the file where the block starts
    section   str|None   text of the nearest heading above
    text      str        the block's text, whitespace collapsed; for a quote,
                         the post's own words without attribution or boilerplate
    platform  str|None   quote only: 'twitter', 'instagram', 'facebook', 'bluesky',
                         'tiktok', 'threads', 'mastodon', 'reddit', 'youtube', 'telegram'
    author    str|None   quote only: display name
    handle    str|None   quote only: account name without '@'
    community str|None   quote only: where it was posted: a Reddit post's 'r/harbour'
    posted    str|None   quote only: ISO date of the post ('2019-05': the month only)
    posted_datetime  str|None  quote only: with the time the attribution prints
                         ('2024-11-25T00:58:00-07:00'; an offset for the zones it knows)
    url       str|None   quote only: link to the post or its media, with https://
    post_id   str|None   quote only: the post's id, where its link names one

Computed keys (COMPUTED_KEYS), only where asked for (--lang, --hash,
--repeated N, or named in --fields), after those, in this order::

    lang      str|None   the article's language (ISO 639-1), from its title,
                         headings and paragraphs; None where too short to tell
    fingerprint  str     64-bit hash (16 hex digits) of the article's blocks' hashes
    duplicate_of str|None  --repeated: id of the run's first article of that fingerprint
    post_lang str|None   quote only: the post's language
    hash      str        64-bit hash of the block's text, casefolded, whitespace collapsed
    repeated  bool       --repeated N: the hash was met in N articles or more of the run

Formats: ``tsv`` (default on a pipe; columns ``date kind n text``, ``file``
first when there are several inputs), ``jsonl`` (one record per line),
``json`` (JSON Lines of articles: the article's keys and its ``blocks``, one per line)
and ``text`` (default on a terminal).  In TSV fields, backslash, tab, newline
and carriage return are written ``\\\\ \\t \\n \\r``, other control characters
and the bytes of a file name that are not UTF-8 ``\\xNN``.

The trip of the data, a section of this module each, in this order::

    languages   the words read in each language: a row each (LANGUAGES)
    header      the date of ' date 2021-10-21 ', and where the body starts (_parse_header)
    blocks      the body split at blank lines or single newlines, hard wraps joined (_body_blocks)
    posts       each platform's attributions found (PLATFORMS), a post's blocks joined (_join_posts)
    markup      embeds left as HTML read with bs4, other tags and entities read (_markup_blocks)
    kinds       the title, headings by their features (HEADING_WEIGHTS) or markup, paragraphs (_classify)
    segments    a huge article parsed a segment at a time, as the whole (parse_article_segments)
    computed    the article's and its posts' languages, hashes, where asked for (computed_article_values)
    formats     TSV, JSON Lines, JSON, the text view (render_chunks)
    inputs      bytes read, decompressed, decoded; archives, WARC and JSON Lines read an article at a
                time (read_input, iter_articles); folders walked as rg walks them (iter_directory)
    processing  the inputs in order, with worker processes under -j (process_file); dates and
                languages left out (_article_output); --repeated's first pass (first_pass)
    CLI         options, messages, exit status (main)

Exit status: 0 every input read and dated; 1 a warning (no or invalid date
header, nothing in the file, bytes that did not decode, no input found); 2 a
usage error, an input that could not be read or output that could not be
written; 130 interrupted.
"""

import argparse
import bisect
import contextlib  # (typing imports it anyway)
import errno
import fnmatch
import functools
import io
import os
import re
import stat
import sys
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, cycle, islice, pairwise, repeat
from operator import attrgetter, mul, sub
from typing import IO, TYPE_CHECKING, Any, Generic, Literal, NamedTuple, TypeVar, cast

if TYPE_CHECKING:
    import json
    from concurrent.futures import Future

__version__ = "0.1.0"

# ---------------------------------------------------------------------------
# Constants
# ---------------------------------------------------------------------------

PROG = "article-tool"

EXIT_OK = 0
EXIT_WARNING = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130

KINDS = ("title", "heading", "paragraph", "quote")
FORMATS = ("tsv", "jsonl", "json", "text")
TSV_DEFAULT_FIELDS = ("date", "kind", "n", "text")

# A heading is a short line; longer ones without final punctuation are
# captions, teasers or list items far more often than headings, and so are
# runs of this many short lines.
HEADING_MAX_CHARS = 100
LIST_MIN_ITEMS = 3
# Twitter caps display names at 50 characters; styled letters and emoji take
# two code points each, so leave room.
NAME_MAX_CHARS = 80
# A date cut off where a truncated file ends: '(@jdoe) Septem'.
CUT_DATE_MAX_CHARS = 20
# Threads, Mastodon, Reddit and lost-attribution tweets end their block; their
# attribution is looked for in this many final characters only.
TAIL_ATTRIBUTION_MAX_CHARS = 300
# A post its platform's opener opens ('View this post on Instagram') stands in
# at most three blocks: opener, caption, attribution.
OPENED_POST_MAX_BLOCKS = 3
# Hard-wrapped text is wrapped at 60-100 columns; wider lines are paragraphs.
WRAP_MIN_WIDTH = 40
WRAP_MAX_WIDTH = 100
WRAP_SAMPLE_LINES = 2000
# How a block ends tells what it is, by one of these last characters.  A
# sentence stops with SENTENCE_STOPS (which, followed by more text, make a
# block two sentences); a whole paragraph's line ends with SENTENCE_END (a
# wrapped line stops mid-sentence); a heading ends with none of those nor a
# comma, but may be a short question or exclamation (QUESTION_END); a
# headline ends with no stop of a statement or clause (HEADLINE_NOT_END).
SENTENCE_STOPS = ".!?。！？"
SENTENCE_END = '.!?:;"”»)…'
QUESTION_END = "!?"
HEADING_NOT_END = SENTENCE_END + ",。"
HEADLINE_NOT_END = ".,;:…。"
# What may close a sentence after its stop: '“I’ll be there.”'.
CLOSING_MARKS = "\"'”’»)"
# A date in words is shorter than this ('Thursday, 21 October 2021 23:30:00
# +0100 (CEST)'); a longer line after 'date' is prose, which dateutil would
# take seconds to reject, and a message would quote whole.
HEADER_DATE_MAX_CHARS = 80
# Like grep: a NUL byte in the first 8 KiB marks a binary file.
BINARY_SNIFF_BYTES = 8192
# Dates met are remembered: the files of a corpus share a few thousand.
DATE_CACHE_SIZE = 4096
# Files are read in pieces of this size: most articles in one.
READ_CHUNK_BYTES = 1 << 16
# Articles longer than this (in characters) are parsed and written a segment
# of about this size at a time, so that a huge file never stands in memory as
# text, lines and blocks at once.
SEGMENT_CHARS = 1 << 20
# A segment holds at most one line for this many of its characters: a line is
# a block of a hundred bytes and more in memory, however short its text.
SEGMENT_CHARS_PER_LINE = 16
LARGE_ARTICLE_CHARS = 4 * SEGMENT_CHARS
# A huge article's line longer than this is read in pieces of about a segment, cut at a space outside a
# tag: no article's paragraph is that long, and the records of one such line (a post every 40 characters,
# a markup block every 20) held 20-30 times its size.
LINE_CUT_CHARS = LARGE_ARTICLE_CHARS
# --lang tells an article's language from its first this many characters of body (detect_fast's
# profile settles within a few hundred): a huge article costs no more than a usual one.
LANG_TEXT_CHARS = 4000
# A text shorter than this is too short to tell (a quote of a few words, a bare link): its language is null.
LANG_MIN_CHARS = 40
# detect_fast's distance from a language's profile beyond which its answer is a guess (its documentation:
# 'values above 1200 are usually false results').
LANG_MAX_RANK = 1200
# How many of the nearest profiles a post's article's language is looked for among, and how much
# farther than the nearest it may be (benchmarks/languages.py: agreement 0.88 at 0, 0.967 at 25, 0.975
# at 50, 0.95 from 100; 50 took an English post in a German article for German, 44 farther).
LANG_CANDIDATES = 5
LANG_PREFERRED_MARGIN = 25
LANG_INSTALL = "pip install 'article-tool[lang]'"

# Blocks formatted and written at a time: bounds the memory a huge article takes.
RENDER_CHUNK_BLOCKS = 2000
# Block hashes kept for their second use (_block_hash): more than an article's blocks, or a site's
# boilerplate; of texts up to a long paragraph's length (at most 16 MB of texts held so).
TEXT_HASH_CACHE = 4096
TEXT_HASH_CACHE_MAX_CHARS = 1000

# The first pass of --repeated counts block hashes in a table of this many places to begin with.
TALLY_START_SLOTS = 1 << 16

# Files per chunk of work (with -j), and chunks in flight per job.
CHUNK_FILES = 64
TASKS_IN_FLIGHT_PER_JOB = 4


class LazyPattern:
    """A regular expression compiled on first use.

    Compiling every pattern at import would cost about 10 ms, a third of the
    start-up budget, and a plain article never needs the embed and markup ones.
    The first use puts the compiled pattern's own methods on the instance, so
    that later calls go straight to them.
    """

    match: Callable[..., re.Match[str] | None]
    fullmatch: Callable[..., re.Match[str] | None]
    search: Callable[..., re.Match[str] | None]
    finditer: Callable[..., Iterator[re.Match[str]]]
    findall: Callable[..., list[Any]]
    sub: Callable[..., str]

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # not a pattern's method (copy and pickle ask for these)
            raise AttributeError(name)
        compiled = re.compile(*self._args)
        for method in ("match", "fullmatch", "search", "finditer", "findall", "sub"):
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)


_T = TypeVar("_T")


class _Lazy(Generic[_T]):
    """A value computed on first use.  (functools.cache of a lambda takes 1.2 µs to make, this 0.16 µs;
    one is made for every article with a hint of a post.)"""

    __slots__ = ("compute", "value")

    def __init__(self, compute: Callable[[], _T]) -> None:
        self.compute = compute
        self.value: _T | None = None

    def __call__(self) -> _T:
        if self.value is None:
            self.value = self.compute()
        return self.value


def _alternation(phrases: Iterable[str]) -> str:
    """A regex alternation of literal phrases, longest first, spaces matching any whitespace."""
    escaped = (re.escape(p).replace(r"\ ", r"\s+") for p in sorted(set(phrases), key=len, reverse=True))
    return "(?:" + "|".join(escaped) + ")"


def _contains_any(text: str, phrases: Iterable[str]) -> bool:
    """Whether ``text`` holds one of the phrases: the cheap test before a pattern built from them."""
    return any(map(text.__contains__, phrases))  # in C: a generator here costs 3% of a run


@functools.lru_cache(maxsize=4)
def _holds_phrase(text: str, phrases: tuple[str, ...], folded: bool = False) -> bool:
    """_contains_any, of the text case-folded if ``folded``, remembered for the last texts asked: a finder
    is asked again from each post of a block that holds many, and a scan of the whole block each time
    took time growing with the square of its length."""
    return _contains_any(text.casefold() if folded else text, phrases)


# ---------------------------------------------------------------------------
# Languages
# ---------------------------------------------------------------------------
# Every word the tool reads in a language, a row per language: the dates that
# headers and embeds print, the phrases of the platforms' embeds, and the
# labels of a page's furniture.  The patterns of the header, the posts and the
# kinds are built from these rows; adding a language is adding its row.


class Language(NamedTuple):
    """The words of one language (an ISO 639-1 code) that the tool reads.

    ``months``: the twelve months, January first, each its names space-separated;
    a name ending with '.' is an abbreviation, which counts as a month only in a
    full date (a heading may say 'Top 10 out of 100').  ``capitalized``: whether
    the language writes a month's name with a capital ('may' is no English month).
    """

    code: str
    months: tuple[str, ...] = ()
    capitalized: bool = False
    weekdays: str = ""
    # The words between a date and its time: 'May 2, 2022 at 4:40am', '12. März um 0:31 Uhr'.
    at_time: tuple[str, ...] = ()
    # The unit of a header's time: '21:43 Uhr', '9:30 h'.
    clock_units: tuple[str, ...] = ()
    # Facebook: 'Posted by NAME on Monday, March 27, 2017'; the word before the weekday ('' for none).
    posted_by: tuple[str, ...] = ()
    posted_on: str = ""
    # Instagram: its opener ('View this post on Instagram'), 'A post shared by NAME (@h) on DATE' (the
    # words before the name, and the one before the date), and 'NAME (@h) がシェアした投稿' (after it).
    view_on_instagram: tuple[str, ...] = ()
    shared_by: tuple[str, ...] = ()
    shared_on: tuple[str, ...] = ()
    shared_after: tuple[str, ...] = ()
    # TikTok: '♬ original sound - NAME'.
    original_sound: tuple[str, ...] = ()
    # What opens a page's furniture rather than a heading: credits, bylines, the labels of advertising
    # and of related links.
    furniture: tuple[str, ...] = ()
    # How an article reports a post it quotes ('The mayor posted a photo of the queue'): the verbs, and the
    # words for a post and its media.
    reporting: tuple[str, ...] = ()
    post_nouns: tuple[str, ...] = ()
    # The line a page prints where an advert stands, alone in its block ('Continua depois da publicidade').
    advertising: tuple[str, ...] = ()
    # Words no sentence ends with, space-separated: articles and conjunctions, none a word of another
    # language's row that may end one (English 'I', 'die', 'do', 'van').  A line ending with one breaks off.
    breaking_off: str = ""


LANGUAGES = (
    Language(
        "en",
        ("january jan.", "february feb.", "march mar.", "april apr.", "may", "june jun.", "july jul.",
         "august aug.", "september sep. sept.", "october oct.", "november nov.", "december dec."),
        capitalized=True,
        weekdays="monday tuesday wednesday thursday friday saturday sunday",
        at_time=("at",),
        clock_units=("hrs", "hr"),
        posted_by=("Posted by",),
        posted_on="on",
        view_on_instagram=(
            "View this post on Instagram", "View this photo on Instagram", "View this video on Instagram"
        ),
        shared_by=("A post shared by", "A photo posted by", "A video posted by"),
        shared_on=("on",),
        original_sound=("original sound",),
        furniture=("photo", "photos", "image", "images", "picture", "credit", "credits", "source", "video",
                   "by", "advertisement", "sponsored",
                   "read more", "read also", "related", "more on this", "see also"),
        reporting=("posted", "wrote", "tweeted", "shared", "replied", "responded", "reacted", "weighed in",
                   "commented", "captioned"),
        post_nouns=("post", "posts", "tweet", "tweets", "photo", "photos", "picture", "video", "clip", "message",
                    "account", "accounts", "social media", "online", "thread"),
        advertising=("advertisement", "story continues below advertisement", "article continues below advertisement",
                     "continue reading below", "sponsored"),
        breaking_off="the a an and or of",
    ),
    Language(
        "de",
        ("januar jänner", "februar", "märz mär. maerz", "april", "mai", "juni", "juli", "august",
         "september", "oktober okt.", "november", "dezember dez."),
        capitalized=True,
        weekdays="montag dienstag mittwoch donnerstag freitag samstag sonntag",
        at_time=("um",),
        clock_units=("Uhr",),
        view_on_instagram=("Sieh dir diesen Beitrag auf Instagram an",),
        shared_by=("Ein Beitrag geteilt von",),
        shared_on=("am",),
        original_sound=("Originalton",),
        furniture=("foto", "fotos", "bild", "bilder", "quelle", "von", "anzeige", "werbung",
                   "mehr zum thema", "lesen sie auch", "auch interessant"),
        reporting=("schrieb", "postete", "teilte", "twitterte", "kommentierte", "antwortete", "reagierte",
                   "veröffentlichte"),
        post_nouns=("Beitrag", "Post", "Tweet", "Foto", "Bild", "Video", "Nachricht", "Konto", "sozialen Medien",
                    "Netz"),
        advertising=("anzeige", "werbung", "artikel wird nach der anzeige fortgesetzt", "weiter nach der anzeige"),
        breaking_off="der das dem des ein eine einen einem und oder",
    ),
    Language(
        "fr",
        ("janvier janv.", "février fevrier févr.", "mars", "avril", "mai", "juin", "juillet juil.", "août aout",
         "septembre", "octobre", "novembre", "décembre déc."),
        weekdays="lundi mardi mercredi jeudi vendredi samedi dimanche",
        at_time=("à",),
        clock_units=("h", "heure", "heures"),
        posted_by=("Publiée par", "Publié par"),
        posted_on="sur",
        view_on_instagram=("Voir cette publication sur Instagram",),
        shared_by=("Une publication partagée par",),
        shared_on=("le",),
        original_sound=("son original",),
        furniture=("crédit", "crédits", "photographie", "par", "publicité", "lire aussi", "à lire aussi",
                   "voir aussi"),
        reporting=("a publié", "a écrit", "a tweeté", "a partagé", "a réagi", "a répondu", "a posté", "écrit"),
        post_nouns=("publication", "message", "tweet", "photo", "vidéo", "compte", "réseaux sociaux", "en ligne"),
        advertising=("publicité", "la suite après la publicité", "suite après cette publicité"),
        breaking_off="le la les un une des du de et ou au aux",
    ),
    Language(
        "it",
        ("gennaio gen.", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
         "ottobre ott.", "novembre", "dicembre dic."),
        weekdays="lunedì martedì mercoledì giovedì venerdì sabato domenica",
        at_time=("alle ore", "alle"),
        clock_units=("ore",),
        posted_by=("Pubblicato da",),
        posted_on="da",
        view_on_instagram=("Visualizza questo post su Instagram",),
        shared_by=("Un post condiviso da",),
        shared_on=("il", "in data:"),
        original_sound=("suono originale",),
        furniture=("di", "pubblicità", "leggi anche"),
        reporting=("ha scritto", "ha pubblicato", "ha twittato", "ha condiviso", "ha risposto", "ha commentato",
                   "scrive"),
        post_nouns=("post", "messaggio", "tweet", "foto", "video", "profilo", "social"),
        advertising=("pubblicità", "continua dopo la pubblicità", "l'articolo continua dopo la pubblicità"),
        breaking_off="il lo la gli le un una uno di del della e",
    ),
    Language(
        "es",
        ("enero ene.", "febrero", "marzo", "abril abr.", "mayo", "junio", "julio", "agosto ago.",
         "septiembre setiembre", "octubre", "noviembre", "diciembre dic."),
        weekdays="lunes martes miércoles jueves viernes sábado domingo",
        at_time=("a las",),
        clock_units=("hs", "hora", "horas"),
        posted_by=("Publicado por", "Publicada por"),
        posted_on="en",
        view_on_instagram=("Ver esta publicación en Instagram",),
        shared_by=("Una publicación compartida por", "Una publicación compartida de"),
        shared_on=("el",),
        original_sound=("sonido original",),
        furniture=("fuente", "vídeo", "por", "publicidad", "lee también", "ver también", "te puede interesar",
                   "lea más", "lea también", "nota relacionada", "le puede interesar"),
        reporting=("publicó", "escribió", "tuiteó", "compartió", "respondió", "reaccionó", "comentó", "escribe"),
        post_nouns=("publicación", "mensaje", "tuit", "tweet", "foto", "vídeo", "video", "cuenta", "redes sociales"),
        advertising=("publicidad", "continúa después de la publicidad", "sigue después de la publicidad"),
        breaking_off="el la los las un una unos unas de del y",
    ),
    Language(
        "pt",
        ("janeiro", "fevereiro fev.", "março", "abril", "maio", "junho", "julho", "agosto", "setembro set.",
         "outubro out.", "novembro", "dezembro dez."),
        weekdays="segunda-feira terça-feira quarta-feira quinta-feira sexta-feira sábado domingo",
        at_time=("às",),
        posted_by=("Publicado por", "Publicada por"),
        posted_on="em",
        view_on_instagram=("Ver esta publicação no Instagram", "Ver essa foto no Instagram"),
        shared_by=("Uma publicação compartilhada por",),
        shared_on=("em",),
        original_sound=("som original",),
        furniture=("fonte", "leia também", "leia mais", "veja também"),
        reporting=("publicou", "escreveu", "tuitou", "postou", "compartilhou", "partilhou", "respondeu", "comentou"),
        post_nouns=("publicação", "mensagem", "tweet", "foto", "vídeo", "perfil", "conta", "redes sociais"),
        advertising=("publicidade", "continua depois da publicidade", "continua após a publicidade"),
        breaking_off="o a os um uma de da dos das e ou",
    ),
    Language(
        "nl",
        ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
         "november", "december"),
        at_time=("om",),
        view_on_instagram=("Bekijk dit bericht op Instagram",),
        shared_by=("Een bericht gedeeld door",),
        shared_on=("op",),
        furniture=("bron", "door", "lees ook"),
        reporting=("schreef", "plaatste", "tweette", "deelde", "reageerde", "antwoordde"),
        post_nouns=("bericht", "tweet", "foto", "video", "account", "sociale media"),
        advertising=("advertentie", "lees verder na de advertentie"),
        breaking_off="de het een en of",
    ),
    Language(
        "pl",
        ("stycznia styczeń", "lutego luty", "marca marzec", "kwietnia kwiecień", "maja maj", "czerwca czerwiec",
         "lipca lipiec", "sierpnia sierpień", "września wrzesień", "października październik",
         "listopada listopad", "grudnia grudzień"),
        at_time=("o",),
        clock_units=("godz",),
        view_on_instagram=("Wyświetl ten post na Instagramie",),
        shared_by=("Post udostępniony przez",),
        shared_on=("w",),
        furniture=("źródło", "zdjęcie", "przez", "reklama", "czytaj także", "zobacz też", "dowiedz się więcej",
                   "dalsza część artykułu"),
        advertising=("reklama", "dalsza część artykułu pod reklamą"),
    ),
    Language(
        "ca",
        ("gener", "febrer", "març", "abril", "maig", "juny", "juliol", "agost", "setembre", "octubre",
         "novembre", "desembre"),
    ),
    Language(
        "ru",
        ("января январь", "февраля февраль", "марта март", "апреля апрель", "мая май", "июня июнь",
         "июля июль", "августа август", "сентября сентябрь", "октября октябрь", "ноября ноябрь",
         "декабря декабрь"),
        weekdays="понедельник вторник среда четверг пятница суббота воскресенье",
        at_time=("в",),
        clock_units=("ч",),
        posted_by=("Опубликовано",),
        view_on_instagram=("Посмотреть эту публикацию в Instagram",),
        shared_by=("Публикация от",),
        shared_on=("в",),
        original_sound=("оригинальный звук",),
        furniture=("фото", "видео", "источник", "от", "реклама", "читайте также", "по теме"),
        reporting=("написал", "написала", "опубликовал", "опубликовала", "поделился", "поделилась", "ответил",
                   "ответила"),
        post_nouns=("пост", "публикация", "публикацию", "сообщение", "твит", "фото", "видео", "соцсетях", "аккаунт"),
        advertising=("реклама", "продолжение после рекламы"),
    ),
    Language(
        "uk",
        ("січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня", "жовтня",
         "листопада", "грудня"),
        furniture=("джерело", "читайте також", "до теми"),
    ),
    Language(
        "cs",
        ("ledna leden", "února únor", "března březen", "dubna duben", "května květen", "června červen",
         "července červenec", "srpna srpen", "září", "října říjen", "listopadu listopad", "prosince prosinec"),
        furniture=("zdroj",),
    ),
    Language(
        "sk",
        ("januára", "februára", "marca", "apríla", "mája", "júna", "júla", "augusta", "septembra", "októbra",
         "novembra", "decembra"),
    ),
    Language(
        "ro",
        ("ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie", "august", "septembrie",
         "octombrie", "noiembrie", "decembrie"),
    ),
    Language(
        "hu",
        ("január", "február", "március", "április", "május", "június", "július", "augusztus", "szeptember",
         "október", "november", "december"),
        clock_units=("óra",),
    ),
    Language(
        "tr",
        ("ocak", "şubat", "mart", "nisan", "mayıs", "haziran", "temmuz", "ağustos", "eylül", "ekim", "kasım",
         "aralık"),
        clock_units=("saat",),
        furniture=("kaynak", "fotoğraf"),
    ),
    Language(
        "id",
        ("januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september", "oktober",
         "november", "desember"),
    ),
    Language(
        "sv",
        ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
         "november", "december"),
        furniture=("av",),
    ),
    Language(  # Danish; Norwegian writes its months the same
        "da",
        ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
         "november", "december"),
    ),
    Language(
        "ja",
        view_on_instagram=("この投稿をInstagramで見る",),
        shared_after=("さんがシェアした投稿", "がシェアした投稿"),
    ),
    Language(
        "zh",
        view_on_instagram=("在 Instagram 查看這則貼文", "在 Instagram 查看这篇帖子"),
        shared_after=("分享的貼文", "分享的帖子"),
    ),
)  # fmt: skip
# Agencies credited under a picture, in every language.
AGENCY_CREDITS = ("getty", "reuters", "afp", "dpa")


def _every(field: str) -> tuple[str, ...]:
    """One field of every language's row, its phrases one after another: ``_every("posted_by")``."""
    return tuple(phrase for language in LANGUAGES for phrase in getattr(language, field))


# Each month name and abbreviation, and its number.
MONTH_NUMBERS: dict[str, int] = {
    name.rstrip("."): number
    for language in LANGUAGES
    for number, names in enumerate(language.months, 1)
    for name in names.split()
}
# In order, so that the names a word may begin are found by bisection.
MONTH_NAMES = tuple(sorted(MONTH_NUMBERS))


def _full_month_names() -> dict[str, bool]:
    """Each month name that is no abbreviation, and whether it says a month only with a capital: where
    every language that has the name writes one ('may' is no English month; 'mai' is a French one)."""
    names: dict[str, bool] = {}
    for language in LANGUAGES:
        for name in (name for month in language.months for name in month.split() if not name.endswith(".")):
            names[name] = names.get(name, True) and language.capitalized
    return names


FULL_MONTH_NAMES = _full_month_names()
WEEKDAY_NAMES = frozenset(word for language in LANGUAGES for word in language.weekdays.split())
BREAKING_OFF_WORDS = frozenset(word for language in LANGUAGES for word in language.breaking_off.split())
BREAKING_OFF_TAIL_CHARS = 1 + max(map(len, BREAKING_OFF_WORDS))  # the longest of them and the space before it


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------


class ArticleToolError(Exception):
    """Base of every error this module raises on purpose."""


class InputError(ArticleToolError):
    """An input could not be read as an article (missing, a directory, binary...)."""


class CollectionFound(InputError):
    """An input that holds many articles (a tar or zip archive, a WARC file: ``kind``), which read_input
    cannot give as one text: iter_articles reads each.  ``prefix``: the bytes read of it to tell, which
    standard input cannot give again (iter_articles' ``prefix``)."""

    def __init__(self, kind: str, prefix: bytes = b"") -> None:
        super().__init__(f"a {kind} file of many articles: read each with iter_articles")
        self.kind = kind
        self.prefix = prefix


class MarkupError(ArticleToolError):
    """An embed's markup that the HTML parser rejects: it is read as the text around it is."""


# ---------------------------------------------------------------------------
# Types
# ---------------------------------------------------------------------------
# NamedTuples rather than frozen dataclasses: just as immutable, typed and
# picklable, but a frozen dataclass takes 1.8 us to build against 0.3 us, and
# one is built per block.


class Block(NamedTuple):
    """One record of an article: a title, heading, paragraph or quote.

    The fields are the record's own keys, in the order the formats write them;
    the ones with a default belong to quotes only (QUOTE_KEYS).
    """

    kind: str
    n: int
    line: int
    section: str | None
    text: str
    platform: str | None = None
    author: str | None = None
    handle: str | None = None
    community: str | None = None
    posted: str | None = None
    posted_datetime: str | None = None
    url: str | None = None
    post_id: str | None = None


class Source(NamedTuple):
    """Where an article came from: the first keys of each of its records.

    A path given to the library's formats stands for ``Source(path, path)``.
    """

    file: str  # the path as given ('-': standard input)
    id: str  # the article's id: its file
    page_url: str | None = None  # the page the article was taken from, where the input says
    crawl_date: str | None = None  # when the page was fetched, where the input says


def as_source(source: str | Source) -> Source:
    """``source``, a path standing for the Source of a file read by that name."""
    return source if isinstance(source, Source) else Source(source, source)


# The record layout, from Source's and Block's fields: every format's keys and columns come from here.
# Every record carries every key, null where it has no value: engines that infer columns from the first
# records (DuckDB's read_json its first 20,480, polars its first 100) see the quotes' keys too.
ARTICLE_KEYS = (*Source._fields, "date", "datetime")
QUOTE_KEYS: tuple[str, ...] = tuple(Block._field_defaults)
BLOCK_KEYS: tuple[str, ...] = Block._fields[: len(Block._fields) - len(QUOTE_KEYS)]
RECORD_KEYS = (*ARTICLE_KEYS, *Block._fields)


class Problem(NamedTuple):
    """Something wrong with an input that still gave records (exit status 1)."""

    line: int
    message: str


class Article(NamedTuple):
    """The parsed article: header date, blocks and the problems met on the way."""

    date: str | None
    blocks: tuple[Block, ...]
    datetime: str | None = None
    problems: tuple[Problem, ...] = ()


# ---------------------------------------------------------------------------
# Header
# ---------------------------------------------------------------------------

# The header keyword; what follows on its line is the date (or, inline, the
# date then the first block).
HEADER_RE = re.compile(
    r"""
    \A [\s\ufeff]*
    date \b [ \t]* (?P<colon> :? ) [ \t]*
    (?P<rest> [^\n]* )
    """,
    re.IGNORECASE | re.VERBOSE,
)

# The date-like token that an inline header starts with: ISO dates, months and
# datetimes, and day-first dotted or slashed dates.  A time after a space
# belongs to the header only with its unit ('21:43 Uhr', '9:30 h') or alone
# on the line: else it is the first block's ('… 21:43 the doors opened').
_CLOCK = r"\d{1,2} : \d{2} (?: : \d{2} (?: [.,] \d+ )? )? (?: Z | [+-] \d{2} (?: :? \d{2} )? )?"
_CLOCK_UNIT = _alternation(_every("clock_units")) + r" \.?"
HEADER_TOKEN_RE = re.compile(
    rf"""
    (?:
        (?P<year> \d{{4}} ) - (?P<month> \d{{1,2}} ) (?: - (?P<day> \d{{1,2}} )
            (?: T (?P<clock> {_CLOCK} )
              | \  (?P<spaced_clock> {_CLOCK} ) (?: [ \t]+ {_CLOCK_UNIT} | (?= [ \t]* \Z ) ) )? )?
      | (?P<dmy> (?P<a> \d{{1,2}} ) (?P<sep> [./] ) (?P<b> \d{{1,2}} ) (?P=sep) (?P<dmy_year> \d{{4}} ) )
      | (?P<slashed_year> \d{{4}} ) / (?P<slashed_month> \d{{1,2}} ) / (?P<slashed_day> \d{{1,2}} )
    )
    (?= \s | \Z )
    """,
    re.VERBOSE,
)

DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


# A date range's bound (--since, --until): a year, a month or a day.
DATE_BOUND_RE = LazyPattern(r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?")


class _Header(NamedTuple):
    date: str | None
    datetime: str | None
    body_start: int
    body_line: int
    problem: Problem | None


def _date_from_parts(year: int, month: int, day: int | None) -> str:
    """ISO text of a date (of a month without ``day``); raises ValueError with datetime's messages.

    Checked by hand: importing datetime costs more of the start-up than the check.
    """
    if not 1 <= year <= 9999:
        raise ValueError(f"year {year} is out of range")
    if not 1 <= month <= 12:
        raise ValueError("month must be in 1..12")
    if day is None:
        return f"{year:04d}-{month:02d}"
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    if not 1 <= day <= (29 if month == 2 and leap else DAYS_IN_MONTH[month - 1]):
        raise ValueError("day is out of range for month")
    return f"{year:04d}-{month:02d}-{day:02d}"


@functools.lru_cache(maxsize=DATE_CACHE_SIZE)
def _parse_header_token(token: str, dayfirst: bool) -> tuple[str, str | None]:
    """Date (and datetime) of an inline header token; raises ValueError if it does not exist."""
    match = HEADER_TOKEN_RE.match(token)
    assert match is not None  # the token is what HEADER_TOKEN_RE matched
    if match["year"]:
        day = int(match["day"]) if match["day"] else None
        date = _date_from_parts(int(match["year"]), int(match["month"]), day)
        clock = match["clock"] or match["spaced_clock"]
        if not clock:
            return date, None
        import datetime  # only for headers with a time

        hours, minutes = clock.split(":", 1)
        return date, datetime.datetime.fromisoformat(f"{date}T{int(hours):02d}:{minutes}".replace(",", ".")).isoformat()
    if match["dmy"]:
        first, second = int(match["a"]), int(match["b"])
        day, month = (first, second) if dayfirst or match["sep"] == "." else (second, first)
        return _date_from_parts(int(match["dmy_year"]), month, day), None
    return _date_from_parts(int(match["slashed_year"]), int(match["slashed_month"]), int(match["slashed_day"])), None


def _parse_free_date(text: str, dayfirst: bool) -> tuple[str, str | None]:
    """Date of a header line written in words: in the words of LANGUAGES, as embeds print dates ('21.
    Oktober 2021', 'jeudi 21 octobre 2021 à 14:43', '2021. október 17.'), else in any form python-dateutil
    reads ('Thursday, 21 October 2021 23:30:00 +0100')."""
    written = _parse_written_date(text)
    if written is not None:
        return written
    # Parsing against two different defaults tells which fields were given.
    import datetime

    from dateutil import parser as date_parser  # slow import, only for non-ISO headers

    first_default = datetime.datetime(1, 1, 1, 0, 0, 0)
    second_default = datetime.datetime(2, 2, 2, 1, 1, 1)
    try:
        first = date_parser.parse(text, default=first_default, dayfirst=dayfirst)
        second = date_parser.parse(text, default=second_default, dayfirst=dayfirst)
    except (ValueError, OverflowError) as exc:
        raise ValueError(str(exc).split(":")[0]) from None
    if first.year != second.year or first.month != second.month:
        raise ValueError("no year and month")
    if first.day != second.day:
        return f"{first.year:04d}-{first.month:02d}", None
    has_time = (first.hour, first.minute) == (second.hour, second.minute)
    return first.date().isoformat(), first.isoformat() if has_time else None


def _parse_written_date(text: str) -> tuple[str, str | None] | None:
    """The date (and time) of a header line that holds nothing else but a weekday before it, read as
    attributions' dates are (_match_posted); None if it holds more or other words."""
    first_word = text.split(None, 1)[0]
    pos = len(first_word) if _month_key(first_word) in WEEKDAY_NAMES else 0
    if text.startswith(",", pos):
        pos += 1
    dated = _match_posted(text, pos)
    if dated is None or text[dated.end :].strip(" .,"):
        return None
    if dated.date is None:
        raise ValueError("day is out of range for month")
    return dated.date, dated.datetime


def _parse_header(text: str, dayfirst: bool) -> _Header:
    """The header's date, where the body starts, and what was wrong with the header."""
    match = HEADER_RE.match(text)
    if match is None:
        return _Header(None, None, 0, 1, Problem(1, "no date header"))
    header_line = 1 + text.count("\n", 0, match.start("rest"))
    rest = match["rest"]
    token = HEADER_TOKEN_RE.match(rest)
    if token:
        after = match.start("rest") + token.end()
        raw = token.group()
        try:
            date, stamp = _parse_header_token(raw, dayfirst)
        except ValueError as exc:  # nothing is lost: the token stays the first block's
            problem = Problem(header_line, f"invalid date {raw!r}: {exc}")
            return _Header(None, None, match.start("rest"), header_line, problem)
        return _Header(date, stamp, after, header_line, None)
    if not match["colon"] and (len(rest) > HEADER_DATE_MAX_CHARS or not any(ch.isdigit() for ch in rest)):
        # 'Date night ideas…' is a headline, not a header.
        return _Header(None, None, 0, 1, Problem(1, "no date header"))
    raw = rest.strip()
    if not raw:
        return _Header(None, None, match.end("rest"), header_line, Problem(header_line, "missing date after 'date'"))
    try:
        if len(raw) > HEADER_DATE_MAX_CHARS:
            raise ValueError("too long for a date")
        date, stamp = _parse_free_date(raw, dayfirst)
    except ValueError as exc:
        # Nothing is lost: what could not be read as a date stays in the body.
        shown = raw if len(raw) <= HEADER_DATE_MAX_CHARS else raw[:HEADER_DATE_MAX_CHARS] + "…"
        problem = Problem(header_line, f"invalid date {shown!r}: {exc}")
        return _Header(None, None, match.start("rest"), header_line, problem)
    return _Header(date, stamp, match.end("rest"), header_line, None)


class DateRange(NamedTuple):
    """The header dates an article may have to be kept (--since, --until, --require-date).

    Bounds are ISO dates or their first fields ('2021', '2021-10'): a year or
    a month is in the range from its first day (``since``) or to its last
    (``until``), and a month-only header date is in it when its month overlaps
    it.  An undated article is kept unless ``require_date``.
    """

    since: str | None = None
    until: str | None = None
    require_date: bool = False

    def admits(self, date: str | None) -> bool:
        if date is None:
            return not self.require_date
        # ISO dates compare as text; a month runs from its '-01' to no later than its '-31'.
        first, last = (date, date) if len(date) == 10 else (date + "-01", date + "-31")
        return (self.since is None or last >= self.since) and (self.until is None or first <= self.until)


def date_bound(text: str, *, end: bool) -> str:
    """An ISO date of a range's bound given as '2021', '2021-10' or '2021-10-21': its period's first day,
    or with ``end`` its last ('2021-10' ends '2021-10-31', as far as comparing dates as text goes); raises
    ValueError if it is no such date."""
    match = DATE_BOUND_RE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a date as YYYY, YYYY-MM or YYYY-MM-DD: {text!r}")
    year, month, day = match["year"], match["month"], match["day"]
    _date_from_parts(int(year), int(month or 1), int(day) if day else None)
    return f"{year}-{month or ('12' if end else '01')}-{day or ('31' if end else '01')}"


# ---------------------------------------------------------------------------
# Blocks
# ---------------------------------------------------------------------------

# A block on its way to becoming a Block: (line, text, the post it holds if it
# is a quote, whether its text holds a hint of a post, whether the page's
# markup made it a heading), always read by unpacking, ``line, text, post,
# hinted, marked_heading = block``, never by position.  A plain tuple: one is
# built per line of every file, and a NamedTuple's constructor costs 4% of the
# TSV time; mypy tells the fields apart by their types and counts them.
_RawBlock = tuple[int, str, "_Post | None", bool, bool]


def _text_of(block: _RawBlock) -> str:
    _, text, _, _, _ = block
    return text


# Whitespace that _collapse changes, but for runs of plain spaces (a
# substring search finds those faster).
_ODD_SPACES = (
    "\t\x0b\x0c\x1c-\x1f\x85\N{NO-BREAK SPACE}\N{OGHAM SPACE MARK}"
    "\N{EN QUAD}-\N{ZERO WIDTH SPACE}\N{LINE SEPARATOR}\N{PARAGRAPH SEPARATOR}\N{NARROW NO-BREAK SPACE}"
    "\N{MEDIUM MATHEMATICAL SPACE}\N{IDEOGRAPHIC SPACE}"
)


def _words(text: str) -> list[str]:
    """The words of a text: str.split knows NBSP, tabs and the Unicode spaces
    that scrapers leave between words; the zero-width space separates them too."""
    return text.replace("\N{ZERO WIDTH SPACE}", " ").split()


def _collapse(text: str) -> str:
    """Runs of whitespace as single spaces."""
    return " ".join(_words(text))


class _Lines(NamedTuple):
    """A body's lines, numbered from ``first_line``, and what the one scan of it found."""

    lines: list[str]
    first_line: int
    first_column: int  # where the first line starts on its line of the file (after an inline header)
    hinted: set[int]  # numbers of the lines holding a hint of a post
    odd_space: bool  # whether any whitespace needs collapsing


def _body_lines(text: str, first_line: int, start: int = 0, first_column: int = 0) -> _Lines:
    """The lines of the body ``text[start:]``, without copying it out of the text (a 50 MB article
    would be held twice)."""
    lines = text.split("\n")
    if start:
        column = _column(text, start)
        first_column += column
        line_start = start - column
        del lines[: text.count("\n", 0, line_start)]
        lines[0] = lines[0][start - line_start :]
    return _Lines(lines, first_line, first_column, *_scan_body(text, start, first_line))


def _scan_body(text: str, start: int, first_line: int) -> tuple[set[int], bool]:
    """In ``text[start:]``: the numbers of the lines holding a hint of a post, and whether any
    whitespace needs collapsing."""
    lines: set[int] = set()
    line, position, odd_space = first_line, start, text.find("  ", start) >= 0
    for mark in BODY_SCAN_RE.finditer(text, start):
        if mark["space"] is not None:
            odd_space = True
            continue
        line += text.count("\n", position, mark.start())
        position = mark.start()
        lines.add(line)
    return lines, odd_space


def _wrap_width(body: _Lines) -> int | None:
    """The column a hard-wrapped body was wrapped at, or None if it was not wrapped.

    Wrapped text has most lines within a few columns of the width, and those
    lines stop mid-sentence; unwrapped lines are whole paragraphs and end with
    their sentence.
    """
    lines = body.lines[:WRAP_SAMPLE_LINES]
    if lines:
        lines[0] = " " * body.first_column + lines[0]
    if len([length for length in map(len, lines) if length > WRAP_MAX_WIDTH]) > 0.1 * len(lines):
        return None  # most articles: whole paragraphs on their lines
    sample = [line.rstrip() for line in lines if line.strip()]
    short = sorted(len(line) for line in sample if len(line) <= WRAP_MAX_WIDTH)
    if len(sample) < 3 or len(short) < 0.9 * len(sample):
        return None
    width = short[int(0.95 * (len(short) - 1))]
    if width < WRAP_MIN_WIDTH:
        return None
    full = [line for line in sample if 0.75 * width <= len(line) <= width]
    mid_sentence = sum(1 for line in full if line[-1] not in SENTENCE_END)
    return width if len(full) >= 0.4 * len(sample) and mid_sentence >= 0.6 * len(full) else None


def _has_hint(text: str) -> bool:
    """Whether ``text`` holds a hint of a post (QUOTE_HINT_RE)."""
    return QUOTE_HINT_RE.search(text) is not None


def _ends_post(line: str) -> bool:
    """Whether a line ends with a post's attribution: '(@h)', maybe with its date after it."""
    paren = line.rfind("(@")
    close = line.find(")", paren)
    if paren < 0 or close < 0:
        return False
    rest = line[close + 1 :].strip()
    dated = _match_posted(rest, 0) if rest else None
    return not rest or (dated is not None and dated.end == len(rest))


def _split_blocks(body: _Lines, width: int | None) -> list[_RawBlock]:
    """Blocks of a body: blank lines and single newlines end a block; with the wrap ``width`` of
    hard-wrapped text, a wrapped line does not.  Whitespace inside a line is collapsed as _collapse does."""
    if width is not None:
        return _unwrap(body, width)
    hinted = body.hinted
    tidy = _collapse if body.odd_space else str.strip  # most bodies have nothing to collapse
    return [
        (number, line, None, number in hinted, False)
        for number, raw in enumerate(body.lines, body.first_line)
        if (line := tidy(raw))
    ]


def _column(text: str, pos: int) -> int:
    """The column of ``pos`` in its line of ``text``."""
    return pos - (text.rfind("\n", 0, pos) + 1)


def _text_blocks(text: str, first_line: int, first_column: int = 0) -> list[_RawBlock]:
    """Blocks of a plain text, its wrap width found from its own lines."""
    body = _body_lines(text, first_line, first_column=first_column)
    return _split_blocks(body, _wrap_width(body))


def _unwrap(body: _Lines, width: int) -> list[_RawBlock]:
    """Blocks of hard-wrapped lines: a line goes on in the next unless the next one's first word would have fitted."""
    first_line, hinted = body.first_line, body.hinted
    blocks: list[_RawBlock] = []
    paragraph: list[str] = []
    start = previous_width = 0
    paragraph_hinted = False
    for number, raw in enumerate(body.lines, first_line):
        words = _words(raw)
        if paragraph and not (words and previous_width + 1 + len(words[0]) > width):
            blocks.append((start, " ".join(paragraph), None, paragraph_hinted, False))
            paragraph = []
            paragraph_hinted = False
        if words:
            start = start if paragraph else number
            paragraph += words
            paragraph_hinted = paragraph_hinted or number in hinted
        previous_width = len(raw.rstrip()) + (body.first_column if number == first_line else 0) if words else 0
        if words and number in hinted and _ends_post(raw):
            previous_width = 0  # no paragraph goes on past a post's attribution
    if paragraph:
        blocks.append((start, " ".join(paragraph), None, paragraph_hinted, False))
    return blocks


# ---------------------------------------------------------------------------
# Posts
# ---------------------------------------------------------------------------
# A post's attribution (its author, handle and date), found in a block by its
# platform's finders; the post's words are what stands before it, in its
# block or in the blocks before (whole posts, below).


class _Post(NamedTuple):
    """An embedded post found in a block's text.

    ``start`` is where its attribution begins (the post's words are before it,
    after ``text_start``) and ``end`` where the post ends: what follows is the
    article's own prose.
    """

    platform: str
    start: int
    end: int
    author: str | None = None
    handle: str | None = None
    posted: str | None = None
    url: str | None = None
    text_start: int = 0
    text: str | None = None  # the post's words when they are not text[text_start:start]
    posted_datetime: str | None = None  # with the time the attribution prints: '2024-11-25T00:58:00-07:00'
    community: str | None = None  # where it was posted: a Reddit post's 'r/harbour'
    # Its attribution stops before a whole handle and a date ('— Jane', '— Jane (@ja'): where the text ends
    # there, a truncated text was cut inside it (_cut_off_by_the_end).
    unfinished: bool = False


class _Dated(NamedTuple):
    """The date an attribution prints (_match_posted), with its time if it prints one, and where it ends."""

    date: str | None  # ISO; None for a day that does not exist
    datetime: str | None
    end: int


# ---------------------------------------------------------------------------
# Posts: dates
# ---------------------------------------------------------------------------

# The month is any word, looked up in MONTH_NUMBERS afterwards: faster than an
# alternation of every month name in every language, and just as strict.
_MONTH = r"(?P<month>[^\W\d_]{3,15})\.?"
# 'October 17, 2021'; also Instagram's German 'Mär 12, 2018'.
MONTH_DAY_YEAR_RE = LazyPattern(rf"{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})\b")
# '17 de octubre de 2021', "17 d'octubre de 2021", '17. Oktober 2021', '17 октября 2021 г.'
DAY_MONTH_YEAR_RE = LazyPattern(
    rf"""
    (?P<day> \d{{1,2}} ) \.? \s+ (?: de \s+ | d['’] \s* )?
    {_MONTH} ,? \s+ (?: de \s+ | del \s+ )?
    (?P<year> \d{{4}} ) \b (?: \s* [гр] \. )?
    """,
    re.VERBOSE,
)
# 'May 2019', 'mayo de 2019': a date given to the month only, as the header's may be.
MONTH_YEAR_RE = LazyPattern(rf"{_MONTH},?\s+(?:de\s+)?(?P<year>\d{{4}})\b")
# '2021. október 17.' (Hungarian)
YEAR_MONTH_DAY_RE = LazyPattern(rf"(?P<year>\d{{4}})\.\s+{_MONTH}\s+(?P<day>\d{{1,2}})\b\.?")
# '2021年10月17日'
CJK_DATE_RE = LazyPattern(r"(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日")
# The time Instagram and Bluesky print after the date: ' at 4:40am PDT',
# ' um 0:31 Uhr', ' à 14:43'.
POSTED_TIME_RE = LazyPattern(
    rf"""
    ,? \s* {_alternation(_every("at_time"))}? \s*
    (?P<hour> \d{{1,2}} ) [:.h] (?P<minute> \d{{2}} ) (?: \s* (?P<half> [ap] ) \.? \s? m \.? )?
    (?: \s* (?-i: Uhr | (?P<zone> UTC | GMT | [A-Z]{{1,2}}[SD]T | CES?T | BST | MSK ) ) \b )?
    """,
    re.I | re.VERBOSE,
)
# The offsets of the zones that embeds print; a zone not here gives a time without one.
ZONE_OFFSETS = {
    "UTC": "+00:00",
    "GMT": "+00:00",
    "BST": "+01:00",
    "CET": "+01:00",
    "CEST": "+02:00",
    "MSK": "+03:00",
    "EST": "-05:00",
    "EDT": "-04:00",
    "CST": "-06:00",
    "CDT": "-05:00",
    "MST": "-07:00",
    "MDT": "-06:00",
    "PST": "-08:00",
    "PDT": "-07:00",
}


def _posted_datetime(date: str | None, hour: str, minute: str, half: str | None, zone: str | None) -> str | None:
    """ISO text of a post's date and time ('4:40am PDT'), or None if either does not exist."""
    clock = int(hour) % 12 + (12 if half.lower() == "p" else 0) if half else int(hour)
    if date is None or clock > 23 or int(minute) > 59:
        return None
    return f"{date}T{clock:02d}:{minute}:00{ZONE_OFFSETS.get(zone or '', '')}"


@functools.lru_cache(maxsize=DATE_CACHE_SIZE)
def _posted_date(year: int, month: int, day: int) -> str | None:
    """ISO text of a post's date, or None if the date does not exist; cached, as header dates are."""
    try:
        return _date_from_parts(year, month, day)
    except ValueError:
        return None


def _match_posted(text: str, pos: int) -> _Dated | None:
    """The date (and time) an attribution prints at ``pos``, after spaces."""
    while pos < len(text) and text[pos].isspace():
        pos += 1
    if pos == len(text):
        return None
    if text[pos].isdigit():
        match = DAY_MONTH_YEAR_RE.match(text, pos) or YEAR_MONTH_DAY_RE.match(text, pos) or CJK_DATE_RE.match(text, pos)
    else:
        match = MONTH_DAY_YEAR_RE.match(text, pos) or MONTH_YEAR_RE.match(text, pos)
    if match is None:
        return None
    month = match["month"]
    number = int(month) if month.isdigit() else MONTH_NUMBERS.get(month.casefold())
    if number is None:
        return None
    if "day" not in match.re.groupindex:
        return _Dated(f"{int(match['year']):04d}-{number:02d}", None, match.end())
    date = _posted_date(int(match["year"]), number, int(match["day"]))
    time = POSTED_TIME_RE.match(text, match.end())
    if time is None:
        return _Dated(date, None, match.end())
    return _Dated(date, _posted_datetime(date, time["hour"], time["minute"], time["half"], time["zone"]), time.end())


# The start of a date as attributions print it, cut off: a month's first letters ('Septem', 'M'), or a whole
# month word and the day and year so far ('October 2,', 'Oct 17, 20'); a day first ('17 de oct').
CUT_DATE_RE = LazyPattern(
    r"""
    (?: (?P<word> [^\W\d_]{1,15} ) \.? | (?P<month> [^\W\d_]{3,15} ) \.? \s+ \d{1,2} (?: ,? \s* \d{0,4} )?
      | \d{1,2} \.? (?: \s+ (?: de \s+ | d['’] \s* )? (?P<after_day> [^\W\d_]{1,15} ) )? )
    \s* \Z
    """,
    re.VERBOSE,
)


def _is_cut_date(tail: str) -> bool:
    """Whether ``tail`` is all that is left of a date cut off where a truncated file ends ('Septem', 'Oct
    17, 20'); prose after an attribution ('June is here', 'I agree', 'Mar 3 then more') is none."""
    match = CUT_DATE_RE.match(tail)
    if match is None:
        return False
    if match["month"]:
        return match["month"].casefold() in MONTH_NUMBERS
    word = match["word"] or match["after_day"] or ""
    if not word:
        return True  # a day alone: '17'
    if len(word) < 3 and not word[0].isupper():  # 'M' is May cut short; 'no' is a word
        return False
    word = word.casefold()
    following = bisect.bisect_left(MONTH_NAMES, word)  # the first name not before the word: it begins so, or none does
    return following < len(MONTH_NAMES) and MONTH_NAMES[following].startswith(word)


# ---------------------------------------------------------------------------
# Posts: the platforms
# ---------------------------------------------------------------------------
# A block per platform: what its flattened attribution looks like, the
# finders that read it, and at the block's end its row of the table
# (Platform), from which the hint scan, the finders' order and the markup
# lookups are built.  A finder returns the first post whose attribution
# starts at or after a position of a block's text, or None.

_Finder = Callable[[str, int], "_Post | None"]


class Embed(NamedTuple):
    """How a platform's embed code, left as HTML in a body, is known and read."""

    tags: str  # the tags it opens with, space-separated
    marks: LazyPattern  # searched in the opening tag's attributes
    url: Callable[[Any], str | None]  # the post's link, from the markup's root element (a bs4 Tag)
    handle: Callable[[Any], str | None] | None = None  # the account, where the markup names it


class Platform(NamedTuple):
    """A platform whose embedded posts become quotes: a row of PLATFORMS.

    Only blocks holding one of the hints of some platform are searched for
    posts (BODY_SCAN_RE), so every attribution a platform's finders take
    holds one of its hints (a test holds the finders' results the same with
    the hints' gate on and off).
    """

    name: str  # the record's 'platform'
    finders: tuple[_Finder, ...] = ()
    # A finder asked only where no finder found an attribution: a post whose attribution the scrape lost.
    find_unattributed: _Finder | None = None
    hint_characters: str = ""  # characters that each of its attributions holds
    hint_words: tuple[str, ...] = ()  # or words (their start is enough: 'Pub' for 'Publicado por')
    embed: Embed | None = None
    # Whether its post's words may stand in blocks before its attribution (the crawler turned the
    # post's line breaks into block breaks), which may then stand alone and name a post that lost its own.
    runs_back: bool = False
    # The post's link, from its words, where the attribution gives none.
    url_in_words: Callable[[str], str | None] | None = None
    # Phrases that open a post laid out over several blocks ('View this post on Instagram').
    openers: tuple[str, ...] = ()
    # What the embed prints for a post that is gone, standing alone in a block: a quote without words.
    gone: str = ""
    # What the flattened embed prints for the post's picture or link card: not the post's words.
    media: str = ""
    # The post's own id in its link (the record's 'post_id'), as the group 'id'.
    post_id: LazyPattern | None = None


def _https(link: str) -> str:
    return link if link.startswith(("http://", "https://")) else "https://" + link


def _class_marks(*classes: str) -> LazyPattern:
    """A pattern of a class attribute naming one of ``classes``."""
    return LazyPattern(r"""class\s*=\s*["']?[^"'>]*\b(?:""" + "|".join(classes) + r")\b", re.I)


def _attribute(root: Any, name: str) -> str | None:
    """The value of attribute ``name`` on the markup's root element or the first element inside that has it."""
    holder = root if root.get(name) else root.find(attrs={name: True})
    return None if holder is None else str(holder[name])


def _attribute_url(name: str) -> Callable[[Any], str | None]:
    """A reader of the post's link from attribute ``name`` (its '/embed' suffix dropped)."""

    def read(root: Any) -> str | None:
        link = _attribute(root, name)
        return None if link is None else _https(link.lstrip("/")).removesuffix("/embed")

    return read


def _anchor_url(own: str) -> Callable[[Any], str | None]:
    """A reader of the post's link from the markup's last link, the last holding ``own`` where one does."""

    def read(root: Any) -> str | None:
        links = [str(a["href"]) for a in root.find_all("a", href=True)]
        links = [link for link in links if own in link] or links
        return links[-1] if links else None

    return read


# '(@handle)': Twitter handles are 1-15 word characters; Bluesky's are domain
# names and Instagram's may hold dots.  Some scrapes lose the opening parenthesis
# and glue the name to the handle ('— Lena@lenamarsh) May 19, 2024'): a Twitter
# handle only, so that an address ('ana@example.org)') is none.
# (Its first character a set of three: the engine skips to them, 10 times faster than trying the two
# forms at every position.)
HANDLE_PAREN_RE = LazyPattern(
    r"[(（@](?:(?<=[(（])\s*@(?P<handle>[A-Za-z0-9_][A-Za-z0-9_.-]{0,252}?)\s*[)）]|(?<=\w@)(?P<glued>[A-Za-z0-9_]{1,15})[)）])"
)


# --- Twitter ----------------------------------------------------------------

TWITTER_HANDLE_RE = LazyPattern(r"[A-Za-z0-9_]{1,15}")

# The dash that opens a tweet's attribution; scrapers also leave it as an
# entity or as JavaScript's %u escape.
STRONG_DASH_RE = LazyPattern(r"—|–|&mdash;|&ndash;|%u2014|%u2013")
EM_DASHES = frozenset({"—", "&mdash;", "%u2014"})
# A hyphen used as that dash: spaced, or glued to the end of a link.
HYPHEN_DASH_RE = LazyPattern(r"(?:(?<=\s)|(?<=^)|(?<=[A-Za-z0-9]))-(?=\s)")
# A dash some scrapes lose, to a question mark or apostrophe, spaced or glued to a Twitter link's ten-character
# id ('… ? Ana Ruiz (@anaruiz)', "…/AbCdEfGh12' Ana Ruiz"); glued to a word, an apostrophe is its own.
LOST_DASH_RE = LazyPattern(r"(?:(?<=\s)|(?<=\.com/[A-Za-z0-9]{10})|(?<=\.co/[A-Za-z0-9]{10}))[?'’](?=\s)")

# Twitter's media and short links carry ids of exactly ten characters, which
# is what lets a display name or date glued to them be cut off again.
# (Without their scheme, which _https puts back: an optional start would be
# tried at every position of the text.)
TWITTER_MEDIA_LINK_RE = LazyPattern(r"(?:pic\.(?:twitter|x)\.com|t\.co)/[A-Za-z0-9]{10}")
TWITTER_STATUS_LINK_RE = LazyPattern(r"(?<![\w.])(?:(?:www|mobile)\.)?(?:twitter|x)\.com/\w{1,15}/status(?:es)?/\d+")
# A status link alone in its block ('https://twitter.com/NASA/status/1954…?s=20'): an embed that was not
# drawn, of which the crawl kept the link.
TWITTER_STATUS_ALONE_RE = LazyPattern(
    r"\s*(?:https?://)?(?P<link>(?:(?:www|mobile)\.)?(?:twitter|x)\.com/(?P<handle>\w{1,15})/status(?:es)?/\d+)"
    r"(?:[?#]\S*)?\s*"
)
# Bluesky's stand-in for a post's picture or link card (its block, below, says so too).
BLUESKY_MEDIA = "[image or embed]"


def _twitter_url(text: str) -> str | None:
    """The best link to a tweet in its text: its status, else its picture, else its last short link."""
    # The patterns start with optional parts, which the engine tries at every
    # position: the substring tests first are far cheaper.
    status = TWITTER_STATUS_LINK_RE.search(text) if "/status" in text else None
    if status:
        return _https(status.group())
    links = TWITTER_MEDIA_LINK_RE.findall(text) if "pic." in text or "t.co/" in text else []
    pictures = [link for link in links if "pic." in link]
    chosen = pictures[-1] if pictures else links[-1] if links else None
    return _https(chosen) if chosen else None


def _author_before(text: str, pos: int, paren: int) -> tuple[int, str] | None:
    """Where a tweet's attribution starts before its ``(@h)`` at ``paren``, and the display name.

    The name follows an em or en dash (one followed by a space, if any is:
    names hold dashes of their own, 'Amiom—#Save—Rothschild'); else the
    ten-character id of a link it was glued to ('…/AbCdEfGh12Jane Doe'); else
    a spaced question mark or apostrophe, which is what a lost dash becomes
    in some scrapes ('… ? Ana Ruiz (@anaruiz)', "… ' Ana Ruiz"); else a
    spaced hyphen.
    """
    window_start = max(pos, paren - NAME_MAX_CHARS)
    window = text[window_start:paren]
    dashes = list(STRONG_DASH_RE.finditer(window))
    if len(dashes) > 1:
        dashes = [dash for dash in dashes if window[dash.end() : dash.end() + 1].isspace()] or dashes
        # Twitter prints an em dash before the name; an en dash after it is the name's own ('— Jordan –
        # Nighttime Podcast (@h)').
        dashes = [dash for dash in dashes if dash.group() in EM_DASHES] or dashes
    if not dashes:
        glued = [  # (a link glued to the next link, as scrapes join a post's links, is glued to no name)
            link
            for link in TWITTER_MEDIA_LINK_RE.finditer(window)
            if window[link.end() : link.end() + 1].isalnum() and not TWITTER_MEDIA_LINK_RE.match(window, link.end())
        ]
        if glued:
            return window_start + glued[-1].end(), window[glued[-1].end() :].strip()
        # A link right before the handle: the name was lost ('…/AbCdEfGh12 (@h) May 28, 2024').
        last_link = TWITTER_MEDIA_LINK_RE.search(window, max(0, len(window) - 40))
        if last_link is not None and not window[last_link.end() :].strip():
            return window_start + last_link.end(), ""
        dashes = list(LOST_DASH_RE.finditer(window)) or list(HYPHEN_DASH_RE.finditer(window))
    if dashes:
        dash = dashes[-1]
        start = window_start + dash.start()
        if start > pos + 1 and text[start - 1] == "-" and text[start - 2] not in "- ":  # '…/AbCdEfGh12-— NAME'
            start -= 1
        return start, window[dash.end() :].strip()
    return None


def _find_tweet(text: str, pos: int) -> _Post | None:
    """'TEXT — NAME (@h) DATE', also Bluesky's 'TEXT — NAME (@h.bsky.social) DATE at TIME': the two
    print one attribution, told apart by the handle (a domain name on Bluesky) or Bluesky's media."""
    for paren in HANDLE_PAREN_RE.finditer(text, pos):
        handle = paren["handle"] or paren["glued"]
        platform = "bluesky" if "." in handle else "twitter"
        if platform == "twitter" and not TWITTER_HANDLE_RE.fullmatch(handle):
            continue
        dated = _match_posted(text, paren.end())
        if dated:
            posted, posted_datetime, end = dated
        elif len(text) - paren.end() > CUT_DATE_MAX_CHARS:
            continue  # prose goes on: '(@mariabakes), said…'
        else:
            tail = text[paren.end() :].strip()
            if tail and not _is_cut_date(tail):
                continue
            posted, posted_datetime, end = None, None, len(text)
        attribution = _author_before(text, pos, paren.start())
        if attribution is None:
            continue  # 'He wrote on Twitter (@joe) October 17, 2021 was…'
        start, author = attribution
        words = text[pos:start]
        # Without a date (not even one cut off), only a tweet's own link or an
        # attribution standing alone tells it from prose ending in '— Maria (@mariabakes)'.
        bare = dated is None and not text[paren.end() :].strip()
        if bare and words.strip() and not _twitter_url(words):
            continue
        if BLUESKY_MEDIA in words:
            platform = "bluesky"
        return _Post(platform, start, end, author or None, handle, posted, posted_datetime=posted_datetime)
    return None


# Pre-2015 tweets: 'NAME @h TEXT Fri Sep 30 15:13:45 UTC+0000 2016 Reply Retweet Favorite'.
OLD_TWEET_RE = LazyPattern(
    r"""
    (?P<author> [^@]{1,80}? ) \s+ @(?P<handle> \w{1,15} ) \s+ (?P<text> .*? ) \s*
    (?P<weekday> [A-Z][a-z]{2} ) \s+ (?P<month> [A-Z][a-z]{2} ) \s+ (?P<day> \d{1,2} ) \s+
    (?P<hour> \d{2} ) : (?P<minute> \d{2} ) : \d{2} \s+ (?P<zone> \S+ ) \s+ (?P<year> \d{4} ) \s+
    Reply \s+ Retweet \s+ Favorite \s* \Z
    """,
    re.VERBOSE | re.DOTALL,
)


def _find_old_tweet(text: str, pos: int) -> _Post | None:
    """'NAME @h TEXT Fri Sep 30 15:13:45 UTC+0000 2016 Reply Retweet Favorite'."""
    if not text.endswith("Favorite"):
        return None
    match = OLD_TWEET_RE.match(text, pos)
    if match is None or match["month"].casefold() not in MONTH_NUMBERS:
        return None
    posted = _posted_date(int(match["year"]), MONTH_NUMBERS[match["month"].casefold()], int(match["day"]))
    zone = "UTC" if match["zone"] in ("UTC+0000", "+0000") else match["zone"]
    return _Post(
        "twitter",
        pos,
        len(text),
        match["author"].strip(),
        match["handle"],
        posted,
        text=match["text"],
        posted_datetime=_posted_datetime(posted, match["hour"], match["minute"], None, zone),
    )


# The quote marks an article may put around a post it quotes, and what is left of a handle cut off where a
# truncated file ends ('— Ana (@').
QUOTE_MARKS = "\"“”„»«'‘’"
OPENING_QUOTE_MARKS = '"“„«‘'
CLOSING_QUOTE_MARKS = '"”»’“'
CUT_HANDLE_RE = LazyPattern(r"\s*\(@?\w*\Z")
# What follows a picture link as what is left of its attribution, a name and a date: at most this long.
NAME_ATTRIBUTION_MAX_CHARS = 120
# A block that ends in a picture link is a tweet whose attribution was lost;
# 'pic.twitter.com/AbCdEfGh12 — Jane Doe May 2, 2022' keeps a name without handle.
PICTURE_LINK_END_RE = LazyPattern(
    rf"""
    (?P<link> (?:https?://)? pic\.(?:twitter|x)\.com/[A-Za-z0-9]{{10}} )
    (?P<tail> [^/]{{0,{NAME_ATTRIBUTION_MAX_CHARS}}} ) \Z
    """,
    re.VERBOSE,
)


class _NameAttribution(NamedTuple):
    """What a tweet's attribution that lost its handle still gives (_name_attribution)."""

    author: str | None
    posted: str | None


def _name_attribution(tail: str) -> _NameAttribution | None:
    """The attribution in the words after a picture link: a dash, a name and a date, either maybe missing
    ('— Jane Doe May 2, 2022', 'May 2, 2022', '— Jane (@ja', what a truncated text left of a handle); None
    for prose (words without a dash or a date)."""
    dash = STRONG_DASH_RE.match(tail) or re.match(r"-\s", tail)
    name = tail[dash.end() :].strip() if dash else tail
    words = name.split(" ")
    # The name runs up to the date, if a date ends the tail.
    for i in range(len(words)):
        rest = " ".join(words[i:])
        dated = _match_posted(rest, 0)
        if dated and dated.end == len(rest):
            return _NameAttribution(CUT_HANDLE_RE.sub("", " ".join(words[:i])) or None, dated.date)
    return _NameAttribution(CUT_HANDLE_RE.sub("", name) or None, None) if dash else None


def _find_picture_tweet(text: str, pos: int) -> _Post | None:
    """A block ending in a picture link: a tweet whose '(@h)' was lost, maybe with its name and date."""
    if "pic." not in text:
        return None
    match = PICTURE_LINK_END_RE.search(text, max(pos, len(text) - TAIL_ATTRIBUTION_MAX_CHARS))
    if match is None:
        return None
    tail = match["tail"].strip()
    text_start = pos
    if tail and not tail.strip(QUOTE_MARKS):  # the article's quote marks around the post: '“#Storm … pic…“'
        tail = ""
        while text_start < match.start() and (text[text_start].isspace() or text[text_start] in QUOTE_MARKS):
            text_start += 1
    attribution = _name_attribution(tail) if tail else _NameAttribution(None, None)
    if attribution is None:
        return None  # prose after the link
    return _Post(
        "twitter",
        match.end("link"),
        len(text),
        attribution.author,
        posted=attribution.posted,
        text_start=text_start,
        unfinished=bool(tail) and attribution.posted is None,
    )


def _find_unattributed_tweet(text: str, pos: int) -> _Post | None:
    """A tweet whose attribution was lost: a block ending in its picture link (_find_picture_tweet), or its
    status link alone, which names the account."""
    status = TWITTER_STATUS_ALONE_RE.fullmatch(text) if pos == 0 and "/status" in text else None
    if status:
        return _Post("twitter", 0, len(text), None, status["handle"], None, url=_https(status["link"]), text="")
    return _find_picture_tweet(text, pos)


TWITTER = Platform(
    "twitter",
    finders=(_find_tweet, _find_old_tweet),
    find_unattributed=_find_unattributed_tweet,
    hint_characters="@（/",  # '(@h)', its full-width form, and the picture links of a lost attribution
    hint_words=("Tweet may",),
    embed=Embed("blockquote div", _class_marks("twitter-tweet", "twitter-video"), _anchor_url("/status")),
    runs_back=True,
    url_in_words=_twitter_url,
    gone=r"Tweet may have been deleted(?:\s*\(opens in a new tab\))?",
    post_id=LazyPattern(r"/status(?:es)?/(?P<id>\d+)"),
)


# --- Instagram --------------------------------------------------------------

# 'A post shared by NAME (@h) on DATE at TIME' and its translations.
_INSTAGRAM_SHARED_BY_FOLDED = tuple(phrase.casefold() for phrase in _every("shared_by"))
_INSTAGRAM_SHARED_AFTER = _every("shared_after")
INSTAGRAM_SHARED_RE = LazyPattern(
    rf"""
    {_alternation(_every("shared_by"))} \s+ (?P<author> [^\n]{{0,{NAME_MAX_CHARS}}}? ) \s*
    \(\s*@(?P<handle> [A-Za-z0-9_.]{{1,30}} )\s*\)
    (?: \s* {_alternation(_every("shared_on"))} (?= \s) )?
    """,
    re.I | re.VERBOSE,
)
# 'NAME(@h)がシェアした投稿' (Japanese) and 'NAME(@h) 分享的貼文' (Chinese).
INSTAGRAM_SHARED_AFTER_RE = LazyPattern(
    r"(?P<author>[^\s(（]{1,60}?)\s*[(（]@(?P<handle>[A-Za-z0-9_.]{1,30})[)）]\s*"
    + _alternation(_INSTAGRAM_SHARED_AFTER)
)


def _find_instagram(text: str, pos: int) -> _Post | None:
    """'A post shared by NAME (@h) on DATE at TIME', in its languages."""
    match = None
    if _holds_phrase(text, _INSTAGRAM_SHARED_BY_FOLDED, folded=True):
        match = INSTAGRAM_SHARED_RE.search(text, pos)
    if match is None and _holds_phrase(text, _INSTAGRAM_SHARED_AFTER):
        match = INSTAGRAM_SHARED_AFTER_RE.search(text, pos)
    if match is None:
        return None
    posted, posted_datetime, end = None, None, match.end()
    dated = _match_posted(text, match.end())
    if dated:
        posted, posted_datetime, end = dated
    opener = OPENER_RE.match(text, pos)
    return _Post(
        "instagram",
        match.start(),
        end,
        match["author"].strip() or None,
        match["handle"],
        posted,
        text_start=opener.end() if opener else 0,
        posted_datetime=posted_datetime,
    )


INSTAGRAM = Platform(
    "instagram",
    finders=(_find_instagram,),
    hint_characters="@",
    hint_words=("Instagram",),  # its openers
    embed=Embed("blockquote div", _class_marks("instagram-media"), _attribute_url("data-instgrm-permalink")),
    openers=_every("view_on_instagram"),
    post_id=LazyPattern(r"/(?:p|reel|tv)/(?P<id>[\w-]+)"),
)


# --- Facebook ---------------------------------------------------------------

# 'TEXT Posted by NAME on Monday, March 27, 2017' and its translations; some
# languages put no word before the weekday.  Facebook embeds name the weekday;
# blog bylines of the same shape do not.
_POSTED_BY = _every("posted_by")
_POSTED_BY_ON = tuple(phrase for language in LANGUAGES if language.posted_on for phrase in language.posted_by)
_POSTED_ON = tuple(language.posted_on for language in LANGUAGES if language.posted_on)
_POSTED_BY_BARE = tuple(phrase for language in LANGUAGES if not language.posted_on for phrase in language.posted_by)
FACEBOOK_RE = LazyPattern(
    rf"""
    (?: {_alternation(_POSTED_BY_ON)}
        \s+ (?P<author> [^\n]{{1,{NAME_MAX_CHARS}}}? ) \s+ {_alternation(_POSTED_ON)} \s+
      | {_alternation(_POSTED_BY_BARE)} \s+ (?P<bare_author> [^\n]{{1,{NAME_MAX_CHARS}}}? ) \s+ )
    (?P<weekday> {_alternation(WEEKDAY_NAMES)} ) ,? \s*
    """,
    re.I | re.VERBOSE,
)


def _find_facebook(text: str, pos: int) -> _Post | None:
    """'TEXT Posted by NAME on Monday, March 27, 2017' (no handle), in its languages."""
    if not _holds_phrase(text, _POSTED_BY):
        return None
    for match in FACEBOOK_RE.finditer(text, pos):
        dated = _match_posted(text, match.end())
        if dated is None:
            continue
        author = (match["author"] or match["bare_author"]).strip()
        return _Post("facebook", match.start(), dated.end, author, None, dated.date, posted_datetime=dated.datetime)
    return None


FACEBOOK = Platform(
    "facebook",
    finders=(_find_facebook,),
    hint_words=("Posted by", "Pub", "Опубликовано"),
    embed=Embed("blockquote div", _class_marks("fb-post", "fb-xfbml-parse-ignore"), _attribute_url("data-href")),
    post_id=LazyPattern(r"/(?:posts|videos)/(?P<id>[\w.-]+)"),
)


# --- TikTok -----------------------------------------------------------------

# '@h CAPTION ♬ SOUND'
TIKTOK_RE = LazyPattern(r"\s*@(?P<handle>[A-Za-z0-9_.]{2,24})\s+(?P<text>[^♬]*?)\s*♬\s*(?P<sound>[^♬]{0,300}?)\s*\Z")
TIKTOK_AUTHOR_RE = LazyPattern(_alternation(_every("original_sound")) + r"\s*[-–—]\s*(?P<author>.+)", re.I)


def _find_tiktok(text: str, pos: int) -> _Post | None:
    """'@h CAPTION #tag ♬ original sound - NAME'."""
    if "♬" not in text:
        return None
    match = TIKTOK_RE.match(text, pos)
    if match is None:
        return None
    author = TIKTOK_AUTHOR_RE.match(match["sound"])
    return _Post(
        "tiktok",
        pos,
        len(text),
        author["author"].strip() if author else None,
        match["handle"],
        text=match["text"],
    )


TIKTOK = Platform(
    "tiktok",
    finders=(_find_tiktok,),
    hint_characters="♬",
    embed=Embed("blockquote div", _class_marks("tiktok-embed"), _attribute_url("cite")),
    post_id=LazyPattern(r"/video/(?P<id>\d+)"),
)


# --- Threads and Mastodon ---------------------------------------------------

# 'Post by @h View on Threads' / 'Post by @user@instance View on Mastodon'
VIEW_ON_RE = LazyPattern(
    r"(?<!\S)Post\s+by\s+@(?P<handle>[A-Za-z0-9_.]{1,30}(?:@[A-Za-z0-9.-]{1,253})?)\s*View\s+on\s+"
    r"(?P<platform>Threads|Mastodon)\s*\Z"
)


def _find_view_on(text: str, pos: int) -> _Post | None:
    """'Post by @h View on Threads' and Mastodon's 'Post by @user@instance View on Mastodon', which end
    their block: their attribution is looked for in its last characters only."""
    if "View on" not in text:
        return None
    match = VIEW_ON_RE.search(text, max(pos, len(text) - TAIL_ATTRIBUTION_MAX_CHARS))
    return _Post(match["platform"].lower(), match.start(), len(text), None, match["handle"]) if match else None


THREADS = Platform(
    "threads",
    finders=(_find_view_on,),  # Mastodon's too: one shape
    hint_characters="@",
    embed=Embed("blockquote div", _class_marks("text-post-media"), _attribute_url("data-text-post-permalink")),
    post_id=LazyPattern(r"/post/(?P<id>[\w-]+)"),
)
MASTODON = Platform(
    "mastodon",
    hint_characters="@",
    embed=Embed("blockquote div", _class_marks("mastodon-embed"), _attribute_url("data-embed-url")),
    post_id=LazyPattern(r"/@[^/]+/(?P<id>\d+)"),
)


# --- Reddit -----------------------------------------------------------------

# 'TITLE by u/user in r/sub', older 'TITLE from r/sub'
REDDIT_RE = LazyPattern(r"\s(?:by\s+u/(?P<user>[A-Za-z0-9_-]{3,20})\s+in|from)\s+r/(?P<sub>[A-Za-z0-9_]{2,21})\s*\Z")


def _find_reddit(text: str, pos: int) -> _Post | None:
    """'TITLE by u/user in r/sub', which ends its block."""
    if " r/" not in text:
        return None
    match = REDDIT_RE.search(text, max(pos, len(text) - TAIL_ATTRIBUTION_MAX_CHARS))
    if match is None:
        return None
    return _Post("reddit", match.start(), len(text), None, match["user"], community=f"r/{match['sub']}")


REDDIT = Platform(
    "reddit",
    finders=(_find_reddit,),
    hint_characters="/",
    embed=Embed("blockquote div", _class_marks("reddit-embed-bq", "reddit-card"), _anchor_url("/comments/")),
    post_id=LazyPattern(r"/comments/(?P<id>\w+)"),
)


# --- Bluesky ----------------------------------------------------------------


def _bluesky_url(root: Any) -> str | None:
    """The post's link, from the at:// address its embed names."""
    match = re.match(r"at://([^/]+)/app\.bsky\.feed\.post/(\w+)", str(root.get("data-bluesky-uri", "")))
    return f"https://bsky.app/profile/{match[1]}/post/{match[2]}" if match else None


BLUESKY = Platform(
    "bluesky",  # its attribution is Twitter's, and found by Twitter's finder
    hint_characters="@",
    embed=Embed("blockquote div", _class_marks("bluesky-embed"), _bluesky_url),
    runs_back=True,
    url_in_words=_twitter_url,
    media=BLUESKY_MEDIA,
    post_id=LazyPattern(r"/post/(?P<id>\w+)"),
)


# --- YouTube and Telegram: embeds left as markup only -------------------------


def _youtube_url(root: Any) -> str | None:
    link = _attribute(root, "src")
    if link is None:
        return None
    video = re.search(r"/embed/([\w-]+)", link)
    return f"https://www.youtube.com/watch?v={video[1]}" if video else _https(link.lstrip("/"))


YOUTUBE_SRC_RE = LazyPattern(r"""src\s*=\s*["']?[^"'>\s]*youtube(?:-nocookie)?\.com/embed/""", re.I)
YOUTUBE = Platform(
    "youtube", embed=Embed("iframe", YOUTUBE_SRC_RE, _youtube_url), post_id=LazyPattern(r"[?&]v=(?P<id>[\w-]+)")
)


def _telegram_url(root: Any) -> str | None:
    post = _attribute(root, "data-telegram-post")  # 'channel/123'
    return None if post is None else f"https://t.me/{post}"


def _telegram_channel(root: Any) -> str | None:
    return str(root.get("data-telegram-post", "")).split("/")[0] or None


TELEGRAM = Platform(
    "telegram",
    embed=Embed("script", LazyPattern(r"""data-telegram-post\s*=""", re.I), _telegram_url, _telegram_channel),
    post_id=LazyPattern(r"/(?P<id>\d+)\Z"),
)


# --- The table --------------------------------------------------------------

# In the order their finders are asked; the first attribution found (lowest start) is the post.
PLATFORMS = (INSTAGRAM, TWITTER, FACEBOOK, TIKTOK, THREADS, MASTODON, REDDIT, BLUESKY, YOUTUBE, TELEGRAM)
PLATFORM_BY_NAME = {platform.name: platform for platform in PLATFORMS}
_POST_FINDERS = tuple(finder for platform in PLATFORMS for finder in platform.finders)
_UNATTRIBUTED_FINDERS = tuple(platform.find_unattributed for platform in PLATFORMS if platform.find_unattributed)

# Hints of an embedded post: a block with none of them can hold none, so the
# finders never run on ordinary prose.
_HINT_CHARACTERS = "".join(sorted({character for platform in PLATFORMS for character in platform.hint_characters}))
_HINT_WORDS = tuple(dict.fromkeys(word for platform in PLATFORMS for word in platform.hint_words))
# The characters and the words' first letters come first, as one character
# class, which lets the engine skip through prose at full speed; the rest of
# a word is checked once its first letter is found.
_HINT_FIRST = _HINT_CHARACTERS + "".join(sorted({word[0] for word in _HINT_WORDS}))
_HINT_REST = "|".join([f"(?<=[{_HINT_CHARACTERS}])", *(f"(?<={word[0]}){re.escape(word[1:])}" for word in _HINT_WORDS)])
QUOTE_HINT_RE = LazyPattern(f"[{_HINT_FIRST}](?:{_HINT_REST})")

# A platform's opener at the start of a block, the platform named by the group it matched.
OPENER_RE = LazyPattern(
    r"\s*(?:" + "|".join(f"(?P<{p.name}>{_alternation(p.openers)})" for p in PLATFORMS if p.openers) + r")\s*", re.I
)
# A post that is gone: a block of nothing but what its platform prints for one.
GONE_RE = LazyPattern(r"\A\s*(?:" + "|".join(f"(?P<{p.name}>{p.gone})" for p in PLATFORMS if p.gone) + r")\s*\Z", re.I)
MEDIA_STAND_INS = frozenset(platform.media for platform in PLATFORMS if platform.media)
# The line a page prints where an advert stands: amid a post's blocks, neither its words nor its end.  A
# set, not a pattern: compiling the phrases, case-insensitive, took 1.4 ms of a one-file run.
ADVERTS = frozenset(" ".join(phrase.casefold().split()) for phrase in _every("advertising"))
# What stands around a word or a line without being its own: quote marks, brackets, stops, dashes, spaces.
_PUNCTUATION = "\"'“”‘’«»()[],.:;!?…-–—*•·| "
ADVERT_MAX_CHARS = 60
# The one scan of every body (_scan_body): hints of posts, and whitespace to collapse.
BODY_SCAN_RE = re.compile(f"[{_HINT_FIRST}{_ODD_SPACES}](?:(?<=[{_ODD_SPACES}])(?P<space>)|{_HINT_REST})")


# ---------------------------------------------------------------------------
# Posts: whole posts
# ---------------------------------------------------------------------------


class _PostSearch:
    """The posts of one block, left to right, in linear time.

    Each finder's last answer is kept while it lies ahead of the position, so
    a block holding many posts is not searched again from every one of them.
    """

    # What a finder not asked yet holds: a post before every position, so that it is asked.
    _UNASKED = _Post("", -1, -1)

    def __init__(self, text: str) -> None:
        self.text = text
        self.ahead: list[_Post | None] = [self._UNASKED] * len(_POST_FINDERS)

    def first_from(self, pos: int) -> _Post | None:
        """The first post whose attribution starts at or after ``pos``."""
        if not QUOTE_HINT_RE.search(self.text, pos):
            return None
        first = None
        for index, finder in enumerate(_POST_FINDERS):
            post = self.ahead[index]
            if post is not None and post.start < pos:
                post = self.ahead[index] = finder(self.text, pos)
            if post is not None and (first is None or post.start < first.start):
                first = post
        if first is not None:
            return first
        # A post without its attribution counts only where no attribution does.
        for finder in _UNATTRIBUTED_FINDERS:
            if (post := finder(self.text, pos)) is not None:
                return post
        return None


def _is_advert(text: str) -> bool:
    return len(text) <= ADVERT_MAX_CHARS and " ".join(text.casefold().split()).strip(_PUNCTUATION) in ADVERTS


def _find_post(text: str) -> _Post | None:
    return _PostSearch(text).first_from(0)


def _post_text(text: str, post: _Post, pos: int) -> str:
    """The post's own words: its text before the attribution, from ``pos`` where the search began."""
    if post.text is not None:
        return post.text.strip()
    return text[max(post.text_start, pos) : post.start].strip()


# A sentence of the article's own voice about the post it quotes ('The mayor posted a photo of the queue.',
# 'Sur Bluesky, un café a publié une photo'): a verb that reports a post and a word for a post, its media or
# its platform, both whole words.  Either alone is no sign: posts say 'Twitter is down' and 'she wrote
# back'.  ('said' is no such verb: a reporter's own post says it of a video as often as an article does.)
# The words looked for first are each verb's longest: 'weighed' for 'weighed in', 'publié' for 'a publié'.
REPORTING_WORDS = frozenset(max(verb.casefold().split(), key=len) for verb in _every("reporting"))
# Searched in the sentence case-folded: the patterns case-insensitive took three times as long.
REPORTING_VERB_RE = LazyPattern(r"(?<!\w)" + _alternation(verb.casefold() for verb in _every("reporting")) + r"(?!\w)")
POST_NOUN_RE = LazyPattern(
    r"(?<!\w)"
    + _alternation((*(noun.casefold() for noun in _every("post_nouns")), *(platform.name for platform in PLATFORMS)))
    + r"(?!\w)"
)
# Where a sentence ends and the next begins: a stop or a colon, closing quote marks, a space; and the
# pairs of characters one holds, at least one of them.
SENTENCE_BREAK_RE = LazyPattern(rf"[.!?…:]+[{re.escape(CLOSING_MARKS)}]*\s+(?=\S)")
SENTENCE_BREAKS = tuple(f"{end} " for end in ".!?…:" + CLOSING_MARKS)  # (a block's odd spaces are plain ones by now)


def _split_reporting_sentences(words: str, post: _Post) -> tuple[str, str]:
    """A post's words split after the last of their sentences in the article's voice (_reports_the_post),
    and the article's copy of the post in quote marks right after it, where words of the post's own are
    left: (the article's text, the post's).  Only whole sentences go: a post's words never go on in the
    article's sentence.  (A sentence with nothing but links after it is a journalist's post, which reads
    as an article does: 'X shared a video of the flood. pic.twitter.com/…'.)"""
    # The common cases told without a pattern: no sentence's end before more words (most posts), or none
    # of the words a verb's or the handle.  (The verbs' pattern, or a test of each verb, cost a tenth of
    # a run; the set of words, 3%.)
    if not _contains_any(words, SENTENCE_BREAKS):
        return "", words
    said = {word.strip(_PUNCTUATION).removeprefix("@") for word in words.casefold().split()}
    if REPORTING_WORDS.isdisjoint(said) and (post.handle is None or post.handle.casefold() not in said):
        return "", words
    breaks = list(SENTENCE_BREAK_RE.finditer(words))
    cut = start = 0
    quoted = 0  # where the article's quotation of the post opened, right after its reporting sentence
    for sentence_break in breaks:
        sentence = words[start : sentence_break.start()]
        if cut and cut == start and sentence[:1] in OPENING_QUOTE_MARKS:
            quoted = start
        if quoted and sentence[-1:] in CLOSING_QUOTE_MARKS:  # "… wrote: “Down again”. pic…": the article's copy
            cut, quoted = sentence_break.end(), 0
        elif not quoted and _reports_the_post(sentence, post):
            cut = sentence_break.end()
        start = sentence_break.end()
    if cut and any(_has_letter(word) and "/" not in word for word in words[cut:].split()):
        return words[:cut].strip(), words[cut:]
    return "", words


def _reports_the_post(sentence: str, post: _Post) -> bool:
    """Whether a sentence is the article's about ``post``: it reports it, or names the post's own handle
    ('Another user, kpatel, wrote: …', 'Then @kpatel weighed in: …'), which the post does not (it names
    others by theirs; its own author by the display name, which so tells nothing)."""
    folded = sentence.casefold()
    if REPORTING_VERB_RE.search(folded) and POST_NOUN_RE.search(folded):
        return True
    handle = post.handle and re.search(rf"(?<![\w.]){re.escape(post.handle)}(?![\w.])", sentence, re.I)
    return bool(handle)


def _is_attributed(post: _Post) -> bool:
    """Whether a post has its attribution: else it lost it, and one standing alone may name it (a platform
    whose posts run back)."""
    return not (PLATFORM_BY_NAME[post.platform].runs_back and post.author is None and post.handle is None)


def _awaits_date(post: _Post, text: str) -> bool:
    """Whether a post found in ``text`` takes a date standing alone in the next block: its attribution (or,
    where that was lost, its link), with no date, ends the block."""
    return post.posted is None and post.end == len(text)


def _cut_off_by_the_end(post: _Post, text: str, blocks: list[_RawBlock], after: int) -> bool:
    """Whether the end of the text cut off the attribution of a post that ends ``text``, the block before
    ``blocks[after]``, before its handle was whole: on the post's line ('… pic.twitter.com/X — Jane (@ja')
    or alone on the next, the text's last ('— Jane').  Such a post is left the article's, as the labelled
    crawl2 set leaves it: nothing left of it names its account."""
    if post.end != len(text):
        return False
    if after == len(blocks):
        return post.unfinished
    return after == len(blocks) - 1 and not _is_attributed(post) and _is_undated_name(_text_of(blocks[after]))


def _is_undated_name(text: str) -> bool:
    """Whether a block is an attribution without handle or date, a name after a dash ('— Jane', '— Jane
    (@ja'), which a picture link's post in the block before may have: _take_posts and _takes_forward ask."""
    if len(text) > NAME_ATTRIBUTION_MAX_CHARS or "/" in text:
        return False
    attribution = _name_attribution(text)
    return attribution is not None and attribution.posted is None


def _opened_blocks(blocks: list[_RawBlock], index: int, platform: Platform) -> int:
    """How many blocks from ``index`` on make one post that ``platform``'s opener opens: the opener, the
    caption and the attribution, at most OPENED_POST_MAX_BLOCKS."""
    for size in range(1, min(OPENED_POST_MAX_BLOCKS, len(blocks) - index) + 1):
        _, text, _, _, _ = blocks[index + size - 1]
        if size > 1 and OPENER_RE.match(text):
            break
        if any(find(text, 0) for find in platform.finders):
            return size
    return 1


def _without_media(words: str) -> str:
    """A post's words without the stand-in for its picture that ends them."""
    for media in MEDIA_STAND_INS:
        words = words.removesuffix(media)
    return words.strip()


# A tweet holds at most 280 characters, a link counting 23: with its links
# written out, every post over several blocks in the crawl set is under 310.
POST_MAX_CHARS = 310
# A post's own words this short, a word or two once links are gone, caption
# text that stands in the block before: 'Hmg', '😂😂😂', 'Stage 10'.
POST_CAPTION_MAX_CHARS = 12
POST_CAPTION_MAX_WORDS = 2
# Where every line is a block, an article's own paragraphs are long lines; a
# post's lines are short.
POST_LINE_MAX_CHARS = 150
# A block's script is told from its first characters.
SCRIPT_SAMPLE_CHARS = 100


def _join_posts(
    blocks: list[_RawBlock],
    usual_gap: Callable[[], int] | None = None,
    earlier: Sequence[_RawBlock] = (),
    ends_text: Callable[[], bool] = lambda: True,
) -> list[_RawBlock]:
    """The blocks with every embedded post made a quote block, joining and splitting blocks as posts need.

    Only blocks with a hint of a post are looked at; the others are copied as
    they are, in runs.  ``usual_gap`` gives the article's usual gap when a
    post asks (by default, that of these blocks: they are the whole article).
    ``earlier`` are the joined blocks before these, which a post's look back
    may take in (_joined_segments): the result begins with them.
    ``ends_text`` tells, when a post asks, whether these blocks end the text
    (by default they do).
    """
    hinted_blocks = [number for number, (_, _, _, hinted, _) in enumerate(blocks) if hinted]
    if not hinted_blocks:
        return [*earlier, *blocks] if earlier else blocks
    if usual_gap is None:
        usual_gap = _Lazy(lambda: _usual_gap(blocks))  # most posts never ask
    joined: list[_RawBlock] = [*earlier]
    index = 0
    for hinted in hinted_blocks:
        if hinted >= index:  # else it was taken into an earlier post
            joined += blocks[index:hinted]
            index = _take_posts(blocks, hinted, joined, usual_gap, ends_text)
    return joined + blocks[index:]


# Enough blocks to tell an article's usual gap, and few enough that a huge
# article, parsed a segment at a time, reads them again quickly when a post asks.
USUAL_GAP_BLOCKS = 1000


def _usual_gap(blocks: Iterable[_RawBlock]) -> int:
    """How many lines most of an article's blocks start after the one before (the least of the most
    common), told from its first USUAL_GAP_BLOCKS blocks: 2 where blank lines part them, 1 where single
    newlines do."""
    lines = [line for line, _, _, _, _ in islice(blocks, USUAL_GAP_BLOCKS)]
    gaps = Counter(map(sub, lines[1:], lines))
    return min(gaps, key=lambda gap: (-gaps[gap], gap)) if gaps else 2


def _take_posts(
    blocks: list[_RawBlock],
    index: int,
    joined: list[_RawBlock],
    usual_gap: Callable[[], int],
    ends_text: Callable[[], bool],
) -> int:
    """Append the posts of ``blocks[index]`` and the prose around them to ``joined``; the index after the
    blocks taken; ``ends_text`` tells whether ``blocks`` end the text.

    - A post whose attribution ends a block may have begun blocks earlier (_post_blocks_before), unless
      the attribution gives its words.
    - A platform's opener, the caption and the attribution may stand in up to three blocks: one quote.
    - A block of what a platform prints for a post that is gone is a quote without words.
    - A date alone after an attribution without one is that attribution's date.
    - A post whose attribution the text's end cut off before its handle is none (_cut_off_by_the_end).
    - Prose after a post's end on the same line is a paragraph of its own, and so
      is a list number glued to a post's first word ('2.Spring is here…').
    """
    line, text, _, _, _ = blocks[index]
    gone = GONE_RE.match(text)
    if gone:
        joined.append((line, "", _Post(str(gone.lastgroup), 0, len(text)), False, False))
        return index + 1
    opener = OPENER_RE.match(text)
    opened = PLATFORM_BY_NAME[str(opener.lastgroup)] if opener else None
    if opened:
        size = _opened_blocks(blocks, index, opened)
        text = " ".join([block_text for _, block_text, _, _, _ in blocks[index : index + size]])
        index += size - 1
    index += 1
    search = _PostSearch(text)
    pos = 0
    while (post := search.first_from(pos)) is not None:
        platform = PLATFORM_BY_NAME[post.platform]
        if pos == 0 and opened and platform is not opened:
            break
        if _cut_off_by_the_end(post, text, blocks, index) and ends_text():
            break
        words, quote_line = _post_text(text, post, pos), line
        adverts: list[_RawBlock] = []  # among the post's blocks, paragraphs of their own after it
        prose, words = _split_list_number(words)
        if not prose:
            prose, words = _split_reporting_sentences(words, post)
        if prose:
            joined.append((line, prose, None, False, False))
        elif pos == 0 and platform.runs_back and post.text is None:
            earlier = _post_blocks_before(joined, line, words, usual_gap, _is_attributed(post))
            if earlier:
                quote_line, _, _, _, _ = joined[-earlier]
                adverts = [block for block in joined[-earlier:] if _is_advert(_text_of(block))]
                before = [
                    block_text
                    for _, block_text, _, _, _ in joined[-earlier:]
                    if block_text not in MEDIA_STAND_INS and not _is_advert(block_text)
                ]
                words = " ".join([*before, words])
                del joined[-earlier:]
        if _awaits_date(post, text) and index < len(blocks):
            _, next_text, _, _, _ = blocks[index]
            date_alone = _match_posted(next_text, 0)
            if date_alone and date_alone.end == len(next_text):
                post = post._replace(posted=date_alone.date, posted_datetime=date_alone.datetime)
                index += 1
        words = _without_media(words)
        if post.url is None and platform.url_in_words:
            post = post._replace(url=platform.url_in_words(words))
        joined.append((quote_line, words, post, False, False))
        joined += adverts
        pos = post.end
    if pos == 0 and opener:
        # An opener whose attribution never came: a post of unknown author.
        joined.append((line, text[opener.end() :].strip(), _Post(str(opener.lastgroup), 0, len(text)), False, False))
    elif rest := text[pos:].strip():
        joined.append((line, rest, None, False, False))
    return index


# A list number alone, or opening a numbered line: '3.', '9. Title', '12)'.
LIST_NUMBER_RE = LazyPattern(r"\d{1,3}[.)](?:\s.*)?", re.S)


# What ended a post's reach back over the blocks before its attribution: nothing yet, another post, a list
# number, an introducing line, a block too long to be the post's, more blocks without words than a post
# has, a gap wider than a post's line breaks leave.
_ReachEnd = Literal["start", "post", "number", "intro", "long", "wordless", "frame"]
# A post shows at most four pictures (Twitter's cap, the most of any platform's): a look back passes no
# more blocks without words, and a run of stand-ins is no post's (20 MB of them were held whole).
POST_WORDLESS_MAX_BLOCKS = 4


# A post's line break, crawled, parts its lines by two lines more than the article's own gap; the frame of an
# embed parts it from the article by four or more.  (On the labelled pages: of 328 gaps inside posts none is
# four over the usual gap, of the 862 that end a post's text 27 are.)
POST_FRAME_EXTRA_LINES = 4


class _Reach(NamedTuple):
    """How far back over the blocks before its attribution a post's text may run (_reach_back)."""

    blocks: int  # the blocks within reach
    run: int  # of them, the last ones, joined to the post by gaps wider than the article's own
    media: int  # of them, stand-ins for the post's media
    end: _ReachEnd  # what ended the reach


def _post_blocks_before(
    joined: list[_RawBlock], line: int, words: str, usual_gap: Callable[[], int], attributed: bool = True
) -> int:
    """How many of the last blocks of ``joined`` belong to the post whose attribution block, at ``line``,
    starts with the post's ``words`` (none: the attribution stands alone); ``usual_gap`` gives the
    article's usual gap (_usual_gap).

    Within the reach (_reach_back), the first of these steps that speaks decides (for a post that lost its
    attribution, ``attributed`` false, only the wide gaps):
    1. an embed's frame, a list number or an introducing line where the reach ends (_taken_up_to_the_frame,
       _taken_as_a_list_item, _taken_after_an_introduction);
    2. a run of wide gaps (_taken_by_wide_gaps);
    3. a run of short lines before an attribution alone, or before words that are one more, or one such
       line before words that are one too (_taken_as_verse);
    4. for an attribution standing alone: the blocks in the post's own script (_taken_in_the_posts_script),
       or the blocks up to another post or a title where single newlines part them (_taken_up_to_a_title),
       or the block before it and the post's lines before that (_posts_lines);
    5. else a one-word caption's block before (_taken_by_a_caption), or the blocks before that read as a
       post's lines (_taken_as_the_posts_lines) or open with its words' bullet (_taken_by_the_same_bullet),
       or nothing before.
    """
    reach = _reach_back(joined, line, words, usual_gap)
    alone = not words
    if not attributed:  # a post that lost its attribution: only the crawler's line breaks tell its start
        return _taken_by_wide_gaps(reach, alone, joined) or 0
    for taken in (
        _taken_up_to_the_frame(reach),
        _taken_as_a_list_item(reach),
        _taken_after_an_introduction(reach, joined),
        _taken_by_wide_gaps(reach, alone, joined),
        _taken_as_verse(reach, joined, words),
    ):
        if taken is not None:
            return taken
    if not alone:
        return (
            _taken_by_a_caption(reach, words, joined)
            or _taken_as_the_posts_lines(reach, joined)
            or _taken_by_the_same_bullet(reach, joined, words)
        )
    in_script = _taken_in_the_posts_script(reach, joined)
    if in_script is not None:
        return in_script
    if reach.end == "post" and usual_gap() == 1:  # every line a block: up to another post, or a title
        return _taken_up_to_a_title(reach, joined)
    # With the block before it (past media stand-ins), however long, and the post's lines before that.
    taken = reach.media + 1 if reach.blocks > reach.media or reach.end == "long" else reach.blocks
    return taken + _posts_lines(joined, taken, reach.blocks)


def _reach_back(joined: list[_RawBlock], line: int, words: str, usual_gap: Callable[[], int]) -> _Reach:
    """How far back from the attribution at ``line`` a post's text may run: over blocks that are neither
    another post, nor together longer than a post, nor (where a single newline parts them, and but for
    the words of an attribution alone) longer than a post's line, nor a list number ('3.') or an
    introducing line (three words or more ending with ':') unless a wide gap joins them, nor more than
    POST_WORDLESS_MAX_BLOCKS without words, nor past a gap an embed's frame leaves
    (POST_FRAME_EXTRA_LINES)."""
    alone = not words
    reach = run = media = 0
    wordless = 0  # blocks passed without words: media stand-ins and posts that are gone
    in_run = True
    length = len(words)
    end: _ReachEnd = "start"
    after = line
    for position in range(len(joined) - 1, -1, -1):
        block_line, text, post, _, _ = joined[position]
        stand_in = text in MEDIA_STAND_INS or _is_advert(text)
        wordless += not text or stand_in
        if wordless > POST_WORDLESS_MAX_BLOCKS:
            end = "wordless"
            break
        if stand_in:  # the post's picture, or the page's advert amid it: no words of the post
            reach += 1
            run += in_run
            media += 1
            after = block_line
            continue
        gap = after - block_line
        # (The usual gap is 1 at least: most posts never ask it.  A post that lost its attribution is the
        # attribution's, however far: its line is its block's first, which may hold more lines before it.)
        if post is None and gap > POST_FRAME_EXTRA_LINES and gap >= usual_gap() + POST_FRAME_EXTRA_LINES:
            end = "frame"
            break
        wide_gap = gap >= 3 and gap >= usual_gap() + 2
        in_run = in_run and (wide_gap or (alone and reach == media))
        # (A deleted tweet's stand-in, a post without words, is one only an attribution alone may name.)
        if post is not None and (_is_attributed(post) or not (text or alone)):
            end = "post"
            break
        if not in_run and LIST_NUMBER_RE.fullmatch(text):
            end = "number"
            break
        if not in_run and _introduces(text) and not _after_list_number(joined, position):
            end = "intro"
            break
        length += len(text)
        # (Before an attribution alone, the block that holds the post's words is the post's, however long a
        # line: the reach goes on past it.)
        long_line = len(text) > POST_LINE_MAX_CHARS and after - block_line == 1 and not (alone and reach == media)
        if length > POST_MAX_CHARS or long_line:
            end = "long"
            break
        reach += 1
        run += in_run
        after = block_line
    return _Reach(reach, run, media, end)


def _taken_up_to_the_frame(reach: _Reach) -> int | None:
    """Where an embed's frame ends the reach, all of it is the post's: the frame parts the post from the
    article."""
    return reach.blocks if reach.end == "frame" and reach.blocks else None


def _taken_by_wide_gaps(reach: _Reach, alone: bool, joined: list[_RawBlock]) -> int | None:
    """Blocks parted by gaps wider than the article's own are the post's, up to where the gaps narrow again,
    and the post's lines just before (_posts_lines): the crawler turned the post's line breaks into block
    breaks, the article's paragraphs keep their own.  (An attribution alone joins the block before freely:
    that one gap is no run.)"""
    if reach.run > alone + reach.media:
        return reach.run + _posts_lines(joined, reach.run, reach.blocks)
    return None


def _taken_as_a_list_item(reach: _Reach) -> int | None:
    """Where the reach ends at a list number ('3.', '9. Title'), all of it is the post's: the list's item is
    the post, whatever lines it has."""
    return reach.blocks if reach.end == "number" else None


def _taken_after_an_introduction(reach: _Reach, joined: list[_RawBlock]) -> int | None:
    """Where the reach ends at an introducing line, all of it is the post's, unless it holds a list of its
    own (the article's, which the line introduces) or a line in title case (a subhead: the line introduced
    its section, the article's paragraph under it); and the line too where it opens the post
    (_opens_a_post)."""
    if reach.end != "intro":
        return None
    _, introduction, _, _, _ = joined[len(joined) - reach.blocks - 1]
    if _opens_a_post(introduction):
        return reach.blocks + 1
    within = joined[len(joined) - reach.blocks :]
    if _holds_list(within) or any(_is_title_case(_text_of(block)) for block in within):
        return None
    return reach.blocks


def _opens_a_post(introduction: str) -> bool:
    """Whether an introducing line is written in capitals: a post's own ('BREAKING NEWS:', 'JUST IN:'), where
    an article's lead-in is written as its prose.  (Of the 57 introducing lines before a post on the labelled
    pages, the one in capitals is the post's, the others the article's.)"""
    return _in_capitals(introduction)


# A verse's line: short, and no sentence's end (three dots trail off, as a line of verse may).
# VERSE_MIN_LINES of them in a row are no article's prose.
VERSE_LINE_MAX_CHARS = 50
VERSE_MIN_LINES = 3
TRAILING_OFF = "..."


def _taken_as_verse(reach: _Reach, joined: list[_RawBlock], words: str) -> int | None:
    """A run of short lines that end no sentence, or trail off ('…'; _is_verse_line), right before the
    post's words that are one more (their links left out), or before an attribution alone: a chant, a list,
    a poem of the post's, its line breaks turned into block breaks; or one such line before words that are
    one too, where the line opens as a sentence does (_opens_as_a_sentence): a post of two lines.  (Before
    a post's words of another shape, such a run is as often the article's list.)"""
    if words and not _is_verse_line(_without_links(words)):  # the picture's link is no line of the verse
        return None
    lines = 0
    while lines < reach.blocks and _is_verse_line(_text_of(joined[-lines - 1])):
        lines += 1
    if lines + bool(words) >= VERSE_MIN_LINES:
        return lines
    return 1 if words and lines == 1 and _opens_as_a_sentence(_text_of(joined[-1])) else None


def _opens_as_a_sentence(line: str) -> bool:
    """Whether a line opens as a sentence does, a capital and then small letters, where the article speaks
    in sentences: one opened by a number ('#1 choice of …'), in capitals ('WATCH') or in title case ('Fans
    at the Gates') is a subhead over the post, and one in a script without capitals tells neither (a
    Japanese page's citation of a headline).  (A longer verse may be any case: a chant's lines may be
    capitals.)"""
    return line[:1].isupper() and not (_in_capitals(line) or _is_title_case(line))


def _taken_by_the_same_bullet(reach: _Reach, joined: list[_RawBlock], words: str) -> int:
    """The blocks before the post's words opened by the same dash or bullet as they are: the post's list
    or dialogue ('-¿Qué dijo? / -Nada.')."""
    bullet = words[:1]
    if not bullet or bullet.isalnum() or bullet in "\"'“‘«(#@":
        return 0
    lines = 0
    while lines < reach.blocks and _text_of(joined[-lines - 1])[:1] == bullet:
        lines += 1
    return lines


def _without_links(text: str) -> str:
    """A text without its links' words ('pic.twitter.com/…', 'https://t.co/…')."""
    return " ".join([word for word in text.split() if "/" not in word])


def _is_verse_line(text: str) -> bool:
    return (
        len(text) <= VERSE_LINE_MAX_CHARS and bool(text) and (text.endswith(TRAILING_OFF) or not _ends_a_sentence(text))
    )


def _ends_a_sentence(text: str) -> bool:
    last = text.rstrip(CLOSING_MARKS)[-1:]
    return bool(last) and last in SENTENCE_STOPS


def _taken_up_to_a_title(reach: _Reach, joined: list[_RawBlock]) -> int:
    """The blocks within reach, up to a line in title case past the first: a list's item title or a
    credit line over the post ('Who Did This Best?', 'Via Twitter: @name'), which no post's line is."""
    taken = 0
    while taken < reach.blocks and not (taken and _is_title_case(_text_of(joined[-taken - 1]))):
        taken += 1
    return taken


# The words a title leaves small past its first ('at', 'of', 'the', 'and'): no longer than this.
TITLE_SMALL_WORD_MAX_CHARS = 3


def _is_title_case(text: str) -> bool:
    """Whether a short line of three words or more starts each with a capital (or no letter), but the small
    words past the first ('Fans at the Gates')."""
    words = text.split()
    return (
        len(words) >= 3
        and len(text) <= HEADING_MAX_CHARS
        and all(
            not word[0].isalpha() or word[0].isupper() or (index and len(word) <= TITLE_SMALL_WORD_MAX_CHARS)
            for index, word in enumerate(words)
        )
    )


def _taken_in_the_posts_script(reach: _Reach, joined: list[_RawBlock]) -> int | None:
    """For an attribution alone, the blocks within reach written in its post's script, up to one written
    in another: an English post quoted in a Russian article is all of its lines, the article's own
    paragraph before it is not.  (The block that ended the reach, too long, is the article's, and tells
    its script.)"""
    beyond = 1 if reach.end == "long" else 0
    if reach.blocks > 1 and (in_script := _in_the_posts_script(joined[len(joined) - reach.blocks - beyond :])):
        return min(in_script, reach.blocks)
    return None


def _taken_by_a_caption(reach: _Reach, words: str, joined: list[_RawBlock]) -> int:
    """A word or two left once links are gone ('Hmg', '😂😂', 'Stage 10') is a caption to text in the block
    before that leaves its sentence open: that block is the post's too.  (After a sentence's stop the
    caption answers the article: '…he wrote on Monday.' then '😂'.)"""
    if not reach.blocks or len(words) > POST_CAPTION_MAX_CHARS + 50:  # longer than a caption and a link
        return 0
    _, text_before, _, _, _ = joined[-1]
    if _ends_a_sentence(text_before):
        return 0
    caption = _without_links(words)
    # (A picture alone has no caption.  Nor have words of Chinese or Japanese, which are written without
    # spaces: they may be a whole post.)
    short = 0 < len(caption) <= POST_CAPTION_MAX_CHARS and len(caption.split()) <= POST_CAPTION_MAX_WORDS
    return min(reach.blocks, 1) if short and (caption.isascii() or not _has_letter(caption)) else 0


# An emoji, with its variation selector or skin tone, or a bullet a post draws with one ('▪️', '•').
_EMOJI = "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u25a0-\u25ff\u2022][\ufe0f\U0001f3fb-\U0001f3ff]*"
# A post's line, where the article's paragraph would read otherwise: opened by a hashtag (with a letter:
# '#1 choice of …' is a ranking) or an emoji, or ending in one of either, a comma (a sentence the post's
# next line goes on with) or two dots, the informal stop that edited prose never uses ('… tonight..').
# The ends are looked for in the line's last characters (a pattern searched over a whole line tried
# each alternative at each character: 20,000 instructions a line).
POST_LINE_OPENS_RE = LazyPattern(f"#\\d*[^\\W\\d]|{_EMOJI}")
POST_LINE_ENDS_RE = LazyPattern(f"(?:,|(?<!\\.)\\.\\.|{_EMOJI})\\Z")
HASHTAG_END_RE = LazyPattern(r"#\w*[^\W\d]\w*\Z")
POST_LINE_END_CHARS = 4  # an emoji with its selector and skin tone; 'x..'
HASHTAG_MAX_CHARS = 40


def _reads_as_a_posts_line(text: str) -> bool:
    """Whether a block opens or ends as a post's line does (POST_LINE_OPENS_RE, POST_LINE_ENDS_RE,
    HASHTAG_END_RE), shouts (_shouts) or breaks off (_breaks_off)."""
    if _shouts(text) or _breaks_off(text):
        return True
    tail = text[-HASHTAG_MAX_CHARS:]
    # Neither end an emoji nor a hashtag near, the common case, told without compiling a pattern (0.5 ms
    # of a one-file run).
    if text[:1].isascii() and text[-1:].isascii() and "#" not in tail and text[:1] != "#":
        return text.endswith(",") or (text.endswith("..") and not text.endswith("..."))
    return bool(
        POST_LINE_OPENS_RE.match(text)
        or POST_LINE_ENDS_RE.search(text[-POST_LINE_END_CHARS:])
        or ("#" in tail and HASHTAG_END_RE.search(tail))
    )


def _breaks_off(text: str) -> bool:
    """Whether a block ends on a word no sentence ends with (BREAKING_OFF_WORDS, '… cut the'): its sentence
    goes on in the next block, as it does after a comma."""
    last_word = text[-BREAKING_OFF_TAIL_CHARS:].rpartition(" ")[2]
    return len(last_word) < BREAKING_OFF_TAIL_CHARS and last_word.casefold() in BREAKING_OFF_WORDS


def _shouts(text: str) -> bool:
    """Whether a block is a sentence in capitals: a post's, where an article's paragraph is not written so
    (and a heading in capitals, 'WATCH', ends with no stop)."""
    return text[-1:] in SENTENCE_STOPS and _in_capitals(text)


def _in_capitals(text: str) -> bool:
    """Whether every letter of a text is a capital, none of a script without them ('NICTが…' is no shout)."""
    return text.isupper() and all(character.isupper() for character in text if character.isalpha())


def _taken_as_the_posts_lines(reach: _Reach, joined: list[_RawBlock]) -> int:
    """The blocks before the post's words that read as a post's lines (_posts_lines): the crawler parted
    the post's lines, and the article's paragraph before them ends as prose does."""
    return _posts_lines(joined, 0, reach.blocks)


def _posts_lines(joined: list[_RawBlock], taken: int, reach: int) -> int:
    """How many blocks before the last ``taken`` of ``joined``, within ``reach`` of its end, read as a post's
    lines (_reads_as_a_posts_line), up to one that does not."""
    lines = 0
    while taken + lines < reach and _reads_as_a_posts_line(_text_of(joined[-taken - lines - 1])):
        lines += 1
    return lines


def _in_the_posts_script(blocks: list[_RawBlock]) -> int:
    """How many of the last blocks are written in the script of the last one with letters, where a block
    before them is written in another: the article's (an English post quoted in a Russian article); 0
    where none is."""
    post_script = ""
    for count, (_, text, _, _, _) in enumerate(reversed(blocks)):
        script = _script(text)
        if script and post_script and script != post_script:
            return count
        post_script = post_script or script
    return 0


def _script(text: str) -> str:
    """The writing system most of the letters that begin a text belong to ('LATIN', 'CYRILLIC', 'CJK', …),
    '' if it has none."""
    if max(text[:SCRIPT_SAMPLE_CHARS], default="a") < "\N{LATIN SMALL LETTER TURNED A}":  # the common case, found in C
        return "LATIN" if _has_letter(text[:SCRIPT_SAMPLE_CHARS]) else ""
    import unicodedata  # only for the blocks before a post

    # A link's letters, a handle's and a hashtag's are no script's words ('… कडून pic.twitter.com/d5Oeb2ZhoN').
    sample = " ".join(word for word in text[:SCRIPT_SAMPLE_CHARS].split() if not ("/" in word or word[0] in "@#"))
    scripts = Counter(
        "LATIN" if character < "\N{LATIN SMALL LETTER TURNED A}" else unicodedata.name(character, "").split(" ", 1)[0]
        for character in sample
        if character.isalpha()
    )
    if kana := scripts.pop("HIRAGANA", 0) + scripts.pop("KATAKANA", 0):  # written among Chinese characters
        scripts["CJK"] += kana
    return max(scripts, key=scripts.__getitem__) if scripts else ""


def _introduces(text: str) -> bool:
    """Whether a line introduces what follows: a sentence of three words or more ending with ':'.

    ('Nobody:', 'me:' and the other short lines of a post's dialogue end with one too.)
    """
    return text.endswith((":", "：")) and len(text.split(None, 2)) > 2


def _holds_list(blocks: list[_RawBlock]) -> bool:
    """Whether blocks hold a list of the article's own: LIST_MIN_ITEMS heading-like lines in a row (no post
    is one, and the quote of a deleted tweet has no text to tell)."""
    return bool(_listed(_heading_like(blocks)))


def _after_list_number(blocks: list[_RawBlock], index: int) -> bool:
    """Whether ``blocks[index]`` follows a list number: it opens a list item, and a ':' there is the item's own."""
    if not index:
        return False
    _, text_before, _, _, _ = blocks[index - 1]
    return LIST_NUMBER_RE.fullmatch(text_before) is not None


# A list number glued to the first word after it: '…of March.2.Spring is here'.
DIGIT_DOT_LETTER_RE = LazyPattern(r"\d\.[^\W\d_]")
GLUED_LIST_NUMBER_RE = LazyPattern(r"(?:(?<=^)|(?<=[\s.!?…]))\d{1,3}\.(?=[^\W\d_])")


def _split_list_number(words: str) -> tuple[str, str]:
    """A post's words split after the last list number glued to a word: (the article's text, the post's)."""
    if not DIGIT_DOT_LETTER_RE.search(words):  # the cheap test first: a third of the post's time
        return "", words
    numbers = list(GLUED_LIST_NUMBER_RE.finditer(words))
    if not numbers:
        return "", words
    cut = numbers[-1].end()
    return words[:cut].strip(), words[cut:].strip()


# ---------------------------------------------------------------------------
# Markup
# ---------------------------------------------------------------------------

# Markup left in a body: a tag name we know, so that '<' in prose ('a < b',
# '<noun>.js') is not mistaken for it.
# A tag as HTML writes one: a name HTML has, then attributes written name=value.
# Prose with angle brackets ('a<b and c>d', '<your name here>') has no tag, and
# keeps its words.
_TAG_ATTRIBUTES = (
    r"""(?:\s+[A-Za-z_:][\w:.-]{0,60}\s*=\s*(?:"[^"<>]{0,2000}"|'[^'<>]{0,2000}'|[^\s"'<>=`]{1,2000}))*\s*/?"""
)
_HTML_ELEMENTS = (
    "a abbr address article aside audio b bdi bdo big blockquote body br button canvas caption center cite code col "
    "colgroup data dd del details dfn div dl dt em embed fieldset figcaption figure font footer form h1 h2 h3 h4 h5 "
    "h6 head header hr html i iframe img input ins kbd label legend li link main mark meta nav noscript object ol "
    "option p picture pre q s samp script section select small source span strike strong style sub summary sup svg "
    "table tbody td template textarea tfoot th thead time title tr tt u ul var video wbr"
)


def _tag(names: str) -> str:
    """A pattern of an opening or closing tag of one of the ``names`` (space-separated)."""
    return rf"</?(?:{'|'.join(names.split())})\b{_TAG_ATTRIBUTES}>"


MARKUP_HINT_RE = LazyPattern(
    _tag(
        "p br div span a b i em strong blockquote iframe script style h1 h2 h3 h4 h5 h6 ul ol li figure "
        "figcaption section article img hr table tr td"
    )
    + "|<!--",
    re.I,
)
# Where an embed's markup starts; its end is found with str.find, which keeps
# unclosed tags from costing quadratic time.
_EMBED_TAGS = sorted({tag for platform in PLATFORMS if (embed := platform.embed) for tag in embed.tags.split()})
EMBED_START_RE = LazyPattern(rf"<(?P<tag>{'|'.join(_EMBED_TAGS)})\b(?P<attrs>[^<>]{{0,2000}})>", re.I)
CLOSING_TAG_RES = {
    tag: LazyPattern(rf"</{tag}\s*>", re.I) for tag in ("blockquote", "div", "iframe", "script", "style")
}
LOADER_SCRIPT_RE = LazyPattern(r"\s*<(?P<tag>script)\b(?P<attrs>[^<>]{0,2000})>", re.I)


# An embed's markup is a few KB (Instagram's, styles and all, about 12 KB), nested a dozen deep. bs4 holds
# about 130 bytes a character of what it parses (8 MB in one embed took 971 MiB), and walks up the nesting
# for each string it adds, and down it for each append (2 MB of nested <div>s took hours): markup longer
# or deeper is read as plain markup.
EMBED_MAX_CHARS = 1 << 16
EMBED_MAX_DEPTH = 64
TAG_START_RE = LazyPattern(r"<(?P<closing>/?)(?P<name>[A-Za-z][A-Za-z0-9]*)")
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


def _of_an_embeds_size(markup: str) -> bool:
    """Whether ``markup`` is no longer and no deeper than an embed's (EMBED_MAX_CHARS, EMBED_MAX_DEPTH)."""
    if len(markup) > EMBED_MAX_CHARS:
        return False
    depth = 0
    for tag in TAG_START_RE.finditer(markup):
        if tag["closing"]:
            depth -= 1
        elif tag["name"].lower() not in VOID_ELEMENTS:
            depth += 1
            if depth > EMBED_MAX_DEPTH:
                return False
    return True


def _closing_tag(text: str, tag: str, pos: int) -> int:
    """End of the first ``</tag>`` at or after ``pos``, or -1."""
    match = CLOSING_TAG_RES[tag].search(text, pos)
    return match.end() if match else -1


def _embed_region_end(text: str, start: re.Match[str]) -> int:
    """Where the embed starting at ``start`` ends, or -1 if its closing tag is missing."""
    tag = start["tag"].lower()
    if tag == "div":  # Facebook's <div class="fb-post"> wraps a blockquote
        inner = _closing_tag(text, "blockquote", start.end())
        return _closing_tag(text, "div", inner) if inner >= 0 else -1
    return _closing_tag(text, tag, start.end())


def _embed_platform(start: re.Match[str]) -> Platform | None:
    """The platform whose embed opens with the tag ``start`` matched (EMBED_START_RE), if any."""
    tag = start["tag"].lower()
    for platform in PLATFORMS:
        embed = platform.embed
        if embed and tag in embed.tags.split() and embed.marks.search(start["attrs"]):
            return platform
    return None


def _post_from_markup(markup: str, platform: Platform) -> tuple[str, _Post]:
    """The post an embed's markup holds, read with beautifulsoup4: (its words, post).

    The markup is flattened to text as a scraper would and read by the same
    finders as flattened embeds; the link comes from the markup's attributes.
    """
    from bs4 import BeautifulSoup  # slow import, only for files with embed markup
    from bs4.exceptions import ParserRejectedMarkup

    embed = platform.embed
    assert embed is not None  # the platform was told by its embed
    try:
        soup = BeautifulSoup(markup, "html.parser")
    except ParserRejectedMarkup as exc:  # '<![ y': a declaration html.parser gives up on
        raise MarkupError(str(exc)) from None
    root = soup.find(True)
    url = embed.url(root) if root is not None else None
    handle = embed.handle(root) if root is not None and embed.handle else None
    for element in soup.find_all(["script", "style", "iframe"]):
        element.decompose()
    for br in soup.find_all("br"):
        br.replace_with(" ")
    for block in soup.find_all(["p", "div", "section"]):
        block.append(" ")
    flattened = _collapse(soup.get_text())
    found = _find_post(flattened)
    if found is not None and found.platform == platform.name:
        words = _post_text(flattened, found, 0)
        post = found._replace(platform=platform.name, url=url or found.url)
    else:
        opener = OPENER_RE.match(flattened)
        words = flattened[opener.end() :] if opener else flattened
        post = _Post(platform.name, 0, 0, handle=handle, url=url)
    return words.strip(), post


# Tags that end a block once markup is flattened, and those dropped with
# their content.
BLOCK_TAG_RE = LazyPattern(
    _tag("p div blockquote h1 h2 h3 h4 h5 h6 ul ol li figure figcaption section article table tr hr"), re.I
)
BREAK_TAG_RE = LazyPattern(_tag("br"), re.I)
ANY_TAG_RE = LazyPattern(_tag(_HTML_ELEMENTS), re.I)
SCRIPT_OPEN_RE = LazyPattern(r"<(?P<tag>script|style)\b[^<>]{0,2000}>", re.I)


def _strip_markup(text: str) -> str:
    """Plain text of HTML left in a body: block tags end paragraphs, scripts and tags vanish.

    A script or style tag that is never closed is prose naming it ('put it in
    a <script> element'): it stays, and so do the words after it.
    """
    pieces: list[str] = []
    position = 0
    for opening in SCRIPT_OPEN_RE.finditer(text):
        if opening.start() < position:
            continue
        pieces.append(_tags_read(text[position : opening.start()]))
        close = _closing_tag(text, opening["tag"].lower(), opening.end())
        if close < 0:
            pieces.append(opening.group())
        position = close if close >= 0 else opening.end()
    pieces.append(_tags_read(text[position:]))
    return "".join(pieces)


def _tags_read(text: str) -> str:
    """``text``, which holds no script, with its comments and tags gone, its block and break tags made
    paragraph and line breaks."""
    text = _without_comments(text)
    text = BREAK_TAG_RE.sub("\n", text)
    text = BLOCK_TAG_RE.sub("\n\n", text)
    return ANY_TAG_RE.sub("", text)


def _without_comments(text: str) -> str:
    """``text`` without its HTML comments, found with str.find: a pattern that looked for each
    comment's end took seconds on a text of comment starts with no end."""
    pieces: list[str] = []
    position = 0
    while (start := text.find("<!--", position)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:  # unclosed: no later comment can close either, and the rest stays text
            break
        pieces.append(text[position:start])
        position = end + 3
    pieces.append(text[position:])
    return "".join(pieces)


# A character reference: a number (its ';' may go, as HTML reads it) or a name with its ';' (a URL's
# '&para=2' is no entity).
ENTITY_RE = LazyPattern(r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};)")
# '&#10;', '&#xD;', '&NewLine;'.
LINE_BREAK_ENTITY_RE = LazyPattern(r"&(?:#0*1[03](?![0-9]);?|#[xX]0*[aAdD](?![0-9a-fA-F]);?|NewLine;)")


def _decode_entities(text: str) -> str:
    """Text with its character references read; one that stands for a line break is a space, as HTML
    shows it, so that every block keeps the line it has in the file."""
    if "&" not in text or not ENTITY_RE.search(text):
        return text
    import html  # only for text with entities

    # Each reference by itself, with its ';': html.unescape of the whole text would also read names
    # without one, which a URL's '&not_found=1&para=2' holds.
    return ENTITY_RE.sub(lambda entity: html.unescape(entity.group()), LINE_BREAK_ENTITY_RE.sub(" ", text))


def _plain_blocks(text: str, first_line: int, first_column: int = 0) -> list[_RawBlock]:
    """Blocks of text outside embeds: markup in a block becomes plain text (and may split it).

    A block that is nothing but markup is kept as written: in a page about
    HTML it is the article's code sample, not debris.
    """
    if not MARKUP_HINT_RE.search(text):
        return _text_blocks(_decode_entities(text), first_line, first_column)
    return _read_markup(_text_blocks(text, first_line, first_column))


# A block that is one heading element of the page's markup ('<h2>What happens next</h2>'): the page says
# it is a heading, whatever its features say.  (h1 is the page's title, which the first block's rules tell.)
MARKED_HEADING_RE = LazyPattern(r"\s*<h([2-6])\b[^>]*>(?:(?!</?h[1-6]\b).)*</h\1\s*>\s*", re.IGNORECASE | re.DOTALL)


def _read_markup(blocks: list[_RawBlock]) -> list[_RawBlock]:
    """Blocks of text that holds markup, split as written: each made plain text, which may split it."""
    plain: list[_RawBlock] = []
    for block in blocks:
        line, block_text, _, _, _ = block
        if not MARKUP_HINT_RE.search(block_text):
            # What entities decode to may be whitespace, or whitespace alone ('&nbsp;', '&#x2028;').
            if block_text := _collapse(_decode_entities(block_text)):
                plain.append((line, block_text, None, _has_hint(block_text), False))
            continue
        pieces = _text_blocks(_decode_entities(_strip_markup(block_text)), line)
        marked_heading = len(pieces) == 1 and MARKED_HEADING_RE.fullmatch(block_text) is not None
        plain += [(line, piece, None, hinted, marked_heading) for _, piece, _, hinted, _ in pieces] or [block]
    return plain


def _markup_blocks(text: str, start: int, first_line: int) -> list[_RawBlock]:
    """Blocks of the body ``text[start:]``, which holds markup: embeds become quote blocks, the text between
    them plain blocks."""
    return [block for blocks in _markup_segments(text, start, first_line, len(text)) for block in blocks]


def _loader_script_end(body: str, end: int) -> int:
    """Where the platform's loader script that usually follows an embed ending at ``end`` ends, if one does.

    (A script that is itself an embed, as Telegram's is, is no other's loader.)
    """
    script = LOADER_SCRIPT_RE.match(body, end)
    if script is None or _embed_platform(script) is not None:
        return end
    close = _closing_tag(body, "script", script.end())
    return close if close >= 0 else end


def _holds_markup(text: str, start: int) -> bool:
    return text.find("<", start) >= 0 and MARKUP_HINT_RE.search(text, start) is not None


def _body_blocks(text: str, start: int, first_line: int) -> list[_RawBlock]:
    """Blocks of the body ``text[start:]``: markup and entities read, embeds left as markup made quotes."""
    if _holds_markup(text, start):
        return _markup_blocks(text, start, first_line)
    if text.find("&", start) >= 0 and ENTITY_RE.search(text, start):
        return _text_blocks(_decode_entities(text[start:]), first_line, _column(text, start))
    body = _body_lines(text, first_line, start)  # the common case: plain text, not copied
    return _split_blocks(body, _wrap_width(body))


# ---------------------------------------------------------------------------
# Kinds
# ---------------------------------------------------------------------------


def _is_heading(text: str) -> bool:
    """Short, no final punctuation (but a short question), not starting in lower case: 'New space race'.

    What a heading can look like, alone; whether it is one, _kinds tells from its neighbours.  Joining
    posts asks it too (_holds_list: an article's own list is heading-like lines in a row, which no post
    runs back over), so a change here moves quotes as well as headings.
    """
    if len(text) > HEADING_MAX_CHARS:
        return False
    if text[-1] in QUESTION_END:
        if len(text) > HEADING_MAX_CHARS // 2:
            return False
    elif text[-1] in HEADING_NOT_END:
        return False
    first_letter = text[0] if text[0].isalpha() else next((ch for ch in text if ch.isalpha()), "A")
    return not first_letter.islower()


def _has_letter(text: str) -> bool:
    return any(map(str.isalpha, text))


# A list number, and a bullet or dash, opening a line: '3. ', '12) '; '• ', '— '.
NUMBERED_RE = LazyPattern(r"\d{1,3}[.)](?:\s|$)")


BULLETED_RE = LazyPattern(r"[•·▪►*–—-]\s")


# What opens a page's furniture rather than a heading (each language's row names its own).
FURNITURE_RE = LazyPattern(r"\W*" + _alternation((*_every("furniture"), *AGENCY_CREDITS)) + r"\b", re.I)


# Credits, handles, hashtags, navigation and links; a font-size widget's letters ('A- A+', 'A A A').
NOISE_RE = LazyPattern(r"[@#|©/]|https?:|www\.|\A(?:A[-+−]?\s*){2,3}\Z")


def _may_be_heading(text: str) -> bool:
    """Whether a short block may be a heading at all: not a credit, a byline or a page's label
    ('Photo: …', 'By …', 'Read more', 'Anzeige'), not a bulleted or dashed line ('• …', '— …'),
    no handle, hashtag, link or '|', no date."""
    return not (
        FURNITURE_RE.match(text)
        or _is_advert(text)
        or BULLETED_RE.match(text)
        or NOISE_RE.search(text)
        or _gives_date(text)
        or _is_dateline(text)
    )


class KindFeatures(NamedTuple):
    """The shallow text features of a heading-like block and of its neighbours that tell a heading from
    the many short lines that are not one (list items, captions, credits, bylines, dates, widget labels,
    a post's lines), in the manner of boilerpipe's classifier.  Each is a number in [0, 1], and each
    looks no further than the two blocks after and the one before.  HEADING_WEIGHTS is one too: a
    weight for each."""

    bias: float
    length: float  # characters, over HEADING_MAX_CHARS
    one_word: float
    numbered: float  # starts with a number: '3. ', '12) '
    title_case: float  # share of its words starting in upper case
    in_list: float  # one of LIST_MIN_ITEMS or more heading-like blocks in a row
    next_paragraph: float  # the block after is a paragraph (_is_paragraph)
    previous_paragraph: float  # the block before is
    text_follows: float  # a paragraph comes within the next two blocks
    short_neighbours: float  # share of its two neighbours that are short (a run of short lines)
    month_opens: float  # its first word a month's name: a timeline's subheads ('March: the strike')


# BEGIN HEADING_WEIGHTS: written by `python benchmarks/kinds.py --write`
# A logistic regression over the candidates of the labelled sets, called
# above a probability of 0.5, which is folded into the bias: a
# candidate is a heading where the sum of its features times these weights
# is above zero.  Left out one file at a time:
# crawl: precision 0.744, recall 0.736; crawl2: precision 0.750, recall
# 0.509; corpus: precision 0.742, recall 0.660.
HEADING_WEIGHTS = KindFeatures(
    bias=-2.811,
    length=-1.156,
    one_word=-1.392,
    numbered=+1.238,
    title_case=+2.322,
    in_list=-1.339,
    next_paragraph=+0.663,
    previous_paragraph=+1.056,
    text_follows=+1.525,
    short_neighbours=-0.567,
    month_opens=+3.052,
)
# END HEADING_WEIGHTS
# (The rule before the weights, a short unpunctuated line not in a list, had
# precision 0.40 and recall 0.85 on the crawl set, 0.47 and 0.82 on the
# corpus.  Seventeen more features, or gradient-boosted trees over them, did
# no better on both sets at once: up to 0.05 more F1 on the crawl set, none
# or less on the corpus.)

# How far from a block the blocks that tell its kind stand: its features look two blocks ahead, and
# whether it stands in a list (LIST_MIN_ITEMS heading-like blocks in a row) two blocks either way.  A
# huge article parsed a segment at a time keeps these in view at each end, and gets the kinds of the whole.
KIND_REACH = max(2, LIST_MIN_ITEMS - 1)


class HeadingCandidates(NamedTuple):
    """The blocks of an article that may be headings, by index, and those of them that stand in lists."""

    indexes: list[int]
    listed: set[int]


def heading_candidates(blocks: list[_RawBlock], first_n: int) -> HeadingCandidates:
    """The heading-like blocks (_is_heading) with a letter, but the article's first; and which stand in
    lists (LIST_MIN_ITEMS heading-like blocks in a row, letters or not).  _kinds scores them, and so does
    benchmarks/kinds.py, which learns the weights.

    A line without a letter ('***', '3.', '20.10.2025 - 09:16') stands in a
    list as any short line does, but no heading of the crawl set or the
    corpus is one.
    """
    like = _heading_like(blocks)
    indexes = [index for index in like if (index or first_n > 1) and _has_letter(_text_of(blocks[index]))]
    return HeadingCandidates(indexes, _listed(like))


def _heading_like(blocks: list[_RawBlock]) -> list[int]:
    """The indexes of the blocks that look like headings (_is_heading), no post among them."""
    return [index for index, (_, text, post, _, _) in enumerate(blocks) if post is None and _is_heading(text)]


# KindFeatures made of its values in field order, without the constructor's argument handling: a
# keyword call cost 3% of the TSV time (0.8 µs a candidate against 0.13).  A test holds each value
# to its field.
_features_of: Callable[[tuple[float, ...]], KindFeatures] = functools.partial(tuple.__new__, KindFeatures)


def kind_features(blocks: list[_RawBlock], index: int, listed: set[int]) -> KindFeatures:
    """The features of ``blocks[index]``, a heading candidate; ``listed``: the candidates in lists."""
    _, text, _, _, _ = blocks[index]
    previous = blocks[index - 1] if index else None
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    words = text.split()
    next_paragraph = _is_paragraph(following)
    return _features_of(
        (
            1.0,  # bias
            len(text) / HEADING_MAX_CHARS,  # length
            float(len(words) == 1),  # one_word
            float(NUMBERED_RE.match(text) is not None),  # numbered
            len([word for word in words if word[0].isupper()]) / len(words),  # title_case
            float(index in listed),  # in_list
            float(next_paragraph),  # next_paragraph
            float(_is_paragraph(previous)),  # previous_paragraph
            float(next_paragraph or (index + 2 < len(blocks) and _is_paragraph(blocks[index + 2]))),  # text_follows
            (_is_short(previous) + _is_short(following)) / 2,  # short_neighbours
            float(_month_key(words[0]) in MONTH_NUMBERS),  # month_opens
        )
    )


def _heading_score(blocks: list[_RawBlock], index: int, listed: set[int]) -> float:
    """Above zero where HEADING_WEIGHTS call a candidate a heading."""
    score: float = sum(map(mul, HEADING_WEIGHTS, kind_features(blocks, index, listed)))
    return score


def _is_short(block: _RawBlock | None) -> bool:
    """Whether a block is short (HEADING_MAX_CHARS) and not a post: what a heading can be."""
    if block is None:
        return False
    _, text, post, _, _ = block
    return post is None and len(text) <= HEADING_MAX_CHARS


def _is_paragraph(block: _RawBlock | None) -> bool:
    """Whether a block is a paragraph: not a post, and too long for a heading or a sentence
    (_is_sentence).  A long block is a paragraph whether or not it ends its sentence: a crawl cuts
    paragraphs short, and pages end them with a link, an emoji or a quote's close."""
    if block is None:
        return False
    _, text, post, _, _ = block
    return post is None and (len(text) > HEADING_MAX_CHARS or _is_sentence(text))


def _listed(like: list[int]) -> set[int]:
    """Of the sorted indexes of heading-like blocks, those in runs of LIST_MIN_ITEMS or more in a row:
    a list's items."""
    listed: set[int] = set()
    run: list[int] = []
    for index in [*like, -2]:
        if run and index != run[-1] + 1:
            if len(run) >= LIST_MIN_ITEMS:
                listed.update(run)
            run = []
        run.append(index)
    return listed


DIGIT_RE = LazyPattern(r"\d")
TIME_RE = LazyPattern(r"\d{1,2}[:.h]\d{2}\b")


def _is_dateline(text: str) -> bool:
    """Whether a line is mostly a date or a time: 'Dienstag, 29. Januar 2019', '21 October 2021 23:30'.

    A list number opening it is no date: '1. Meetup.com' is a list item's title; nor is a word that
    only may be a month's ('Top 10 out of 100 picks': 'out' is Portuguese October's abbreviation).
    """
    if not DIGIT_RE.search(text):
        return False
    words = text.split()
    if NUMBERED_RE.match(text):
        del words[0]
    dated = [
        word
        for word in words
        if _names_month(word)
        or (folded := _month_key(word)) in WEEKDAY_NAMES
        or (folded in MONTH_NUMBERS and _holds_full_date(text))
        or not _has_letter(word)
        or TIME_RE.match(word)
    ]
    return bool(words) and len(dated) >= len(words) / 2


def _gives_date(text: str) -> bool:
    """Whether a line gives a date: a month's name beside a number ('Updated February 28th, 2025', 'am 5.
    März', 'Mai 2019'), or a full date ('21 Oct 2021').  Such a line dates a page or a post; 2 of the 315
    headings of the crawl set and the corpus do (headlines do more often: not asked of them)."""
    if not DIGIT_RE.search(text):
        return False
    words = text.split()
    return _holds_full_date(text) or any(
        _names_month(word) and any(near[0].isdigit() for near in words[max(index - 1, 0) : index + 2])
        for index, word in enumerate(words)
    )


def _holds_full_date(text: str) -> bool:
    """Whether a text holds a day, a month word (an abbreviation too) and a year, as attributions print them."""
    return any(
        match["month"].casefold() in MONTH_NUMBERS
        for pattern in (MONTH_DAY_YEAR_RE, DAY_MONTH_YEAR_RE)
        for match in pattern.finditer(text)
    )


def _names_month(word: str) -> bool:
    """Whether a word names a month alone: a full name (FULL_MONTH_NAMES), with a capital where its
    language writes one."""
    bare = word.strip(".,;:()")
    needs_capital = FULL_MONTH_NAMES.get(bare.casefold())
    return needs_capital is not None and (not needs_capital or bare[:1].isupper())


def _month_key(word: str) -> str:
    """A word as MONTH_NUMBERS and WEEKDAY_NAMES hold it: without the punctuation around it, case folded."""
    return word.strip(".,;:()").casefold()


def _is_sentence(text: str) -> bool:
    """Whether a block reads as a paragraph: a sentence's length (40 characters: 25 to 50 told
    headings equally well, 80 and over missed the short paragraphs of web pages), ending it."""
    return len(text) >= 40 and text[-1] in SENTENCE_END


HEADLINE_MIN_CHARS = 25


HEADLINE_MAX_CHARS = 150


# Two sentences, or handles, credits and links: not a headline.
HEADLINE_NOT_RE = LazyPattern(rf"[{SENTENCE_STOPS}]\s+\S|[@©]|https?:|www\.")


def _is_headline(text: str) -> bool:
    """Whether an article's first block reads as its headline: a line of words, at least
    HEADLINE_MIN_CHARS and three words long (ten characters of Chinese or Japanese), without a
    final stop, not two sentences, without handles, credits, bylines, dates or links, and not
    starting in lower case unless with a number ('11 ways to …').

    A site or section name, a byline, a timestamp or a one-word label, which
    pages put where a headline could stand, is none of these.
    """
    if not HEADLINE_MIN_CHARS <= len(text) <= HEADLINE_MAX_CHARS or text[-1] in HEADLINE_NOT_END:
        return False
    if len(text.split()) < 3 and sum(1 for character in text if character >= "\N{CJK RADICAL REPEAT}") < 10:
        return False
    if HEADLINE_NOT_RE.search(text) or FURNITURE_RE.match(text) or _is_dateline(text):
        return False
    letter = next((character for character in text if character.isalpha()), "A")
    return not letter.islower() or text[0].isdigit()


def _kinds(blocks: list[_RawBlock], first_n: int) -> dict[int, str]:
    """The titles and headings among raw blocks, by index: the first block of an article is its
    'title' when it reads as a headline; a later heading-like block (_is_heading) that may be a
    heading (_may_be_heading) is a 'heading' when HEADING_WEIGHTS say so of its features."""
    kinds = {}
    if first_n == 1 and blocks:
        _, first_text, first_post, _, _ = blocks[0]
        if first_post is None and _is_headline(first_text):
            kinds[0] = "title"
    candidates = heading_candidates(blocks, first_n)
    for index in candidates.indexes:
        # The score first: on the crawl set and the corpus it turns down two candidates in three, the
        # vetoes one in eight, at twice its cost.
        if _heading_score(blocks, index, candidates.listed) > 0 and _may_be_heading(_text_of(blocks[index])):
            kinds[index] = "heading"
    return kinds


# Block's fields, typed place by place as Block has them (mypy checks each value), and a Block made of
# them without the constructor's argument handling: 3% of the TSV time.
_BlockValues = tuple[
    str,
    int,
    int,
    str | None,
    str,
    str | None,
    str | None,
    str | None,
    str | None,
    str | None,
    str | None,
    str | None,
    str | None,
]


_block_of: Callable[[_BlockValues], Block] = functools.partial(tuple.__new__, Block)


def _post_id(post: _Post) -> str | None:
    """The post's own id, where its link names one (its platform's post_id)."""
    pattern = PLATFORM_BY_NAME[post.platform].post_id
    found = pattern.search(post.url) if pattern is not None and post.url else None
    return found["id"] if found else None


def _classify(
    blocks: list[_RawBlock],
    first_n: int = 1,
    section: str | None = None,
    before: list[_RawBlock] | None = None,
    after: list[_RawBlock] | None = None,
) -> tuple[Block, ...]:
    """The Blocks of raw blocks, numbered from ``first_n``, under ``section`` until a heading comes;
    ``before`` and ``after`` are the blocks next to them in a segmented article (_in_view)."""
    before = before or []
    in_view = _kinds([*before, *blocks, *(after or [])], first_n - len(before))
    kinds = {index - len(before): kind for index, kind in in_view.items()}
    classified: list[Block] = []
    for index, (line, text, post, _, marked_heading) in enumerate(blocks):
        n = first_n + index
        if post is not None:
            values: _BlockValues = (
                "quote",
                n,
                line,
                section,
                text,
                post.platform,
                post.author,
                post.handle,
                post.community,
                post.posted,
                post.posted_datetime,
                post.url,
                _post_id(post),
            )
        else:
            kind = "heading" if marked_heading else kinds.get(index, "paragraph")
            values = (kind, n, line, section, text, None, None, None, None, None, None, None, None)
            if kind == "heading":
                section = text
        classified.append(_block_of(values))
    return tuple(classified)


# ---------------------------------------------------------------------------
# Segments
# ---------------------------------------------------------------------------
# A huge article is parsed a segment of about SEGMENT_CHARS at a time
# (parse_article_segments): a segment ends at a line break that no post takes
# a block across, the blocks a post of the next segment may take back are held
# for it, and its kinds are told with KIND_REACH blocks on either side in view,
# so that the segments' blocks are the whole article's.


def _markup_segments(text: str, start: int, first_line: int, size: int) -> Iterator[list[_RawBlock]]:
    """_markup_blocks' blocks, a segment at a time: the text between embeds in segments of about ``size``
    characters (_plain_segments), an embed's quote block in one with the text on either side of it, and
    no segment ending after blocks that may take the next (_takes_forward: an Instagram opener before an
    embed takes it and the block after)."""
    segment: list[_RawBlock] = []
    last: list[_RawBlock] = []  # the last two blocks so far, embeds' among them, which may take the next
    for blocks, after_break in _markup_pieces(text, start, first_line, size):
        if after_break and not _takes_forward(last):
            yield segment
            segment = blocks
        else:
            segment += blocks
        last = [*last, *blocks][-2:]
    yield segment


def _markup_pieces(text: str, start: int, first_line: int, size: int) -> Iterator[tuple[list[_RawBlock], bool]]:
    """The quote block of each embed in ``text[start:]`` and the segments of the text between them, each
    with whether a segment may end before it: only where _plain_segments ended one."""
    position = start
    line = first_line
    column = _column(text, start)  # of the first text; the text after an embed is read from column 0
    unclosed: set[str] = set()  # once a closing tag is missing, it is missing for every later start
    for opening in EMBED_START_RE.finditer(text, start):
        tag = opening["tag"].lower()
        if opening.start() < position or tag in unclosed:
            continue
        platform = _embed_platform(opening)
        if platform is None:
            continue
        end = _embed_region_end(text, opening)
        if end < 0:
            unclosed.add(tag)
            continue
        end = _loader_script_end(text, end)
        markup = text[opening.start() : end]
        if not _of_an_embeds_size(markup):
            continue  # read as the text around it is: its tags stripped, its words kept
        try:
            words, post = _post_from_markup(markup, platform)
        except MarkupError:
            continue  # read as the text around it is: its tags stripped, its words kept
        for index, blocks in enumerate(_plain_segments(text, position, opening.start(), line, column, size)):
            yield blocks, index > 0
        line += text.count("\n", position, opening.start())
        yield [(line, words, post, False, False)], False
        line += text.count("\n", opening.start(), end)
        position, column = end, 0
    for index, blocks in enumerate(_plain_segments(text, position, len(text), line, column, size)):
        yield blocks, index > 0


def _plain_segments(
    text: str, start: int, stop: int, first_line: int, first_column: int, size: int
) -> Iterator[list[_RawBlock]]:
    """_plain_blocks' blocks of ``text[start:stop]``, a segment of about ``size`` characters (or
    SEGMENT_CHARS_PER_LINE times fewer lines) at a time.

    What _plain_blocks tells of the whole text holds for each segment: whether
    it holds markup, and its wrap width, found from its first lines.
    """
    if stop - start <= size:
        yield _plain_blocks(text[start:stop], first_line, first_column)
        return
    markup = MARKUP_HINT_RE.search(text, start, stop) is not None
    sample = text[start : min(_nth_line_end(text, start, WRAP_SAMPLE_LINES), stop)]
    width = _wrap_width(
        _body_lines(sample if markup else _decode_entities(sample), first_line, first_column=first_column)
    )
    separator = "\n" if width is None else "\n\n"  # wrapped paragraphs go on over single newlines
    first = start

    def read(begin: int, end: int, line: int) -> list[_RawBlock]:
        """The blocks of ``text[begin:end]``, which begins a line (or the text), read as the whole text's are."""
        piece = text[begin:end]
        body = _body_lines(
            piece if markup else _decode_entities(piece), line, first_column=0 if begin > first else first_column
        )
        return _read_markup(_split_blocks(body, width)) if markup else _split_blocks(body, width)

    lines = max(size // SEGMENT_CHARS_PER_LINE, 1)
    lines_ahead = re.compile(rf"(?:[^\n]*\n){{{lines}}}")  # in C: a loop of str.find made short lines 8% slower
    line = first_line
    while start < stop:
        end = start + size
        if text.count("\n", start, end) > lines and (ahead := lines_ahead.match(text, start)):
            end = ahead.end()
        if _line_length(text, end) > LINE_CUT_CHARS:  # asking _segment_end would read the whole line
            end = _line_cut(text, end, stop)
        else:
            end = _segment_end(text, end, start, stop, separator, read)
        yield read(start, end, line)
        line += text.count("\n", start, end)
        start = end


# Where a line too long to read whole may be cut: after a space, or after a tag's end (nested tags hold no
# space).
LINE_CUT_RE = LazyPattern(r"[\s>]")
# A tag is at most this long: the spaces in it are no place to cut a line.
TAG_MAX_CHARS = 4096


def _line_length(text: str, pos: int) -> int:
    """How long the line of ``text`` that holds ``pos`` is, its line break included."""
    end = text.find("\n", pos)
    return (end if end >= 0 else len(text)) - text.rfind("\n", 0, pos)


def _line_cut(text: str, pos: int, stop: int) -> int:
    """Where a line of ``text`` too long to read in one piece is cut, at or after ``pos`` and before
    ``stop``: after the first '>' or space that stands outside a tag."""
    while (cut := LINE_CUT_RE.search(text, pos, stop)) is not None:
        if cut.group() == ">":
            return cut.end()
        opening = text.rfind("<", max(cut.start() - TAG_MAX_CHARS, 0), cut.start())
        if opening < 0 or text.find(">", opening, cut.start()) >= 0:
            return cut.end()
        closing = text.find(">", cut.start(), min(opening + TAG_MAX_CHARS, stop))
        if closing < 0:  # a '<' that no '>' closes is no tag's
            return cut.end()
        pos = closing  # the tag's end: each of its spaces is looked at once
    return stop


def _body_segments(text: str, start: int, first_line: int, size: int) -> Iterator[list[_RawBlock]]:
    """_body_blocks' blocks, a segment of about ``size`` characters at a time."""
    if _holds_markup(text, start):
        return _markup_segments(text, start, first_line, size)
    return _plain_segments(text, start, len(text), first_line, _column(text, start), size)


def _joined_segments(segments: Iterable[list[_RawBlock]], usual_gap: Callable[[], int]) -> Iterator[list[_RawBlock]]:
    """The blocks of each segment with its posts joined: the last blocks of each, which a post of the next
    one may take back (_within_reach), held and joined with the next."""
    held: list[_RawBlock] = []
    with_blocks = filter(None, segments)
    # The next segment, read ahead only when a post at a segment's end asks whether the text ends there
    # (_cut_off_by_the_end): held always, it took 14 MiB more of 20 MB of attributions.
    following: list[list[_RawBlock]] = []

    def ends_text() -> bool:
        if not following:
            following.append(next(with_blocks, []))
        return not following[0]

    while raw := (following.pop() if following else next(with_blocks, [])):
        joined = _join_posts(raw, usual_gap, held, ends_text)
        cut = _within_reach(joined)
        yield joined[:cut]
        held = joined[cut:]
    yield held


def _within_reach(blocks: list[_RawBlock]) -> int:
    """Where the last blocks begin that a post after them may take in (_post_blocks_before): as many as
    hold POST_MAX_CHARS, or POST_WORDLESS_MAX_BLOCKS without words, up to a post with its attribution,
    which no look back passes; the one that ends that reach, and the one before it, which tells whether it
    follows a list number.  (Without the stop at a post, a run of attributions alone, which hold no words,
    was held whole: 20 MB of them took 884 MiB.)"""
    index, length, wordless = len(blocks), 0, 0
    while index > 0 and length <= POST_MAX_CHARS and wordless <= POST_WORDLESS_MAX_BLOCKS:
        index -= 1
        _, text, post, _, _ = blocks[index]
        if post is not None and _is_attributed(post):
            break
        if not text or text in MEDIA_STAND_INS:
            wordless += 1
        else:
            length += len(text)
    return max(index - 1, 0)


def _in_view(
    segments: Iterable[list[_RawBlock]],
) -> Iterator[tuple[list[_RawBlock], list[_RawBlock], list[_RawBlock]]]:
    """Each segment's blocks, with the KIND_REACH blocks before and after it that its kinds depend on."""
    before: list[_RawBlock] = []
    waiting: list[list[_RawBlock]] = []  # a segment, and the ones after it until KIND_REACH blocks have come
    for segment in segments:
        waiting.append(segment)
        while len(waiting) > 1 and sum(map(len, waiting[1:])) >= KIND_REACH:
            current = waiting.pop(0)
            yield before, current, [*islice(chain.from_iterable(waiting), KIND_REACH)]
            before = [*before, *current][-KIND_REACH:]
    for index, current in enumerate(waiting):
        yield before, current, [*islice(chain.from_iterable(waiting[index + 1 :]), KIND_REACH)]
        before = [*before, *current][-KIND_REACH:]


def _nth_line_end(text: str, start: int, count: int) -> int:
    """Where the ``count``-th line from ``start`` ends (or the text does)."""
    end = start
    for _ in range(count):
        end = text.find("\n", end) + 1
        if not end:
            return len(text)
    return end


NOT_SPACE_RE = LazyPattern(r"\S")


def _segment_end(
    text: str, pos: int, start: int, stop: int, separator: str, read: Callable[[int, int, int], list[_RawBlock]]
) -> int:
    """The first break at ``separator`` between ``pos`` and ``stop`` that no post in ``text[start:stop]`` takes a
    block across, else ``stop``; ``read`` gives the blocks of a stretch of it.

    Only what comes before the break is asked (_takes_forward): what a post
    after it takes back, _joined_segments holds back for it.  Nothing before
    ``start``, the segment's own start, is asked: the segment before ended
    there because no post before took a block across, and a run of blank
    lines walked back from every segment of it took time growing with the
    square of the run.
    """
    while (pos := text.find(separator, pos, stop)) >= 0:
        # (Only the text's own: a header or an embed's markup would hide the post of a block it touches.)
        near = _blocks_start(text, _blocks_start(text, pos, separator, start), separator, start)

        # With the next blocks in view, found and read only when a post may take them (found at every
        # break, they were a scan over the rest of a blank run each: time growing with its square): a run
        # of attributions, each waiting for a date that never comes, or of openers, each without its
        # post, is cut too.
        def after(pos: int = pos) -> list[_RawBlock]:
            return read(pos + 1, _blocks_end(text, pos, separator, stop, 2), 1)

        if not _takes_forward(read(near, pos, 1), after):
            return pos + 1
        # A run of blank lines holds no block: at each of its breaks the blocks before are the same, and
        # walking them back from every one took time growing with the square of the run.
        pos = next_text.start() if (next_text := NOT_SPACE_RE.search(text, pos, stop)) else stop
    return stop


def _takes_forward(blocks: list[_RawBlock], after: Callable[[], list[_RawBlock]] | None = None) -> bool:
    """Whether a post in the last two of ``blocks`` may take a block after them (_take_posts): a platform's
    opener its caption and attribution, an attribution with a handle and no date that ends its block the
    date alone on the next, a picture link's post the name alone that tells whether the text's end cut
    it off (_cut_off_by_the_end).  Given what reads the (two) blocks ``after`` them, whether it does."""
    last_two = blocks[-2:]
    window: list[_RawBlock] | None = None  # the last two and the blocks after, read once if asked
    for index, (_, text, _, _, _) in enumerate(last_two):
        opener = OPENER_RE.match(text)
        if opener is None:
            continue
        if after is None:
            return True
        window = window or [*last_two, *after()]
        if _opened_blocks(window, index, PLATFORM_BY_NAME[str(opener.lastgroup)]) > len(last_two) - index:
            return True
    if not blocks:
        return False
    _, last, _, hinted, _ = blocks[-1]
    if not hinted:
        return False
    search, pos, post = _PostSearch(last), 0, None
    while (found := search.first_from(pos)) is not None:
        post, pos = found, found.end
    if post is None or not _awaits_date(post, last):
        return False
    if after is None:
        return True
    next_blocks = window[len(last_two) :] if window is not None else after()
    if not next_blocks:
        return False
    _, next_text, _, _, _ = next_blocks[0]
    date_alone = _match_posted(next_text, 0)
    if date_alone is not None and date_alone.end == len(next_text):
        return True
    return not _is_attributed(post) and _is_undated_name(next_text)


def _blocks_end(text: str, pos: int, separator: str, stop: int, count: int) -> int:
    """Where the ``count`` blocks with text after ``pos`` end (or ``stop``)."""
    for _ in range(count):
        next_text = NOT_SPACE_RE.search(text, pos, stop)
        if next_text is None:
            return stop
        pos = text.find(separator, next_text.start(), stop)
        if pos < 0:
            return stop
    return pos


def _blocks_start(text: str, pos: int, separator: str, floor: int) -> int:
    """Where the last block with text between ``floor`` and ``pos`` starts (``floor`` if none does)."""
    while (start := text.rfind(separator, floor, pos)) >= 0 and not text[start:pos].strip():
        pos = start
    return max(start, floor)


# ---------------------------------------------------------------------------
# The article
# ---------------------------------------------------------------------------


def normalize_newlines(text: str) -> str:
    """LF line endings and no byte-order mark."""
    if text.startswith("\N{BYTE ORDER MARK}"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def parse_article(text: str, *, dayfirst: bool = True) -> Article:
    """Parse one article's text into its header date and blocks.

    Pure: no I/O, no global state; the result is immutable and picklable.
    ``dayfirst`` decides ambiguous header dates such as ``03/04/2021``.
    """
    text = normalize_newlines(text)
    return _whole_article(text, _parse_header(text, dayfirst))


def parse_article_segments(text: str, *, dayfirst: bool = True, size: int = SEGMENT_CHARS) -> Iterator[Article]:
    """parse_article's result a segment at a time: Articles whose blocks, one after another, are its blocks.

    For texts too large to hold as text, lines and blocks at once.  A segment
    of about ``size`` characters ends at a line break that no post takes a
    block across (_segment_end); the blocks a post of the next segment may
    take back are held for it (_joined_segments); its kinds are told with the
    blocks around it in view (KIND_REACH); the first Article carries the
    problems.  A body that fits in ``size`` is one segment: parse_article's.
    A line longer than LINE_CUT_CHARS is read in pieces (_line_cut), which
    parse_article, for texts held whole, never cuts.
    """
    if size < 1:
        raise ValueError(f"a segment's size is at least 1 character, not {size}")
    text = normalize_newlines(text)
    header = _parse_header(text, dayfirst)
    if len(text) - header.body_start <= size:
        yield _whole_article(text, header)
        return
    n, section = 1, None
    body = (text, header.body_start, header.body_line, size)
    # Its first blocks read again, only if a post asks.
    usual_gap = _Lazy(lambda: _usual_gap(chain.from_iterable(_body_segments(*body))))
    for before, joined, after in _in_view(_joined_segments(_body_segments(*body), usual_gap)):
        blocks = _classify(joined, n, section, before, after)
        if blocks:
            yield Article(header.date, blocks, header.datetime, _problems(header, True) if n == 1 else ())
            n += len(blocks)
            section = blocks[-1].text if blocks[-1].kind == "heading" else blocks[-1].section
    if n == 1:
        yield Article(header.date, (), header.datetime, _problems(header, False))


def _whole_article(text: str, header: _Header) -> Article:
    """The article of a text in one piece: its body split into blocks, posts joined, kinds told."""
    blocks = _classify(_join_posts(_body_blocks(text, header.body_start, header.body_line)))
    return Article(header.date, blocks, header.datetime, _problems(header, bool(blocks)))


def _problems(header: _Header, has_text: bool) -> tuple[Problem, ...]:
    problems = [header.problem] if header.problem else []
    if not has_text:
        problems.append(Problem(header.body_line, "no text after the header" if header.date else "no text"))
    return tuple(problems)


# --- The article's computed keys: language, hashes -----------------------------
# Keys a plain run never computes: each costs time on every article, so each is computed only where the
# command line asks for it (--lang, --hash, --repeated, or --fields naming it).  An article's own keys come
# after ARTICLE_KEYS' in its records, a block's after its fields.

# The article's: its body's language, its body's fingerprint, the first article of that fingerprint.
ARTICLE_COMPUTED_KEYS = ("lang", "fingerprint", "duplicate_of")
# The block's: a quote's language, its text's hash, whether that hash was met in --repeated N files.
BLOCK_COMPUTED_KEYS = ("post_lang", "hash", "repeated")
COMPUTED_KEYS = (*ARTICLE_COMPUTED_KEYS, *BLOCK_COMPUTED_KEYS)
# Their types, as the fields' annotations give the others' (record_schema).
COMPUTED_TYPES = {
    "lang": str | None,
    "fingerprint": str,
    "duplicate_of": str | None,
    "post_lang": str | None,
    "hash": str,
    "repeated": bool,
}


# What marks a word as a link: a URL, or a shortener's or a platform's address without one
# ('pic.twitter.com/…').  Looked for a word at a time: a pattern for the whole link (\S* around this)
# backtracked over every word, 335 us for an article's 4,000 characters, and quadratic in a long one.
LANG_LINK_RE = LazyPattern(r"https?://|www\.|\.[a-z]{2,3}/")


def text_hash(text: str) -> int:
    """A 64-bit hash of ``text`` casefolded, its whitespace collapsed: the same for a block however a page
    spaced or cased it ('Sign up for our newsletter' and 'SIGN UP  for our newsletter').  BLAKE2b, so that
    it is the same in every process and on every machine (Python's own hash() is salted a process)."""
    import hashlib  # only for --hash and --repeated

    folded = text.casefold()
    # The parser's texts have their whitespace collapsed already: splitting them again took 40% of the
    # time.  A printable text holds no whitespace but plain spaces.
    if not folded.isprintable() or "  " in folded or folded[:1] == " " or folded[-1:] == " ":
        folded = " ".join(folded.split())
    digest = hashlib.blake2b(folded.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") or 1  # 0: an empty slot (_Tally)


# A block's hash is asked for twice (for its record and for its article's fingerprint, or in both passes of
# --repeated), and a site's boilerplate in every article: the last few thousand are kept, of texts no
# longer than a paragraph (the cache holds its texts: a few thousand huge blocks would take gigabytes).
_cached_text_hash = functools.lru_cache(maxsize=TEXT_HASH_CACHE)(text_hash)


def _block_hash(text: str) -> int:
    return _cached_text_hash(text) if len(text) <= TEXT_HASH_CACHE_MAX_CHARS else text_hash(text)


def article_fingerprint(blocks: Iterable[Block]) -> int:
    """A 64-bit hash of an article's body: of its blocks' text_hash values, in order.  Equal for copies of
    one article however they were scraped (line ends, encodings, markup, hard wraps, case, spacing)."""
    return _fingerprint([_block_hash(block.text) for block in blocks])


def _fingerprint(hashes: Iterable[int]) -> int:
    import hashlib

    digest = hashlib.blake2b(b"".join(value.to_bytes(8, "big") for value in hashes), digest_size=8)
    return int.from_bytes(digest.digest(), "big") or 1  # 0: an empty slot (_Tally)


def hash_text(value: int) -> str:
    """A hash as the records write it: 16 hex digits, a string (jq and JavaScript read numbers as
    doubles, which hold 53 bits, not 64)."""
    return f"{value:016x}"


def body_text(blocks: Iterable[Block]) -> str:
    """What an article's language is told from: its title, headings and paragraphs (not its quotes, often in
    another language), up to LANG_TEXT_CHARS characters."""
    pieces, size = [], 0
    for block in blocks:
        if block.kind != "quote":
            pieces.append(block.text)
            size += len(block.text) + 1
            if size >= LANG_TEXT_CHARS:
                break
    return "\n".join(pieces)[:LANG_TEXT_CHARS]


def language(text: str, prefer: str | None = None) -> str | None:
    """The ISO 639-1 code of ``text``'s language, or None where it is too short to tell.

    resiliparse's detect_fast (its 101 languages' profiles compiled in: nothing downloaded, 20 us an
    article): benchmarks/languages.py measured it against py3langid, lingua and langdetect.  A text of
    fewer than LANG_MIN_CHARS characters (links left out), or farther than LANG_MAX_RANK from every
    profile, is None.

    ``prefer``: the language a text is most likely in (a post's article's), taken where it is within
    LANG_PREFERRED_MARGIN of the nearest profile.  A post of a few words sits almost as near to several
    languages' profiles (an English tweet to French's or Latin's, a Japanese one to Chinese's): with its
    article's language preferred so, this agrees with py3langid and langdetect, where those two agree, on
    0.95 of the corpus's posts, 0.89 without.
    """
    text = text[:LANG_TEXT_CHARS]
    if "/" in text or "www." in text:  # a link's letters are no language's ('pic.twitter.com/9P6yv4jCZx')
        words = text.split()
        text = " ".join(word for word in words if not (("/" in word or "www." in word) and LANG_LINK_RE.search(word)))
    if len(text) < LANG_MIN_CHARS:
        return None
    candidates = _language_detector()(text, cutoff=LANG_MAX_RANK, n_results=LANG_CANDIDATES)
    if not candidates:
        return None
    best, best_rank = candidates[0]
    if prefer is not None and prefer != best:
        for candidate, rank in candidates:
            if candidate == prefer and rank <= best_rank + LANG_PREFERRED_MARGIN:
                return prefer
    return best


@functools.cache
def _language_detector() -> Callable[..., list[tuple[str, int]]]:
    try:
        from resiliparse.parse.lang import detect_fast
    except ImportError:
        raise ArticleToolError(f"language detection needs resiliparse: {LANG_INSTALL}") from None
    return cast("Callable[..., list[tuple[str, int]]]", detect_fast)  # (it has overloads by n_results)


def supported_languages() -> frozenset[str]:
    """The languages that ``language`` tells."""
    _language_detector()
    from resiliparse.parse.lang import supported_langs

    return frozenset(supported_langs())


class Marks(NamedTuple):
    """What a first pass over a run found (--repeated N): the blocks met in N files or more, and the first
    article of each body met twice or more."""

    repeated: Sequence[int]  # the text_hash of each such block, in order (an array of 8 bytes each)
    first_ids: dict[int, str]  # each such body's article_fingerprint, and its first article's id

    def is_repeated(self, value: int) -> bool:
        index = bisect.bisect_left(self.repeated, value)
        return index < len(self.repeated) and self.repeated[index] == value


class Computed(NamedTuple):
    """The computed keys of some of an article's blocks."""

    keys: tuple[str, ...]  # the computed keys the records carry, in their order
    article: dict[str, Any]  # the article's keys (ARTICLE_COMPUTED_KEYS) and their values
    blocks: dict[str, list[Any]]  # the block keys (BLOCK_COMPUTED_KEYS), each with a value a block

    @property
    def article_keys(self) -> list[str]:
        """The article's computed keys the records carry (its language may be computed for its posts')."""
        return [key for key in self.keys if key in ARTICLE_COMPUTED_KEYS]


def computed_article_values(
    source: Source,
    blocks: Sequence[Block],
    keys: Iterable[str],
    marks: Marks | None = None,
    fingerprint: int | None = None,
) -> dict[str, Any]:
    """An article's computed keys of ``keys`` (its language also where its posts' are asked, which it
    decides between close calls) and their values, from its blocks; ``fingerprint``: its
    article_fingerprint where it is known (a huge article's, of all its segments, its blocks the first's)."""
    keys = frozenset(keys)
    values: dict[str, Any] = {}
    if keys & {"lang", "post_lang"}:
        values["lang"] = language(body_text(blocks))
    if keys & {"fingerprint", "duplicate_of"}:
        if fingerprint is None:
            fingerprint = article_fingerprint(blocks)
        values["fingerprint"] = hash_text(fingerprint)
        if "duplicate_of" in keys:
            first = marks.first_ids.get(fingerprint) if marks is not None else None
            values["duplicate_of"] = None if first == source.id else first
    return values


def computed_block_values(
    blocks: Sequence[Block], keys: Iterable[str], article_values: dict[str, Any], marks: Marks | None = None
) -> dict[str, list[Any]]:
    """The block keys of ``keys``, each with its value for each block."""
    keys = frozenset(keys)
    columns: dict[str, list[Any]] = {}
    if "post_lang" in keys:
        prefer = article_values.get("lang")
        columns["post_lang"] = [language(block.text, prefer) if block.kind == "quote" else None for block in blocks]
    if keys & {"hash", "repeated"}:
        hashes = [_block_hash(block.text) for block in blocks]
        if "hash" in keys:
            columns["hash"] = list(map(hash_text, hashes))
        if "repeated" in keys:
            columns["repeated"] = [marks is not None and marks.is_repeated(value) for value in hashes]
    return columns


# ---------------------------------------------------------------------------
# Formats
# ---------------------------------------------------------------------------


def block_record(source: str | Source, article: Article, block: Block) -> dict[str, Any]:
    """The record of one block, as the JSON Lines format prints it: every key of RECORD_KEYS, in its order."""
    return {**_article_values(as_source(source), article), **block._asdict()}


def _article_values(source: Source, article: Article) -> dict[str, Any]:
    """The article's keys of its records (ARTICLE_KEYS) and their values."""
    return dict(zip(ARTICLE_KEYS, (*source, article.date, article.datetime), strict=True))


# JSON Schema types of the fields' annotations.
_SCHEMA_TYPES: dict[Any, Any] = {str: "string", int: "integer", bool: "boolean", str | None: ["string", "null"]}


def _properties(annotations: dict[str, Any]) -> dict[str, Any]:
    """JSON Schema properties of NamedTuple fields, by their annotations."""
    return {key: {"type": _SCHEMA_TYPES[kind]} for key, kind in annotations.items()}


def record_schema(output_format: str = "jsonl", keys: Sequence[str] | None = None) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of the records of ``output_format``: 'jsonl', a record per block,
    or 'json', a document per article holding its blocks.  ``keys``: the keys the records carry, in their
    order (--fields, or RECORD_KEYS and the computed keys asked for; default RECORD_KEYS).  Built from the
    fields' types."""
    keys = RECORD_KEYS if keys is None else tuple(keys)
    properties = _properties(
        {
            **Source.__annotations__,
            "date": Article.__annotations__["date"],
            "datetime": Article.__annotations__["datetime"],
            **Block.__annotations__,
            **COMPUTED_TYPES,
        }
    )
    properties["kind"] = {"enum": list(KINDS)}
    properties["platform"] = {"enum": [*(platform.name for platform in PLATFORMS), None]}
    article_keys = [key for key in keys if key in ARTICLE_KEYS or key in ARTICLE_COMPUTED_KEYS]
    block_keys = [key for key in keys if key not in article_keys]
    if output_format == "json":
        document = {key: properties[key] for key in article_keys}
        if block_keys:
            block = _schema_object({key: properties[key] for key in block_keys})
            document["blocks"] = {"type": "array", "items": block}
        title = "article-tool -f json: an article"
    else:
        document, title = {key: properties[key] for key in keys}, "article-tool -f jsonl: a block"
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title, **_schema_object(document)}


def _schema_object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


# In TSV fields: the characters that would break a line or a column, any
# other control character, and the bytes of a file name that are not UTF-8
# (os.fsdecode's surrogates), written as escapes.
TSV_SPECIAL_RE = LazyPattern(r"[\\\x00-\x1f\x7f-\x9f\udc80-\udcff]")
TSV_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}


# A file name's bytes that are not UTF-8, as os.fsdecode leaves them, and their escapes.
_SURROGATE_ESCAPES = {code: f"\\x{code - 0xDC00:02x}" for code in range(0xDC80, 0xDD00)}


@functools.cache
def _tsv_translation() -> dict[int, str]:
    """Each of them and its escape, for str.translate: in C, and no more memory than the result takes (a
    substitution by function took 80 bytes a character of a field of control characters)."""
    controls = (*range(0x20), 0x5C, *range(0x7F, 0xA0))
    return {code: TSV_ESCAPES.get(chr(code), f"\\x{code:02x}") for code in controls} | _SURROGATE_ESCAPES


def tsv_escape(value: object) -> str:
    """A field for a TSV line: nothing in it can end the line or the column."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if not TSV_SPECIAL_RE.search(text):
        return text
    return text.translate(_tsv_translation())


def shown_path(path: str) -> str:
    """A file name as messages show it, escaped as TSV fields are: a newline or ESC in it cannot break a
    line or reach the terminal, and the bytes that are not UTF-8 show as \\xNN (two names never show the
    same); and a bidirectional override, which would reorder the message on a terminal, as \\uNNNN."""
    return _safe_for_terminal(tsv_escape(path))


def tsv_line(values: Sequence[object]) -> str:
    """One TSV line: the values escaped, tab-separated, newline-terminated."""
    return "\t".join([tsv_escape(value) for value in values]) + "\n"


def tsv_unescape(field: str) -> str:
    """Inverse of tsv_escape (for consumers and tests)."""
    reverse = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}
    return re.sub(
        r"\\(x[0-9a-f]{2}|.)",
        lambda m: chr(int(m[1][1:], 16)) if m[1].startswith("x") and len(m[1]) == 3 else reverse[m[1]],
        field,
    )


# What tsv_escape changes, in UTF-8, to count in encoded output (bytes.translate
# deletes a set of bytes ten times faster than a regex scans for them); C1
# controls are two bytes there.
TSV_SPECIAL_BYTES = bytes(range(0x20)) + b"\\\x7f"
C1_CONTROL_BYTES_RE = re.compile(rb"\xc2[\x80-\x9f]")


def _tsv_bytes(
    source: Source, article: Article, blocks: Sequence[Block], fields: tuple[str, ...], computed: Computed
) -> bytes:
    """TSV lines of an article's blocks.

    Built a column at a time, which keeps the work per field in C: 3% of the
    TSV run against row by row.  Whether the values need escapes is told by
    counting, in the encoded output, the bytes that tabs, newlines and escapes
    are made of: only an article with more of them than its separators is
    written again field by field.
    """
    if not blocks:
        return b""
    article_values = _article_values(source, article)
    if computed.article:
        article_values |= computed.article
    columns = [
        repeat(tsv_escape(article_values[key]), len(blocks))
        if key in article_values
        else map(tsv_escape, computed.blocks[key])
        if key in computed.blocks
        else _tsv_column(key, blocks)
        for key in fields
    ]
    data = ("\n".join(map("\t".join, zip(*columns, strict=True))) + "\n").encode("utf-8", "replace")
    separators = len(blocks) * len(fields)
    if len(data) - len(data.translate(None, TSV_SPECIAL_BYTES)) == separators and not (
        b"\xc2" in data and C1_CONTROL_BYTES_RE.search(data)
    ):
        return data
    values = [
        repeat(article_values[key], len(blocks))
        if key in article_values
        else computed.blocks[key]
        if key in computed.blocks
        else map(attrgetter(key), blocks)
        for key in fields
    ]
    return "".join(map(tsv_line, zip(*values, strict=True))).encode("utf-8", "replace")


_NULLABLE_BLOCK_KEYS = frozenset(("section", *QUOTE_KEYS))


def _tsv_column(key: str, blocks: Sequence[Block]) -> Iterable[str]:
    """One block field of every block, as TSV text before escapes."""
    values = map(attrgetter(key), blocks)
    if key in ("n", "line"):
        return map(str, values)
    if key in _NULLABLE_BLOCK_KEYS:
        return ["" if value is None else value for value in values]
    return values


# What a JSON string cannot hold unescaped, in UTF-8.
JSON_CONTROL_BYTES = bytes(range(0x20))
# The bytes of a file name that are not UTF-8 (os.fsdecode's surrogates) as JSON's own \udcNN escapes,
# which json.loads and os.fsencode turn back into them: nothing else in a text is a surrogate.
JSON_ERRORS = "backslashreplace"


def _jsonl_bytes(
    source: Source, article: Article, blocks: Sequence[Block], computed: Computed, keys: tuple[str, ...] | None
) -> bytes:
    """JSON Lines of an article's blocks: json.dumps(block_record(...), ensure_ascii=False) for each, the
    computed keys after; only ``keys``, in their order, where they are given (_jsonl_projection).

    Written without a dict per record, and first with only quotes and
    backslashes escaped in each text (the json module's escaper reads every
    character twice, in Python's slowest way): only an article whose values
    then hold control characters is written again with it.  Half the time of
    json.dumps; a test holds the output equal to it.
    """
    if keys is not None:
        return _jsonl_projection(source, article, blocks, computed, keys)
    extras = _json_computed_tails(computed, len(blocks)) if computed.keys else None
    head, own = _jsonl_pieces(source, article, blocks, _json_quote)
    if not _count_json_controls(head + b"".join(own)):
        return b"".join(_jsonl_records(head, own, blocks, extras))
    return b"".join(_jsonl_records(*_jsonl_pieces(source, article, blocks, _json_encoder().encode), blocks, extras))


def _count_json_controls(data: bytes) -> int:
    return len(data) - len(data.translate(None, JSON_CONTROL_BYTES))


def _json_quote(text: str) -> str:
    """A JSON string of ``text`` if it holds no control character (the caller checks)."""
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if '"' in text:
        text = text.replace('"', '\\"')
    return f'"{text}"'


# What a record ends with: a quote's, and a record that is no quote's (its quote keys, each null).
_QUOTE_TAIL = b"}\n"
_QUOTE_NULLS = "".join(f', "{key}": null' for key in QUOTE_KEYS).encode()
_NOT_QUOTE_TAIL = _QUOTE_NULLS + _QUOTE_TAIL


def _jsonl_pieces(
    source: Source, article: Article, blocks: Sequence[Block], string: Callable[[str], str]
) -> tuple[bytes, list[bytes]]:
    """The JSON Lines of _jsonl_bytes in UTF-8 pieces, with ``string`` making JSON strings: the
    article's keys, and each block's own keys (a quote's with its quote keys), as block_record has them.

    The article's keys are encoded once and each block's on their own: a text in Cyrillic no longer
    widens the whole article's string, and only the blocks' own values are looked through for control
    characters (the JSON Lines writer 4% faster than with the records' string encoded whole).
    """

    def value(text: str | None) -> str:
        return "null" if text is None else string(text)

    file, id_, page_url, crawl_date = source
    head = (
        f'{{"file": {string(file)}, "id": {string(id_)}, "page_url": {value(page_url)}, '
        f'"crawl_date": {value(crawl_date)}, "date": {value(article.date)}, "datetime": {value(article.datetime)}'
    ).encode("utf-8", JSON_ERRORS)
    own: list[str] = []
    section, section_json = None, "null"
    for block in blocks:
        if block.section is not section:  # a section holds many blocks
            section, section_json = block.section, value(block.section)
        record = (
            f', "kind": "{block.kind}", "n": {block.n}, "line": {block.line}, '
            f'"section": {section_json}, "text": {string(block.text)}'
        )
        if block.kind == "quote":
            record += (
                f', "platform": {value(block.platform)}, "author": {value(block.author)}, '
                f'"handle": {value(block.handle)}, "community": {value(block.community)}, '
                f'"posted": {value(block.posted)}, "posted_datetime": {value(block.posted_datetime)}, '
                f'"url": {value(block.url)}, "post_id": {value(block.post_id)}'
            )
        own.append(record)
    return head, [record.encode("utf-8", JSON_ERRORS) for record in own]


def _jsonl_records(
    head: bytes, own: list[bytes], blocks: Sequence[Block], extras: list[bytes] | None
) -> Iterator[bytes]:
    """The records' pieces in order; ``extras``: each record's computed keys and its end."""
    if extras is None:
        for block, record in zip(blocks, own, strict=True):
            yield head
            yield record
            yield _QUOTE_TAIL if block.kind == "quote" else _NOT_QUOTE_TAIL
        return
    for block, record, extra in zip(blocks, own, extras, strict=True):
        yield head
        yield record
        if block.kind != "quote":
            yield _QUOTE_NULLS
        yield extra


def _json_computed_tails(computed: Computed, count: int) -> list[bytes]:
    """Each of ``count`` records' computed keys and values, and the record's end."""
    encode = _json_encoder().encode
    columns = [
        repeat(f', "{key}": {encode(computed.article[key])}', count)
        if key in computed.article
        else [f', "{key}": {encode(value)}' for value in computed.blocks[key]]
        for key in computed.keys
    ]
    return [("".join(pieces) + "}\n").encode("utf-8", JSON_ERRORS) for pieces in zip(*columns, strict=True)]


def _records(source: Source, article: Article, blocks: Sequence[Block], computed: Computed) -> Iterator[dict[str, Any]]:
    """Each block's record with every key, the computed ones asked for among them."""
    article_values = {**_article_values(source, article), **computed.article}
    for block_values in _block_values(blocks, computed.blocks):
        yield article_values | block_values


def _block_values(blocks: Sequence[Block], columns: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Each block's own keys and values, and its computed ones (``columns``)."""
    return [
        block._asdict() | {key: column[index] for key, column in columns.items()} for index, block in enumerate(blocks)
    ]


def _jsonl_projection(
    source: Source, article: Article, blocks: Sequence[Block], computed: Computed, keys: tuple[str, ...]
) -> bytes:
    """JSON Lines of the blocks' records of only ``keys`` (--fields), in their order."""
    encode = _json_encoder().encode
    lines = [
        encode({key: record[key] for key in keys}) + "\n" for record in _records(source, article, blocks, computed)
    ]
    return "".join(lines).encode("utf-8", JSON_ERRORS)


@functools.cache
def _json_encoder() -> "json.JSONEncoder":
    import json  # only for the JSON formats

    return json.JSONEncoder(ensure_ascii=False)


def _json_document_chunks(
    source: Source,
    article: Article,
    runs: Iterable[Sequence[Block]],
    computed_of: Callable[[Sequence[Block]], Computed],
    keys: tuple[str, ...] | None,
) -> Iterator[bytes]:
    """The json format: json.dumps of the article's keys and its blocks, the blocks given in ``runs`` (the
    segments of a huge article, one after another), written a few thousand at a time; the computed keys
    of each (``computed_of`` some blocks) after its own; only ``keys``, where they are given."""
    encode = _json_encoder().encode
    computed = computed_of(())
    document = _article_values(source, article) | {key: computed.article[key] for key in computed.article_keys}
    if keys is not None:
        document = {key: document[key] for key in keys if key in document}
    block_keys = None if keys is None else [key for key in keys if key not in document]
    if block_keys == []:  # no block key asked for: the article's keys alone
        for _ in runs:  # (each run is counted as it is taken)
            pass
        yield (encode(document) + "\n").encode("utf-8", JSON_ERRORS)
        return
    yield (encode(document)[:-1] + (", " if document else "") + '"blocks": [').encode("utf-8", JSON_ERRORS)
    separator = ""
    for blocks in runs:
        for start in range(0, len(blocks), RENDER_CHUNK_BLOCKS):
            chunk = blocks[start : start + RENDER_CHUNK_BLOCKS]
            records = _block_values(chunk, computed_of(chunk).blocks)
            if block_keys is not None:
                records = [{key: record[key] for key in block_keys} for record in records]
            yield (separator + ", ".join(map(encode, records))).encode("utf-8", JSON_ERRORS)
            separator = ", "
    yield b"]}\n"


class Style(NamedTuple):
    """Escape sequences of the text view; empty when colour is off."""

    bold: str = ""
    dim: str = ""
    reset: str = ""


PLAIN_STYLE = Style()
COLOR_STYLE = Style("\x1b[1m", "\x1b[2m", "\x1b[0m")

# In the text view: control characters (an ESC starts a terminal escape
# sequence) and the bidirectional overrides that reorder what is shown.
UNSAFE_TERMINAL_RE = LazyPattern(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\udc80-\udcff]")


def _safe_for_terminal(text: str) -> str:
    return text.translate(_terminal_translation()) if UNSAFE_TERMINAL_RE.search(text) else text


@functools.cache
def _terminal_translation() -> dict[int, str]:
    """UNSAFE_TERMINAL_RE's characters and how the text view shows them."""
    codes = (*range(0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))
    return {code: f"\\x{code:02x}" if code < 256 else f"\\u{code:04x}" for code in codes} | _SURROGATE_ESCAPES


def format_text(
    path: str,
    article: Article,
    blocks: Iterable[Block],
    style: Style = PLAIN_STYLE,
    *,
    heading: bool = True,
    width: int | None = None,
) -> str:
    """A readable view of an article for a terminal: '' when it has no block to show.

    ``heading``: with the file and date above; ``width``: every block wrapped
    to that many columns of the terminal (else one line each, for a pager to
    wrap), wide characters (Chinese, Japanese, emoji) counting two.
    """
    safe = _safe_for_terminal
    lines: list[str] = []
    for block in blocks:
        text = safe(block.text)
        number = f"{block.n:4}  "
        if block.kind in ("title", "heading"):
            mark = "# " if block.kind == "title" else "## "
            lines += [*_wrap(text, width, number + mark, " " * len(number + mark), style.bold, style.reset), ""]
        elif block.kind == "quote":
            who = safe(block.author or "unknown")
            if block.handle:
                who += f" (@{safe(block.handle)})"
            details = " · ".join(safe(x) for x in (block.platform, block.posted) if x)
            lines += _wrap(text or "(no words: a picture or a link)", width, number + "> ", " " * 8)
            lines += [*_wrap(f"{who} · {details}", width, " " * 8 + "— ", " " * 10, style.dim, style.reset), ""]
        else:
            lines += [*_wrap(text, width, number, " " * len(number)), ""]
    if not lines:
        return ""
    date = article.datetime or article.date or "no date"
    head = [*_wrap(f"{safe(path)}  {date}", width, "", "", style.bold, style.reset), ""] if heading else []
    return "\n".join([*head, *lines, ""])  # a final newline with no copy of the whole


WORD_RE = LazyPattern(r"\S+")
WRAP_BATCH_LINES = 1024


def _wrap(text: str, width: int | None, first: str, rest: str, on: str = "", off: str = "") -> list[str]:
    """The lines (a batch of them to an item) of ``text`` after ``first``, wrapped to ``width`` columns by
    display width, later lines after ``rest``; the first opens with the style ``on``, the last closes with
    ``off``.

    Words go whole onto a line while they fit; a word wider than a line (as
    Chinese and Japanese, written without spaces) is broken where it reaches
    the end.  Lines are joined a batch at a time, as the caller joins them:
    a huge paragraph's lines, each a string of its own, took 1.6 times its size.
    """
    if width is None or _columns(first) + _columns(text) <= width:
        return [on + first + text + off]
    batches: list[str] = []
    lines: list[str] = []
    line, used, empty = on + first, _columns(first), True  # empty: no word on the line yet
    for match in WORD_RE.finditer(text):  # one word at a time: str.split of a 100 MB line took 1.7 GB
        word = match.group()
        size = _columns(word)
        if not empty and used + 1 + size > width:
            lines.append(line)
            line, used, empty = rest, _columns(rest), True
            if len(lines) == WRAP_BATCH_LINES:
                batches.append("\n".join(lines))
                lines.clear()
        if not empty:
            line, used = line + " ", used + 1
        if used + size <= width:
            line, used, empty = line + word, used + size, False
            continue
        for character in word:  # wider than what is left of the line: broken where it reaches the end
            columns = _columns(character)
            if not empty and used + columns > width:
                lines.append(line)
                line, used = rest, _columns(rest)
            line, used, empty = line + character, used + columns, False
    lines.append(line + off)
    return [*batches, *lines]


# Joiners, variation selectors and marks that take no column of their own.
ZERO_WIDTH = frozenset(
    "\N{ZERO WIDTH SPACE}\N{ZERO WIDTH NON-JOINER}\N{ZERO WIDTH JOINER}\N{WORD JOINER}"
    "\N{VARIATION SELECTOR-15}\N{VARIATION SELECTOR-16}"
)


def _columns(text: str) -> int:
    """How many columns of a terminal ``text`` takes: East Asian wide and fullwidth characters (and
    most emoji) two, combining marks and zero-width characters none."""
    if text.isascii():
        return len(text)
    import unicodedata  # only for text beyond ASCII

    return sum(
        0
        if unicodedata.combining(character) or character in ZERO_WIDTH
        else 2
        if unicodedata.east_asian_width(character) in "WF"
        else 1
        for character in text
    )


# ---------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------

# The legacy encodings of web pages, most common first: charset-normalizer
# chooses among them, and the order breaks its ties.
LEGACY_ENCODINGS = (
    "cp1252",
    "cp1251",
    "cp1250",
    "shift_jis",
    "gb18030",
    "euc_kr",
    "big5",
    "euc_jp",
    "koi8_r",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1256",
    "cp1257",
    "cp874",
    "latin_1",
)
# UTF-32's first: its little-endian mark starts with UTF-16's.
BYTE_ORDER_MARKS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


# Text in a legacy encoding holds a valid UTF-8 character by chance far more
# seldom than once in this many bytes that are not UTF-8: as often or more, it
# mixes the two.
MIXED_UTF8_SHARE = 10


# A run of bytes that are not UTF-8, as bytes.decode("utf-8", "surrogateescape") leaves them, and a
# run of UTF-8 characters beyond ASCII.
NOT_UTF8_RE = LazyPattern("[\udc80-\udcff]+")
NOT_UTF8_SAMPLE_RE = LazyPattern("[^\x00-\x7f\udc80-\udcff]+")
# Bytes that are not UTF-8 are looked at this many at a time: decoded whole with a surrogate for each
# bad byte, a 50 MB file stood at 200 MB, and its runs at 400 MB more.
ESCAPED_CHUNK_BYTES = 1 << 20


def _escaped_chunks(data: bytes) -> Iterator[str]:
    """``data`` decoded as UTF-8 with a surrogate for each byte that is not, a chunk at a time, each cut
    where a character starts."""
    start = 0
    while start < len(data):
        end = min(start + ESCAPED_CHUNK_BYTES, len(data))
        while end < len(data) and end - start < ESCAPED_CHUNK_BYTES + 3 and 0x80 <= data[end] < 0xC0:
            end += 1  # a continuation byte: the character goes on
        yield data[start:end].decode("utf-8", "surrogateescape")
        start = end


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, list[str]]:
    """Text of a file's bytes and the warnings met.

    UTF-8 (with or without a BOM), UTF-16 and UTF-32 with a BOM are read as
    such, and so is CESU-8 (UTF-8 whose characters beyond the first 65,536
    stand as surrogate pairs), with a warning.  Bytes that are mostly UTF-8
    with a few bad ones are read as UTF-8 with U+FFFD for those, bytes that
    mix UTF-8 and a legacy encoding as UTF-8 where they are and the legacy
    encoding elsewhere, and bytes with no UTF-8 at all in the legacy encoding
    that explains them; all but the last with a warning.
    """
    if encoding:
        return _decode_as(data, encoding)
    for bom, codec in BYTE_ORDER_MARKS:
        if data.startswith(bom):
            return _decode_as(data[len(bom) :], codec)
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    try:
        paired = data.decode("utf-8", "surrogatepass").encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    except UnicodeError:
        pass
    else:
        return paired, ["CESU-8: its surrogate pairs read as the characters they stand for"]
    good = bad = 0  # UTF-8 characters beyond ASCII; bytes that are not UTF-8
    for escaped in _escaped_chunks(data):
        not_utf8 = sum(map(len, NOT_UTF8_RE.findall(escaped)))
        bad += not_utf8
        good += len(escaped) - len(escaped.encode("ascii", "ignore")) - not_utf8
    if good > bad:
        return data.decode("utf-8", "replace"), ["bytes not valid in UTF-8 replaced with U+FFFD"]
    if good * MIXED_UTF8_SHARE >= bad:
        # The legacy encoding is told from the text without its UTF-8 characters: a few bad bytes alone
        # say too little.
        legacy_part = bytearray()
        for escaped in _escaped_chunks(data):
            legacy_part += NOT_UTF8_SAMPLE_RE.sub("", escaped).encode("utf-8", "surrogateescape")
            if len(legacy_part) >= LEGACY_SAMPLE_BYTES:
                break
        legacy = _legacy_encoding(bytes(legacy_part)) or LEGACY_ENCODINGS[0]
        text = "".join(
            NOT_UTF8_RE.sub(lambda run: run.group().encode("utf-8", "surrogateescape").decode(legacy, "replace"), chunk)
            for chunk in _escaped_chunks(data)
        )
        return text, [f"UTF-8 mixed with {legacy}: each read where it stands"]
    legacy_text = _decode_legacy(data)
    return legacy_text or (data.decode("utf-8", "replace"), ["bytes not valid in UTF-8 replaced with U+FFFD"])


def _decode_as(data: bytes, encoding: str) -> tuple[str, list[str]]:
    """Text of bytes in a known encoding, bytes not valid in it replaced with U+FFFD (and a warning)."""
    text = data.decode(encoding, "replace")
    damaged = text.count("\N{REPLACEMENT CHARACTER}") > data.decode(encoding, "ignore").count(
        "\N{REPLACEMENT CHARACTER}"
    )
    return text, [f"bytes not valid in {encoding} replaced with U+FFFD"] if damaged else []


def _decode_legacy(data: bytes) -> tuple[str, list[str]] | None:
    """Text of bytes in the legacy encoding that charset-normalizer finds, decoded by bs4's UnicodeDammit."""
    import logging

    from bs4 import UnicodeDammit  # slow import, only for legacy encodings

    guess = _legacy_encoding(data)
    # It logs replaced bytes itself, which the warning says our way: its logger is off for this call only.
    logger = logging.getLogger("bs4.dammit")
    disabled, logger.disabled = logger.disabled, True
    try:
        dammit = UnicodeDammit(data, known_definite_encodings=[guess] if guess else [], is_html=False)
    finally:
        logger.disabled = disabled
    if dammit.unicode_markup is None:
        return None
    if not dammit.contains_replacement_characters:
        return dammit.unicode_markup, []
    return dammit.unicode_markup, [f"bytes not valid in {dammit.original_encoding} replaced with U+FFFD"]


LEGACY_SAMPLE_BYTES = 1 << 20


def _legacy_encoding(data: bytes) -> str | None:
    """The legacy encoding that best explains bytes that are not UTF-8, by charset-normalizer.

    Its guesses are limited to the encodings web pages were written in, and
    where several explain the text equally well (cp1250 and cp1252 both read
    most Western text), the most common one wins.
    """
    from charset_normalizer import from_bytes  # only for bytes that are not UTF-8

    # Told from a sample: on a whole 50 MB file it took 1 GB of memory, and the first megabyte tells.
    matches = list(from_bytes(data[:LEGACY_SAMPLE_BYTES], cp_isolation=list(LEGACY_ENCODINGS)))
    if not matches:
        return None
    best = (matches[0].chaos, -matches[0].coherence)
    tied = {
        encoding
        for match in matches
        if (match.chaos, -match.coherence) == best
        for encoding in match.could_be_from_charset
    }
    return min(tied, key=lambda encoding: LEGACY_ENCODINGS.index(encoding) if encoding in LEGACY_ENCODINGS else 99)


def read_input(path: str, encoding: str | None = None) -> tuple[str, list[str]]:
    """Text of an input ('-' is standard input) and the warnings met; raises InputError."""
    shrank = []
    try:
        if path == "-":
            if sys.stdin is None:  # started with its descriptor closed ('<&-')
                raise InputError("standard input is closed")
            data, _ = _read_all(sys.stdin.buffer.read, encoding)
        else:
            descriptor = os.open(path, os.O_RDONLY)
            try:
                size = os.fstat(descriptor).st_size  # of a regular file; 0 for a pipe
                data, compressed = _read_all(functools.partial(os.read, descriptor), encoding)
                # (Cut compressed data is an error of its own.  A file the kernel makes as it is read, in
                # /sys or /proc, gives fewer bytes than its size says, and keeps that size: no cut.)
                if len(data) < size and not compressed and os.fstat(descriptor).st_size < size:
                    shrank = [f"the file was cut while it was read: {len(data)} of its {size} bytes"]
            finally:
                os.close(descriptor)
    except IsADirectoryError:
        raise InputError("is a directory (use -r to read the files in it)") from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc)) from None
    except ValueError:  # os.open: 'embedded null byte'
        raise InputError("a NUL byte in the file name") from None
    text, warnings = decode_bytes(data, encoding)
    return text, shrank + warnings


# Compressed crawl dumps, by their first bytes as each format defines them, as rg -z reads them: gzip's
# magic and its one method, deflate; xz's magic; zstd's frame magic; bzip2's 'BZh' and a block size, then
# the magic of a block or of the stream's end (plain text may begin 'BZh').
GZIP_MAGIC = b"\x1f\x8b\x08"
XZ_MAGIC = b"\xfd7zXZ\x00"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
BZIP2_BLOCK_MAGICS = (b"1AY&SY", b"\x17rE8P\x90")


# Inputs that hold many articles, by their first bytes (once decompressed): a tar archive's 'ustar' at
# byte 257 (POSIX and GNU), a zip archive's first local header, a WARC file's first record.
TAR_MAGIC_OFFSET = 257
ZIP_MAGIC = b"PK\x03\x04"
WARC_MAGIC = b"WARC/1."


def _collection(first: bytes) -> str | None:
    """The collection the first bytes of an input announce: 'tar', 'zip', 'warc', or None."""
    if first[TAR_MAGIC_OFFSET : TAR_MAGIC_OFFSET + 5] == b"ustar":
        return "tar"
    if first.startswith(ZIP_MAGIC):
        return "zip"
    if first.startswith(WARC_MAGIC):
        return "warc"
    return None


def _compression(first: bytes) -> str | None:
    """The compression the first bytes of an input announce: 'gzip', 'bzip2', 'xz', 'zstd', or None."""
    if first.startswith(GZIP_MAGIC):
        return "gzip"
    if first.startswith(XZ_MAGIC):
        return "xz"
    if first.startswith(ZSTD_MAGIC):
        return "zstd"
    if first.startswith(b"BZh") and first[3:4].isdigit() and first[3:4] != b"0":
        return "bzip2" if first[4:10] in BZIP2_BLOCK_MAGICS else None
    return None


class _Recording(Iterator[bytes]):
    """Pieces as they are read, kept until it is known whether they begin a collection (``kept``, None
    from then on): one on standard input is read again from them."""

    def __init__(self, pieces: Iterator[bytes]) -> None:
        self.pieces = pieces
        self.kept: list[bytes] | None = []

    def __next__(self) -> bytes:
        piece = next(self.pieces)
        if self.kept is not None:
            self.kept.append(piece)
        return piece


def _read_all(read: Callable[[int], bytes], encoding: str | None) -> tuple[bytes, bool]:
    """The bytes that ``read`` gives, in pieces of READ_CHUNK_BYTES (plain system calls for a file:
    half the time of open() and its buffered reader), decompressed when they are gzip, bzip2 or xz;
    and whether they were.

    Like grep, a NUL byte in the first BINARY_SNIFF_BYTES marks a binary file,
    which raises InputError as soon as they are read: /dev/zero is never read
    on.  UTF-16 and UTF-32 text, by its byte-order mark or the encoding asked
    for, holds NUL bytes of its own.
    """
    pieces: Iterator[bytes] = iter(functools.partial(read, READ_CHUNK_BYTES), b"")
    first = read_first = next(pieces, b"")
    kind = _compression(first)
    compressed = kind is not None
    recording = None  # what a decompressor read to give its first piece (a plain input's is its first)
    if kind is not None:
        recording = _Recording(chain([first], pieces))
        pieces = _decompressed(recording, kind)
        first = next(pieces, b"")
    if (collection := _collection(first)) is not None:
        raise CollectionFound(collection, b"".join(recording.kept or ()) if recording else read_first)
    if recording is not None:
        recording.kept = None
    chunks = [first]
    size = len(first)
    sniffed = False
    for chunk in pieces:
        if not sniffed and size >= BINARY_SNIFF_BYTES:
            _check_text(b"".join(chunks), encoding)
            sniffed = True
        chunks.append(chunk)
        size += len(chunk)
    data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    if not sniffed:
        _check_text(data, encoding)
    return data, compressed


# A compressed input expands to at most this many times what was read of it, past the first 64 MiB: text
# compresses ten times or so, a decompression bomb a million ('-' of 1 GB in 756 bytes of bzip2).
DECOMPRESSED_MAX_RATIO = 200
DECOMPRESSED_FREE_BYTES = 64 << 20
# What an xz stream's header may ask its decompressor to hold (a dictionary of 4 GiB is possible).
XZ_MEMORY_LIMIT = 256 << 20


def _decompressed(pieces: Iterable[bytes], kind: str) -> Iterator[bytes]:
    """The decompressed bytes of compressed ``pieces``, streams one after another (as gzip and bzip2
    files can hold several), READ_CHUNK_BYTES at a time; raises InputError when they are damaged or cut
    off, or expand past DECOMPRESSED_MAX_RATIO (before a bomb stands in memory)."""
    import bz2
    import lzma
    import zlib

    makers: dict[str, Callable[[], Any]] = {
        "gzip": functools.partial(zlib.decompressobj, wbits=31),
        "bzip2": bz2.BZ2Decompressor,
        "xz": functools.partial(lzma.LZMADecompressor, memlimit=XZ_MEMORY_LIMIT),
        "zstd": _ZstdDecompressor,
    }
    new = makers[kind]
    damaged: tuple[type[Exception], ...] = (OSError, EOFError, ValueError, zlib.error, lzma.LZMAError)
    if kind == "zstd":
        try:
            import zstandard
        except ImportError:
            raise InputError("zstd data: reading it needs zstandard (pip install 'article-tool[zstd]')") from None
        damaged += (zstandard.ZstdError,)
    decompressor, fed = new(), False
    read = written = 0
    try:
        for piece in pieces:
            read += len(piece)
            while piece:
                if decompressor.eof:  # another stream follows, or zeros padding the last one to a block
                    if not piece.strip(b"\0"):
                        break
                    decompressor, fed = new(), False
                for output in _drain(decompressor, piece):
                    written += len(output)
                    if written > max(DECOMPRESSED_FREE_BYTES, DECOMPRESSED_MAX_RATIO * read):
                        raise InputError(f"{kind} data that expands more than {DECOMPRESSED_MAX_RATIO} times, skipped")
                    yield output
                fed = True
                piece = decompressor.unused_data if decompressor.eof else b""
    except damaged as exc:
        raise InputError(f"damaged {kind} data: {exc}") from None
    if fed and not decompressor.eof:
        raise InputError(f"{kind} data cut off")


# zstd input is fed to its decompressor this many bytes at a time: zstandard's takes no bound on what it
# gives back, and a KiB of zstd expands to at most some tens of MiB.
ZSTD_SLICE_BYTES = 1024


class _ZstdDecompressor:
    """zstandard's decompressor (the standard library has zstd from Python 3.14 on only), used as bz2's and
    lzma's are: what it is given at once is bounded instead of what it gives."""

    def __init__(self) -> None:
        import zstandard  # only for zstd data: the 'zstd' extra

        self._frame = zstandard.ZstdDecompressor().decompressobj()
        self.unconsumed_tail = b""

    @property
    def eof(self) -> bool:
        return bool(self._frame.eof)

    @property
    def unused_data(self) -> bytes:
        return bytes(self._frame.unused_data) + self.unconsumed_tail

    def decompress(self, data: bytes, max_length: int) -> bytes:  # (the bound is the slice's)
        piece, self.unconsumed_tail = data[:ZSTD_SLICE_BYTES], data[ZSTD_SLICE_BYTES:]
        return bytes(self._frame.decompress(piece))


def _drain(decompressor: Any, data: bytes) -> Iterator[bytes]:
    """What ``decompressor`` makes of ``data``, READ_CHUNK_BYTES at a time, until it needs more input or
    its stream ends.  (zlib keeps the input it has not read in ``unconsumed_tail``; bz2 and lzma keep it
    themselves, and say ``needs_input``.)"""
    while True:
        yield decompressor.decompress(data, READ_CHUNK_BYTES)
        data = getattr(decompressor, "unconsumed_tail", b"")
        if decompressor.eof or not (data or not getattr(decompressor, "needs_input", True)):
            return


def _check_text(data: bytes, encoding: str | None) -> None:
    """Raise InputError if the first BINARY_SNIFF_BYTES of an input are a binary file's (see _read_all)."""
    if data.find(b"\0", 0, BINARY_SNIFF_BYTES) < 0:
        return
    wide = next((codec for bom, codec in BYTE_ORDER_MARKS if data.startswith(bom) and codec != "utf-8"), None)
    if encoding and encoding.startswith(("utf-16", "utf-32")):
        wide = encoding
    # Wide text holds NUL bytes of its own, but no NUL character: /dev/zero read as UTF-16 is still binary.
    if wide is None or "\0" in data[:BINARY_SNIFF_BYTES].decode(wide, "ignore"):
        raise InputError("binary file, skipped")


# --- Inputs of many articles -------------------------------------------------

# A member of an archive, or a record of a WARC file, is read whole up to this size: no article is larger.
MEMBER_MAX_BYTES = 256 << 20
# A WARC header line is at most this long: a longer one is no WARC file's.
WARC_LINE_MAX_BYTES = 1 << 16

# An article of a collection: where it came from, and its bytes (or, from JSON Lines, its text).
_CollectedArticle = tuple[Source, "bytes | str"]


class JsonFields(NamedTuple):
    """The keys of a JSON Lines input's objects that article-tool reads (--text-field and the others)."""

    text: str = "text"  # the article's text: an object without it is that line's error
    date: str = "date"  # its date, read as a header would be, where the text has none
    id: str = "id"  # its id; else FILE:LINE


class _ChunkReader(io.RawIOBase):
    """A binary stream of the bytes an iterator gives (for tarfile and the line readers)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = memoryview(chunk)  # (a decompressor may give an empty piece: no end yet)
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


@contextlib.contextmanager
def _decompressed_stream(path: str, prefix: bytes = b"") -> Iterator[IO[bytes]]:
    """The bytes of ``path`` ('-': standard input, after ``prefix``, what was read of it) as a stream,
    decompressed as read_input does."""
    # Standard input through its buffer, as read_input reads it (what that read ahead is not lost), what
    # is there at each read, as os.read gives a file's.
    descriptor = None if path == "-" else os.open(path, os.O_RDONLY)
    try:
        if descriptor is None:
            if sys.stdin is None:  # started with its descriptor closed ('<&-')
                raise InputError("standard input is closed")
            read = cast("io.BufferedReader", sys.stdin.buffer).read1  # (typed BinaryIO, without read1)
        else:
            read = functools.partial(os.read, descriptor)
        pieces: Iterator[bytes] = iter(functools.partial(read, READ_CHUNK_BYTES), b"")
        if prefix:
            pieces = chain([prefix], pieces)
        first = next(pieces, b"")
        kind = _compression(first)
        chunks = _decompressed(chain([first], pieces), kind) if kind else chain([first], pieces)
        yield io.BufferedReader(_ChunkReader(chunks), READ_CHUNK_BYTES)
    finally:
        if descriptor is not None:
            os.close(descriptor)


def iter_articles(
    path: str, kind: str, glob: str = "*.txt", fields: JsonFields | None = None, prefix: bytes = b""
) -> Iterator[_CollectedArticle | InputError]:
    """The articles of a collection (``kind``: 'tar', 'zip', 'warc' or 'jsonl'), each as it is read, with
    its Source; what cannot be read of a member, record or line comes as its error, and the rest goes on.

    Each article's ``file`` is the collection's path and the member's name, the
    record's or the line's number after a colon (``ARCHIVE:MEMBER``); its
    ``id`` that too, but for a WARC record's WARC-Record-ID and a JSON Lines
    object's id.  ``glob`` chooses the members of archives by their names.
    ``path`` may be '-', standard input, of which ``prefix`` was read already
    (CollectionFound's).
    """
    try:
        if kind == "tar":
            yield from _tar_articles(path, glob, prefix)
        elif kind == "zip":
            yield from _zip_articles(path, glob, prefix)
        elif kind == "warc":
            yield from _warc_articles(path, prefix)
        else:
            yield from _jsonl_articles(path, fields or JsonFields(), prefix)
    except InputError as exc:  # the collection's own bytes: damaged or cut-off compression
        yield InputError(f"{shown_path(path)}: {exc}")
    except OSError as exc:
        yield InputError(f"{shown_path(path)}: {exc.strerror or exc}")


def _member(archive: str, name: str, size: int, read: Callable[[int], bytes]) -> _CollectedArticle | InputError:
    """A member of an archive, read whole unless it is larger than any article."""
    where = f"{archive}:{name}"
    if size > MEMBER_MAX_BYTES:
        return InputError(f"{shown_path(where)}: {size} bytes, more than any article: skipped")
    data = read(MEMBER_MAX_BYTES + 1)
    if len(data) > MEMBER_MAX_BYTES:
        return InputError(f"{shown_path(where)}: more bytes than any article: skipped")
    return Source(where, where), data


def _tar_articles(path: str, glob: str, prefix: bytes) -> Iterator[_CollectedArticle | InputError]:
    """The members of a tar archive (compressed or not) whose names match ``glob``, read as a stream."""
    import tarfile  # only for tar archives

    with _decompressed_stream(path, prefix) as stream:
        try:
            with tarfile.open(fileobj=stream, mode="r|") as archive:
                while (member := archive.next()) is not None:
                    if member.isfile() and fnmatch.fnmatchcase(member.name.rsplit("/", 1)[-1], glob):
                        content = archive.extractfile(member)
                        assert content is not None  # a regular file's
                        yield _member(path, member.name, member.size, content.read)
                    # tarfile keeps every member's header it read: 2 GB of small files held 260 MiB.
                    # (Its list is no attribute of typeshed's TarFile.)
                    archive.__dict__["members"].clear()
        except tarfile.TarError as exc:
            yield InputError(f"{shown_path(path)}: damaged tar archive: {exc}")


def _zip_articles(path: str, glob: str, prefix: bytes) -> Iterator[_CollectedArticle | InputError]:
    """The members of a zip archive whose names match ``glob``; on standard input, kept in a temporary
    file first (a zip archive's directory is at its end)."""
    with contextlib.ExitStack() as cleanup:
        yield from _zip_members(path, glob, _seekable(path, prefix, cleanup))


def _seekable(path: str, prefix: bytes, cleanup: contextlib.ExitStack) -> str | IO[bytes]:
    """``path``, or for standard input a temporary file of its bytes (``prefix`` first), closed by ``cleanup``."""
    return path if path != "-" else _kept_standard_input(cleanup, prefix)


def _kept_standard_input(cleanup: contextlib.ExitStack, prefix: bytes = b"") -> IO[bytes]:
    """A temporary file of the rest of standard input, after ``prefix``, at its start; closed by ``cleanup``."""
    import shutil
    import tempfile

    kept = cleanup.enter_context(tempfile.TemporaryFile())  # noqa: SIM115 (closed by cleanup)
    kept.write(prefix)
    shutil.copyfileobj(sys.stdin.buffer, kept)
    kept.flush()
    kept.seek(0)
    return kept


def _zip_members(path: str, glob: str, archive_file: str | IO[bytes]) -> Iterator[_CollectedArticle | InputError]:
    import zipfile  # only for zip archives

    try:
        with zipfile.ZipFile(archive_file) as archive:
            for info in archive.infolist():
                if info.is_dir() or not fnmatch.fnmatchcase(info.filename.rsplit("/", 1)[-1], glob):
                    continue
                try:
                    with archive.open(info) as content:
                        yield _member(path, info.filename, info.file_size, content.read)
                except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
                    yield InputError(f"{shown_path(f'{path}:{info.filename}')}: damaged or encrypted: {exc}")
    except zipfile.BadZipFile as exc:
        yield InputError(f"{shown_path(path)}: damaged zip archive: {exc}")


def _warc_articles(path: str, prefix: bytes) -> Iterator[_CollectedArticle | InputError]:
    """The text records of a WARC file (WARC 1.0 and 1.1, each record gzipped or the whole file): WET's
    conversion records, and resource or response records of text/plain."""
    with _decompressed_stream(path, prefix) as stream:
        number = 0
        while line := stream.readline(WARC_LINE_MAX_BYTES):
            if not line.strip():
                continue  # the blank lines that end the record before
            number += 1
            where = f"{path}:{number}"
            if not line.startswith(b"WARC/"):
                yield InputError(f"{shown_path(where)}: no WARC record starts here: the rest is skipped")
                return
            headers: dict[str, str] = {}
            while (line := stream.readline(WARC_LINE_MAX_BYTES)).strip():
                name, _, value = line.decode("utf-8", "replace").partition(":")
                headers[name.strip().casefold()] = value.strip()
            length = headers.get("content-length", "")
            if not length.isdigit():
                yield InputError(f"{shown_path(where)}: a WARC record without its length: the rest is skipped")
                return
            size = int(length)
            if size > MEMBER_MAX_BYTES:
                yield InputError(f"{shown_path(where)}: {size} bytes, more than any article: skipped")
                while size > 0 and (piece := stream.read(min(size, READ_CHUNK_BYTES))):
                    size -= len(piece)
                continue
            content = stream.read(size)
            if len(content) < size:
                yield InputError(f"{shown_path(where)}: the WARC record is cut off")
                return
            text = _warc_text(headers, content)
            if text is not None:
                record_id = headers.get("warc-record-id") or where
                yield Source(where, record_id, headers.get("warc-target-uri"), headers.get("warc-date")), text


def _warc_text(headers: dict[str, str], content: bytes) -> bytes | None:
    """The text a WARC record holds, if it is an article's: a conversion record's (WET), a resource
    record's of text/plain, a response's whose HTTP payload is text/plain."""
    record_type = headers.get("warc-type", "")
    content_type = headers.get("content-type", "").casefold()
    if record_type == "conversion" or (record_type == "resource" and content_type.startswith("text/plain")):
        return content
    if record_type == "response" and content_type.startswith("application/http"):
        head, _, body = content.partition(b"\r\n\r\n")
        if re.search(rb"(?im)^content-type:\s*text/plain", head):
            return body
    return None


def _jsonl_articles(path: str, fields: JsonFields, prefix: bytes) -> Iterator[_CollectedArticle | InputError]:
    """The articles of a JSON Lines input, an object a line: its text, date and id by ``fields``."""
    import json  # only for JSON Lines input

    with _decompressed_stream(path, prefix) as stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
            except ValueError as exc:
                yield InputError(f"{shown_path(where)}: not JSON: {getattr(exc, 'msg', exc)}")
                continue
            text = record.get(fields.text) if isinstance(record, dict) else None
            if not isinstance(text, str):
                yield InputError(f"{shown_path(where)}: no text in the field {fields.text!r}")
                continue
            date = record.get(fields.date)
            if isinstance(date, str) and date.strip() and not HEADER_RE.match(text):
                text = f" date {date.strip()} {text}"
            identity = record.get(fields.id)
            yield Source(where, where if identity is None else str(identity)), text


def _member_text(data: bytes, encoding: str | None) -> tuple[str, list[str]]:
    """The text of a member's bytes, decompressed and decoded as a file's; raises InputError."""
    try:
        data, _ = _read_all(io.BytesIO(data).read, encoding)
    except CollectionFound as found:
        raise InputError(f"a {found.kind} file inside a collection, skipped") from None
    return decode_bytes(data, encoding)


class Walk(NamedTuple):
    """How -r walks a folder, as rg does: the names it reads, and what it passes by."""

    glob: str = "*.txt"  # the names of the files read
    hidden: bool = False  # also the files and folders whose name starts with '.'
    ignore_files: bool = True  # pass by what each folder's .gitignore and .ignore exclude
    max_depth: int | None = None  # folders below the one given: 0 none, 1 its own files only


# The files whose patterns (gitignore's) a walk passes by, in each folder where they stand.
IGNORE_FILES = (".gitignore", ".ignore")


class _Folder(NamedTuple):
    """A folder of a walk: its entries still to walk (the next at the end), the ignore files in force
    there (the nearest last: (the folder each stands in, its patterns)), and its depth below the folder
    the walk began in (that one's is 0, and its entries are the folder itself)."""

    entries: list[os.DirEntry[str] | str]
    ignored_by: tuple[tuple[str, Any], ...]
    depth: int


def iter_directory(directory: str, walk: Walk | str = "*.txt") -> Iterator[str | InputError]:
    """Files under ``directory`` that ``walk`` reads (a glob: its names), in path order, as the walk goes.

    As rg: hidden names and what .gitignore or .ignore exclude are passed by,
    unless ``walk`` says otherwise; links to folders are not followed (no loop
    can trap the walk).  A folder that cannot be listed, an entry that cannot
    be looked at (a link into a folder not permitted) and an ignore file that
    cannot be read come as the error they gave, in their place, and the walk
    goes on.  The walk keeps its own stack, so no depth of folders is too deep.
    """
    walk = Walk(walk) if isinstance(walk, str) else walk
    folders = [_Folder([directory], (), -1)]
    while folders:
        folder = folders[-1]
        if not folder.entries:
            folders.pop()
            continue
        entry = folder.entries.pop()
        path = entry if isinstance(entry, str) else entry.path
        try:
            is_folder = os.path.isdir(path) if isinstance(entry, str) else entry.is_dir(follow_symlinks=False)
            if not isinstance(entry, str) and _passed_by(entry, is_folder, folder, walk):
                continue
            if is_folder:
                if walk.max_depth is None or folder.depth + 1 < walk.max_depth:  # its files within the depth
                    ignored_by, errors = _ignore_files(path, folder.ignored_by, walk)
                    yield from errors
                    listed: list[os.DirEntry[str] | str] = sorted(
                        os.scandir(path), key=attrgetter("name"), reverse=True
                    )
                    folders.append(_Folder(listed, ignored_by, folder.depth + 1))
                continue
            # As grep: no FIFO, socket or device.
            wanted = not isinstance(entry, str) and fnmatch.fnmatchcase(entry.name, walk.glob) and entry.is_file()
        except OSError as exc:
            yield InputError(f"{shown_path(path)}: {exc.strerror or exc}")
            continue
        if wanted:
            yield path


def _passed_by(entry: os.DirEntry[str], is_folder: bool, folder: _Folder, walk: Walk) -> bool:
    """Whether the walk passes ``entry`` by: a hidden name, or one the nearest ignore file that names it
    excludes (a later '!pattern' takes it back in)."""
    if entry.name.startswith(".") and not walk.hidden:
        return True
    for base, patterns in reversed(folder.ignored_by):
        relative = os.path.relpath(entry.path, base).replace(os.sep, "/") + ("/" if is_folder else "")
        verdict = patterns.check_file(relative).include
        if verdict is not None:
            return bool(verdict)
    return False


def _ignore_files(
    path: str, ignored_by: tuple[tuple[str, Any], ...], walk: Walk
) -> tuple[tuple[tuple[str, Any], ...], list[InputError]]:
    """The ignore files in force in the folder ``path``: those of the folders above, and its own."""
    if not walk.ignore_files:
        return ignored_by, []
    errors = []
    for name in IGNORE_FILES:
        ignore_file = os.path.join(path, name)
        try:
            with open(ignore_file, encoding="utf-8", errors="surrogateescape") as stream:
                lines = stream.read().splitlines()
        except FileNotFoundError:
            continue
        except OSError as exc:
            errors.append(InputError(f"{shown_path(ignore_file)}: {exc.strerror or exc}"))
            continue
        import pathspec  # only in walks that meet an ignore file

        ignored_by = (*ignored_by, (path, pathspec.GitIgnoreSpec.from_lines(lines)))
    return ignored_by, errors


# Linux's PATH_MAX: no longer entry of a list is a path.
PATH_MAX_BYTES = 4096


def iter_list_file(stream: IO[bytes], separator: bytes) -> Iterator[str | InputError]:
    """Paths listed in a file, one per line (CRLF too) or NUL-terminated, read as it goes.  An entry longer
    than any path (a list with the wrong separator) is an error, named by its start, and skipped: it is
    never held whole."""
    pending: list[bytes] = []  # the start of the entry not ended yet, at most PATH_MAX_BYTES of it
    size = 0  # and its whole length
    while chunk := stream.read(1 << 16):
        *entries, rest = chunk.split(separator)
        if entries:
            yield from _listed_paths([b"".join([*pending, entries[0]])], separator, size + len(entries[0]))
            yield from _listed_paths(entries[1:], separator)
            pending, size = [], 0
        if size <= PATH_MAX_BYTES:
            pending.append(rest)
        size += len(rest)
    yield from _listed_paths([b"".join(pending)], separator, size)


def _listed_paths(entries: list[bytes], separator: bytes, size: int | None = None) -> Iterator[str | InputError]:
    """The paths of a list's entries; ``size``: the whole length of the one entry given in part."""
    for entry in entries:
        if (size if size is not None else len(entry)) > PATH_MAX_BYTES:
            start = shown_path(os.fsdecode(entry[:60]))
            yield InputError(f"{start}…: no path is this long (a list separated by NUL bytes needs -0)")
            continue
        if separator == b"\n":
            entry = entry.removesuffix(b"\r")
        if entry:
            yield os.fsdecode(entry)


# ---------------------------------------------------------------------------
# Processing
# ---------------------------------------------------------------------------


class Options(NamedTuple):
    """What the command line asks of each file; picklable, for worker processes."""

    output_format: str = "tsv"
    fields: tuple[str, ...] = TSV_DEFAULT_FIELDS
    kinds: frozenset[str] = frozenset(KINDS)
    dayfirst: bool = True
    encoding: str | None = None
    style: Style = Style()
    width: int | None = None  # the text view's, on a terminal
    input_format: str = "text"  # or 'jsonl': a JSON object a line, each an article
    json_fields: JsonFields = JsonFields()
    glob: str = "*.txt"  # the names of an archive's members that are read
    computed: tuple[str, ...] = ()  # the computed keys the records carry (COMPUTED_KEYS), in their order
    keys: tuple[str, ...] | None = None  # the JSON formats' keys, in their order (--fields); None: every key
    langs: frozenset[str] | None = None  # only the articles in these languages (--lang de,en)
    dates: DateRange | None = None  # only the articles of these dates (--since, --until, --require-date)
    marks: Marks | None = None  # the first pass's findings (--repeated)
    tally: bool = False  # the first pass of --repeated: each article's sighting, not its records


class FileResult:
    """What processing one input gives: its output, its messages and its counts.

    ``output`` yields the input's records as bytes; the counts and warnings
    are complete once it is exhausted (a huge article, ``segmented``, is
    counted as its segments are written).
    """

    __slots__ = (
        "articles",
        "dated",
        "errors",
        "left_out",
        "output",
        "part",
        "quotes",
        "records",
        "segmented",
        "warnings",
    )

    def __init__(self, output: Iterable[bytes] = (), errors: Sequence[str] = (), warnings: Sequence[str] = ()) -> None:
        self.output = output
        self.errors = list(errors)
        self.warnings = list(warnings)
        self.records = self.quotes = 0
        self.left_out = 0  # articles the date range or the languages asked for leave out
        self.dated = not errors
        self.segmented = False
        # A collection's articles as they are read, which -j spreads over the jobs instead of writing
        # ``output``; and whether this result is of some of them only, which is no file of its own.
        self.articles: Iterable[_CollectedArticle | InputError] | None = None
        self.part = False

    def count(self, path: str, article: Article, kinds: frozenset[str]) -> None:
        """Count an article's (or a segment's) records of the kinds asked for, quotes and problems."""
        found = [block.kind for block in article.blocks]
        self.records += len(found) if len(kinds) == len(KINDS) else len([kind for kind in found if kind in kinds])
        self.quotes += found.count("quote") if "quote" in kinds else 0
        self.dated = self.dated and article.date is not None  # every article of a collection
        self.warnings += [f"{shown_path(path)}:{problem.line}: {problem.message}" for problem in article.problems]


def render(source: str | Source, article: Article, options: Options) -> bytes:
    """An article in the chosen output format, encoded in UTF-8."""
    return b"".join(render_chunks(source, article, options))


def render_chunks(
    source: str | Source,
    article: Article,
    options: Options,
    *,
    continued: bool = False,
    article_values: dict[str, Any] | None = None,
) -> Iterator[bytes]:
    """An article in the chosen output format, a few thousand blocks at a time.

    A huge article is written as it is formatted, so that its output never
    stands in memory whole.  ``continued``: the article is a later segment of
    one (parse_article_segments), whose heading the text view has shown;
    ``article_values``: the computed keys of the whole article a segment
    belongs to (computed_article_values), else computed from ``article``.
    """
    if options.output_format not in FORMATS:
        raise ArticleToolError(f"unknown output format {options.output_format!r} (choose from {', '.join(FORMATS)})")
    source = as_source(source)
    blocks = _kept(article.blocks, options.kinds)
    if article_values is None:
        article_values = _article_computed(source, article.blocks, options)
    computed_of = functools.partial(_computed, options, article_values)
    if options.output_format == "json":
        yield from _json_document_chunks(source, article, [blocks], computed_of, options.keys)
        return
    for start in range(0, max(len(blocks), 1), RENDER_CHUNK_BLOCKS):
        chunk = blocks[start : start + RENDER_CHUNK_BLOCKS]
        if options.output_format == "tsv":
            yield _tsv_bytes(source, article, chunk, options.fields, computed_of(chunk))
        elif options.output_format == "jsonl":
            yield _jsonl_bytes(source, article, chunk, computed_of(chunk), options.keys)
        elif options.output_format == "text":
            heading = start == 0 and not continued
            text = format_text(source.file, article, chunk, options.style, heading=heading, width=options.width)
            yield text.encode("utf-8", "replace")


# What a plain run computes.
NOTHING_COMPUTED = Computed((), {}, {})


def _article_computed(
    source: Source, blocks: Sequence[Block], options: Options, fingerprint: int | None = None
) -> dict[str, Any]:
    """The article's computed keys the options ask for, and those its filters need (only those in the
    first pass of --repeated)."""
    keys = () if options.tally else options.computed
    if options.langs is not None:
        keys = (*keys, "lang")
    return computed_article_values(source, blocks, keys, options.marks, fingerprint) if keys else {}


def _computed(options: Options, article_values: dict[str, Any], blocks: Sequence[Block]) -> Computed:
    """The computed keys of some of an article's blocks, as the options ask for them."""
    if not options.computed:
        return Computed((), article_values, {}) if article_values else NOTHING_COMPUTED
    return Computed(
        options.computed, article_values, computed_block_values(blocks, options.computed, article_values, options.marks)
    )


def _kept(blocks: tuple[Block, ...], kinds: frozenset[str]) -> tuple[Block, ...]:
    """The blocks of the kinds asked for."""
    return blocks if len(kinds) == len(KINDS) else tuple(block for block in blocks if block.kind in kinds)


def process_file(path: str, options: Options) -> FileResult:
    """Read, parse and render one input ('-': standard input); never raises for a bad input.

    The output is rendered as the caller writes it.  A huge article is parsed
    and written a segment at a time.
    """
    if options.input_format == "jsonl":
        return _process_collection(path, iter_articles(path, "jsonl", fields=options.json_fields), options)
    try:
        text, decode_warnings = read_input(path, options.encoding)
    except CollectionFound as found:
        prefix = found.prefix if path == "-" else b""  # a file is read again from its start
        return _process_collection(path, iter_articles(path, found.kind, options.glob, prefix=prefix), options)
    except InputError as exc:
        return FileResult(errors=[f"{shown_path(path)}: {exc}"])
    except MemoryError as exc:
        return FileResult(errors=[_failure(path, exc)])
    result = FileResult(warnings=[f"{shown_path(path)}: {message}" for message in decode_warnings])
    result.segmented = len(text) > LARGE_ARTICLE_CHARS
    result.output = _guarded(path, _article_output(as_source(path), text, options, result), result)
    return result


def _process_collection(path: str, articles: Iterable[_CollectedArticle | InputError], options: Options) -> FileResult:
    """An input of many articles (iter_articles), written as it is read, in this process: what cannot be
    read of a member is its error, and the rest goes on."""
    result = FileResult()
    result.segmented = True
    result.articles = articles
    result.output = _guarded(path, _collection_output(articles, options, result), result)
    return result


def _process_articles(articles: list[_CollectedArticle | InputError], options: Options) -> "_Batch":
    """Some of a collection's articles, processed in a worker process: their output travels back as one
    piece, their counts and messages as a part of the collection's."""
    batch = _articles_here(articles, _with_worker_marks(options))
    return _Batch([b"".join(batch.output)], batch.results)


def _articles_here(articles: list[_CollectedArticle | InputError], options: Options) -> "_Batch":
    """Some of a collection's articles, written as they are processed; their counts and messages a part of
    the collection's, complete once the output is."""
    part = FileResult()
    part.part = True
    return _Batch(_collection_output(articles, options, part), [part])


def _article_chunks(
    articles: Iterable[_CollectedArticle | InputError],
) -> Iterator[list[_CollectedArticle | InputError]]:
    """A collection's articles in chunks of CHUNK_FILES; an article too large to travel whole alone."""
    chunk: list[_CollectedArticle | InputError] = []
    for article in articles:
        if _too_large_to_travel(article):
            if chunk:
                yield chunk
            yield [article]
            chunk = []
            continue
        chunk.append(article)
        if len(chunk) == CHUNK_FILES:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _too_large_to_travel(article: _CollectedArticle | InputError) -> bool:
    """Whether an article is parsed a segment at a time, which only this process does (see _process_chunk)."""
    return not isinstance(article, InputError) and len(article[1]) > LARGE_ARTICLE_CHARS


def _collection_output(
    articles: Iterable[_CollectedArticle | InputError], options: Options, result: FileResult
) -> Iterator[bytes]:
    for article_or_error in articles:
        if isinstance(article_or_error, InputError):
            result.errors.append(str(article_or_error))
            continue
        source, content = article_or_error
        try:
            text, warnings = (content, []) if isinstance(content, str) else _member_text(content, options.encoding)
        except InputError as exc:
            result.errors.append(f"{shown_path(source.file)}: {exc}")
            continue
        result.warnings += [f"{shown_path(source.file)}: {message}" for message in warnings]
        try:
            yield from _article_output(source, text, options, result)
        except Exception as exc:  # one member's fault never ends the collection (as _guarded a file's)
            result.errors.append(_failure(source.file, exc))


def _article_output(source: Source, text: str, options: Options, result: FileResult) -> Iterator[bytes]:
    """One article's output, counted into ``result``: left out by its header date before its body is
    parsed, or by its language after; a huge one parsed and written a segment at a time."""
    text = normalize_newlines(text)
    header = _parse_header(text, options.dayfirst)  # (parse_article's first step, taken here once)
    if options.dates is not None and not options.dates.admits(header.date):
        result.left_out += 1
        return
    if len(text) > LARGE_ARTICLE_CHARS:
        yield from _render_segments(source, text, options, result)
        return
    article = _whole_article(text, header)
    article_values = _article_computed(source, article.blocks, options)
    if options.langs is not None and article_values["lang"] not in options.langs:
        result.left_out += 1
        return
    result.count(source.file, article, options.kinds)
    if options.tally:
        yield _sighting(source, [_block_hash(block.text) for block in article.blocks])
        return
    yield from render_chunks(source, article, options, article_values=article_values)


def _guarded(path: str, output: Iterator[bytes], result: FileResult) -> Iterator[bytes]:
    """``output`` until it fails: what it failed of is one error of ``result``'s, and the run goes on."""
    try:
        yield from output
    except Exception as exc:  # as in process_file
        result.errors.append(_failure(path, exc))


def _failure(path: str, exc: Exception) -> str:
    """The message of an input whose parsing failed: out of memory, or a fault of this tool's."""
    if isinstance(exc, MemoryError):
        return f"{shown_path(path)}: out of memory"
    fault = f"{type(exc).__name__}: {exc}"
    return f"{shown_path(path)}: cannot be parsed, a fault of article-tool's ({fault}); please report it"


def _render_segments(source: Source, text: str, options: Options, result: FileResult) -> Iterator[bytes]:
    """A huge article's output, each segment counted into ``result`` as it is written.

    Its language is its first segment's; its fingerprint is of all its
    segments, which are then parsed twice.
    """

    def segments() -> Iterator[Article]:
        return parse_article_segments(text, dayfirst=options.dayfirst, size=SEGMENT_CHARS)

    parsed = segments()
    first = next(parsed)  # there is always one, if only to carry the problems
    fingerprint = None
    if not options.tally and {"fingerprint", "duplicate_of"} & set(options.computed):
        fingerprint = article_fingerprint(chain.from_iterable(segment.blocks for segment in segments()))
    article_values = _article_computed(source, first.blocks, options, fingerprint)
    if options.langs is not None and article_values["lang"] not in options.langs:
        result.left_out += 1
        return
    if options.tally:
        hashes: list[int] = []
        for segment in chain([first], parsed):
            result.count(source.file, segment, options.kinds)
            hashes += [_block_hash(block.text) for block in segment.blocks]
        yield _sighting(source, hashes)
        return
    if options.output_format == "json":  # one document, whose blocks run on from segment to segment
        runs = _counted_runs(source.file, chain([first], parsed), options, result)
        yield from _json_document_chunks(
            source, first, runs, functools.partial(_computed, options, article_values), options.keys
        )
        return
    for index, segment in enumerate(chain([first], parsed)):
        result.count(source.file, segment, options.kinds)
        yield from render_chunks(source, segment, options, continued=index > 0, article_values=article_values)


def _counted_runs(
    path: str, segments: Iterable[Article], options: Options, result: FileResult
) -> Iterator[tuple[Block, ...]]:
    """The blocks of the kinds asked for of each segment, each counted into ``result`` as it comes."""
    for segment in segments:
        result.count(path, segment, options.kinds)
        yield _kept(segment.blocks, options.kinds)


class _Batch(NamedTuple):
    """Inputs processed together: their output, in order, then their results; and the inputs after them,
    left for this process."""

    output: Iterable[bytes]
    results: list[FileResult]
    left: Sequence[str] = ()


def _process_chunk(paths: list[str], options: Options) -> _Batch:
    """A chunk of files processed in a worker process: its output travels back as one piece; the
    worker's marks (--repeated) are the ones it started with.

    From a huge article on, the chunk is left to this process, which writes
    it a segment at a time: in one piece, its output would stand in memory
    twice in each process (a 50 MB file in a worker's chunk took 447 MiB
    across the processes, 163 MiB so).
    """
    options = _with_worker_marks(options)
    output: list[bytes] = []
    results: list[FileResult] = []
    for index, path in enumerate(paths):
        result = process_file(path, options)
        if result.segmented:
            return _Batch([b"".join(output)], results, paths[index:])
        output += result.output
        result.output = ()
        results.append(result)
    return _Batch([b"".join(output)], results)


def _chunks(inputs: Iterable[str | FileResult]) -> Iterator[list[str] | FileResult | str]:
    """Inputs in order, files in chunks of CHUNK_FILES; standard input and listing errors alone."""
    chunk: list[str] = []
    for item in inputs:
        if isinstance(item, str) and item != "-":
            chunk.append(item)
            if len(chunk) == CHUNK_FILES:
                yield chunk
                chunk = []
            continue
        if chunk:
            yield chunk
            chunk = []
        yield item
    if chunk:
        yield chunk


class _Task(NamedTuple):
    """Work for _batches: what this process does to do it (``here``), and what a worker process would do
    with ``chunk`` instead (``travels``; None: this process only)."""

    here: Callable[[], Iterable[_Batch]]
    travels: Callable[[Any, Options], _Batch] | None = None
    chunk: Any = None


def _batches(inputs: Iterable[str | FileResult], options: Options, jobs: int) -> Iterator[_Batch]:
    """The inputs processed, in input order; with jobs > 1 also by worker processes.

    This process is one of the jobs: it takes one chunk of files in every
    ``jobs`` itself (whose output then need not travel between processes) and
    a pool of jobs - 1 workers takes the others, a bounded number of chunks in
    flight.  Standard input and errors met while listing the inputs are
    handled here, in their place in the order.
    """

    def process_here(items: Iterable[str | FileResult]) -> Iterator[_Batch]:
        for item in items:
            if not isinstance(item, FileResult):
                item = process_file(item, options)
            if item.articles is not None and jobs > 1:
                yield from spread(item, item.articles)
            else:
                yield _Batch(item.output, [item])

    def spread(collection: FileResult, articles: Iterable[_CollectedArticle | InputError]) -> Iterator[_Batch]:
        """A collection's articles over the jobs, in chunks as files are, in order; then the collection
        itself, one file of the summary."""
        parts: list[FileResult] = []

        def here_articles(chunk: list[_CollectedArticle | InputError]) -> list[_Batch]:
            return [_articles_here(chunk, options)]

        def tasks() -> Iterator[_Task]:
            for chunk in _article_chunks(articles):
                travels = None if len(chunk) == 1 and _too_large_to_travel(chunk[0]) else _process_articles
                yield _Task(functools.partial(here_articles, chunk), travels, chunk)

        for batch in in_turns(tasks()):
            parts += batch.results
            yield batch
        # Counted as one job counts it: undated where an article is, unless an error counts instead.
        collection.dated = all(part.dated for part in parts) or any(part.errors for part in parts)
        yield _Batch((), [collection])

    def in_turns(tasks: Iterable[_Task]) -> Iterator[_Batch]:
        """The tasks' batches, in order: one task in every ``jobs`` that may travel done here, the others by
        the pool, a bounded number in flight."""
        pending: deque[Callable[[], Iterable[_Batch]]] = deque()
        turns = cycle(range(jobs))
        for task in tasks:
            if task.travels is not None and next(turns):
                pending.append(functools.partial(from_worker, submitted(task), task))
            else:
                pending.append(task.here)
            while len(pending) > jobs * TASKS_IN_FLIGHT_PER_JOB:
                yield from pending.popleft()()
        while pending:
            yield from pending.popleft()()

    def from_worker(future: "Future[_Batch] | None", task: _Task) -> Iterator[_Batch]:
        """A worker's batch, once it is done, and what it left to this process; the whole task done here
        if the worker died (killed, out of memory) or the pool could not take it."""
        try:
            batch = future.result() if future is not None else None
        except BrokenProcessPool:
            batch = None
        if batch is None:
            yield from task.here()
            return
        yield batch
        yield from process_here(batch.left)

    def submitted(task: _Task) -> "Future[_Batch] | None":
        assert task.travels is not None
        try:
            return pool.submit(task.travels, task.chunk, travelling)
        except (BrokenProcessPool, RuntimeError):  # a pool whose worker died takes no more work
            return None

    if jobs <= 1:
        yield from process_here(inputs)
        return
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    travelling = options._replace(marks=None)  # the workers have them from the start (_start_worker)
    with ProcessPoolExecutor(
        max_workers=jobs - 1, initializer=_start_worker, initargs=(os.getpid(), options.marks)
    ) as pool:
        yield from in_turns(
            _Task(functools.partial(process_here, chunk), _process_chunk, chunk)
            if isinstance(chunk, list)
            else _Task(functools.partial(process_here, [chunk]))
            for chunk in _chunks(inputs)
        )


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>

# A worker's marks (--repeated): given once as it starts, as they may be too large to travel with each
# chunk of work (8 bytes a repeated block).
_worker_marks: Marks | None = None


def _start_worker(parent: int, marks: Marks | None) -> None:
    global _worker_marks
    _worker_marks = marks
    _end_with_parent(parent)


def _with_worker_marks(options: Options) -> Options:
    return options if _worker_marks is None else options._replace(marks=_worker_marks)


def _end_with_parent(parent: int) -> None:
    """Set a worker to end when this process ends, however it ends (SIGTERM, SIGHUP, SIGKILL): else a
    worker blocked on its pipe would wait for work forever.  Linux's PR_SET_PDEATHSIG; elsewhere the
    pool's own shutdown is all there is."""
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux
        return
    if os.getppid() != parent:  # it ended before the setting took
        os._exit(EXIT_INTERRUPTED)


# --- Two passes, for --repeated ------------------------------------------------
# Whether a block is met in N files is known only once every file has been read: a first pass keeps each
# article's sighting (its fingerprint, its blocks' hashes, its id), tallied here; the second writes the
# records, marked by what the first found.

# A sighting's bytes: its article's fingerprint (8), how many block hashes follow (4), how long its id is (4).
SIGHTING_HEAD_BYTES = 16


class _Sighting(NamedTuple):
    fingerprint: int
    hashes: Sequence[int]  # its distinct blocks' text_hash
    id: str


def _sighting(source: Source, hashes: Sequence[int]) -> bytes:
    """The sighting of an article whose blocks' hashes are ``hashes``, in order, as bytes (the records' place
    in the output of the first pass)."""
    from array import array

    distinct = array("Q", sorted(set(hashes)))
    ident = source.id.encode("utf-8", "surrogatepass")
    head = _fingerprint(hashes).to_bytes(8, "little")
    head += len(distinct).to_bytes(4, "little") + len(ident).to_bytes(4, "little")
    return head + distinct.tobytes() + ident


def _sightings(data: bytes) -> Iterator[_Sighting]:
    """The sightings of some output of the first pass."""
    from array import array

    offset = 0
    while offset < len(data):
        fingerprint = int.from_bytes(data[offset : offset + 8], "little")
        count = int.from_bytes(data[offset + 8 : offset + 12], "little")
        size = int.from_bytes(data[offset + 12 : offset + SIGHTING_HEAD_BYTES], "little")
        offset += SIGHTING_HEAD_BYTES
        hashes = array("Q")
        hashes.frombytes(data[offset : offset + 8 * count])
        offset += 8 * count
        yield _Sighting(fingerprint, hashes, data[offset : offset + size].decode("utf-8", "surrogatepass"))
        offset += size


class _Tally:
    """How many times each hash was met, counted up to ``cap``, in 12 bytes a hash and the table's room to
    spare: open addressing over two arrays (a dict of ints takes about 100 bytes an entry)."""

    def __init__(self, cap: int) -> None:
        from array import array

        self.cap = cap
        self.used = 0
        self.keys = array("Q", [0]) * TALLY_START_SLOTS
        self.counts = array("I", [0]) * TALLY_START_SLOTS

    def add(self, value: int) -> int:
        """Count ``value`` (a text_hash or an article_fingerprint: never 0, the empty slot) once more; its
        count now."""
        slot = self._slot(value)
        if self.keys[slot] == 0:
            self.keys[slot] = value
            self.used += 1
            if self.used * 4 > len(self.keys) * 3:  # three quarters full: twice the room
                self._grow()
                slot = self._slot(value)
        if self.counts[slot] < self.cap:
            self.counts[slot] += 1
        return self.counts[slot]

    def count(self, value: int) -> int:
        return self.counts[self._slot(value)]

    def _slot(self, value: int) -> int:
        """Where ``value`` is, or the empty place it would take."""
        keys = self.keys
        mask = len(keys) - 1
        slot = value & mask
        while keys[slot] not in (0, value):
            slot = (slot + 1) & mask
        return slot

    def _grow(self) -> None:
        from array import array

        old = zip(self.keys, self.counts, strict=True)
        self.keys = array("Q", [0]) * (2 * len(self.keys))
        self.counts = array("I", [0]) * len(self.keys)
        for value, count in old:
            if value:
                slot = self._slot(value)
                self.keys[slot], self.counts[slot] = value, count

    def at_least(self, least: int) -> Sequence[int]:
        """The values counted ``least`` times or more, in order."""
        from array import array

        return array("Q", sorted(key for key, count in zip(self.keys, self.counts, strict=True) if count >= least))


def first_pass(inputs: Iterable[str | FileResult], options: Options, jobs: int, least: int) -> Marks:
    """The marks of --repeated ``least``: every input read, each article's sighting tallied.  Its messages
    are the second pass's to give.

    Each distinct body's first id is kept in one buffer, in the order the bodies are first met (some 30
    bytes and the id a body, where a dict took 170 and the id), until it is known which bodies come again.
    """
    from array import array

    blocks, bodies = _Tally(least), _Tally(2)
    first_met = array("Q")  # each distinct fingerprint, in the order first met
    id_ends = array("Q")  # and where its first article's id ends in ids
    ids = bytearray()
    for batch in _batches(inputs, options._replace(tally=True, marks=None), jobs):
        for output in batch.output:
            for sighting in _sightings(output):
                for value in sighting.hashes:
                    blocks.add(value)
                if bodies.add(sighting.fingerprint) == 1:
                    first_met.append(sighting.fingerprint)
                    ids += sighting.id.encode("utf-8", "surrogatepass")
                    id_ends.append(len(ids))
    first_ids = {
        fingerprint: ids[start:end].decode("utf-8", "surrogatepass")
        for fingerprint, start, end in zip(first_met, chain([0], id_ends), id_ends, strict=False)
        if bodies.count(fingerprint) == 2
    }
    return Marks(blocks.at_least(least), first_ids)


# ---------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------


def _comma_list(allowed: Sequence[str]) -> Callable[[str], tuple[str, ...]]:
    def parse(value: str) -> tuple[str, ...]:
        items = tuple(item.strip() for item in value.split(",") if item.strip())
        unknown = [item for item in items if item not in allowed]
        if unknown or not items:
            raise argparse.ArgumentTypeError(
                f"unknown {', '.join(map(repr, unknown)) or 'empty list'} (choose from {', '.join(allowed)})"
            )
        return items

    return parse


def _whole_number(value: str, below_zero: str = "must be 0 or more", least: int = 0) -> int:
    """An option's number, ``least`` or more."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < least:
        raise argparse.ArgumentTypeError(below_zero if least == 0 else f"must be {least} or more")
    return number


def _languages(value: str) -> frozenset[str]:
    """--lang's list: ISO 639-1 codes."""
    codes = frozenset(code.strip().lower() for code in value.split(",") if code.strip())
    wrong = sorted(code for code in codes if not (len(code) == 2 and code.isascii() and code.isalpha()))
    if wrong:
        raise argparse.ArgumentTypeError(
            f"not a language code (ISO 639-1, as 'de,en'): {', '.join(map(repr, wrong))}; "
            "to read a file right after --lang, write --lang -- FILE"
        )
    return codes


def _date_bound(value: str, end: bool) -> str:
    try:
        return date_bound(value, end=end)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _glob(value: str) -> str:
    if not value:
        raise argparse.ArgumentTypeError("an empty pattern matches no file name")
    return value


def _jobs(value: str) -> int:
    jobs = _whole_number(value, "must be 0 (all cores) or more")
    # More jobs than cores would only take turns on them (and -j 99999999 would fork a process each).
    return min(jobs or os.cpu_count() or 1, os.cpu_count() or 1)


# The text view: wider lines are hard to read (a wide terminal gets this measure), and narrower ones
# leave no room for the text beside the numbers.
READABLE_COLUMNS = 100


MIN_COLUMNS = 20


def _width(value: str) -> int:
    try:
        width = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if width < MIN_COLUMNS:
        raise argparse.ArgumentTypeError(f"at least {MIN_COLUMNS} columns")
    return width


# What a text encoding reads back as it was written: a long line, dots, a hyphen.
ENCODING_PROBE = "A well-known text... of 42 lines, " + "x" * 40 + "\n"


def _encoding(value: str) -> str:
    """A text encoding's name: one that reads text as it writes it and, but for UTF-16 and UTF-32,
    plain ASCII as itself (not rot13, hex, uu, idna or punycode)."""
    import codecs

    try:
        codec = codecs.lookup(value)
    except LookupError:
        raise argparse.ArgumentTypeError(f"unknown encoding: {value!r}") from None
    wide = codec.name.startswith(("utf-16", "utf-32"))
    try:
        readable = ENCODING_PROBE.encode(codec.name).decode(codec.name) == ENCODING_PROBE and (
            wide or ENCODING_PROBE.encode("ascii").decode(codec.name) == ENCODING_PROBE
        )
    except (LookupError, ValueError, TypeError):
        readable = False
    if not readable:
        raise argparse.ArgumentTypeError(f"not a text encoding: {value!r}")
    return codec.name


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's formatter, told the terminal's width; the epilog's examples as written.

    Left to itself it imports shutil (and with it bz2 and lzma) to learn the
    width, on every run, for help that is seldom printed: 5 ms of start-up.
    """

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=max(_terminal_width() - 2, 40))


def _terminal_width() -> int:
    """Columns of the terminal on stdout ($COLUMNS first), else 80."""
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        try:
            return os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            return 80


HELP_EPILOG = f"""\
examples:
  article-tool a.txt                         a view to read, on a terminal
  article-tool -r corpus/ -f jsonl | jq .    every *.txt under corpus/, a JSON record per block
  article-tool -k quote --fields handle,posted,text *.txt
  find . -name '*.txt' -print0 | article-tool --files-from - -0 -j 0 > all.tsv
  article-tool -r corpus/ --lang=de,en --since 2021-10 --repeated 3 -f jsonl > kept.jsonl

record keys: {" ".join(RECORD_KEYS)}
computed keys, when asked for: {" ".join(COMPUTED_KEYS)}

exit status: 0 all inputs read and dated, 1 warnings (no or invalid date, empty input, undecodable bytes,
no input found), 2 usage error, unreadable input or unwritable output, 130 interrupted."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        formatter_class=_HelpFormatter,
        description="Split scraped news articles into dated paragraphs, headings and social-media quotes.",
        epilog=HELP_EPILOG,
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="article files; '-' or none: standard input")
    parser.add_argument(
        "-f",
        "--format",
        choices=FORMATS,
        dest="output_format",
        help="tsv (a record per line), jsonl (a JSON record per line), json (JSON Lines of articles: one "
        "{file, id, ..., blocks} object per line), text (a view to read); default: text on a terminal, else tsv",
    )
    parser.add_argument(
        "--fields",
        type=_comma_list((*RECORD_KEYS, *COMPUTED_KEYS)),
        metavar="LIST",
        help=f"the keys of the records, comma-separated, in order: TSV columns (default: "
        f"[file,]{','.join(TSV_DEFAULT_FIELDS)}) or JSON keys (default: all); computed keys among them: "
        f"{','.join(COMPUTED_KEYS)}",
    )
    parser.add_argument("--header", action="store_true", help="TSV: print the column names first")
    names = parser.add_mutually_exclusive_group()
    names.add_argument("-H", "--with-filename", action="store_true", help="TSV: always print the file column")
    names.add_argument("--no-filename", action="store_true", help="TSV: never print the file column")
    parser.add_argument(
        "-k",
        "--kind",
        type=_comma_list(KINDS),
        metavar="LIST",
        help="keep only these kinds: title,heading,paragraph,quote",
    )
    parser.add_argument(
        "--monthfirst", action="store_true", help="read ambiguous header dates (03/04/2021) month first"
    )
    parser.add_argument(
        "--encoding", type=_encoding, metavar="NAME", help="decode inputs with this encoding instead of detecting it"
    )
    parser.add_argument(
        "-r", "--recursive", action="store_true", help="read the files under directories (none given: this one)"
    )
    parser.add_argument(
        "--glob",
        type=_glob,
        metavar="PATTERN",
        help="with -r and in archives: names of the files to read (default: *.txt)",
    )
    parser.add_argument(
        "--hidden", action="store_true", help="with -r: also files and folders whose name starts with '.'"
    )
    parser.add_argument(
        "--no-ignore", action="store_true", help="with -r: also what .gitignore and .ignore files exclude"
    )
    parser.add_argument(
        "--max-depth",
        type=_whole_number,
        metavar="N",
        help="with -r: at most N folders down (1: the folder's own files)",
    )
    parser.add_argument(
        "--input-format",
        choices=("text", "jsonl"),
        default="text",
        help="text: an article a file (archives and WARC files read by member); jsonl: a JSON object a line, "
        "each an article (default: text)",
    )
    parser.add_argument("--text-field", default="text", metavar="KEY", help="jsonl input: the text's key (text)")
    parser.add_argument("--date-field", default="date", metavar="KEY", help="jsonl input: the date's key (date)")
    parser.add_argument("--id-field", default="id", metavar="KEY", help="jsonl input: the id's key (id)")
    parser.add_argument(
        "--lang",
        nargs="?",
        const="",
        type=_languages,
        metavar="LIST",
        help="add lang (the article's language, ISO 639-1) and post_lang (each quote's); with a LIST (de,en), "
        f"keep only the articles in those languages (needs {LANG_INSTALL})",
    )
    parser.add_argument(
        "--hash", action="store_true", help="add hash (each block's, 16 hex digits) and fingerprint (the article's)"
    )
    parser.add_argument(
        "--repeated",
        type=functools.partial(_whole_number, least=2),
        metavar="N",
        help="read the inputs twice, and add repeated (true for a block met in N files or more) and "
        "duplicate_of (the id of the first article with the same body)",
    )
    parser.add_argument(
        "--since",
        type=functools.partial(_date_bound, end=False),
        metavar="DATE",
        help="keep articles dated DATE (YYYY, YYYY-MM or YYYY-MM-DD) or later; a month-only date is kept if "
        "its month overlaps",
    )
    parser.add_argument(
        "--until",
        type=functools.partial(_date_bound, end=True),
        metavar="DATE",
        help="keep articles dated DATE or earlier ('--until 2021' keeps all of 2021)",
    )
    parser.add_argument("--require-date", action="store_true", help="leave out articles without a header date")
    parser.add_argument("--files-from", metavar="FILE", help="read input paths from FILE ('-': standard input)")
    parser.add_argument("-0", "--null", action="store_true", help="paths in --files-from end with NUL")
    parser.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="parallel jobs: this process and N-1 workers (0: one per core; default: 1)",
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour in the text view (default: auto, never with NO_COLOR)",
    )
    parser.add_argument(
        "--width",
        type=_width,
        metavar="N",
        help=f"the text view wrapped to N columns (default: the terminal's, at most {READABLE_COLUMNS}; "
        "into a pipe, not wrapped)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="do not print warnings")
    parser.add_argument(
        "--progress",
        action="store_true",
        help="show a progress bar on stderr (default: with several inputs, stderr a terminal, the output a file)",
    )
    parser.add_argument(
        "--schema", action="store_true", help="print the JSON Schema of the records (of -f json: of its articles)"
    )
    parser.add_argument("-V", "--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def _usage_notes(args: argparse.Namespace) -> list[str]:
    """Warnings for options that do nothing as given."""
    notes = []
    if args.output_format not in (None, "tsv") and args.header:
        notes.append(f"--header applies to TSV only, not to -f {args.output_format}")
    if args.output_format == "text" and args.fields:
        notes.append("--fields does nothing in the text view")
    if args.output_format == "text" and (args.hash or args.repeated is not None or args.lang == frozenset()):
        notes.append("the text view shows no computed key (--lang, --hash, --repeated)")
    for option, keys in _COMPUTING_OPTIONS.items():
        # (--lang with a list keeps articles by their language, whatever keys are written)
        only_adds = _adds_keys(args, option) and not (option == "--lang" and args.lang)
        if only_adds and args.fields and not set(keys) & set(args.fields):
            notes.append(f"{option} does nothing when --fields names neither {' nor '.join(keys)}")
    if args.with_filename and args.fields and "file" not in args.fields:
        notes.append("-H does nothing when --fields has no file column")
    if args.null and args.files_from is None:
        notes.append("-0 does nothing without --files-from")
    for option, given in (("--hidden", args.hidden), ("--no-ignore", args.no_ignore)):
        if given and not args.recursive:
            notes.append(f"{option} does nothing without -r")
    if args.max_depth is not None and not args.recursive:
        notes.append("--max-depth does nothing without -r")
    return notes


# The options that add computed keys, and their keys.
_COMPUTING_OPTIONS = {
    "--lang": ("lang", "post_lang"),
    "--hash": ("hash", "fingerprint"),
    "--repeated": ("repeated", "duplicate_of"),
}


def _computed_keys(args: argparse.Namespace) -> tuple[str, ...]:
    """The computed keys the records carry: those --fields names, else those the options add, in order."""
    if args.fields:
        return tuple(key for key in args.fields if key in COMPUTED_KEYS)
    added = {key for option, keys in _COMPUTING_OPTIONS.items() if _adds_keys(args, option) for key in keys}
    return tuple(key for key in COMPUTED_KEYS if key in added)


def _adds_keys(args: argparse.Namespace, option: str) -> bool:
    """Whether one of _COMPUTING_OPTIONS is given."""
    return getattr(args, option[2:]) not in (None, False)


def _input_paths(args: argparse.Namespace) -> Iterator[str | FileResult]:
    """Every input, in order: arguments (directories walked with -r), then --files-from.

    What cannot even be listed comes as the error result it gives.
    """
    for path in args.files:
        if args.recursive and path != "-" and os.path.isdir(path):
            walk = Walk(args.glob or "*.txt", args.hidden, not args.no_ignore, args.max_depth)
            yield from _as_inputs(iter_directory(path, walk))
        else:
            yield path
    if args.files_from is not None:
        separator = b"\0" if args.null else b"\n"
        if args.files_from == "-":
            if sys.stdin is None:  # started with its descriptor closed ('<&-')
                yield FileResult(errors=[f"{shown_path('-')}: standard input is closed"])
                return
            yield from _as_inputs(iter_list_file(sys.stdin.buffer, separator))
            return
        try:
            with open(args.files_from, "rb") as stream:
                yield from _as_inputs(iter_list_file(stream, separator))
        except OSError as exc:
            yield FileResult(errors=[f"{shown_path(args.files_from)}: {exc.strerror or exc}"])


def _as_inputs(listed: Iterable[str | InputError]) -> Iterator[str | FileResult]:
    """Listed paths as inputs; what could not be listed as the error result it gives."""
    for item in listed:
        yield item if isinstance(item, str) else FileResult(errors=[str(item)])


def _not_the_output(inputs: Iterable[str | FileResult]) -> Iterator[str | FileResult]:
    """``inputs``, but for the file standard output is written to, which is named (as grep says it:
    '-r . > all.txt' would read its own output as it grows)."""
    try:
        output = os.fstat(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        output = None
    if output is None or not stat.S_ISREG(output.st_mode):
        yield from inputs
        return
    for item in inputs:
        if isinstance(item, str) and item != "-":
            try:
                found = os.stat(item)
            except (OSError, ValueError):
                found = None  # its own error comes when it is read
            if found is not None and (found.st_dev, found.st_ino) == (output.st_dev, output.st_ino):
                item = FileResult(errors=[f"{shown_path(item)}: input file is also the output, skipped"])
        yield item


def _is_terminal(stream: IO[Any]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _is_regular_file(stream: IO[Any]) -> bool:
    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (AttributeError, ValueError, OSError):  # no descriptor: a stream of a test, or closed
        return False


def _progress(inputs: Iterable[str | FileResult], total: int | None) -> Iterable[str | FileResult]:
    """``inputs`` with a progress bar on stderr: files per second and the time left."""
    from tqdm import tqdm  # only when a bar is shown

    bar: Iterable[str | FileResult] = tqdm(
        inputs, total=total, unit="file", file=sys.stderr, dynamic_ncols=True, leave=False
    )
    return bar


def _binary_writer(stream: IO[Any]) -> Callable[[bytes], object]:
    """What writes bytes to a text stream: its binary buffer's write, if it has one."""
    buffer: IO[bytes] | None = getattr(stream, "buffer", None)
    if buffer is not None:
        return buffer.write
    return lambda data: stream.write(data.decode("utf-8"))


def _options(args: argparse.Namespace) -> Options:
    """What the command line asks of each file; the defaults follow what stdout is."""
    stdout_is_terminal = _is_terminal(sys.stdout)
    several = len(args.files) > 1 or args.recursive or args.files_from is not None
    with_filename = args.with_filename or (several and not args.no_filename)
    color = args.color == "always" or (
        args.color == "auto"
        and stdout_is_terminal
        and not os.environ.get("NO_COLOR")
        and os.environ.get("TERM") != "dumb"
    )
    output_format = args.output_format or ("text" if stdout_is_terminal else "tsv")
    computed = _computed_keys(args)
    dates = DateRange(args.since, args.until, args.require_date)
    return Options(
        output_format=output_format,
        fields=args.fields or ((("file",) if with_filename else ()) + TSV_DEFAULT_FIELDS + computed),
        kinds=frozenset(args.kind or KINDS),
        dayfirst=not args.monthfirst,
        encoding=args.encoding,
        style=COLOR_STYLE if color else PLAIN_STYLE,
        width=args.width
        or (min(max(_terminal_width(), MIN_COLUMNS), READABLE_COLUMNS) if stdout_is_terminal else None),
        input_format=args.input_format,
        json_fields=JsonFields(args.text_field, args.date_field, args.id_field),
        glob=args.glob or "*.txt",
        computed=computed,
        keys=args.fields if args.fields and output_format in ("jsonl", "json") else None,
        langs=args.lang or None,
        dates=dates if dates != DateRange() else None,
    )


class _Summary:
    """What a run met: the summary line's counts and the exit status."""

    def __init__(self) -> None:
        self.files = self.records = self.quotes = self.undated = self.errors = self.left_out = 0
        self.status = EXIT_OK

    def add(self, result: FileResult) -> None:
        self.files += not result.part
        self.records += result.records
        self.quotes += result.quotes
        self.left_out += result.left_out
        self.undated += not result.dated and not result.errors and not result.part
        self.errors += len(result.errors)
        if result.errors:
            self.status = EXIT_ERROR
        elif result.warnings:
            self.status = self.status or EXIT_WARNING

    def line(self) -> str:
        counts = [
            _counted(self.files, "file"),
            _counted(self.records, "record"),
            _counted(self.quotes, "quote"),
            f"{self.undated} without date",
            _counted(self.errors, "error"),
        ]
        if self.left_out:
            counts.insert(1, f"{_counted(self.left_out, 'article')} left out")
        return ", ".join(counts)


def _counted(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _say(message: str) -> None:
    """A message on stderr; dropped where stderr is closed or cannot be written (a message lost is
    better than a run lost, or a message written into the output)."""
    if sys.stderr is None:
        return
    with contextlib.suppress(OSError, ValueError):
        print(f"{PROG}: {message}", file=sys.stderr, flush=True)


def _say_above_the_bar(message: str) -> None:
    """A message printed above the progress bar, never on its line."""
    from tqdm import tqdm

    with contextlib.suppress(OSError, ValueError):
        tqdm.write(f"{PROG}: {message}", file=sys.stderr)


def _run(args: argparse.Namespace, options: Options, summary: _Summary) -> int:
    """Process every input, write the output and the messages, counted in ``summary``; the exit status.
    With --repeated, every input is read once first (first_pass), standard input kept for the second."""
    if sys.stdout is None:  # started with its descriptor closed ('>&-')
        raise OSError(errno.EBADF, "standard output is closed")
    if args.repeated is None:
        return _write_run(args, options, summary)
    with _standard_input_kept("-" in args.files or args.files_from == "-") as rewind:
        marks = first_pass(_not_the_output(_input_paths(args)), options, args.jobs, args.repeated)
        rewind()
        return _write_run(args, options._replace(marks=marks), summary)


@contextlib.contextmanager
def _standard_input_kept(needed: bool) -> Iterator[Callable[[], None]]:
    """Standard input copied whole into a temporary file, where ``needed``; yields what makes sys.stdin
    read it again from its start."""
    if not needed or sys.stdin is None:  # (closed: each pass says so)
        yield lambda: None
        return
    original = sys.stdin
    with contextlib.ExitStack() as cleanup:
        kept = _kept_standard_input(cleanup)

        def rewind() -> None:
            os.lseek(kept.fileno(), 0, os.SEEK_SET)
            sys.stdin = open(os.dup(kept.fileno()), encoding=original.encoding, errors=original.errors)  # noqa: SIM115

        try:
            rewind()
            yield rewind
        finally:
            sys.stdin.close()
            sys.stdin = original


def _write_run(args: argparse.Namespace, options: Options, summary: _Summary) -> int:
    """_run's pass that writes the records."""
    inputs: Iterable[str | FileResult] = _not_the_output(_input_paths(args))
    several = len(args.files) > 1 or args.recursive or args.files_from is not None
    # Only while the output goes to a file: into a pipe, it may well end on the terminal the bar is drawn
    # on ('article-tool a b | head'), which the bar would garble.
    show_progress = args.progress or (
        several
        and not args.quiet
        and _is_terminal(sys.stderr)
        and _is_regular_file(sys.stdout)
        and not os.environ.get("CI")
    )
    say = _say_above_the_bar if show_progress else _say
    if show_progress:
        # A second listing gives the total the estimate needs, but for a list, which may be a pipe read
        # once (--files-from <(ls)), and a walk, which may be long: a bar without a total then.
        listed = args.files_from is not None or args.recursive
        inputs = _progress(inputs, None if listed else len(args.files))
    write = _binary_writer(sys.stdout)
    if options.output_format == "tsv" and args.header:
        write(("\t".join(options.fields) + "\n").encode())
    for batch in _batches(inputs, options, args.jobs):
        for chunk in batch.output:
            write(chunk)
        for result in batch.results:
            summary.add(result)
            for message in result.errors + ([] if args.quiet else result.warnings):
                say(message)
    sys.stdout.flush()
    if show_progress:
        getattr(inputs, "close", lambda: None)()  # the bar goes before the summary takes its place
        _say(summary.line())
    if not summary.files:  # as ripgrep: a run that found nothing to read says so
        _say("no input file found" + (f" matching {args.glob or '*.txt'}" if args.recursive else ""))
        return summary.status or EXIT_WARNING
    return summary.status


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    arguments = list(sys.argv[1:] if argv is None else argv)
    for option, value in pairwise(arguments):
        if option in ("-j", "--jobs") and value.startswith("-") and value[1:].isdigit():
            # argparse would take '-1' for an option ('-0' is one) and say it expected an argument.
            parser.error(f"argument -j/--jobs: must be 0 (all cores) or more, not {value}")
    args = parser.parse_args(arguments)
    computed = _computed_keys(args)
    if args.schema:
        import json  # only for the schema

        keys = args.fields or (*RECORD_KEYS, *computed)
        print(json.dumps(record_schema(args.output_format or "jsonl", keys), indent=2))
        return EXIT_OK
    if args.repeated is None and {"repeated", "duplicate_of"} & set(computed):
        parser.error("the keys repeated and duplicate_of need --repeated N")
    if args.since and args.until and args.since > args.until:
        parser.error(f"--since {args.since} is after --until {args.until}")
    if args.lang or {"lang", "post_lang"} & set(computed):
        try:
            unknown = sorted((args.lang or frozenset()) - supported_languages())
        except ArticleToolError as exc:
            _say(str(exc))
            return EXIT_ERROR
        if unknown:
            parser.error(f"argument --lang: languages not told: {', '.join(unknown)}")
    if args.files_from == "-" and "-" in args.files:
        parser.error("standard input cannot be both an input and --files-from")
    if not args.files and args.files_from is None:
        args.files = ["."] if args.recursive else ["-"]  # as grep -r and rg read the current folder
    for note in [] if args.quiet else _usage_notes(args):
        _say(f"warning: {note}")
    summary = _Summary()
    try:
        return _run(args, _options(args), summary)
    except BrokenPipeError:
        # The reader left (`| head`): stop quietly, with the status of what went wrong before.
        _discard_output()
        return summary.status
    except OSError as exc:  # the output cannot be written: a full disk, a closed descriptor
        _say(f"standard output: {exc.strerror or exc}")
        _discard_output()
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def _discard_output() -> None:
    """Keep Python from writing what is left of the output, and complaining, when it flushes at exit."""
    if sys.stdout is None:
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        sys.stdout = None


if __name__ == "__main__":
    raise SystemExit(main())
