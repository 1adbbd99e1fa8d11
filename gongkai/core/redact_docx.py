"""Redacting a DOCX for 部分公开: the withheld words are removed from the file, not
hidden.

Why not a black highlight or shading over the words (the Word equivalent of a
black rectangle): the characters stay in ``word/document.xml`` and anyone can
copy them out, change the colour back or unzip the file. So the text itself is
cut out of the ``w:t`` elements and a visible placeholder (【已删除：第十五条】)
takes its place, and everything a reader of the file could still find is
cleaned first (python-docx opens the package and keeps its relationships
consistent; lxml edits each part):

* tracked changes accepted: deleted text (``w:del``, ``w:moveFrom``) removed,
  insertions kept, formatting-change records dropped;
* hidden text (``w:vanish``) removed;
* comments (and their people list) removed whole — they are internal notes;
* metadata emptied: core properties (author, title, …), app properties, custom
  properties, the thumbnail, custom XML data, document variables, alt text of
  pictures, the attached template's path;
* embedded objects (OLE, embedded packages) replaced by a placeholder, since they
  cannot be checked;
* the glossary (building blocks) dropped.

:func:`check_docx` then reads every part of the output — all XML text and
attribute values, every other part's bytes — and refuses the file if a
withheld phrase is still there.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.part import Part, XmlPart
from lxml import etree

from gongkai.core.redaction import (
    RedactionError,
    TextMark,
    compact,
    describe_text,
    item,
    leaks,
    placeholder,
    without_placeholders,
)

MAX_UNZIPPED = 200 * 1024 * 1024  # a zip bomb is refused before it is opened
MAX_MEMBERS = 5000

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "o": "urn:schemas-microsoft-com:office:office",
    "v": "urn:schemas-microsoft-com:vml",
}


R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


EMBEDDED_PLACEHOLDER = "【已删除：嵌入对象】"

# Relationships whose target is dropped with the relationship (by the end of the type).
_DROPPED_RELS = (
    "/comments",
    "/commentsExtended",
    "/commentsIds",
    "/commentsExtensible",
    "/people",
    "/customXml",
    "/glossaryDocument",
    "/oleObject",
    "/package",
    "/attachedTemplate",
    "/printerSettings",
    "/custom-properties",
    "/extended-properties",
    "/metadata/thumbnail",
    "/vbaProject",
)
# Story parts (text the reader sees), in the order occurrences are counted.
_STORIES = (
    ("/word/document.xml", "正文"),
    ("/word/header", "页眉"),
    ("/word/footer", "页脚"),
    ("/word/footnotes", "脚注"),
    ("/word/endnotes", "尾注"),
)


@dataclass(frozen=True)
class RedactedDocx:
    data: bytes
    descriptions: tuple[str, ...]


def _read_error() -> RedactionError:
    return RedactionError(
        "无法读取该Word文件：不是有效的 docx 文件（可能已损坏、已加密，或是旧版 doc 格式）。"
        "请用 Word 另存为未加密的 .docx 后再上传。"
    )


def check_container(data: bytes) -> None:
    """A DOCX is a zip: refuse anything else, and zip bombs, before parsing."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _read_error() from exc
    if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_UNZIPPED:
        raise RedactionError("该Word文件解压后过大，无法处理。")
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        raise _read_error()


def _open(data: bytes) -> Any:
    check_container(data)
    try:
        return docx.Document(io.BytesIO(data))
    except (
        PackageNotFoundError,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        etree.XMLSyntaxError,
    ) as exc:
        raise _read_error() from exc


def check_readable(data: bytes) -> None:
    """Refuse (in Chinese) a file that is not a DOCX python-docx can open."""
    _open(data)


# --------------------------------------------------------------------------- parts


