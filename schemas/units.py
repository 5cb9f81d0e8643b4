"""Unit registry and the matcher from a written unit name to a registry unit.

Forms name their unit in 主办单位名称 / 填报单位 in many ways: abbreviations (海西州科协, 青大科协),
traditional characters, full-width letters, spaces, OCR slips, a trailing （盖章） or date, the office that
filled in the form (海西州科协办公室), or two names of one unit (青海省科技馆（青海省青少年科技中心）).
Registry names and input go through `normalize_unit_name` (schemas/unit_names.py), and `match` decides:

1. An exact key hit is a sure match.
2. A name made of two listed names: a unit and its own office or secretariat (…科协办公室, …学会秘书处)
   is that unit, unless the registry lists that office as a unit of its own (省科协办公室); a unit named
   twice is that unit; a unit after the unit the registry files it under (青海省科协 + 组织部) is that
   unit; two unrelated units go to staff.
3. Otherwise rapidfuzz scores the input against every key, and a match is accepted only when the slip is
   acceptable (schemas/unit_slips.py) and the best unit is clearly ahead of every other unit: by
   `MIN_LEAD` points, or, at an equal score, by needing fewer slips that no sound or shape explains.
   Step 2 comes first, so a listed name inside the input is not overruled by a near miss of another
   (青海大学科协办公室 is 青海大学科协 + 办公室, never 省科协办公室 with one slip).
Names of places outside 青海 never match (schemas/places.py).

Decision on bare names that are listed aliases (办公室, 医学会, 科技馆, 青大): an exact hit on a listed
alias is a match. The registry is 青海省科协's own list, so a 省科协部门 writing 办公室 or a society
writing 医学会 is the normal case; 青岛大学 written out does not hit 青大 (it names 青岛).
Fuzzy matching never uses keys shorter than `MIN_FUZZY_KEY_LEN`: one wrong character in a two- or
three-character name is another name, not a typo.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from schemas.places import MACRO_REGIONS, REGISTRY_DIR, is_other_province
from schemas.unit_names import OFFICE_WORD, fold_unit_name, normalize_unit_name
from schemas.unit_slips import PROVINCE_PREFIX, acceptable_slip, sound_alike, unexplained_slips

__all__ = [
    "REGISTRY_DIR",
    "Unit",
    "UnitMatch",
    "UnitRegistry",
    "fold_unit_name",
    "is_other_province",
    "normalize_unit_name",
]

# Swept on the dev rows of tests/data/unit_variants.csv only (the test rows are held out). Scores come
# in steps: one slip in n characters scores 100·(1 − 1/n), so 75 is one slip in a four-character name.
# Every ACCEPT_SCORE from 70 to 80 with MIN_LEAD 3–15 gives the same dev result and no wrong match; at
# 81+ one slip in a five-character name (悔西州科协) no longer matches. 75 sits inside that plateau;
# the lead takes its safe end (with the kind-of-body guard, MIN_LEAD no longer changes a dev answer).
ACCEPT_SCORE = 75.0
MIN_LEAD = 10.0
# Levenshtein, not Indel (fuzz.ratio): OCR swaps one character for another, and Indel scores
# 玛泌县 as close to 班玛县 as to 玛沁县 because it only counts shared characters in order.
_SCORER = Levenshtein.normalized_similarity
SUGGEST_SCORE = 60.0  # below this the best candidate is too far off to be worth showing
MIN_FUZZY_KEY_LEN = 4
_LOST_AT_LEAST = 2  # letters of the own name a partial ring reading lacks (one less is a whole name, misread)
_HALF_RING = 6  # letters: a shorter piece of a ring could be part of too many names to say whose it is
_LONG_NAME = 9  # letters: a listed spelling this long may differ from an OCR reading by two letters, shorter by one

Status = Literal["matched", "ambiguous", "unmatched"]


@dataclass(frozen=True)
class Unit:
    unit_id: str
    category: str
    canonical_name: str
    aliases: tuple[str, ...]
    parent_unit_id: str | None = None


@dataclass(frozen=True)
class UnitMatch:
    status: Status
    unit: Unit | None  # set only when matched
    score: float  # 0–100 score of the best candidate (0 when nothing)
    suggestion: Unit | None  # best candidate when ambiguous/unmatched (may be None)
    raw: str


@dataclass(frozen=True)
class _Candidate:
    unit_id: str
    score: float
    unexplained: int  # slips no sound, shape or doubling explains
    acceptable: bool


# --- registry ---------------------------------------------------------------------------------------

_EXPLICIT, _DERIVED = 0, 1  # key tiers: a listed name beats a variant built from one
_PLACE_CATEGORIES = frozenset({"市州科协", "县级科协"})
_PLACE_OF = re.compile(r"^(.{2,}?)([州市])科协$")


def _split_aliases(cell: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in (cell or "").split(";") if a.strip())


def _read_csv(path: Path) -> list[Unit]:
    # utf-8-sig: Excel's "CSV UTF-8" adds a byte-order mark; staff edit these files
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except UnicodeDecodeError as exc:
        raise ValueError(f"单位登记表 {path.name} 不是 UTF-8 编码，请另存为“CSV UTF-8”格式。") from exc
    missing = {"unit_id", "category", "canonical_name", "aliases"} - set(rows[0] if rows else {})
    if rows and missing:
        raise ValueError(f"单位登记表 {path.name} 缺少列：{'、'.join(sorted(missing))}。")
    return [
        Unit(
            unit_id=row["unit_id"].strip(),
            category=(row["category"] or "").strip(),
            canonical_name=(row["canonical_name"] or "").strip(),
            aliases=_split_aliases(row["aliases"]),
            parent_unit_id=(row.get("parent_unit_id") or "").strip() or None,
        )
        for row in rows
        if (row["unit_id"] or "").strip()
    ]


def _variants(unit: Unit, key: str, parent_places: tuple[str, ...]) -> set[str]:
    """Other spellings the notes allow for one listed name of `unit` (already normalised)."""
    out: set[str] = set()
    if unit.category in ("省级学会", "省科协部门"):  # 青海省X = 青海X = 省X = X
        rest = PROVINCE_PREFIX.sub("", key)
        out |= {"青海省" + rest, "青海" + rest, "省" + rest}
        if len(rest) >= 3:
            out.add(rest)
    elif unit.category in ("高校科协", "企业科协"):  # the unit is X科协; forms write X or X科协
        out.add(key[:-2] if key.endswith("科协") else key + "科协")
        if key.startswith("青海省"):
            out.add("青海" + key[3:])
        rest = PROVINCE_PREFIX.sub("", key)
        if unit.category == "企业科协" and len(rest) >= 4:  # 青海盐湖蓝科锂业 → 盐湖蓝科锂业
            out.add(rest)
    elif unit.category in _PLACE_CATEGORIES:
        if not key.startswith("青海"):
            out |= {"青海省" + key, "青海" + key}
        vanished = _PLACE_OF.sub(r"\1科协", key)  # 州/市 may vanish: 海西州科协 → 海西科协
        if vanished != key:
            out.add(vanished)
        for place in parent_places:  # a county written with its 市州: 海西州格尔木市科协
            if not key.startswith(place):
                out.add(place + key)
    return {v for v in out if len(v) >= 2 and not is_other_province(v)}


class UnitRegistry:
    def __init__(self, units: Iterable[Unit]) -> None:
        self._units: dict[str, Unit] = {}
        for unit in units:
            if unit.unit_id in self._units:
                raise ValueError(f"单位登记表中单位编号 {unit.unit_id} 重复")
            self._units[unit.unit_id] = unit
        self._index: dict[str, dict[str, int]] = {}  # key → unit_id → best tier
        explicit: dict[str, list[str]] = {
            uid: sorted({k for k in map(normalize_unit_name, (u.canonical_name, *u.aliases)) if k})
            for uid, u in self._units.items()
        }
        for uid, keys in explicit.items():
            unit = self._units[uid]
            # the written-out forms too, so a slip that defeats a rewrite (科学技木协会) still scores well
            for key in sorted({*keys, *map(fold_unit_name, (unit.canonical_name, *unit.aliases))}):
                if key:
                    self._add(key, uid, _EXPLICIT)
        for uid, keys in explicit.items():
            unit = self._units[uid]
            places = self._places(explicit.get(unit.parent_unit_id or "", []))
            for key in keys:
                for variant in sorted(_variants(unit, key, places)):
                    self._add(variant, uid, _DERIVED)
        # fuzzy candidates: each key with the units of its best tier (set iteration is sorted above, so
        # the order, and with it which of two tied units is suggested, is the same on every run)
        self._fuzzy_keys: list[str] = []
        self._fuzzy_units: list[tuple[str, ...]] = []
        for key, owners in self._index.items():
            if len(key) >= MIN_FUZZY_KEY_LEN:
                self._fuzzy_keys.append(key)
                self._fuzzy_units.append(self._best_owners(owners))
        self._learn_compounds()
        # a region that starts none of our names is another province's (西北民族大学科协 is not 青海民族大学科协)
        self._foreign_regions = tuple(r for r in MACRO_REGIONS if not any(k.startswith(r) for k in self._index))

    @classmethod
    def load(cls, units_csv: Path | None = None, counties_csv: Path | None = None) -> UnitRegistry:
        units = _read_csv(units_csv or REGISTRY_DIR / "units.csv")
        counties = _read_csv(counties_csv or REGISTRY_DIR / "counties.csv")
        return cls([*units, *counties])

    def get(self, unit_id: str) -> Unit | None:
        return self._units.get(unit_id)

    def __iter__(self) -> Iterator[Unit]:
        return iter(self._units.values())

    def __len__(self) -> int:
        return len(self._units)

    def keys_of(self, unit_id: str) -> list[str]:
        """Every comparison key that leads to `unit_id` (for staff checking the registry)."""
        return sorted(k for k, owners in self._index.items() if unit_id in self._best_owners(owners))

    def match(self, raw: str) -> UnitMatch:
        key = normalize_unit_name(raw)
        if not key:
            return UnitMatch("unmatched", None, 0.0, None, raw)
        foreign = is_other_province(key) or key.startswith(self._foreign_regions)
        owners = self._exact(key)
        if owners:
            best = [self._units[uid] for uid in owners]
            if len(best) == 1 and not foreign:
                return UnitMatch("matched", best[0], 100.0, None, raw)
            # another province's unit is not ours at all: unmatched (a suggestion still helps staff)
            return UnitMatch("unmatched" if foreign else "ambiguous", None, 100.0, best[0], raw)
        if not foreign:
            compound = self._compound(key, raw)
            if compound is not None:
                return compound
        return self._fuzzy(raw, key, foreign)

    def listed_spelling(self, unit: Unit, raw: str) -> str | None:
        """The listed spelling of ``unit`` (its name or an alias) that ``raw`` misses by a letter or two, or None.

        For OCR'd names, once the unit is matched: `尖扎藝科学技术协会` is 尖扎县科学技术协会 as written, with one
        letter misread; `亚洲硅业（青海）股份有限公司科学技术协` lost its last letter under the seal's star.
        """
        written = "".join(raw.split())
        spellings = (unit.canonical_name, *unit.aliases)
        if written in spellings:  # as listed: nothing to mend but the spaces OCR put between letters (`青海民 大科协`)
            return written if written != raw else None
        # A name the seal cut short (`…股份有限公司科学`) is the spelling it begins, not a shorter alias that
        # happens to lie two letters away (`…股份有限公司`).
        begun = [s for s in spellings if s.startswith(written)] if len(written) >= _LONG_NAME else []
        if begun:
            return min(begun, key=len)
        best: tuple[int, str] | None = None
        for spelling in spellings:
            allowed = 1 if len(spelling) < _LONG_NAME else 2
            distance = Levenshtein.distance(written, spelling, score_cutoff=allowed)
            if distance <= allowed and not _typed_by_sound(written, spelling) and (best is None or distance < best[0]):
                best = (distance, spelling)
        return best[1] if best else None

    def other_unit_named(self, ring: str, own: Unit) -> Unit | None:
        """The unit a seal's ring names for sure when it is not ``own``, else None.

        The ring must name a listed spelling whole, or match confidently and come clearly nearer that unit than
        ``own``: rings are read worse than typed names (`通国上族自治县…` for 大通回族土族自治县…), and a false
        seal_mismatch makes staff phone a unit."""
        match = self.match(ring)
        if match.status != "matched" or match.unit is None or match.unit.unit_id == own.unit_id:
            return None
        # a ring read as a listed name, whole, is sure however near `own` (黄南藏族自治州… on 海南藏族自治州's form)
        if match.score == 100.0:
            return match.unit
        if self.half_read(own, ring):
            return None  # `青港省科学技术协会机关` on 青海省科学技术协会机关工会's form: its own ring, 工会 unread
        return match.unit if match.score - self.closeness(own, ring) >= MIN_LEAD else None

    def half_read(self, unit: Unit, ring: str) -> bool:
        """Could ``ring`` be ``unit``'s own ring read in part: one stretch of one of the unit's spellings, a few
        letters shorter, with at most one letter misread? A ring is read along a curve and loses its ends under
        the star or the paper's edge. Letters of the own name scattered along it (青海…科学技术协会 in
        青海畜牧兽医职业技术学院科学技术协会) are another unit's name, not a part of this one's."""
        seen = "".join(ring.split())
        if len(seen) < _HALF_RING:
            return False
        n = len(seen)
        for spelling in (unit.canonical_name, *unit.aliases):
            if n > len(spelling) - _LOST_AT_LEAST:
                continue
            stretches = (spelling[i : i + k] for k in (n - 1, n, n + 1) for i in range(len(spelling) - k + 1))
            if any(Levenshtein.distance(seen, stretch) <= 1 for stretch in stretches):
                return True
        return False

    def completed(self, raw: str) -> Unit | None:
        """The one unit with a listed spelling that ``raw`` begins, when ``raw`` is long enough to say so.

        A name whose end a seal hid (`青海黄河上游水电开发有限责任公司科学技`): what is left is still one unit's."""
        seen = "".join(raw.split())
        if len(seen) < _LONG_NAME:
            return None
        units = {
            u.unit_id: u
            for u in self._units.values()
            for name in (u.canonical_name, *u.aliases)
            if name.startswith(seen)
        }
        return next(iter(units.values())) if len(units) == 1 else None

    def closeness(self, unit: Unit, raw: str) -> float:
        """0–100: how near ``raw`` comes to the nearest of ``unit``'s comparison keys."""
        queries = {normalize_unit_name(raw), fold_unit_name(raw)} - {""}
        keys = self.keys_of(unit.unit_id)
        return max((100.0 * _SCORER(query, key) for query in queries for key in keys), default=0.0)

    def holds_in_order(self, unit: Unit, raw: str) -> bool:
        """True when every letter of ``raw`` stands, in order, in one of ``unit``'s spellings.

        What could still be seen of a name a seal half hides: `青海科` is in 青海民大科协 (民大 under the ring)."""
        seen = "".join(raw.split())
        return len(seen) >= 2 and any(_in_order(seen, spelling) for spelling in (unit.canonical_name, *unit.aliases))

    # -- internals --

    def _add(self, key: str, unit_id: str, tier: int) -> None:
        owners = self._index.setdefault(key, {})
        owners[unit_id] = min(tier, owners.get(unit_id, tier))

    @staticmethod
    def _best_owners(owners: dict[str, int]) -> tuple[str, ...]:
        top = min(owners.values())
        return tuple(uid for uid, tier in owners.items() if tier == top)

    @staticmethod
    def _places(parent_keys: list[str]) -> tuple[str, ...]:
        places: set[str] = set()
        for key in parent_keys:
            m = _PLACE_OF.match(key)
            if m:
                places |= {m.group(1) + m.group(2), m.group(1)}
        return tuple(sorted(places))

    def _exact(self, key: str) -> tuple[str, ...]:
        """The units a key names exactly (青海省海西州科协: the province said before a listed name)."""
        owners = self._index.get(key)
        bare = PROVINCE_PREFIX.sub("", key)
        if not owners and len(bare) >= 3:
            owners = self._index.get(bare)
        return self._best_owners(owners) if owners else ()

    def _single(self, key: str) -> str | None:
        owners = self._exact(key)
        return owners[0] if len(owners) == 1 else None

    def _learn_compounds(self) -> None:
        """From the listed names themselves: which units list their office as a unit of its own
        (省科协办公室), and which units are filed under another (省科协组织人事部, 青海大学昆仑学院)."""
        self._office_listed: set[str] = set()
        self._filed_under: dict[str, set[str]] = {}
        for key, owners in self._index.items():
            named = self._best_owners(owners)
            if len(named) != 1:
                continue
            for cut in range(2, len(key) - 1):
                head = self._single(key[:cut])
                if head is None or head == named[0]:
                    continue
                if OFFICE_WORD.fullmatch(key[cut:]):
                    self._office_listed.add(head)
                if self._single(key[cut:]) == named[0]:
                    self._filed_under.setdefault(named[0], set()).add(head)

    def _compound(self, key: str, raw: str) -> UnitMatch | None:
        """A name made of a listed name and an office word or a second listed name (longest first)."""
        for cut in range(len(key) - 1, 1, -1):
            head = self._single(key[:cut])
            if head is None:
                continue
            tail = key[cut:]
            if OFFICE_WORD.fullmatch(tail):
                if head in self._office_listed:  # 青海省科协秘书处: 省科协's offices are units of their own
                    continue
                return UnitMatch("matched", self._units[head], 100.0, None, raw)
            other = self._single(tail)
            if other is None:
                continue
            if other == head:  # 青海省科技馆（青海省青少年科技中心）
                return UnitMatch("matched", self._units[head], 100.0, None, raw)
            if head in self._filed_under.get(other, ()):  # 青海省科协组织部
                return UnitMatch("matched", self._units[other], 100.0, None, raw)
            return UnitMatch("ambiguous", None, 100.0, self._units[head], raw)  # two units: staff decide
        return None

    def _fuzzy(self, raw: str, key: str, foreign: bool) -> UnitMatch:
        hits: list[tuple[float, str, str, int]] = []  # (score, query, key, key index)
        for query in dict.fromkeys((key, fold_unit_name(raw))):  # ordered: ties resolve the same every run
            if len(query) < MIN_FUZZY_KEY_LEN - 1:
                continue
            hits += [
                (100.0 * similarity, query, choice, idx)
                for choice, similarity, idx in process.extract(
                    query, self._fuzzy_keys, scorer=_SCORER, limit=None, score_cutoff=(SUGGEST_SCORE - MIN_LEAD) / 100
                )
            ]
        if not hits:
            return UnitMatch("unmatched", None, 0.0, None, raw)
        top = max(hit[0] for hit in hits)
        near: dict[str, list[tuple[float, str, str]]] = {}  # units within MIN_LEAD of the top: their readings
        for score, query, choice, idx in hits:
            if score > top - MIN_LEAD:
                for uid in self._fuzzy_units[idx]:
                    near.setdefault(uid, []).append((score, query, choice))
        ranked = sorted((self._candidate(uid, readings) for uid, readings in near.items()), key=_rank)
        best = ranked[0]
        # ahead of every other unit: by MIN_LEAD points, or at no lower score with fewer unexplained slips
        clear = all(other.unexplained > best.unexplained for other in ranked[1:])
        unit, score = self._units[best.unit_id], round(best.score, 1)
        if best.acceptable and clear and not foreign:
            return UnitMatch("matched", unit, score, None, raw)
        if best.score >= SUGGEST_SCORE and not foreign:
            return UnitMatch("ambiguous", None, score, unit, raw)
        return UnitMatch("unmatched", None, score, unit, raw)

    def _candidate(self, unit_id: str, readings: list[tuple[float, str, str]]) -> _Candidate:
        score = max(s for s, _, _ in readings)
        closest = [(q, c) for s, q, c in readings if s == score]
        unexplained = min(unexplained_slips(q, c) for q, c in closest)
        place = self._units[unit_id].category in _PLACE_CATEGORIES
        acceptable = score >= ACCEPT_SCORE and any(acceptable_slip(q, c, place) for q, c in closest)
        return _Candidate(unit_id, score, unexplained, acceptable)


def _typed_by_sound(written: str, listed: str) -> bool:
    """A letter swapped for one that sounds the same (`青海省气像学会`) is the writer's slip on a pinyin keyboard,
    printed on the page as typed: the OCR misreads by shape (木/术, 学/字), not by sound."""
    return any(
        op.tag == "replace" and sound_alike(written[op.src_pos], listed[op.dest_pos])
        for op in Levenshtein.editops(written, listed)
    )


def _in_order(letters: str, name: str) -> bool:
    rest = iter(name)
    return all(letter in rest for letter in letters)


def _rank(candidate: _Candidate) -> tuple[float, int]:
    return -candidate.score, candidate.unexplained
