// Files built in the background (shortlist exports, the yearly report, paper PDFs): ask for the
// build, poll its JSON status, show the progress, and offer the download when it is ready.
//
// - form[data-build-panel]: its submit is posted with fetch (Accept: JSON, the CSRF token in
//   a header) and the panel named by data-build-panel shows the progress read from the form's
//   data-status-url. Without this script the form posts and the server's page takes over.
// - .build-progress[data-autostart]: a waiting page; polls its own data-status-url at once.
(function () {
  "use strict";
  var INTERVAL = 1000;
  var timers = {};

  function render(panel, status) {
    var bar = panel.querySelector("progress");
    var message = panel.querySelector("[data-build-message]");
    var link = panel.querySelector("[data-build-download]");
    panel.hidden = false;
    panel.dataset.state = status.state;
    if (status.progress === null || status.progress === undefined) bar.removeAttribute("value");
    else bar.value = status.state === "ready" ? 100 : status.progress;
    if (status.message) message.textContent = status.message;
    panel.classList.toggle("is-failed", status.state === "failed");
    if (status.state === "ready" && status.download_url) {
      link.href = status.download_url;
      link.hidden = false;
    } else {
      link.hidden = true;
    }
    return status.state === "ready" || status.state === "failed";
  }

  function poll(panel, url) {
    clearTimeout(timers[panel.id]);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (status && render(panel, status)) return;
        timers[panel.id] = setTimeout(function () { poll(panel, url); }, INTERVAL);
      })
      .catch(function () {
        timers[panel.id] = setTimeout(function () { poll(panel, url); }, INTERVAL * 3);
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.dataset || !form.dataset.buildPanel) return;
    var panel = document.getElementById(form.dataset.buildPanel);
    if (!panel) return;
    event.preventDefault();
    var title = panel.querySelector("[data-build-title]");
    if (title) title.textContent = form.dataset.buildTitle || "";
    render(panel, { state: "queued", progress: 0, message: panel.dataset.queued || "" });
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token ? token.value : "" }
    }).then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (!status) { form.submit(); return; }
        if (render(panel, status)) clearTimeout(timers[panel.id]);
        else poll(panel, form.dataset.statusUrl);
      })
      .catch(function () { form.submit(); });
    // Poll while the request is under way too: a worker reports progress before it answers.
    timers[panel.id] = setTimeout(function () { poll(panel, form.dataset.statusUrl); }, INTERVAL);
  });

  document.querySelectorAll(".build-progress[data-autostart]").forEach(function (panel) {
    poll(panel, panel.dataset.statusUrl);
  });
})();
