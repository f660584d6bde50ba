// Rashomon: open a citation's article beside the brief, with the cited words highlighted.
// Without this file every citation is still a plain link to /articles/ID?span=START-END#hl.
"use strict";
(function () {
  const panel = document.getElementById("panel");
  if (!panel) return;
  const body = panel.querySelector(".panel-body");
  let active = null;

  function close() {
    panel.hidden = true;
    body.textContent = "";
    if (active) active.classList.remove("active");
    active = null;
  }

  async function open(link) {
    const id = link.dataset.article, span = link.dataset.span;
    if (active) active.classList.remove("active");
    active = link;
    link.classList.add("active");
    panel.hidden = false;
    body.textContent = "Loading…";
    try {
      const url = "/articles/" + encodeURIComponent(id) + "/text?span=" + encodeURIComponent(span);
      const response = await fetch(url, { headers: { Accept: "text/html" } });
      if (!response.ok) throw new Error(response.status + " " + response.statusText);
      // The server renders the fragment with every piece of article text escaped.
      body.innerHTML = await response.text();
      const mark = body.querySelector("mark.hl");
      if (mark) mark.scrollIntoView({ block: "center" });
    } catch (error) {
      body.textContent = "Could not load the article (" + error.message + "). ";
      const a = document.createElement("a");
      a.href = link.href;
      a.textContent = "Open it instead.";
      body.appendChild(a);
    }
  }

  document.addEventListener("click", function (event) {
    const link = event.target.closest("a.cite[data-article]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    open(link);
  });
  panel.querySelector(".panel-close").addEventListener("click", close);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) close();
  });
})();
