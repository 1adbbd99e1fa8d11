"""Stable parse diagnostic codes with their severity and Chinese message.

Assert on ``code``; the message is for people. ``docs/annual-parsing.md`` lists
the same table.
"""

from __future__ import annotations

from gongkai.core.annual.model import Finding, Severity

CODES: dict[str, tuple[Severity, str]] = {
    "parse.empty_input": ("error", "输入为空，没有可读取的内容。"),
    "parse.not_a_report": (
        "error",
        "不像政府信息公开工作年度报告：未找到年报标题、章节或表格。",
    ),
    "parse.legacy_format": (
        "warning",
        "2019年以前的自由格式年报（旧条例），不按统一表格解析。",
    ),
    "parse.tables_missing": ("error", "未找到年报统计表格（二、三、四部分）。"),
    "parse.tables_empty": ("error", "表格中没有任何数值（可能是空白模板）。"),
    "parse.unsupported_format": ("error", "不支持的文件格式。"),
    "parse.encoding_fallback": ("info", "文本编码不是UTF-8，已按{detail}解码。"),
    "parse.encoding_replaced": ("warning", "部分字节无法解码，已替换为占位符。"),
    "parse.pdf_unreadable": ("error", "PDF文件无法打开或已损坏：{detail}"),
    "parse.pdf_no_text": (
        "error",
        "PDF没有文字层，OCR也未识别出文字（可能是空白页或无法识别的图片）。",
    ),
    "parse.ocr_used": (
        "info",
        "没有文字层，已用OCR识别（{detail}页），数值经表内合计核对。",
    ),
    "parse.ocr_unavailable": (
        "error",
        "需要OCR识别扫描件，但未安装OCR引擎（{detail}）。",
    ),
    "parse.ocr_contradicted": (
        "warning",
        "OCR识别的{detail}个数值与表内合计关系不符，已作为未知处理。",
    ),
    "parse.ocr_disputed": (
        "warning",
        "OCR识别的{detail}个数值有的合计关系相符、有的不符，无法确认，标为推断。",
    ),
    "parse.ocr_unconfirmed": (
        "info",
        "OCR识别的{detail}个数值没有合计关系可核对，标为推断。",
    ),
    "parse.scan_too_large": ("error", "扫描件过大，无法识别：{detail}。"),
    "parse.image_unreadable": ("error", "图片文件无法打开或已损坏：{detail}"),
    "parse.ocr_no_text": (
        "error",
        "图片中没有识别出文字（可能是空白页，或扫描件过淡、过小）。"
        "请上传清晰的扫描件（分辨率每英寸150点以上）或带文字层的PDF。",
    ),
    "parse.docx_unreadable": ("error", "DOCX文件无法打开或已损坏：{detail}"),
    "parse.xlsx_unreadable": ("error", "XLSX文件无法打开或已损坏：{detail}"),
    "parse.html_unreadable": ("error", "HTML无法解析：{detail}"),
    "parse.internal_error": ("error", "解析器内部错误：{detail}"),
    "parse.version_mixed": (
        "warning",
        "同时出现2021版和2019版表格特征，属非标准模板。",
    ),
    "parse.version_from_year": (
        "info",
        "表格中没有版本特征，按报告年度{detail}判定格式版本。",
    ),
    "parse.version_year_mismatch": ("warning", "表格格式（{detail}）与报告年度不符。"),
    "parse.title_missing": ("info", "未找到年报标题。"),
    "parse.year_missing": ("warning", "未能确定报告年度。"),
    "parse.section_missing": ("warning", "未找到章节标题“{detail}”。"),
    "parse.table_missing": ("error", "未找到表格：{detail}。"),
    "parse.row_missing": ("error", "未找到表格行“{detail}”，其数值未知。"),
    "parse.regulations_row_missing": (
        "warning",
        "未找到“{detail}”一行（没有规章制定权的机关常省略此行），其数值未知。",
    ),
    "parse.label_variant": (
        "info",
        "行标签“{detail}”与标准文字不同，按序号和位置识别。",
    ),
    "parse.row_short": (
        "warning",
        "“{detail}”一行的数值少于栏数，缺失的单元格无法直接确定。",
    ),
    "parse.row_long": ("warning", "“{detail}”一行的数值多于栏数，不予猜测。"),
    "parse.digits_split_by_sum": (
        "info",
        "“{detail}”的数字连在一起，只有一种拆分满足表内合计关系，已按此拆分（推断）。",
    ),
    "parse.digits_split_unique": (
        "info",
        "“{detail}”的数字连在一起，只有一种不含前导零的拆分，已按此拆分（推断）。",
    ),
    "parse.digits_split_as_printed": (
        "warning",
        "“{detail}”的数字连在一起，只有一种拆分方式，但拆分后本行合计不符："
        "已按印出的数字读取，合计差错见表格核对结果。",
    ),
    "parse.digits_split_by_narrative": (
        "info",
        "“{detail}”的数字连在一起，结合正文所述数字只剩一种拆分（推断）。",
    ),
    "parse.digits_split_cross_year": (
        "info",
        "数字连在一起、本报告内有多种拆分，按同一机关其他年度的报告确定（跨年度推断）：{detail}。",
    ),
    "parse.digits_ambiguous": (
        "warning",
        "“{detail}”的数字连在一起，有多种拆分均符合表内关系，无法确定。",
    ),
    "parse.row_recovered_by_sum": (
        "info",
        "“{detail}”一行按表内合计关系推出，且与印出的数字一致（推断）。",
    ),
    "parse.blank_as_zero": (
        "info",
        "“{detail}”有空白或“-”“/”“无”单元格，按0计（推断）。",
    ),
    "parse.blank_from_row_sum": (
        "info",
        "“{detail}”有空白单元格，按本行合计关系补出其数值（推断），不是按0计。",
    ),
    "parse.blank_breaks_sum": (
        "warning",
        "“{detail}”有空白单元格，按0计与本行合计不符，空白单元格的数值未知。",
    ),
    "parse.values_before_label": (
        "info",
        "“{detail}”的数值印在行标签之前（PDF版面顺序），按位置归入该行（推断）。",
    ),
    "parse.subtotal_row": ("info", "“{detail}”印有小计行。"),
    "parse.negative_value": ("warning", "“{detail}”出现负数。"),
    "parse.fee_unit": ("warning", "收费金额的单位不是万元（{detail}），未读取该数值。"),
}


def finding(
    code: str, detail: str = "", keys: tuple[str, ...] = (), where: str = ""
) -> Finding:
    """Build the Finding for ``code`` with its registered severity and message."""
    severity, template = CODES[code]
    return Finding(
        code=code,
        severity=severity,
        message=template.format(detail=detail),
        keys=keys,
        where=where,
    )
