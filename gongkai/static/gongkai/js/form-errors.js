// After a failed submit the error summary at the top of the form takes the focus
// (issue 17, requirement 9). The summary carries `autofocus`, but a browser skips
// autofocus when the address has a #fragment (the case page's forms post to
// …#act-<action>), so the focus is moved here as well; a link in the summary moves
// the focus to its field.
(function () {
  function start() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) { return; }
    if (document.activeElement !== summary) {
      summary.focus();
      summary.scrollIntoView({ block: "start" });
    }
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!field) { return; }
      event.preventDefault();
      // A field the page script hides (e.g. the reply letter's) is shown first.
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
