/* Text selection -> claim, on the article page.

   Selecting text inside #article-text shows a floating "Make a claim of this" button. Clicking it
   (or Tab to it and Enter, after selecting with the keyboard) copies the passage into the add-claim
   form, with its start and end as character offsets into the revision text, and moves focus to the
   statement field. Escape hides the button.

   The offsets are right because the element's textContent is exactly the revision text (the
   `highlight` filter's marks add no characters). Python counts code points, JavaScript UTF-16
   units, so offsets are converted before they are sent. Without JavaScript the form's Passage
   field does the same job by pasting. */
(function () {
  "use strict";

  var root = document.getElementById("article-text");
  var form = document.getElementById("add-claim-form");
  if (!root || !form) return;

  var field = function (name) { return form.elements.namedItem(name); };
  var quoteField = field("quote"), startField = field("start"), endField = field("end");
  var statementField = field("statement");
  if (!quoteField || !startField || !endField) return;

  var container = root.parentNode;  // the positioned box the button floats in
  container.classList.add("has-selection-tool");

  var button = document.createElement("button");
  button.type = "button";
  button.className = "make-claim-button";
  button.id = "make-claim-button";
  button.textContent = "Make a claim of this";
  button.hidden = true;
  root.insertAdjacentElement("afterend", button);

  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("aria-live", "polite");
  status.id = "selection-status";
  root.insertAdjacentElement("afterend", status);

  var current = null;  // {start, end, quote} of the selection the button stands for, in code points

  // The number of characters (UTF-16 units) of root's text before the boundary point (node, offset):
  // walk the text nodes in order, summing their lengths until the boundary is reached.
  function textOffset(node, offset) {
    var point = document.createRange();
    point.setStart(node, offset);
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var count = 0, text;
    while ((text = walker.nextNode())) {
      if (text === node) return count + offset;
      if (point.comparePoint(text, 0) >= 0) return count;  // this text node starts at or after the boundary
      count += text.data.length;
    }
    return count;
  }

  function codePoints(string) {
    var n = 0;
    for (var i = 0; i < string.length; i++) {
      var c = string.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < string.length) {
        var d = string.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
      }
      n++;
    }
    return n;
  }

  // The selection clipped to the article text, trimmed of surrounding white space, or null.
  function selectedSpan() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    var range = selection.getRangeAt(0);
    var whole = document.createRange();
    whole.selectNodeContents(root);
    // Nothing of the selection inside the article text?
    if (range.compareBoundaryPoints(Range.END_TO_START, whole) >= 0 ||
        range.compareBoundaryPoints(Range.START_TO_END, whole) <= 0) return null;
    var startsInside = range.compareBoundaryPoints(Range.START_TO_START, whole) >= 0;
    var endsInside = range.compareBoundaryPoints(Range.END_TO_END, whole) <= 0;
    var text = root.textContent;
    var start = startsInside ? textOffset(range.startContainer, range.startOffset) : 0;
    var end = endsInside ? textOffset(range.endContainer, range.endOffset) : text.length;
    while (start < end && /\s/.test(text.charAt(start))) start++;
    while (end > start && /\s/.test(text.charAt(end - 1))) end--;
    if (end <= start) return null;
    var clipped = range.cloneRange();
    if (!startsInside) clipped.setStart(whole.startContainer, whole.startOffset);
    if (!endsInside) clipped.setEnd(whole.endContainer, whole.endOffset);
    return {
      quote: text.slice(start, end),
      start: codePoints(text.slice(0, start)),
      end: codePoints(text.slice(0, end)),
      range: clipped
    };
  }

  function place(range) {
    var rects = range.getClientRects();
    var rect = rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
    var box = container.getBoundingClientRect();
    button.hidden = false;
    var left = rect.right - box.left - button.offsetWidth / 2;
    left = Math.max(4, Math.min(left, container.clientWidth - button.offsetWidth - 4));
    button.style.left = left + "px";
    button.style.top = (rect.bottom - box.top + 6) + "px";
  }

  function hide() {
    if (button.hidden) return;
    button.hidden = true;
    current = null;
  }

  function update() {
    var span = selectedSpan();
    if (!span) {
      if (document.activeElement !== button) hide();
      return;
    }
    var changed = !current || current.start !== span.start || current.end !== span.end;
    current = span;
    place(span.range);
    if (changed) {
      status.textContent = "Passage selected. Press Tab, then Enter, to make a claim of it; Escape to cancel.";
    }
  }

  var pending = 0;
  document.addEventListener("selectionchange", function () {
    if (pending) return;
    pending = window.requestAnimationFrame(function () { pending = 0; update(); });
  });
  window.addEventListener("resize", function () { if (current) place(current.range); });
  // A passage selected while the page was still loading (before this deferred script ran) raised its
  // selectionchange before anyone listened: offer the button for it now.
  update();

  // Keep the selection while the button is pressed.
  button.addEventListener("mousedown", function (event) { event.preventDefault(); });

  button.addEventListener("click", function () {
    var span = current || selectedSpan();
    if (!span) { hide(); return; }
    quoteField.value = span.quote;
    startField.value = String(span.start);
    endField.value = String(span.end);
    hide();
    status.textContent = "Passage copied into the claim form.";
    form.scrollIntoView({ block: "nearest" });
    (statementField || quoteField).focus();
  });

  // A plain click on a claim's mark (no text selected) shows its card in the claims list.
  root.addEventListener("click", function (event) {
    var mark = event.target.closest && event.target.closest("mark[data-claim-id]");
    var selection = window.getSelection();
    if (!mark || (selection && !selection.isCollapsed)) return;
    var card = document.getElementById("claim-" + mark.getAttribute("data-claim-id"));
    if (card) window.location.hash = card.id;
  });

  // Typing in the passage field by hand means the offsets no longer describe it.
  quoteField.addEventListener("input", function () { startField.value = ""; endField.value = ""; });

  document.addEventListener("keydown", function (event) {
    if (button.hidden) return;
    if (event.key === "Escape") {
      var hadFocus = document.activeElement === button;
      hide();
      status.textContent = "";
      if (hadFocus) {
        root.setAttribute("tabindex", "-1");
        root.focus({ preventScroll: true });
      }
      return;
    }
    // After a keyboard selection (caret browsing), Tab goes straight to the button.
    if (event.key === "Tab" && !event.shiftKey && document.activeElement !== button) {
      var active = document.activeElement;
      if (!active || active === document.body || root.contains(active) || active === root) {
        event.preventDefault();
        button.focus();
      }
    }
  });
})();