class _XmlHandle:
    """One XML part's root, whether python-docx parsed it (XmlPart) or kept it as
    bytes (footnotes, settings…); :meth:`commit` writes the latter back."""

    def __init__(self, part: Part) -> None:
        self.part = part
        if isinstance(part, XmlPart):
            self.root = part._element
            self._bytes = False
        else:
            parser = etree.XMLParser(resolve_entities=False, no_network=True)
            self.root = etree.fromstring(part.blob, parser)
            self._bytes = True

    def commit(self) -> None:
        if self._bytes:
            self.part._blob = etree.tostring(
                self.root, xml_declaration=True, encoding="UTF-8", standalone=True
            )


def _is_xml(part: Part) -> bool:
    return part.content_type.endswith("xml") or isinstance(part, XmlPart)


def _drop_relationships(package: Any) -> None:
    for owner in [package, *package.iter_parts()]:
        for rid, rel in list(owner.rels.items()):
            if rel.reltype.endswith(_DROPPED_RELS):
                owner.rels.pop(rid)


def _remove(element: Any) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def _unwrap(element: Any) -> None:
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    for child in list(element):
        parent.insert(index, child)
        index += 1
    parent.remove(element)


def _is_on(flag: Any) -> bool:
    return flag.get(_w("val"), "true") not in ("0", "false", "off")


def _hidden_styles(package: Any) -> frozenset[str]:
    """Ids of the styles that hide their text (``w:vanish`` in the style's run
    properties); a run or paragraph using one is hidden text too."""
    for part in package.iter_parts():
        if str(part.partname) == "/word/styles.xml" and _is_xml(part):
            root = _XmlHandle(part).root
            return frozenset(
                style.get(_w("styleId"), "")
                for style in root.iter(_w("style"))
                if any(
                    _is_on(flag)
                    for props in style.iter(_w("rPr"))
                    for flag in props.iter(_w("vanish"))
                )
            )
    return frozenset()


def _style_of(element: Any, props_tag: str, style_tag: str) -> str:
    props = element.find(_w(props_tag))
    style = props.find(_w(style_tag)) if props is not None else None
    return str(style.get(_w("val"), "")) if style is not None else ""


def _clean_story(root: Any, hidden_styles: frozenset[str] = frozenset()) -> None:
    """Accept tracked changes, remove hidden text (direct or by style), comment
    anchors, data bindings, alt text; replace embedded objects."""
    for tag in ("del", "moveFrom", "delText", "delInstrText"):
        for el in list(root.iter(_w(tag))):
            _remove(el)
    for tag in ("ins", "moveTo"):
        for el in list(root.iter(_w(tag))):
            if el.getparent() is not None and el.getparent().tag != _w("rPr"):
                _unwrap(el)
            else:
                _remove(el)
    for tag in (
        "rPrChange",
        "pPrChange",
        "sectPrChange",
        "tblPrChange",
        "tblPrExChange",
        "tblGridChange",
        "trPrChange",
        "tcPrChange",
        "numberingChange",
        "moveFromRangeStart",
        "moveFromRangeEnd",
        "moveToRangeStart",
        "moveToRangeEnd",
        "commentRangeStart",
        "commentRangeEnd",
        "dataBinding",
        "cellIns",
        "cellDel",
        "customXmlDelRangeStart",
        "customXmlDelRangeEnd",
        "customXmlMoveFromRangeStart",
        "customXmlMoveFromRangeEnd",
    ):
        for el in list(root.iter(_w(tag))):
            _remove(el)
    for ref in list(root.iter(_w("commentReference"))):
        run = ref.getparent()
        _remove(run if run is not None and run.tag == _w("r") else ref)
    for paragraph in list(root.iter(_w("p"))):
        if _style_of(paragraph, "pPr", "pStyle") in hidden_styles:
            for run in list(paragraph.iter(_w("r"))):
                _remove(run)
    for run in list(root.iter(_w("r"))):
        if _style_of(run, "rPr", "rStyle") in hidden_styles:
            _remove(run)
            continue
        props = run.find(_w("rPr"))
        if props is None:
            continue
        hidden = [props.find(_w("vanish")), props.find(_w("specVanish"))]
        if any(flag is not None and _is_on(flag) for flag in hidden):
            _remove(run)
    for obj in list(root.iter(_w("object"))):
        run = obj.getparent()
        text = etree.SubElement(run, _w("t")) if run is not None else None
        if text is not None:
            text.text = EMBEDDED_PLACEHOLDER
        _remove(obj)
    for path in (".//wp:docPr", ".//pic:cNvPr"):
        for el in etree.XPath(path, namespaces=NS)(root):
            for attr in ("descr", "title"):
                if attr in el.attrib:
                    del el.attrib[attr]


