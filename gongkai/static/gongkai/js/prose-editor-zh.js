/* Chinese labels for the 正文 editor (django-prose-editor reads window.gettext when it
   exists; the package ships no Chinese catalogue). Loaded before the editor module. */
(function () {
  "use strict";
  var zh = {
    "Image URL": "图片地址", "Alternative Text": "替代文字", "Caption": "说明",
    "Edit Figure": "编辑图片", "Insert Figure": "插入图片", "Edit Image": "编辑图片",
    "Add caption": "添加说明", "Remove caption": "删除说明",
    "Update": "更新", "Insert": "插入", "Cancel": "取消",
    "Edit HTML": "编辑 HTML", "Prettify": "整理格式",
    "URL": "链接地址", "Title": "标题", "Open in new window": "在新窗口打开",
    "Edit Link": "编辑链接", "List properties": "列表设置", "Bullets": "项目符号",
    "Toggle fullscreen": "全屏", "Decimal numbers": "数字（1、2、3）",
    "Lowercase letters": "小写字母", "Uppercase letters": "大写字母",
    "Lowercase Roman numerals": "小写罗马数字", "Uppercase Roman numerals": "大写罗马数字",
    "Start at": "起始编号", "List type": "编号样式", "Rows": "行数", "Columns": "列数",
    "Include header row": "包含表头行", "Table Properties": "表格设置",
    "Insert Table": "插入表格", "Block style": "段落样式", "Paragraph": "正文段落"
  };
  var previous = window.gettext;
  window.gettext = function (text) {
    if (Object.prototype.hasOwnProperty.call(zh, text)) { return zh[text]; }
    return previous ? previous(text) : text;
  };
  // The menu buttons carry English titles that gettext does not reach: name them in
  // Chinese by their stable data-name (tooltip and screen-reader label).
  var buttons = {
    "bulletList": "项目符号列表", "orderedList": "编号列表", "orderedListProperties": "列表设置",
    "blockquote": "引用", "horizontalRule": "分隔线", "bold": "加粗", "italic": "倾斜",
    "underline": "下划线", "strike": "删除线", "subscript": "下标", "superscript": "上标",
    "link": "插入链接", "unlink": "取消链接", "table": "插入表格",
    "table:addColumnAfter": "增加一列", "table:deleteColumn": "删除列",
    "table:addRowAfter": "增加一行", "table:deleteRow": "删除行",
    "table:mergeCells": "合并单元格", "table:splitCell": "拆分单元格",
    "table:toggleHeaderCell": "设为表头单元格", "table:deleteTable": "删除表格",
    "history:undo": "撤销", "history:redo": "重做", "fullscreen": "全屏"
  };
  function name(root) {
    // The editing area itself (a contenteditable textbox) is named 正文 for screen readers.
    var areas = root.querySelectorAll ? root.querySelectorAll(".tiptap[contenteditable]:not([aria-label])") : [];
    for (var j = 0; j < areas.length; j++) { areas[j].setAttribute("aria-label", "正文"); }
    var found = root.querySelectorAll ? root.querySelectorAll(".prose-menubar__button[data-name]") : [];
    for (var i = 0; i < found.length; i++) {
      var label = buttons[found[i].getAttribute("data-name")];
      if (label && found[i].getAttribute("aria-label") !== label) {
        found[i].setAttribute("title", label);
        found[i].setAttribute("aria-label", label);
      }
    }
  }
  // The table dialog's 表头行 choice: show 是/否 but keep the values the editor reads.
  var choices = { "Yes": "是", "No": "否" };
  function relabel(root) {
    var options = root.querySelectorAll ? root.querySelectorAll(".prose-editor-dialog option:not([value])") : [];
    for (var i = 0; i < options.length; i++) {
      var text = options[i].textContent;
      if (choices[text]) {
        options[i].value = text;
        options[i].textContent = choices[text];
      }
    }
  }
  new MutationObserver(function () { name(document); relabel(document); })
    .observe(document.documentElement, { childList: true, subtree: true });
})();
