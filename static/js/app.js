// Quotetrail reader: hovering or focusing a highlight lights up the whole quote
// (all of its segments) and shows who said it and where, from the side panel.
(function () {
  "use strict";

  function quoteIds(element) {
    return (element.getAttribute("data-q") || "").split(" ").filter(Boolean);
  }

  function clearActive() {
    document.querySelectorAll(".is-active").forEach(function (el) {
      el.classList.remove("is-active");
    });
  }

  function activate(ids) {
    clearActive();
    ids.forEach(function (id) {
      document.querySelectorAll('mark.hl[data-q~="' + id + '"]').forEach(function (el) {
        el.classList.add("is-active");
      });
      var item = document.getElementById("qi-" + id);
      if (item) item.classList.add("is-active");
    });
  }

  function showCard(mark, ids) {
    var card = document.getElementById("quote-card");
    if (!card) return;
    card.replaceChildren();
    ids.forEach(function (id) {
      var item = document.getElementById("qi-" + id);
      if (!item) return;
      var copy = item.cloneNode(true);
      copy.removeAttribute("id");
      copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
      var group = item.closest(".quote-group");
      var heading = group && group.querySelector("h3");
      if (heading) {
        var who = document.createElement("strong");
        who.textContent = heading.textContent.replace(/^\s*\S+\s*/, "").trim();
        copy.prepend(who);
      }
      card.appendChild(copy);
    });
    card.hidden = false;
    place(card, mark.getBoundingClientRect());
  }

  // Below the quote, or above it when it does not fit below and there is more room
  // above; inside the window and never over the quote itself (it would take the pointer
  // from it): a card taller than the room on its side scrolls inside itself.
  function place(card, rect) {
    var gap = 6, margin = 8;
    var view = document.documentElement;
    // Measured at the origin and at full height: near the right edge it would shrink.
    card.style.removeProperty("max-height");
    card.style.setProperty("left", "0px");
    card.style.setProperty("top", "0px");
    var below = view.clientHeight - margin - gap - rect.bottom;
    var above = rect.top - gap - margin;
    var under = card.offsetHeight <= below || below >= above;
    var height = Math.min(card.offsetHeight, Math.max(under ? below : above, 64));
    card.style.setProperty("max-height", height + "px");
    var top = under ? rect.bottom + gap : rect.top - gap - height;
    top = Math.max(margin, Math.min(top, view.clientHeight - margin - height));
    var left = Math.max(margin, Math.min(rect.left, view.clientWidth - margin - card.offsetWidth));
    card.style.setProperty("left", left + window.scrollX + "px");
    card.style.setProperty("top", top + window.scrollY + "px");
  }

  function hideCard() {
    var card = document.getElementById("quote-card");
    if (card) card.hidden = true;
  }

  function onEnter(event) {
    var mark = event.target.closest && event.target.closest("mark.hl");
    // While a button is held the reader is selecting text: a card popping up under the
    // pointer would take the selection's end into the card.
    if (mark && event.type === "mouseover" && event.buttons) return;
    if (mark) {
      var ids = quoteIds(mark);
      activate(ids);
      showCard(mark, ids);
      return;
    }
    var item = event.target.closest && event.target.closest(".quote-item[data-q]");
    if (item) activate(quoteIds(item));
  }

  function onLeave(event) {
    var from = event.target.closest && event.target.closest("mark.hl, .quote-item[data-q]");
    if (!from) return;
    var to = event.relatedTarget && event.relatedTarget.closest && event.relatedTarget.closest("mark.hl, .quote-item[data-q]");
    if (to) return;
    clearActive();
    hideCard();
  }

  // Chromium focuses a focusable highlight on mousedown. When the press puts the caret
  // just before it (a highlight that starts mid-line), the caret lies outside the focused
  // element, Chromium then refuses to extend the selection, and the drag ends as a click
  // that opens the quote. So a press focuses the article instead: the drag selects, and
  // a plain click still opens the quote. Tab and J/K focus highlights as before.
  document.addEventListener("mousedown", function (event) {
    if (event.button === 0) hideCard();
    var mark = event.button === 0 && event.target.closest && event.target.closest("mark.hl[tabindex]");
    if (!mark) return;
    mark.removeAttribute("tabindex");
    setTimeout(function () { mark.setAttribute("tabindex", "0"); }, 0);
  });
  document.addEventListener("mouseover", onEnter);
  document.addEventListener("focusin", onEnter);
  document.addEventListener("mouseout", onLeave);
  document.addEventListener("focusout", onLeave);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { clearActive(); hideCard(); }
  });
})();