def _clean_settings(root: Any) -> None:
    for tag in ("docVars", "attachedTemplate", "rsids", "trackRevisions"):
        for el in list(root.iter(_w(tag))):
            _remove(el)


def _clear_core_properties(document: Any) -> None:
    core = document.core_properties._element
    for child in list(core):
        core.remove(child)


# ------------------------------------------------------------------------ matching


def _own(paragraph: Any) -> Iterator[Any]:
    """The ``w:t`` of this paragraph, not of a paragraph nested in a text box."""
    for text in paragraph.iter(_w("t")):
        owner = text.getparent()
        while owner is not None and owner.tag != _w("p"):
            owner = owner.getparent()
        if owner is paragraph:
            yield text


@dataclass
class _Paragraph:
    element: Any
    where: str


def _located(root: Any, story: str) -> list[_Paragraph]:
    """Each paragraph of a story with a place a reader can find: "正文第3段",
    "表格1第2行第1列", "文本框", "页眉"."""
    out: list[_Paragraph] = []
    body_count = 0
    tables: dict[Any, int] = {}
    for paragraph in root.iter(_w("p")):
        ancestors = list(paragraph.iterancestors())
        if any(a.tag == _w("txbxContent") for a in ancestors):
            out.append(_Paragraph(paragraph, "文本框"))
            continue
        cells = [a for a in ancestors if a.tag == _w("tc")]
        if cells:
            cell = cells[-1]  # the outermost table's cell
            row = cell.getparent()
            table = row.getparent() if row is not None else None
            if table is not None and table not in tables:
                tables[table] = len(tables) + 1
            rows = [r for r in table if r.tag == _w("tr")] if table is not None else []
            r_index = rows.index(row) + 1 if row in rows else 0
            c_index = [c for c in row if c.tag == _w("tc")].index(cell) + 1
            label = f"表格{tables.get(table, 0)}第{r_index}行第{c_index}列"
            out.append(_Paragraph(paragraph, f"{story}{label}"))
            continue
        text = "".join(t.text or "" for t in _own(paragraph))
        if story == "正文":
            if compact(text):
                body_count += 1
            out.append(_Paragraph(paragraph, f"正文第{max(body_count, 1)}段"))
        else:
            out.append(_Paragraph(paragraph, story))
    return out


_Span = tuple[list[Any], int, int, int, int]


def _spans(paragraph: Any, needle: str) -> list[_Span]:
    """Occurrences of the compacted ``needle`` in the paragraph's text, skipping
    whitespace: ``(nodes, first node, first offset, last node, last offset)``."""
    nodes = list(_own(paragraph))
    positions: list[tuple[int, int]] = []
    chars: list[str] = []
    for n, node in enumerate(nodes):
        for offset, char in enumerate(node.text or ""):
            if compact(char):
                positions.append((n, offset))
                chars.append(char)
    joined = "".join(chars)
    found = []
    start = joined.find(needle)
    while start != -1:
        (a, a_off), (b, b_off) = positions[start], positions[start + len(needle) - 1]
        found.append((nodes, a, a_off, b, b_off))
        start = joined.find(needle, start + len(needle))
    return found


def _set_text(node: Any, text: str) -> None:
    node.text = text
    node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _cut(span: _Span, replacement: str) -> None:
    nodes, a, a_off, b, b_off = span
    first = nodes[a].text or ""
    if a == b:
        _set_text(nodes[a], first[:a_off] + replacement + first[b_off + 1 :])
        return
    _set_text(nodes[a], first[:a_off] + replacement)
    for middle in nodes[a + 1 : b]:
        _set_text(middle, "")
    _set_text(nodes[b], (nodes[b].text or "")[b_off + 1 :])


