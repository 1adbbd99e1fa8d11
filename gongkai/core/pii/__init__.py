"""The personal-information check (个人信息检查) run before anything is published.

``detect`` finds resident ID, phone, bank-card numbers, e-mail addresses, addresses with
a 门牌号 and the names next to them (``names``: surnames, and names in the sentences
of citizens' text); ``readers`` gives the text of attachments; ``masking`` writes masked
copies of XLSX/CSV/DOCX files; ``rules`` holds the defaults an organisation may change,
and ``PiiRules.for_citizen_text`` the policy for a 留言. No Django here (docs/privacy.md).
"""

from gongkai.core.pii.detect import (
    Finding,
    find_pii,
    is_bank_card,
    is_resident_id,
    mask_text,
    mask_value,
)
from gongkai.core.pii.rules import DEFAULT_RULES, Kind, NameMask, PiiRules
from gongkai.core.pii.text import html_lines

__all__ = [
    "DEFAULT_RULES",
    "Finding",
    "Kind",
    "NameMask",
    "PiiRules",
    "find_pii",
    "html_lines",
    "is_bank_card",
    "is_resident_id",
    "mask_text",
    "mask_value",
]
