"""What the personal-information check looks for and how it masks (defaults as data).

An organisation may change these (the ``privacy`` app stores its choice); everything
else reads a :class:`PiiRules` value, so the core never needs a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

__all__ = [
    "DEFAULT_KINDS",
    "DEFAULT_RULES",
    "OFFICIAL_CONTACT_LABELS",
    "STAFF_CONTACT_LABELS",
    "Kind",
    "NameMask",
    "PiiRules",
]


class Kind(StrEnum):
    """Kinds of personal information found (value: the stored key)."""

    RESIDENT_ID = "resident_id"
    MOBILE = "mobile"
    LANDLINE = "landline"
    BANK_CARD = "bank_card"
    EMAIL = "email"
    ADDRESS = "address"
    NAME = "name"
    # Not personal information itself: a file (or part of one) the check could not
    # read. It holds publication like a finding until a person decides.
    UNREADABLE = "unreadable"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    Kind.RESIDENT_ID: "身份证号码",
    Kind.MOBILE: "手机号码",
    Kind.LANDLINE: "固定电话",
    Kind.BANK_CARD: "银行卡号",
    Kind.EMAIL: "电子邮箱",
    Kind.ADDRESS: "详细住址（门牌号）",
    Kind.NAME: "姓名",
    Kind.UNREADABLE: "无法读取的内容",
}


class NameMask(StrEnum):
    """How a name is masked."""

    SURNAME_MOU = "surname_mou"  # 张三丰 → 张*某, 张三 → 张某
    KEEP_FIRST_LAST = "keep_first_last"  # 张三丰 → 张*丰, 张三 → 张*
    SURNAME_ONLY = "surname_only"  # 张三丰 → 张**, 张三 → 张*

    @property
    def label(self) -> str:
        return _NAME_MASK_LABELS[self]


_NAME_MASK_LABELS = {
    NameMask.SURNAME_MOU: "保留姓氏，其余写作“*某”（张*某、张某）",
    NameMask.KEEP_FIRST_LAST: "保留首尾字（张*丰、张*）",
    NameMask.SURNAME_ONLY: "只保留姓氏（张**、张*）",
}

# Kinds looked for unless an organisation says otherwise (all of them).
DEFAULT_KINDS = frozenset(k for k in Kind if k is not Kind.UNREADABLE)

# A phone number or address right after one of these labels is the body's own public
# contact (a 咨询电话 on a notice), not a person's: it is not reported. A mobile
# number is always reported (an officer's own mobile is personal information).
OFFICIAL_CONTACT_LABELS = (
    "咨询电话",
    "监督电话",
    "举报电话",
    "投诉电话",
    "办公电话",
    "值班电话",
    "服务电话",
    "受理电话",
    "联系电话（单位）",
    "办公地址",
    "办公地点",
    "受理地点",
    "受理窗口",
    "服务地点",
    "咨询地点",
    "办事地点",
    "机关地址",
    "单位地址",
)

# A landline in the same sentence after one of these is the official in charge's office
# line ("联系人：王某，联系电话：0379-…"); the name is then not next to anything personal.
STAFF_CONTACT_LABELS = ("联系人：", "联系人:", "经办人：", "经办人:", "承办人：")


@dataclass(frozen=True)
class PiiRules:
    """One organisation's choice of what to look for and how to mask.

    ``id_keep``: characters of an identity or bank-card number left visible at each end
    (4: ``4103**********2343``). ``public_values``: the body's own published contacts
    (a hotline, an office e-mail, the office address) that are never reported.

    ``mistyped_ids`` and ``names_in_prose`` are the policy for text citizens wrote
    (:meth:`for_citizen_text`); a publication is checked without them.
    """

    kinds: frozenset[Kind] = DEFAULT_KINDS
    name_mask: NameMask = NameMask.SURNAME_MOU
    id_keep: int = 4
    public_values: frozenset[str] = field(default_factory=frozenset)
    # An 18-character number shaped as an identity number (province code, a real
    # birth date) whose check character is wrong is still reported: a citizen who
    # types their own number mistypes it; a wrong check digit is no proof it is not one.
    mistyped_ids: bool = False
    # Names in running sentences (我叫张三，居民李建国反映，张三同志…), not only next to
    # another finding or after a label such as 姓名.
    names_in_prose: bool = False

    def wants(self, kind: Kind) -> bool:
        return kind in self.kinds

    def for_citizen_text(self) -> PiiRules:
        """These rules as they apply to a 留言 and its answer before it is published:
        the same kinds and masks, plus mistyped identity numbers and names in prose."""
        return replace(self, mistyped_ids=True, names_in_prose=True)


DEFAULT_RULES = PiiRules()
