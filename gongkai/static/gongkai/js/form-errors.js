// After a failed submit the error summary at the top of the form takes the focus
// (issue 17, requirement 9). The summary carries `autofocus`, but a browser skips
// autofocus when the address has a #fragment, and scrolling to a fragment moves the
// focus to the page: the focus is moved here as well, again once the page has
// loaded. A link in the summary moves the focus to its field (shown first if the
// page script hides it).
(function () {
  function start() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) { return; }
    function focusSummary() {
      var active = document.activeElement;
      if (active && active !== document.body && active !== summary) { return; }
      if (active !== summary) { summary.focus(); }
    }
    focusSummary();
    window.addEventListener("load", function () { window.setTimeout(focusSummary, 0); });
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!field) { return; }
      event.preventDefault();
      var box = field.closest("[hidden]");
      while (box) { box.hidden = false; box = box.parentElement.closest("[hidden]"); }
      var details = field.closest("details");
      if (details) { details.open = true; }
      field.scrollIntoView({ block: "center" });
      field.focus();
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
