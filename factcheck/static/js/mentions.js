/* @mentions with suggestions: in a textarea marked data-mentions="/people/mentions", typing @ and
   a few letters lists the colleagues whose name (or e-mail) begins so, from that address's JSON.
   Up/Down move through the list, Enter or Tab chooses, Escape closes; a click chooses too.
   Choosing writes the token the server gave (@[Chen Li], or the e-mail when two people share the
   name), which the server resolves to that one person. Without this script people type the same
   tokens themselves (the form's help says how). Listbox pattern: the textarea keeps focus and
   points at the highlighted option with aria-activedescendant. */
(function () {
  "use strict";

  var TYPED = /(^|[^\w@])@(\[?)([^\s@\[\]][^@\[\]\n]{0,40})$/;
  var counter = 0;
  var state = null;  // {area, list, status, options, active, start, timer, request}

  function typedMention(area) {
    var before = area.value.slice(0, area.selectionStart);
    var match = TYPED.exec(before);
    if (!match || match[3].split(" ").length > 3) return null;
    return {start: before.length - match[3].length - match[2].length - 1, query: match[3]};
  }

  function parts(area) {
    if (area.__mentions) return area.__mentions;
    var id = "mention-list-" + (++counter);
    var list = document.createElement("ul");
    list.id = id;
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "People to mention");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    area.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    area.setAttribute("aria-autocomplete", "list");
    area.setAttribute("aria-controls", id);
    area.__mentions = {list: list, status: status};
    return area.__mentions;
  }

  function close() {
    if (!state) return;
    state.list.hidden = true;
    state.list.replaceChildren();
    state.area.removeAttribute("aria-activedescendant");
    if (state.request) state.request.abort();
    window.clearTimeout(state.timer);
    state = null;
  }

  function highlight(index) {
    if (!state || !state.options.length) return;
    state.active = (index + state.options.length) % state.options.length;
    state.options.forEach(function (option, i) {
      option.element.setAttribute("aria-selected", i === state.active ? "true" : "false");
    });
    var chosen = state.options[state.active].element;
    state.area.setAttribute("aria-activedescendant", chosen.id);
    chosen.scrollIntoView({block: "nearest"});
  }

  function choose(index) {
    if (!state || !state.options[index]) return;
    var area = state.area, token = state.options[index].token, start = state.start;
    var end = area.selectionStart;
    area.value = area.value.slice(0, start) + token + " " + area.value.slice(end);
    var caret = start + token.length + 1;
    area.setSelectionRange(caret, caret);
    close();
    area.focus();
  }

  function show(area, mention, people) {
    close();
    var own = parts(area);
    var list = own.list;
    if (!people.length) {
      own.status.textContent = "Nobody on the desk matches “" + mention.query + "”.";
      close();
      return;
    }
    state = {area: area, list: list, status: own.status, options: [], active: -1, start: mention.start};
    people.forEach(function (person, i) {
      var item = document.createElement("li");
      item.id = list.id + "-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.textContent = person.label;
      item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
      list.appendChild(item);
      state.options.push({element: item, token: person.token});
    });
    list.hidden = false;
    highlight(0);
    own.status.textContent = people.length + (people.length === 1 ? " person" : " people") +
      " to mention; up and down arrows to choose, Enter to insert, Escape to close.";
  }

  function lookup(area) {
    var mention = typedMention(area);
    if (!mention) { close(); return; }
    var url = area.getAttribute("data-mentions");
    var previous = state && state.area === area ? state : null;
    if (previous && previous.request) previous.request.abort();
    window.clearTimeout(area.__mentionTimer);
    area.__mentionTimer = window.setTimeout(function () {
      var request = new XMLHttpRequest();
      request.open("GET", url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(mention.query));
      request.setRequestHeader("Accept", "application/json");
      request.onload = function () {
        if (request.status !== 200 || document.activeElement !== area) return;
        var now = typedMention(area);
        if (!now || now.query !== mention.query) return;  // the person typed on meanwhile
        try { show(area, mention, JSON.parse(request.responseText)); } catch (error) { close(); }
      };
      request.send();
      if (state && state.area === area) state.request = request;
    }, 120);
  }

  document.addEventListener("input", function (event) {
    var area = event.target;
    if (area instanceof HTMLTextAreaElement && area.hasAttribute("data-mentions")) lookup(area);
  });

  document.addEventListener("keydown", function (event) {
    if (!state || event.target !== state.area || state.list.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      highlight(state.active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter" || event.key === "Tab") {
      if (event.shiftKey || event.ctrlKey || event.metaKey || event.altKey) return;
      event.preventDefault();
      choose(state.active);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });

  document.addEventListener("focusout", function (event) {
    if (state && event.target === state.area) window.setTimeout(function () {
      if (state && document.activeElement !== state.area) close();
    }, 150);
  });
})();
