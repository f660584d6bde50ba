// Rashomon story page: filters, paging and folding without reloading, the state kept in the URL.
// The same file runs in the web app and inlined in the static HTML. Without it the page still
// reads: the server applies the filters in the query string, and every section is a <details>.
"use strict";
(function () {
  const story = document.querySelector("article.story");
  if (!story) return;
  document.documentElement.classList.add("js");
  const params = new URLSearchParams(window.location.search);

  function save() {
    const query = params.toString();
    const url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    try { window.history.replaceState(null, "", url); } catch (e) { /* file: URLs may refuse */ }
  }

  function limitOf(pager, name) {
    const page = parseInt(pager ? pager.dataset.page : "50", 10) || 50;
    const chosen = parseInt(params.get(name) || "", 10);
    return chosen > 0 ? chosen : page;
  }

  const paged = {};

  // Show the first `limit` rows that match; the same rule the server applies.
  function page(rows, matches, name, noun) {
    paged[name] = { rows: rows, matches: matches };
    const pager = document.querySelector('[data-pager="' + name + '"]');
    const limit = limitOf(pager, name);
    let matching = 0, shown = 0;
    rows.forEach(function (row) {
      const ok = matches(row) && matching < limit;
      if (matches(row)) matching += 1;
      if (ok) shown += 1;
      row.hidden = !ok;
    });
    if (pager) {
      pager.querySelector("a.more").hidden = matching <= shown;
      pager.querySelector(".pager-count").textContent = "Showing " + shown + " of " + matching + " " + noun + ".";
    }
  }

  function has(list, value) { return (list || "").indexOf("|" + value + "|") >= 0; }

  function apply() {
    const status = params.get("status") || "", outlet = params.get("outlet") || "", origin = params.get("origin") || "";
    page(story.querySelectorAll("tr.claim"), function (row) {
      return (!status || row.dataset.status === status) && (!outlet || has(row.dataset.outlets, outlet))
        && (!origin || has(row.dataset.origins, origin));
    }, "claims", "matching claims");
    page(story.querySelectorAll("tr.event"), function () { return true; }, "events", "events");
    page(story.querySelectorAll("tr.entity"), function () { return true; }, "entities", "names");
    const speaker = params.get("speaker") || "";
    page(story.querySelectorAll(".speaker[data-speaker]"), function (group) {
      return !speaker || group.dataset.speaker === speaker;
    }, "speakers", "matching speakers");
    story.querySelectorAll("select[data-filter]").forEach(function (select) {
      select.value = params.get(select.dataset.filter) || "";
    });
    const folded = (params.get("fold") || "").split(",");
    story.querySelectorAll("details[data-section]").forEach(function (details) {
      details.open = folded.indexOf(details.dataset.section) < 0;
    });
  }

  story.addEventListener("change", function (event) {
    const select = event.target.closest("select[data-filter]");
    if (!select) return;
    if (select.value) params.set(select.dataset.filter, select.value); else params.delete(select.dataset.filter);
    params.delete(select.dataset.filter === "speaker" ? "speakers" : "claims");
    apply();
    save();
  });

  story.addEventListener("click", function (event) {
    const more = event.target.closest("a[data-more]");
    if (!more) return;
    const name = more.dataset.more, known = paged[name];
    // Rows the server left out of the page: follow the link, the server writes them.
    if (!known || !Array.prototype.some.call(known.rows, function (r) { return r.hidden && known.matches(r); })) return;
    event.preventDefault();
    const pager = document.querySelector('[data-pager="' + name + '"]');
    const step = parseInt(pager.dataset.page, 10) || 50;
    params.set(name, String(limitOf(pager, name) + step));
    apply();
    save();
  });

  story.querySelectorAll("details[data-section]").forEach(function (details) {
    details.addEventListener("toggle", function () {
      const folded = [];
      story.querySelectorAll("details[data-section]").forEach(function (d) { if (!d.open) folded.push(d.dataset.section); });
      if (folded.length) params.set("fold", folded.join(",")); else params.delete("fold");
      save();
    });
  });

  // A link to a claim, event or statement that is folded away or filtered out: show it anyway.
  function reveal() {
    const id = decodeURIComponent(window.location.hash.slice(1));
    const target = id && document.getElementById(id);
    if (!target || !story.contains(target)) return;
    let node = target;
    while (node && node !== story) {
      if (node.tagName === "DETAILS") node.open = true;
      if (node.hidden) node.hidden = false;
      node = node.parentElement;
    }
    target.classList.add("revealed");
    target.scrollIntoView({ block: "start" });
  }

  story.querySelectorAll("form[data-filters]").forEach(function (form) { form.classList.add("live"); });
  apply();
  window.addEventListener("hashchange", reveal);
  if (window.location.hash) reveal();
})();
