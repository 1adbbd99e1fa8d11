"""How dates are written on every screen, back office and portal alike: 2026年12月7日,
no leading zeros — as the letters and refusals write them (``core.inforequest_rules.
chinese_day``). Templates ask ``|date:"DATE_FORMAT"`` / ``|date:"DATETIME_FORMAT"``,
never a pattern of their own; machine values (``<time datetime>``, form inputs,
exports) keep ISO 8601. Pinned here rather than left to Django's zh_Hans locale so a
Django upgrade cannot change it."""

DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"
