/* factcheck: behaviour shared by every page. Everything here is an enhancement; the pages work
   without it (see the comment in templates/base.html). */
(function () {
  "use strict";

  // One message at a time. A partial update (htmx, hx-select-oob="#flashes") replaces the flash
  // region with the answer's, so the message on the page is always the last action's:
  //  - the old message goes as soon as the new request starts, so it is never read (by a person, or
  //    a test waiting for the new one) as the answer to the new action;
  //  - a plain form submitted while a partial update is still on its way waits for it. The update's
  //    follow-up request is what takes its message out of the session; a page load overtaking it
  //    would show that message beside its own (two flashes), and would post the form's version
  //    fields from before the update.
  var pending = [];
  var held = null;
  function updatesFlashes(elt) {
    var source = elt && elt.closest ? elt.closest("[hx-select-oob]") : null;
    return !!source && /(^|,)\s*#flashes\b/.test(source.getAttribute("hx-select-oob"));
  }
  function settled(event) {
    pending = pending.filter(function (xhr) { return xhr !== event.detail.xhr; });
    if (pending.length || !held) return;
    var form = held.form, submitter = held.submitter;
    held = null;
    if (form.isConnected) form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (!updatesFlashes(event.detail.elt)) return;
    pending.push(event.detail.xhr);
    var flashes = document.getElementById("flashes");
    if (flashes) flashes.replaceChildren();
  });
  document.addEventListener("htmx:afterRequest", settled);
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !pending.length || form.hasAttribute("hx-post")) return;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    event.preventDefault();
    event.stopImmediatePropagation();  // the confirmation below is asked when the form really goes
    var mine = held = {form: form, submitter: event.submitter};
    // Never hold a form for long: should the update hang, the form goes anyway.
    window.setTimeout(function () { if (held === mine) { pending = []; settled({detail: {}}); } }, 10000);
  }, true);

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