// Tagging: select a passage, press T (or the Tag button) and the tag form opens
// beside the article; offsets travel as UTF-16 with the text and its context,
// and the server confirms them against the body.
(function () {
  "use strict";
  var CONTEXT = 32;

  function bodyEl() { return document.getElementById("article-body"); }
  function canTag() { var b = bodyEl(); return !!(b && b.dataset.newUrl); }
  function editorForm() { return document.querySelector("#editor form[data-quote-form]"); }
  function editingExisting() { return !!document.querySelector("#editor.editor-edit form[data-quote-form]"); }

  function safeSlice(s, a, b) {
    // Never cut a surrogate pair in two: a lone half cannot be sent in a URL.
    a = Math.max(0, a); b = Math.min(s.length, b);
    if (a > 0 && a < s.length && (s.charCodeAt(a) & 0xfc00) === 0xdc00) a += 1;
    if (b > 0 && b < s.length && (s.charCodeAt(b - 1) & 0xfc00) === 0xd800) b -= 1;
    return s.slice(a, Math.max(a, b));
  }

  function currentSelection() {
    var b = bodyEl();
    var sel = window.getSelection();
    if (!b || !sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    var range = sel.getRangeAt(0);
    if (!b.contains(range.startContainer) || !b.contains(range.endContainer)) return null;
    var before = document.createRange();
    before.selectNodeContents(b);
    before.setEnd(range.startContainer, range.startOffset);
    var start = before.toString().length;
    var text = range.toString();
    if (!text.trim()) return null;
    var full = b.textContent;
    return {
      text: text,
      start: start,
      end: start + text.length,
      prefix: safeSlice(full, start - CONTEXT, start),
      suffix: safeSlice(full, start + text.length, start + text.length + CONTEXT),
      rect: range.getBoundingClientRect()
    };
  }

  function openNew(selection) {
    var url = bodyEl().dataset.newUrl;
    if (selection) {
      var params = new URLSearchParams({
        text: selection.text, start: selection.start, end: selection.end,
        offsets: "utf16", prefix: selection.prefix, suffix: selection.suffix
      });
      url += "?" + params.toString();
    }
    hideActions();
    htmx.ajax("GET", url, { target: "#editor", swap: "outerHTML" });
  }

  // Where focus returns when a form closes without saving.
  var returnFocusTo = null;

  function openEdit(id) {
    var template = bodyEl().dataset.editUrl;
    returnFocusTo = document.querySelector('mark.hl[aria-describedby~="qi-' + id + '"]');
    hideActions();
    htmx.ajax("GET", template.replace("/0/", "/" + id + "/"), { target: "#editor", swap: "outerHTML" });
  }

  function respan(selection) {
    var form = editorForm();
    if (!form || !selection) return;
    var set = function (name, value) {
      var field = form.querySelector('[name="' + name + '"]');
      if (field) field.value = value;
    };
    set("text", selection.text);
    set("start", selection.start);
    set("end", selection.end);
    set("offsets", "utf16");
    set("prefix", selection.prefix);
    set("suffix", selection.suffix);
    hideActions();
    var text = form.querySelector('[name="text"]');
    if (text) text.focus();
  }

  function actions() { return document.getElementById("selection-actions"); }
  function hideActions() { var a = actions(); if (a) a.hidden = true; }

  function showActions(selection) {
    var box = actions();
    if (!box) return;
    box.querySelector('[data-action="respan"]').hidden = !editingExisting();
    box.hidden = false;
    box.style.setProperty("left", Math.max(8, selection.rect.right + window.scrollX - box.offsetWidth / 2) + "px");
    box.style.setProperty("top", selection.rect.bottom + window.scrollY + 8 + "px");
  }

  function refreshActions() {
    if (!canTag()) return;
    var selection = currentSelection();
    if (selection) showActions(selection); else hideActions();
  }

  document.addEventListener("mouseup", function () { setTimeout(refreshActions, 0); });
  document.addEventListener("keyup", function (event) {
    if (event.shiftKey || event.key === "Shift") refreshActions();
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("#selection-actions button");
    if (button) {
      var selection = currentSelection();
      if (button.dataset.action === "tag") openNew(selection); else respan(selection);
      return;
    }
    if (!canTag()) return;
    var mark = event.target.closest && event.target.closest("mark.hl");
    var sel = window.getSelection();
    if (mark && (!sel || sel.isCollapsed)) openEdit(mark.dataset.inner);
  });

  function typing(target) {
    return target.closest && target.closest("input, textarea, select, [contenteditable]");
  }

  function moveFocus(step) {
    var marks = Array.prototype.slice.call(document.querySelectorAll("#article-body mark.hl[tabindex]"));
    if (!marks.length) return;
    var index = marks.indexOf(document.activeElement);
    var next = index === -1 ? (step > 0 ? 0 : marks.length - 1) : (index + step + marks.length) % marks.length;
    marks[next].focus();
  }

  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      var form = event.target.closest && event.target.closest("form[data-quote-form]");
      if (form) { event.preventDefault(); form.requestSubmit(); }
      return;
    }
    if (event.key === "Escape") {
      hideActions();
      var cancel = document.querySelector("#editor [hx-get][href]");
      if (editorForm() && cancel) { event.preventDefault(); htmx.trigger(cancel, "click"); }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var key = event.key.toLowerCase();
    if (key === "j" || key === "k") {
      event.preventDefault();
      moveFocus(key === "j" ? 1 : -1);
      return;
    }
    if (!canTag()) return;
    if (event.key === "Enter") {
      var mark = event.target.closest && event.target.closest("mark.hl");
      if (mark) { event.preventDefault(); openEdit(mark.dataset.inner); }
    } else if (key === "t") {
      var selection = currentSelection();
      if (selection) { event.preventDefault(); openNew(selection); }
    } else if (key === "r" && editingExisting()) {
      var chosen = currentSelection();
      if (chosen) { event.preventDefault(); respan(chosen); }
    } else if (key === "n") {
      event.preventDefault();
      openNew(null);
    }
  });

  // After a save, focus the quote that was saved; after a delete, the article.
  document.body.addEventListener("quotetrail:saved", function (event) {
    var mark = document.querySelector('mark.hl[aria-describedby~="qi-' + event.detail.id + '"]');
    if (mark) { mark.focus(); mark.classList.add("just-saved"); }
  });
  document.body.addEventListener("quotetrail:deleted", function () {
    var body = bodyEl();
    if (body) body.focus();
  });

  // Every request says which reading of the article the page shows (the state the
  // counts carry): a save then answers with only what it changed on such a page, and
  // with the whole body, legend and list when the page shows something else.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var counts = document.getElementById("counts");
    if (counts && counts.dataset.reading) {
      event.detail.headers["X-Quotetrail-Reading"] = counts.dataset.reading;
    }
  });

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt.closest && event.detail.elt.closest("#suggestions")) returnFocusTo = "suggestions";
  });

  // The editor can open or close under a box still shown (Cancel, a save): Re-span is
  // offered only while a quote is being edited.
  document.body.addEventListener("htmx:afterSettle", function () {
    var box = actions();
    if (box && !box.hidden) box.querySelector('[data-action="respan"]').hidden = !editingExisting();
  });

  // A form closed without saving (Cancel, Escape): focus goes back to where it was.
  document.body.addEventListener("htmx:afterSettle", function () {
    var editor = document.getElementById("editor");
    if (!editor || !editor.classList.contains("editor-idle")) return;
    if (editor.querySelector(".message")) return; // a save or delete moves focus itself
    var active = document.activeElement;
    if (active && active !== document.body && returnFocusTo !== "suggestions") return;
    if (returnFocusTo === "suggestions") {
      // After accepting or dismissing, the next suggestion is where the editor goes on.
      returnFocusTo = null;
      var next = document.querySelector("#suggestions .suggestion-list button, #suggestions h2");
      if (next) {
        if (next.tagName === "H2") next.setAttribute("tabindex", "-1");
        next.focus();
        return;
      }
    }
    var target = returnFocusTo && document.contains(returnFocusTo) ? returnFocusTo : bodyEl();
    returnFocusTo = null;
    if (target) target.focus();
  });

  function report(message) {
    var editor = document.getElementById("editor");
    if (!editor) return;
    var note = editor.querySelector(".request-error") || document.createElement("p");
    note.className = "error request-error";
    note.setAttribute("role", "alert");
    note.textContent = message;
    editor.prepend(note);
  }
  document.body.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    report(status === 403 ? "Your role does not allow this." :
      status === 404 ? "This no longer exists; reload the page." :
      status === 429 ? "Too many attempts; wait a few minutes and try again." :
      status === 503 ? "The database is briefly unavailable. Your change may or may not " +
        "have been saved: reload the page to check before trying again." :
      "The server could not do this (error " + status + "). Reload the page to check " +
        "what was saved before trying again.");
  });
  document.body.addEventListener("htmx:sendError", function () {
    report("Quotetrail cannot be reached. Reload the page when it is back to check " +
      "what was saved before trying again.");
  });
})();
