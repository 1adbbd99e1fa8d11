/* Submit the organisation switcher as soon as another organisation is chosen.
   Self-hosted so the Content-Security-Policy can forbid inline handlers. */
(function () {
  "use strict";
  function wire() {
    var select = document.getElementById("org-switch");
    if (!select || !select.form) { return; }
    select.addEventListener("change", function () { select.form.submit(); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", wire);
  } else {
    wire();
  }
})();
