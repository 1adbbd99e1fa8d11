"""Build the labelled set for the personal-information detectors.

    .venv/bin/python bench/make_pii_labelled.py [--n 400] [--seed 25] [--out PATH]

Writes ``gongkai/core/tests/data/pii_labelled.json`` (a "dev" part the detectors were
tuned on and a "heldout" part generated with another seed, measured only): real-looking 公示 lists and
notices (最低生活保障审核确认名单, 补贴发放名单, 评审结果, 征收公告 …), each a text with
the spans of every piece of personal information in it, labelled by this generator
(which knows what it put where), not by the detectors. The set holds what must not
alarm too: identity numbers with a wrong check digit or an impossible birth date,
18-digit order numbers, 统一社会信用代码, 15-digit registration numbers, dates, amounts,
文号, the body's own 咨询电话 and office address, and numbers that fail the Luhn check.

The check digits are computed here by this script's own code (GB 11643, Luhn), not by
``gongkai.core`` — the test compares two independent implementations.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

from faker import Faker

OUT = (
    Path(__file__).resolve().parent.parent / "gongkai/core/tests/data/pii_labelled.json"
)

AREAS = [
    "410302", "410303", "410304", "410305", "410311", "410322", "410323", "410381",
    "110105", "310104", "440304", "320106", "510107", "420106", "370202", "130102",
]  # fmt: skip
ROADS = ["洛浦路", "中州东路", "九都路", "定鼎南路", "民主街", "东大街", "西南隅巷",
         "青年宫路", "建设路", "农贸街"]  # fmt: skip
VILLAGES = ["邙山村", "西关村", "东关社区", "南关村", "史家屯村", "瀍河回族村"]
MOBILE_PREFIXES = ["130", "131", "132", "135", "136", "137", "138", "139", "150",
                   "151", "152", "157", "158", "159", "166", "177", "180", "181",
                   "186", "187", "188", "189", "198", "199"]  # fmt: skip


def id_check(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return "10X98765432"[total % 11]


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


class Doc:
    """Text built piece by piece, with the labels of the pieces that are PII."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.labels: list[dict[str, Any]] = []

    def add(self, text: str, kind: str | None = None) -> None:
        if kind:
            self.labels.append(
                {
                    "kind": kind,
                    "start": self.pos,
                    "end": self.pos + len(text),
                    "text": text,
                }
            )
        self.parts.append(text)
        self.pos += len(text)

    def done(self, genre: str) -> dict[str, Any]:
        return {"genre": genre, "text": "".join(self.parts), "labels": self.labels}


