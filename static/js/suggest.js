// Suggestions as you type for inputs with data-suggest-url: a small accessible combobox
// (arrow keys, Enter, Escape), no framework and no build step.
(function () {
  "use strict";
  document.querySelectorAll("input[data-suggest-url]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var active = -1;
    var timer = null;
    var items = [];

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(text) {
      input.value = text;
      close();
      input.form.submit();
    }

    function render(results) {
      list.innerHTML = "";
      items = results;
      results.forEach(function (text, index) {
        var li = document.createElement("li");
        li.id = list.id + "-" + index;
        li.setAttribute("role", "option");
        li.textContent = text;
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(text);
        });
        list.appendChild(li);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
    }

    function highlight(index) {
      var options = list.querySelectorAll("li");
      options.forEach(function (li, i) { li.classList.toggle("is-active", i === index); });
      active = index;
      if (index >= 0) input.setAttribute("aria-activedescendant", options[index].id);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (!q) { render([]); return; }
      timer = setTimeout(function () {
        fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(q), {
          headers: { Accept: "application/json" }, credentials: "same-origin"
        }).then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (body) { if (input.value.trim() === q) render(body.results || []); })
          .catch(function () { render([]); });
      }, 150);
    });

    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(Math.min(active + 1, items.length - 1)); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(items[active]); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  });
})();
