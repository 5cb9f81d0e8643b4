"""tests/data/unit_spellings_other_hands.csv: unit names as staff and OCR write them, and look-alikes from elsewhere.

python -m samples.other_hands.docs.spellings
"""

from __future__ import annotations

import csv
import random

from .units import REPO, load_units, spellings

OUT = REPO / "tests" / "data" / "unit_spellings_other_hands.csv"
SEED = "other-hands-spellings-2021"
# aliases that name a unit only inside one letterhead's context: not fair on their own
TOO_GENERIC = {
    "办公室",
    "组织部",
    "人事部",
    "宣传部",
    "调研部",
    "学术部",
    "学会部",
    "信息中心",
    "机关工会",
    "科技馆",
    "科普部",
    "科创中心",
    "网信中心",
    "机关党委",
    "社团党委",
    "青大",
    "西矿",
    "西钢",
    "卫生职院",
    "建筑职院",
    "城市职院",
}
PER_UNIT = {
    "canonical": 0.5,
    "alias": 0.9,
    "short": 0.5,
    "seal_hint": 0.5,
    "secretariat": 0.7,
    "office": 0.6,
    "traditional": 0.5,
    "lookalike": 0.8,
    "doubled": 0.35,
    "space": 0.4,
    "both_names": 0.5,
    "province_prefix": 0.8,
}

SHARE = 0.36  # keeps the file near 300 spellings of our units

# Other provinces' bodies whose names look like Qinghai ones. None of them is a registry unit.
NOT_OURS = [
    "海南省科协",
    "海南省科学技术协会",
    "海南省医学会",
    "海南大学科协",
    "海南师范大学科学技术协会",
    "海南省农学会",
    "玉溪市科协",
    "玉溪市科学技术协会",
    "玉林市科协",
    "柳州市城中区科协",
    "柳州市城中区科学技术协会",
    "黔南州科协",
    "黔东南州科学技术协会",
    "甘南州科协",
    "甘南藏族自治州科学技术协会",
    "甘孜州科协",
    "阿坝州科学技术协会",
    "临夏州科协",
    "湘西州科协",
    "西双版纳州科协",
    "大同市科协",
    "大同市科学技术协会",
    "贵定县科协",
    "海安市科协",
    "海盐县科学技术协会",
    "祁阳市科协",
    "祁东县科协",
    "同心县科协",
    "乌兰察布市科协",
    "乌兰浩特市科学技术协会",
    "都匀市科协",
    "河东区科协",
    "海城市科协",
    "河南省科协",
    "河南省科学技术协会",
    "河北省科协",
    "湖北省科协",
    "江西省科学技术协会",
    "广西科协",
    "西北民族大学科协",
    "西藏民族大学科学技术协会",
    "西藏大学科协",
    "青岛大学科协",
    "青岛大学科学技术协会",
    "青岛科技大学科协",
    "兰州大学科协",
    "宁夏大学科学技术协会",
    "昆明理工大学科协",
    "重庆城市职业学院科协",
    "甘肃省气象学会",
    "四川省农学会",
    "西藏自治区医学会",
    "宁夏回族自治区林学会",
    "新疆维吾尔自治区地质学会",
    "中国气象学会",
    "甘肃省科协办公室",
    "四川省科学技术协会组织人事部",
    "陕西省科学技术馆",
    "中国科协组织人事部",
    "中国科协培训和人才服务中心",
    "中国科学技术协会",
    "长庆油田分公司科协",
    "新疆油田公司科学技术协会",
    "国网甘肃省电力公司科协",
    "国网四川省电力公司科学技术协会",
    "西部超导材料科技股份有限公司科协",
    "西部黄金股份有限公司科协",
    "中国铝业股份有限公司兰州分公司科协",
    "大冶特殊钢股份有限公司科协",
    "陕西投资集团有限公司科协",
    "黄河勘测规划设计研究院有限公司科协",
    "酒泉钢铁（集团）有限责任公司科协",
]


def rows() -> list[tuple[str, str, str]]:
    rng = random.Random(SEED)
    units = load_units()
    registry_names = {u.name for u in units} | {a for u in units for a in u.aliases}
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for unit in units:
        for text, kind in spellings(unit, rng):
            if kind == "alias" and (text in TOO_GENERIC or len(text) <= 3):
                continue
            if rng.random() > PER_UNIT.get(kind, 0.5) * SHARE:
                continue
            if text in seen:
                continue
            seen.add(text)
            out.append((text, unit.unit_id))
    for text in NOT_OURS:
        assert text not in registry_names, text
        out.append((text, ""))
    rng.shuffle(out)
    labelled = []
    # split each kind of row (ours / not ours) half and half
    for want_ours in (True, False):
        group = [r for r in out if bool(r[1]) == want_ours]
        for i, (text, uid) in enumerate(group):
            labelled.append((text, uid, "dev" if i % 2 == 0 else "test"))
    return labelled


def main() -> None:
    data = rows()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["raw", "expected_unit_id", "split"])
        writer.writerows(data)
    ours = sum(1 for _, uid, _ in data if uid)
    print(f"{OUT.relative_to(REPO)}: {ours} spellings of registry units, {len(data) - ours} that must not match")


if __name__ == "__main__":
    main()
