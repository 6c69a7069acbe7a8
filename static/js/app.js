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
    var rect = mark.getBoundingClientRect();
    card.hidden = false;
    card.style.setProperty("left", Math.max(8, rect.left + window.scrollX) + "px");
    card.style.setProperty("top", rect.bottom + window.scrollY + 6 + "px");
  }

  function hideCard() {
    var card = document.getElementById("quote-card");
    if (card) card.hidden = true;
  }

  function onEnter(event) {
    var mark = event.target.closest && event.target.closest("mark.hl");
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

  document.addEventListener("mouseover", onEnter);
  document.addEventListener("focusin", onEnter);
  document.addEventListener("mouseout", onLeave);
  document.addEventListener("focusout", onLeave);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { clearActive(); hideCard(); }
  });
})();