class Gen:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)

    def name(self) -> str:
        return str(self.fake.name())

    def birth(self) -> str:
        year = self.r.randint(1935, 2018)
        return f"{year}{self.r.randint(1, 12):02d}{self.r.randint(1, 28):02d}"

    def resident_id(self) -> str:
        first = self.r.choice(AREAS) + self.birth() + f"{self.r.randint(0, 999):03d}"
        return first + id_check(first)

    def bad_checksum_id(self) -> str:
        good = self.resident_id()
        wrong = self.r.choice([c for c in "0123456789X" if c != good[-1]])
        return good[:17] + wrong

    def bad_date_id(self) -> str:
        first = (
            self.r.choice(AREAS)
            + f"19{self.r.randint(50, 99)}{self.r.choice([13, 14, 0]):02d}"
            + f"{self.r.randint(1, 28):02d}{self.r.randint(0, 999):03d}"
        )
        return first + id_check(first)

    def mobile(self, styled: bool = False) -> str:
        number = self.r.choice(MOBILE_PREFIXES) + f"{self.r.randint(0, 10**8 - 1):08d}"
        if styled and self.r.random() < 0.5:
            return f"{number[:3]}-{number[3:7]}-{number[7:]}"
        return number

    def landline(self) -> str:
        return f"0379-6{self.r.randint(0, 9_999_999):07d}"

    def card(self) -> str:
        while True:
            digits = self.r.choice(["6217", "6222", "6228", "6230"]) + "".join(
                str(self.r.randint(0, 9)) for _ in range(15)
            )
            if luhn_ok(digits):
                return digits

    def not_card(self) -> str:
        while True:
            digits = "6" + "".join(str(self.r.randint(0, 9)) for _ in range(18))
            if not luhn_ok(digits):
                return digits

    def order_no(self) -> str:
        return f"2026{self.r.randint(1, 12):02d}{self.r.randint(10**9, 10**10 - 1)}"[
            :18
        ].ljust(18, "7")

    def credit_code(self) -> str:
        return "91410300MA" + "".join(
            self.r.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8)
        )

    def house(self) -> str:
        return (
            f"{self.r.choice(ROADS)}{self.r.randint(1, 300)}号"
            + self.r.choice(["", f"{self.r.randint(1, 12)}号楼"])
            + self.r.choice(["", f"{self.r.randint(1, 6)}单元"])
            + f"{self.r.randint(1, 6)}0{self.r.randint(1, 4)}室"
        )

    def email(self) -> str:
        user = self.fake.user_name() + str(self.r.randint(1, 999))
        return f"{user}@{self.r.choice(['163.com', 'qq.com', '126.com', 'sina.com'])}"

    # ------------------------------------------------------------------ documents

    def dibao_list(self) -> dict[str, Any]:
        d = Doc()
        d.add(f"老城区{self.r.choice(VILLAGES)}最低生活保障审核确认名单公示\n")
        d.add("根据《社会救助暂行办法》，现将审核确认结果公示如下，公示期7天。\n")
        d.add(
            "序号\t户主姓名\t身份证号码\t家庭人口\t保障金额（元）\t联系电话\t家庭住址\n"
        )
        for i in range(1, self.r.randint(4, 12) + 1):
            name = self.name()
            roll = self.r.random()
            if roll < 0.75:
                ident, ident_kind = self.resident_id(), "resident_id"
            elif roll < 0.88:
                ident, ident_kind = self.bad_checksum_id(), None
            else:
                ident, ident_kind = self.bad_date_id(), None
            phone = self.mobile() if self.r.random() < 0.6 else ""
            house = self.r.random() < 0.4
            has_pii = bool(ident_kind or phone or house)
            d.add(f"{i}\t")
            d.add(name, "name" if has_pii else None)
            d.add("\t")
            d.add(ident, ident_kind)
            d.add(f"\t{self.r.randint(1, 6)}\t{self.r.randint(300, 2400)}\t")
            d.add(phone, "mobile" if phone else None)
            d.add("\t")
            if house:
                d.add(self.house(), "address")
            else:
                d.add(f"{self.r.choice(VILLAGES)}{self.r.randint(1, 9)}组")
            d.add("\n")
        d.add(f"监督电话：{self.landline()}\n")
        d.add(
            f"洛阳市老城区民政局\n2026年{self.r.randint(1, 12)}月{self.r.randint(1, 28)}日\n"
        )
        return d.done("dibao_list")

    def subsidy_list(self) -> dict[str, Any]:
        d = Doc()
        d.add(
            "2026年耕地地力保护补贴发放名单\n序号\t姓名\t银行卡号\t补贴面积（亩）\t金额\n"
        )
        for i in range(1, self.r.randint(3, 10) + 1):
            valid = self.r.random() < 0.8
            card = self.card() if valid else self.not_card()
            if valid and self.r.random() < 0.3:
                card = " ".join(card[k : k + 4] for k in range(0, len(card), 4))
            d.add(f"{i}\t")
            d.add(self.name(), "name" if valid else None)
            d.add("\t")
            d.add(card, "bank_card" if valid else None)
            d.add(f"\t{self.r.randint(1, 30)}.{self.r.randint(0, 9)}\t")
            d.add(f"{self.r.randint(100, 3000)}.00\n")
        d.add(f"流水号：{self.order_no()}\n")
        return d.done("subsidy_list")

    def notice(self) -> dict[str, Any]:
        d = Doc()
        d.add("关于")
        d.add(f"{self.r.choice(VILLAGES)}危房改造补助对象的公示\n经村民申请、评议，")
        choice = self.r.random()
        if choice < 0.5:
            d.add("申请人")
            d.add(self.name(), "name")
            d.add("（身份证号：")
            d.add(self.resident_id(), "resident_id")
            d.add("）符合条件，联系电话")
            d.add(self.mobile(styled=True), "mobile")
            d.add("。")
        else:
            name = self.name()
            d.add("户主")
            d.add(name, "name")
            d.add("家住")
            d.add(self.house(), "address")
            d.add("，家庭电话")
            d.add(self.landline(), "landline")
            d.add("，电子邮箱")
            d.add(self.email(), "email")
            d.add("。")
        d.add(
            f"\n文号：洛老政〔2026〕{self.r.randint(1, 99)}号。订单号{self.order_no()}，"
        )
        d.add(f"统一社会信用代码{self.credit_code()}，")
        d.add(f"注册号4103000{self.r.randint(10**7, 10**8 - 1)}，")
        d.add(f"金额{self.r.randint(10**5, 10**7)}.{self.r.randint(10, 99)}元，")
        d.add(f"日期20261{self.r.randint(0, 2)}{self.r.randint(10, 28)}。\n")
        d.add(f"联系人：{self.name()}，联系电话：{self.landline()}。\n")
        d.add("咨询电话：")
        d.add(self.landline())
        d.add("，办公地址：")
        d.add(f"洛阳市老城区{self.r.choice(ROADS)}{self.r.randint(1, 99)}号")
        d.add("。\n")
        return d.done("notice")

    def plain(self) -> dict[str, Any]:
        d = Doc()
        d.add(f"2026年第{self.r.randint(1, 4)}季度政府信息公开工作情况\n")
        d.add(f"本季度共受理申请{self.r.randint(0, 40)}件，办结率100%。")
        d.add(f"统计编号{self.order_no()}，邮政编码471000，")
        d.add(f"资金{self.r.randint(10**6, 10**9)}元，")
        d.add(f"文件编号{self.bad_checksum_id()}。\n")
        return d.done("plain")


def build(n: int, seed: int) -> list[dict[str, Any]]:
    gen = Gen(seed)
    makers = [gen.dibao_list, gen.subsidy_list, gen.notice, gen.plain]
    return [makers[i % len(makers)]() for i in range(n)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=400, help="documents per part")
    parser.add_argument("--seed", type=int, default=25, help="seed of the dev part")
    parser.add_argument(
        "--heldout-seed",
        type=int,
        default=2026,
        help="seed of the held-out part (never used to tune the detectors)",
    )
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    data = {
        "dev": build(args.n, args.seed),
        "heldout": build(args.n, args.heldout_seed),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8"
    )
    for part, docs in data.items():
        labels = sum(len(d["labels"]) for d in docs)
        print(f"{part}: {len(docs)} documents, {labels} labelled values")
    print(f"→ {args.out}")


if __name__ == "__main__":
    main()