def _cut_attributes_and_codes(root: Any, needle: str, replacement: str) -> None:
    """Field codes (``w:instrText``, ``w:fldSimple/@w:instr``) hold no visible text,
    but may name the withheld value (a mail address in a HYPERLINK)."""
    for code in root.iter(_w("instrText")):
        if needle in compact(code.text or ""):
            _set_text(code, replacement)
    for simple in root.iter(_w("fldSimple")):
        if needle in compact(simple.get(_w("instr"), "")):
            simple.set(_w("instr"), "")


# --------------------------------------------------------------------------- main


def _story_handles(document: Any) -> list[tuple[_XmlHandle, str]]:
    parts = list(document.part.package.iter_parts())
    handles = []
    for prefix, story in _STORIES:
        for part in sorted(
            (p for p in parts if str(p.partname).startswith(prefix)),
            key=lambda p: str(p.partname),
        ):
            if _is_xml(part):
                handles.append((_XmlHandle(part), story))
    return handles


def _links_with(document: Any, needles: list[str]) -> None:
    """External link targets (``mailto:…``) naming a withheld phrase are removed."""
    for part in document.part.package.iter_parts():
        for rid, rel in list(part.rels.items()):
            if rel.is_external and any(n in compact(rel.target_ref) for n in needles):
                part.rels.pop(rid)
                if isinstance(part, XmlPart):
                    find = etree.XPath(
                        ".//w:hyperlink[@r:id=$rid]", namespaces={**NS, "r": R}
                    )
                    for link in find(part._element, rid=rid):
                        _unwrap(link)


def locate_text(data: bytes, mark: TextMark) -> str:
    """Where a text mark falls ("正文第3段、页眉…"), or a Chinese refusal if the phrase
    (or its n-th occurrence) is not in the document."""
    return redact_docx(data, [mark], number_from=0).descriptions[0]


def redact_docx(
    data: bytes, marks: Sequence[TextMark], *, number_from: int = 1
) -> RedactedDocx:
    """The redacted copy of ``data`` (marks are text marks), checked by :func:`check_docx`."""
    document = _open(data)
    original_text = compact("".join(text for _name, text in part_texts(data)))
    package = document.part.package
    handles = _story_handles(document)
    hidden_styles = _hidden_styles(package) - {""}
    for handle, _story in handles:
        _clean_story(handle.root, hidden_styles)
    for part in package.iter_parts():
        if str(part.partname) == "/word/settings.xml" and _is_xml(part):
            settings = _XmlHandle(part)
            _clean_settings(settings.root)
            settings.commit()
    _drop_relationships(package)
    _clear_core_properties(document)

    descriptions: list[str] = []
    allowed: dict[str, int] = {}
    totals: dict[str, int] = {}
    removed: dict[str, int] = {}
    for index, mark in enumerate(marks, number_from):
        needle = compact(mark.phrase)
        replacement = placeholder(mark.ground)
        seen = 0
        where: list[str] = []
        for handle, story in handles:
            for located in _located(handle.root, story):
                hits = _spans(located.element, needle)
                for position, hit in reversed(list(enumerate(hits, seen + 1))):
                    if mark.occurrence is None or mark.occurrence == position:
                        _cut(hit, replacement)
                        where.append(located.where)
                seen += len(hits)
            if mark.occurrence is None:
                _cut_attributes_and_codes(handle.root, needle, replacement)
        if seen == 0 and mark.occurrence is None and needle in original_text:
            # Only in what the cleaning removed (properties, comments, tracked or
            # hidden text) or in a link's target: gone all the same, and listed.
            descriptions.append(f"文档属性、批注、修订或链接中（{len(needle)}个字）")
            allowed[mark.phrase] = 0
            continue
        if seen == 0:
            raise RedactionError(f"{item(index)}要删除的文字在文件中没有找到。")
        if mark.occurrence is not None and mark.occurrence > seen:
            raise RedactionError(
                f"{item(index)}这段文字在文件中只出现{seen}处，没有第{mark.occurrence}处。"
            )
        descriptions.append(describe_text(where, len(needle)))
        totals.setdefault(mark.phrase, seen)
        removed[mark.phrase] = removed.get(mark.phrase, 0) + len(where)
        if mark.occurrence is None:
            allowed[mark.phrase] = 0
    for phrase, total in totals.items():
        allowed.setdefault(phrase, max(total - removed[phrase], 0))
    _links_with(document, [compact(p) for p, n in allowed.items() if n == 0])
    for handle, _story in handles:
        handle.commit()
    buffer = io.BytesIO()
    document.save(buffer)
    result = buffer.getvalue()
    problems = check_docx(result, allowed)
    if problems:
        raise RedactionError("；".join(problems))
    return RedactedDocx(result, tuple(descriptions))


