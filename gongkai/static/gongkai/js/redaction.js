/* 区分处理: drag a rectangle on a page image; the form gets the page and the corners
   as fractions of the page (0–1, origin top left). Existing regions are drawn from
   their data attributes. No library: a few pointer events are all it needs. */
(function () {
  "use strict";
  function clamp(v) { return Math.min(Math.max(v, 0), 1); }
  function place(box, x0, y0, x1, y1) {
    box.style.left = (Math.min(x0, x1) * 100) + "%";
    box.style.top = (Math.min(y0, y1) * 100) + "%";
    box.style.width = (Math.abs(x1 - x0) * 100) + "%";
    box.style.height = (Math.abs(y1 - y0) * 100) + "%";
  }
  function init() {
    document.querySelectorAll(".rd-box[data-x0]").forEach(function (box) {
      place(box, +box.dataset.x0, +box.dataset.y0, +box.dataset.x1, +box.dataset.y1);
    });
    var form = document.getElementById("region-form");
    if (!form) { return; }
    var status = document.getElementById("region-status");
    var start = null, frame = null, box = null;
    function at(ev) {
      var r = frame.getBoundingClientRect();
      return { x: clamp((ev.clientX - r.left) / r.width), y: clamp((ev.clientY - r.top) / r.height) };
    }
    function set(name, value) { form.querySelector("[name=" + name + "]").value = value; }
    document.querySelectorAll(".rd-page").forEach(function (page) {
      page.addEventListener("pointerdown", function (ev) {
        ev.preventDefault();
        frame = page;
        start = at(ev);
        if (box) { box.remove(); }
        box = document.createElement("div");
        box.className = "rd-box rd-box--new";
        page.appendChild(box);
        place(box, start.x, start.y, start.x, start.y);
        if (page.setPointerCapture) { page.setPointerCapture(ev.pointerId); }
      });
      page.addEventListener("pointermove", function (ev) {
        if (!start || frame !== page) { return; }
        var p = at(ev);
        place(box, start.x, start.y, p.x, p.y);
      });
      page.addEventListener("pointerup", function (ev) {
        if (!start || frame !== page) { return; }
        var p = at(ev);
        place(box, start.x, start.y, p.x, p.y);
        set("page", page.dataset.page);
        set("x0", start.x.toFixed(5)); set("y0", start.y.toFixed(5));
        set("x1", p.x.toFixed(5)); set("y1", p.y.toFixed(5));
        status.textContent = "已框选第" + page.dataset.page + "页的一个区域，请选择依据后添加。";
        start = null;
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else { init(); }
})();
