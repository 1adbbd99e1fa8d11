"""The shape of the synthetic province: a deterministic tree of bodies.

Fan-outs (:data:`_FANOUT`) are for ~8·10^3 bodies; :func:`_tree` finds the scale that
gives exactly the number asked for. Primary keys and paths are set by the loader.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from gongkai.orgs.models import PATH_SEGMENT_WIDTH, Organisation
from gongkai.synth import words as w

ROOT_NAME = f"{w.PROVINCE}人民政府"
K = Organisation.Kind

# Base fan-outs for ~8·10^3 bodies; scaled (and truncated) to the requested size.
_FANOUT = {
    "province_departments": 30,
    "cities": 14,
    "city_departments": 25,
    "districts": 9,
    "district_departments": 22,
    "streets": 8,
    "communities": 4,
}


@dataclass
class _Org:
    pk: int
    parent: _Org | None
    kind: str
    name: str
    short_name: str
    area: str  # the place name used in text ("青云市", "安平区")
    depth: int
    path: str = ""


def _segment(pk: int) -> str:
    return f"{pk:0{PATH_SEGMENT_WIDTH}x}."


def _tree_shape(rng: random.Random, scale: float) -> list[_Org]:
    """The province tree for a fan-out scale, breadth first (pks assigned later)."""

    def fan(key: str, cap: int | None = None) -> int:
        n = max(1, round(_FANOUT[key] * scale))
        return min(n, cap) if cap else n

    used: set[str] = set()

    def unique_place(length: int = 2) -> str:
        for _ in range(50):
            name = w.place_name(rng, length)
            if name not in used:
                used.add(name)
                return name
        name = w.place_name(rng, length + 1)
        used.add(name)
        return name

    out: list[_Org] = []
    root = _Org(0, None, K.PROVINCE, ROOT_NAME, w.PROVINCE, w.PROVINCE, 0)
    out.append(root)
    level: list[_Org] = [root]
    while level:
        nxt: list[_Org] = []
        for org in level:
            children: list[_Org] = []
            if org.kind == K.PROVINCE:
                for dept in w.DEPARTMENTS[: fan("province_departments", 30)]:
                    children.append(
                        _Org(
                            0,
                            org,
                            K.DEPARTMENT,
                            f"{w.PROVINCE}{dept}",
                            dept,
                            org.area,
                            1,
                        )
                    )
                for _ in range(fan("cities")):
                    city = unique_place() + "市"
                    children.append(
                        _Org(0, org, K.CITY, f"{city}人民政府", city, city, 1)
                    )
            elif org.kind == K.CITY:
                for dept in w.DEPARTMENTS[: fan("city_departments", 30)]:
                    children.append(
                        _Org(
                            0, org, K.DEPARTMENT, f"{org.area}{dept}", dept, org.area, 2
                        )
                    )
                for _ in range(fan("districts")):
                    district = unique_place() + rng.choice("区区县")
                    children.append(
                        _Org(
                            0,
                            org,
                            K.DISTRICT,
                            f"{org.area}{district}人民政府",
                            district,
                            district,
                            2,
                        )
                    )
            elif org.kind == K.DISTRICT:
                for dept in w.DEPARTMENTS[: fan("district_departments", 30)]:
                    children.append(
                        _Org(
                            0, org, K.DEPARTMENT, f"{org.area}{dept}", dept, org.area, 3
                        )
                    )
                for _ in range(fan("streets")):
                    if rng.random() < 0.6:
                        street = rng.choice(w.STREET_WORDS) + "街道"
                        children.append(
                            _Org(
                                0,
                                org,
                                K.SUBDISTRICT,
                                f"{org.area}{street}办事处",
                                street,
                                street,
                                3,
                            )
                        )
                    else:
                        town = unique_place() + "镇"
                        children.append(
                            _Org(
                                0,
                                org,
                                K.TOWNSHIP,
                                f"{org.area}{town}人民政府",
                                town,
                                town,
                                3,
                            )
                        )
            elif org.kind in (K.SUBDISTRICT, K.TOWNSHIP):
                for _ in range(fan("communities")):
                    place = w.place_name(rng) + rng.choice(w.COMMUNITY_SUFFIX)
                    if org.kind == K.SUBDISTRICT:
                        children.append(
                            _Org(
                                0,
                                org,
                                K.COMMUNITY,
                                f"{place}社区居民委员会",
                                f"{place}社区",
                                org.area,
                                4,
                            )
                        )
                    else:
                        children.append(
                            _Org(
                                0,
                                org,
                                K.VILLAGE,
                                f"{place}村民委员会",
                                f"{place}村",
                                org.area,
                                4,
                            )
                        )
            nxt.extend(children)
        out.extend(nxt)
        level = nxt
    return out


def _tree(seed: int, n: int) -> list[_Org]:
    """Exactly ``n`` organisations: the smallest scale that reaches n, cut breadth first."""
    lo, hi = 0.0, 1.0
    while len(_tree_shape(random.Random(seed), hi)) < n:
        hi *= 2
    for _ in range(25):
        mid = (lo + hi) / 2
        if len(_tree_shape(random.Random(seed), mid)) >= n:
            hi = mid
        else:
            lo = mid
    return _tree_shape(random.Random(seed), hi)[:n]
