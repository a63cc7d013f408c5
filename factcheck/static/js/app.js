/* factcheck: behaviour shared by every page. Everything here is an enhancement; the pages work
   without it (see the comment in templates/base.html). */
(function () {
  "use strict";

  // Destructive actions ask first: <form data-confirm="Dismiss claim 12?"> or the same attribute
  // on the submit button. Listening in the capture phase on the document runs before htmx's own
  // submit handler, so a cancelled confirmation stops a plain submit and an htmx request alike.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var submitter = event.submitter;
    var message = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // Long work shows progress: a form marked data-progress reveals its .progress message and
  // disables its submit button while the server reads the file; an export link marked
  // data-progress="…" says the download is being prepared.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-progress") || event.defaultPrevented) return;
    var message = form.querySelector(".progress");
    if (message) message.hidden = false;
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; button.setAttribute("aria-busy", "true"); }
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-progress]");
    if (!link) return;
    var status = link.parentNode.querySelector(".progress");
    if (status) {
      status.textContent = link.getAttribute("data-progress");
      status.hidden = false;
      window.setTimeout(function () { status.hidden = true; }, 8000);
    }
  });

  // htmx requests carry the CSRF token as a header (Flask-WTF reads X-CSRFToken).
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && event.detail && event.detail.headers) {
      event.detail.headers["X-CSRFToken"] = meta.getAttribute("content");
    }
  });

  // The skip link moves keyboard focus, not only the scroll position.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.skip-link");
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (target) target.focus();
  });
})();