# ---------------------------------------------------------------------------- check


def part_texts(data: bytes) -> Iterator[tuple[str, str]]:
    """``(member name, text)`` for every member of the zip: an XML part's text nodes
    and attribute values; any other part's bytes decoded as UTF-8 and UTF-16."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            raw = archive.read(info)
            if info.filename.endswith((".xml", ".rels")):
                try:
                    root = etree.fromstring(raw, parser)
                except etree.XMLSyntaxError:
                    root = None
                if root is not None:
                    texts = "".join(root.itertext())
                    attrs = "\n".join(
                        value for el in root.iter() for value in el.attrib.values()
                    )
                    yield info.filename, texts + "\n" + attrs
                    continue
            decoded: list[str] = [raw.decode("utf-8", "ignore")]
            for codec in ("utf-16-le", "utf-16-be"):
                decoded.append(raw.decode(codec, "ignore"))
            yield info.filename, "\n".join(decoded)


_HIDDEN_TAGS = ("del", "delText", "moveFrom", "vanish", "comment", "commentReference")
_STORY_MEMBERS = (
    "word/document",
    "word/header",
    "word/footer",
    "word/footnotes",
    "word/endnotes",
)


def check_docx(data: bytes, allowed: dict[str, int]) -> list[str]:
    """What is wrong with a redacted DOCX (empty when it may be delivered)."""
    problems: list[str] = []
    try:
        members = list(part_texts(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return ["生成的Word文件无法读取"]
    counted: dict[str, int] = {}
    for _name, text in members:
        for phrase in leaks(text, dict.fromkeys(allowed, 0)):
            counted[phrase] = counted.get(phrase, 0) + _count(text, phrase)
    still = [p for p, n in counted.items() if n > allowed.get(p, 0)]
    if still:
        problems.append(f"生成的Word文件中仍能提取到{len(still)}项被删除的文字")
    names = {name for name, _ in members}
    if any(
        n.startswith(("word/comments", "customXml/", "docProps/custom")) for n in names
    ):
        problems.append("生成的Word文件仍含批注或自定义数据")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if "docProps/core.xml" in names:
            core = etree.fromstring(archive.read("docProps/core.xml"))
            if compact("".join(core.itertext())):
                problems.append("生成的Word文件仍含文档属性（作者、标题等）")
        for name in names:
            if name.startswith(_STORY_MEMBERS) and name.endswith(".xml"):
                root = etree.fromstring(archive.read(name))
                for tag in _HIDDEN_TAGS:
                    if tag == "vanish":
                        # Hidden runs (a paragraph mark's own vanish hides nothing).
                        runs = etree.XPath("//w:r/w:rPr/w:vanish", namespaces=NS)(root)
                        if any(_is_on(v) for v in runs):
                            problems.append(f"生成的Word文件仍含隐藏文字（{name}）")
                            break
                    elif next(root.iter(_w(tag)), None) is not None:
                        problems.append(f"生成的Word文件仍含修订或批注痕迹（{name}）")
                        break
    return problems


def _count(text: str, phrase: str) -> int:
    needle = compact(phrase)
    return compact(without_placeholders(text)).count(needle) if needle else 0
