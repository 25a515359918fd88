"""Deterministic synthetic news articles for benchmarks (ingest, extraction, charts).

    .venv/bin/python bench/generate.py --n 10000 --seed 0 --out /tmp/synth --format both

``generate_articles(n, seed)`` returns ``n`` distinct articles (dicts with title,
text, published, source, author, url and ``timexes``: the temporal expressions
planted in the text with their TIMEX3 value where it is unambiguous). Article
``i`` depends only on (seed, i), so any prefix of a larger run is identical to a
smaller run. Texts are 1.5-4 KB of plain English: actors (Putin, Scholz, Zelensky,
NATO, the Kremlin...), event verbs, and absolute, relative, range and duration
expressions anchored on the article's publication date. Each planted timex has
``start``/``end`` offsets; its ``value`` is TIMEX3 (``2024-06``, ``2024-W45``,
``P3W``, ``a/b`` for a day range, ``2024-03|END`` for a modified month) or None
when conventions differ ("on Monday").
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path

MIN_BYTES, MAX_BYTES = 1500, 4000
FIRST_DAY, LAST_DAY = dt.date(2015, 1, 1), dt.date(2025, 6, 30)

ACTORS = [
    ("Russian President Vladimir Putin", "Putin"),
    ("German Chancellor Olaf Scholz", "Scholz"),
    ("Ukrainian President Volodymyr Zelensky", "Zelensky"),
    ("French President Emmanuel Macron", "Macron"),
    ("US President Joe Biden", "Biden"),
    ("Donald Trump", "Trump"),
    ("NATO Secretary General Jens Stoltenberg", "Stoltenberg"),
    ("Kremlin spokesman Dmitry Peskov", "Peskov"),
    ("German Foreign Minister Annalena Baerbock", "Baerbock"),
    ("Russian Foreign Minister Sergei Lavrov", "Lavrov"),
    ("Polish Prime Minister Donald Tusk", "Tusk"),
    ("Turkish President Recep Tayyip Erdogan", "Erdogan"),
    ("British Prime Minister Keir Starmer", "Starmer"),
    ("Italian Prime Minister Giorgia Meloni", "Meloni"),
]
STATES = ["Russia", "Ukraine", "Moscow", "Kyiv", "Germany", "France", "Poland", "the Kremlin",
          "Belarus", "the United States"]
ORGS = ["NATO", "the European Union", "the G7", "the United Nations", "the Atlantic alliance"]
PLACES = ["Istanbul", "Geneva", "Brussels", "Berlin", "Moscow", "Kyiv", "Sochi", "Minsk", "Vienna",
          "Warsaw", "Paris", "Rome", "Ankara", "Helsinki", "Riga", "Vilnius", "Bratislava"]
TOPICS = ["grain exports", "prisoner exchanges", "gas transit", "a ceasefire", "security guarantees",
          "the nuclear plant at Zaporizhzhia", "sanctions relief", "frozen central bank assets",
          "air defence supplies", "Black Sea shipping", "the status of occupied regions",
          "reconstruction funding", "long-range missiles", "energy infrastructure"]
# (verb phrase with {obj}, object pool, event type)
EVENTS = [
    ("spoke by telephone with {obj} about {topic}", "person", "call_meeting"),
    ("met {obj} in {place} to discuss {topic}", "person", "call_meeting"),
    ("held talks with {obj} on {topic}", "person", "negotiation"),
    ("proposed a ceasefire to {obj}", "state", "proposal"),
    ("put forward a plan on {topic} to {obj}", "any", "proposal"),
    ("demanded that {obj} withdraw its troops", "state", "demand"),
    ("rejected the proposal from {obj} on {topic}", "any", "refusal"),
    ("signed an agreement with {obj} on {topic}", "any", "agreement"),
    ("warned {obj} of consequences over {topic}", "any", "threat"),
    ("announced new sanctions against {obj}", "state", "sanction"),
    ("pledged further military aid to {obj}", "state", "aid_supply"),
    ("said {obj} had to accept talks on {topic}", "any", "statement"),
]
OUTLETS = ["Baltic Ledger", "Eurasia Wire", "Rhine Courier", "Harbour Street Journal", "Danube Post",
           "Northern Signal", "Atlas Daily", "Meridian Review", "Lakeside Gazette", "Steppe Observer"]
FIRST = ["Anna", "Tomas", "Ilse", "Marek", "Sofia", "Jonas", "Elena", "Pieter", "Ruth", "Kai",
         "Lena", "Oskar", "Mira", "Felix", "Nadia", "Arvid", "Clara", "Emil", "Hanna", "Viktor"]
LAST = ["Brandt", "Kowal", "Lindqvist", "Moreau", "Novak", "Ozols", "Petrov", "Ruiz", "Sandberg",
        "Tamm", "Varga", "Weber", "Young", "Zeller", "Falk", "Horvat", "Jansen", "Kalnins"]
FILLER = [
    "Officials on both sides declined to give details of the conversation.",
    "Diplomats said the atmosphere had been businesslike but cool.",
    "Analysts cautioned that the statements did not amount to a change of policy.",
    "The announcement was welcomed in some capitals and criticised in others.",
    "Neither side published a full account of what had been agreed.",
    "Observers noted that the language used was almost identical to earlier statements.",
    "A spokesperson said further contacts at the level of advisers were possible.",
    "Markets reacted calmly, with energy prices little changed by the evening.",
    "Opposition politicians demanded that parliament be briefed in full.",
    "Critics said the move rewarded aggression and undermined the sanctions regime.",
    "Supporters argued that keeping a channel open was better than silence.",
    "The statement did not mention the humanitarian situation in the east of the country.",
]
QUOTES = [
    "\u201cWe are ready to talk, but not at any price,\u201d {who} told reporters.",
    "\u201cThe door to diplomacy is not closed,\u201d {who} said in a statement.",
    "\u201cThis is not a serious offer,\u201d {who} said.",
    "\u201cOur position has not changed,\u201d {who} added.",
    "\u201cWe will continue to support our partners for as long as it takes,\u201d {who} said.",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}


def _day(d: dt.date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _month_shift(d: dt.date, months: int) -> tuple[int, int]:
    index = d.year * 12 + d.month - 1 + months
    return index // 12, index % 12 + 1


def _timex(rng: random.Random, pub: dt.date) -> tuple[str, str | None]:
    """A temporal expression (as it reads in a sentence) and its TIMEX3 value (None if ambiguous)."""
    kind = rng.randrange(14)
    if kind == 0:
        return "yesterday", (pub - dt.timedelta(days=1)).isoformat()
    if kind == 1:
        return "today", pub.isoformat()
    if kind == 2:
        d = pub - dt.timedelta(days=rng.randint(2, 400))
        return f"on {_day(d)}", d.isoformat()
    if kind == 3:
        y, m = _month_shift(pub, -rng.randint(1, 30))
        return f"in {MONTHS[m - 1]} {y}", f"{y:04d}-{m:02d}"
    if kind == 4:
        y, m = _month_shift(pub, -1)
        return "last month", f"{y:04d}-{m:02d}"
    if kind == 5:
        last = pub - dt.timedelta(days=7)
        iso = last.isocalendar()
        return "last week", f"{iso[0]}-W{iso[1]:02d}"
    if kind == 6:
        return f"on {rng.choice(WEEKDAYS)}", None  # depends on the convention for same weekday
    if kind == 7:
        n = rng.randint(2, 5)
        return f"{NUMBER_WORDS[n]} years ago", str(pub.year - n)
    if kind == 8:
        y, m = _month_shift(pub, rng.randint(1, 2))
        return ("next month", f"{y:04d}-{m:02d}") if (y, m) == _month_shift(pub, 1) else (f"in {MONTHS[m - 1]}", f"{y:04d}-{m:02d}")
    if kind == 9:
        d = pub - dt.timedelta(days=rng.randint(10, 300))
        end = d + dt.timedelta(days=rng.randint(1, 4))
        if end.month == d.month:
            return f"from {d.day} to {end.day} {MONTHS[d.month - 1]} {d.year}", f"{d.isoformat()}/{end.isoformat()}"
        return f"on {_day(d)}", d.isoformat()
    if kind == 10:
        n = rng.randint(2, 8)
        unit = rng.choice(["days", "weeks", "months"])
        return f"for {NUMBER_WORDS[n]} {unit}", f"P{n}{unit[0].upper()}"
    if kind == 11:
        part, mod = rng.choice([("at the end of", "END"), ("at the beginning of", "START"),
                                ("in the middle of", "MID")])
        y, m = _month_shift(pub, -rng.randint(2, 24))
        return f"{part} {MONTHS[m - 1]} {y}", f"{y:04d}-{m:02d}|{mod}"
    if kind == 12:
        return "earlier this month", f"{pub.year:04d}-{pub.month:02d}"
    year = pub.year - rng.randint(1, 6)
    return f"in {year}", str(year)


def _event_sentence(rng: random.Random, pub: dt.date) -> tuple[str, dict]:
    """One dated event sentence and the planted timex (text, value, event type)."""
    subject, short = rng.choice(ACTORS)
    verb, pool, etype = rng.choice(EVENTS)
    people = [a[1] for a in ACTORS if a[1] != short]
    obj = rng.choice({"person": people, "state": STATES, "any": people + STATES + ORGS}[pool])
    text, value = _timex(rng, pub)
    clause = verb.format(obj=obj, topic=rng.choice(TOPICS), place=rng.choice(PLACES))
    if rng.random() < 0.5:
        sentence = f"{text[0].upper()}{text[1:]}, {subject} {clause}."
    else:
        sentence = f"{subject} {clause} {text}."
    return sentence, {"text": text, "value": value, "type": etype}


def _other_sentence(rng: random.Random) -> str:
    pick = rng.random()
    if pick < 0.45:
        return rng.choice(FILLER)
    if pick < 0.7:
        return rng.choice(QUOTES).format(who=rng.choice(ACTORS)[1])
    return (f"About {rng.randint(20, 9000):,} people were affected, according to figures "
            f"released in {rng.choice(PLACES)}.")


def generate_article(i: int, seed: int = 0) -> dict:
    """Article number ``i`` of the stream for ``seed`` (depends on nothing else)."""
    rng = random.Random(f"{seed}:{i}")
    pub = FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    target = rng.randint(MIN_BYTES + 100, MAX_BYTES - 400)
    timexes: list[dict] = []
    paragraphs: list[str] = []
    size = 0
    while size < target:
        sentences, planted = [], []
        for _ in range(rng.randint(1, 2)):
            sentence, timex = _event_sentence(rng, pub)
            sentences.append(sentence)
            planted.append(timex)
        sentences += [_other_sentence(rng) for _ in range(rng.randint(1, 3))]
        paragraph = " ".join(sentences)
        grown = size + len(paragraph.encode()) + 2
        if grown > MAX_BYTES - 200 and size >= MIN_BYTES:
            break
        paragraphs.append(paragraph)
        timexes += planted
        size = grown
    text = "\n\n".join(paragraphs)
    lowered, pos = text.lower(), 0
    for t in timexes:  # offsets: planted in reading order
        start = lowered.index(t["text"].lower(), pos)
        t["start"], t["end"] = start, start + len(t["text"])
        pos = t["end"]
    a, b = rng.sample([x[1] for x in ACTORS], 2)
    title = f"{a} and {b}: {rng.choice(TOPICS)} back on the agenda ({i})"
    author = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    source = rng.choice(OUTLETS)
    slug = source.lower().replace(" ", "-")
    return {
        "id": i,
        "title": title,
        "text": text,
        "published": pub.isoformat(),
        "source": source,
        "author": author,
        "url": f"https://{slug}.example/{pub:%Y/%m/%d}/article-{seed}-{i}",
        "timexes": timexes,
    }


def generate_articles(n: int = 10_000, seed: int = 0) -> list[dict]:
    """``n`` distinct articles (distinct texts: the title's serial and random content differ)."""
    out, seen = [], set()
    for i in range(n):
        art = generate_article(i, seed)
        salt = 0
        while art["text"] in seen:  # practically never; keeps the promise of distinct texts
            salt += 1
            art = generate_article(i, seed * 1_000_003 + salt)
            art["id"] = i
        seen.add(art["text"])
        out.append(art)
    return out


def front_matter_txt(art: dict) -> str:
    """The article as a .txt with YAML front matter (what ``timeline ingest`` reads)."""
    title = art["title"].replace('"', "'")
    return (
        f"---\ntitle: \"{title}\"\npublished: {art['published']}\nsource: {art['source']}\n"
        f"author: {art['author']}\nurl: {art['url']}\n---\n{art['text']}\n"
    )


def write_txt_folder(articles: list[dict], folder: Path) -> int:
    """One front-matter .txt per article, 1,000 per sub-folder. Returns bytes written."""
    total = 0
    for art in articles:
        sub = folder / f"{art['id'] // 1000:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        data = front_matter_txt(art).encode("utf-8")
        (sub / f"article-{art['id']:06d}.txt").write_bytes(data)
        total += len(data)
    return total


def write_jsonl(articles: list[dict], path: Path) -> int:
    """All articles as one .jsonl (title, text, published, source, author, url). Returns bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    keys = ("title", "text", "published", "source", "author", "url")
    data = "".join(json.dumps({k: a[k] for k in keys}, ensure_ascii=False) + "\n" for a in articles)
    path.write_text(data, encoding="utf-8")
    return len(data.encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.add_argument("--format", choices=("txt", "jsonl", "both"), default="both")
    args = p.parse_args(argv)
    articles = generate_articles(args.n, args.seed)
    if args.format in ("txt", "both"):
        n = write_txt_folder(articles, args.out / "txt")
        print(f"wrote {len(articles)} .txt files ({n / 1e6:.1f} MB) to {args.out / 'txt'}")
    if args.format in ("jsonl", "both"):
        n = write_jsonl(articles, args.out / "articles.jsonl")
        print(f"wrote {args.out / 'articles.jsonl'} ({n / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
