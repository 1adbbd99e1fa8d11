"""Assessment rulepacks (考评指标体系) as data: a TOML file lists each indicator, its
weight, the named metric it is computed from and the evidence shown (docs/assessment.md).

Only the metrics in ``METRICS`` exist; the supervision app computes each from the
records. A file naming anything else, or whose weights do not add up to 100, is
refused whole with Chinese messages (nothing is loaded).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
MAX_INDICATORS = 30


@dataclass(frozen=True)
class Metric:
    name: str  # Chinese, shown on the screens
    how: str  # how it is computed, shown with the evidence


# The fixed set of metrics an indicator may be computed from (0–100 each).
METRICS: dict[str, Metric] = {
    "annual_report_on_time": Metric(
        "年度报告按时、无误公开",
        "上一年度的年度报告：在其公开期限前公开且无错误记100，逾期公开记50，有错误记30，未公开记0。"
        "期限按条例第四十九条（县级以上人民政府部门为1月31日，县级以上地方人民政府的本级年度报告为3月31日），"
        "以年度报告中记录的期限为准。",
    ),
    "catalogue_completeness": Metric(
        "目录事项完整率",
        "启用的目录事项中至少有一条已公开信息的比例。",
    ),
    "catalogue_current": Metric(
        "目录事项及时更新率",
        "启用的目录事项中未超过更新周期的比例（条例第五十三条）；超期即为“不新”。",
    ),
    "proactive_on_time": Metric(
        "主动公开及时率",
        "本年公开的主动公开信息中在公开时限内（条例第二十六条）公开的比例。",
    ),
    "request_on_time": Metric(
        "依申请按期答复率",
        "本年办结且按期答复的申请数 ÷（本年办结数 + 答复期限在本年、至今未办结且已超期的申请数）。",
    ),
    "correction_rate": Metric(
        "复议诉讼纠错率（反向计分）",
        "100 −（本年审结的行政复议、行政诉讼中被纠错的比例 × 100）；没有审结案件记100。",
    ),
    "survey_score": Metric(
        "满意度测评得分",
        "本年满意度测评全部答卷各题平均分（1–5分）× 20；没有答卷记100。",
    ),
    "rating_score": Metric(
        "好差评得分",
        "本年申请人对办理情况的评价（1–5分）平均分 × 20；没有评价记100。",
    ),
    "interpretation_rate": Metric(
        "政策解读率",
        "本年公开的规范性文件中与文件同时或在规定工作日内有解读的比例（与监督总览的解读率相同）；"
        "没有规范性文件记100。",
    ),
    "interaction_reply_rate": Metric(
        "政民互动按期答复率",
        "本年收到的留言中按期答复数 ÷（已答复数 + 超期未答复数）（与监督总览相同）；没有记100。",
    ),
}


class IndicatorSetError(ValueError):
    """An indicator file that cannot be loaded; ``messages`` in Chinese."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("；".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    metric: str
    weight: int
    evidence: str  # what the evidence link shows, in words


@dataclass(frozen=True)
class IndicatorSet:
    code: str
    name: str
    source: str
    indicators: tuple[Indicator, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "source": self.source,
            "indicators": [i.__dict__ for i in self.indicators],
        }


def parse_indicator_set(text: str) -> IndicatorSet:
    """Read and check an indicator file; IndicatorSetError lists every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise IndicatorSetError([f"指标文件格式错误（TOML）：{exc}"]) from exc
    errors: list[str] = []
    code = str(data.get("code", "")).strip()
    name = str(data.get("name", "")).strip()
    if not code or not code.replace("_", "").replace("-", "").isalnum():
        errors.append("缺少“code”（方案编号，字母、数字、下划线）。")
    if not name:
        errors.append("缺少“name”（方案名称）。")
    raw = data.get("indicators")
    if not isinstance(raw, list) or not raw:
        errors.append("没有任何指标（[[indicators]]）。")
        raise IndicatorSetError(errors)
    if len(raw) > MAX_INDICATORS:
        errors.append(f"指标最多{MAX_INDICATORS}项，现有{len(raw)}项。")
    indicators: list[Indicator] = []
    seen: set[str] = set()
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            errors.append(f"第{n}项指标格式错误。")
            continue
        label = str(item.get("name", "")).strip() or f"第{n}项"
        key = str(item.get("key", "")).strip()
        metric = str(item.get("metric", "")).strip()
        weight = item.get("weight")
        if not key:
            errors.append(f"指标“{label}”缺少“key”。")
        elif key in seen:
            errors.append(f"指标编号“{key}”重复。")
        seen.add(key)
        if not str(item.get("name", "")).strip():
            errors.append(f"第{n}项指标缺少“name”（指标名称）。")
        if metric not in METRICS:
            errors.append(
                f"指标“{label}”的计算方法“{metric}”未知；可用的有："
                + "、".join(f"{k}（{m.name}）" for k, m in METRICS.items())
                + "。"
            )
        if (
            not isinstance(weight, int)
            or isinstance(weight, bool)
            or not (0 <= weight <= 100)
        ):
            errors.append(f"指标“{label}”的权重应为 0–100 的整数。")
            weight = 0
        indicators.append(
            Indicator(
                key=key,
                name=label,
                metric=metric,
                weight=int(weight),
                evidence=str(item.get("evidence", "")).strip()
                or (METRICS[metric].how if metric in METRICS else ""),
            )
        )
    total = sum(i.weight for i in indicators)
    if total != 100:
        errors.append(f"各项指标权重之和应为 100，现在是 {total}。")
    if errors:
        raise IndicatorSetError(errors)
    return IndicatorSet(
        code=code,
        name=name,
        source=str(data.get("source", "")).strip(),
        indicators=tuple(indicators),
    )


def shipped_sets() -> dict[str, IndicatorSet]:
    """The sets shipped with the platform (``data/*.toml``), by code."""
    found = {}
    for path in sorted(DATA_DIR.glob("*.toml")):
        parsed = parse_indicator_set(path.read_text(encoding="utf-8"))
        found[parsed.code] = parsed
    return found


def example_indicator_file() -> str:
    """A file a body can download, edit and load: the format explained in comments,
    two indicators, and every metric it may use with its Chinese name."""
    lines = [
        "# 考评指标文件示例（UTF-8 编码的 TOML 文本，不超过 200 KB）。",
        "# 以 # 开头的是说明，载入时不读。按本单位的考评办法修改后，在“绩效考评”页面载入。",
        "# 方案编号：字母、数字、下划线；本机构再次载入同一编号即替换本机构的方案。",
        'code = "prov2026"',
        'name = "某省2026年政务公开考评方案"',
        'source = "《某省政务公开工作考核办法》（某政办〔2026〕1号）"',
        "",
        f"# 每项指标一段，最多 {MAX_INDICATORS} 项；各项权重（整数）合计 100。",
        "# key：指标代码，文件内不重复；metric：计算方法，只能是文末所列之一；",
        "# evidence：证据说明，可不写。",
        "",
        "[[indicators]]",
        'key = "on_request"',
        'name = "依申请公开按期答复"',
        'metric = "request_on_time"',
        "weight = 60",
        'evidence = "逾期办结和超期未办结的申请逐件列出"',
        "",
        "[[indicators]]",
        'key = "annual_report"',
        'name = "年度报告按时公开"',
        'metric = "annual_report_on_time"',
        "weight = 40",
        "",
        "# 可用的计算方法（metric）：",
    ]
    for key, metric in sorted(METRICS.items()):
        lines.append(f"#   {key}：{metric.name}。{metric.how}")
    return "\n".join(lines) + "\n"
