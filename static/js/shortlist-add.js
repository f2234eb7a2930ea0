// "加入候选名单" without a reload: the control's plain form is posted with fetch (the CSRF
// token in its header), and the answer is shown inside the control, so the reader keeps their
// place in a long list. Without this script the same form posts and redirects back.
(function () {
  "use strict";

  function csrfToken(form) {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function say(control, text, ok) {
    var result = control.querySelector(".shortlist-add__result");
    result.textContent = text;
    result.classList.toggle("is-error", !ok);
  }

  // A list created from one control is offered by every other control on the page.
  function offerList(list) {
    document.querySelectorAll(".shortlist-add select[name=shortlist]").forEach(function (select) {
      if (select.querySelector("option[value='" + list.id + "']")) return;
      var option = document.createElement("option");
      option.value = String(list.id);
      option.textContent = list.name;
      select.insertBefore(option, select.firstChild);
      // A control that had no list to offer (only "new") now offers this one.
      if (select.value === "new" && select.options.length === 2) select.value = option.value;
    });
  }

  function added(control, form, body) {
    say(control, body.message, true);
    var badge = control.querySelector("summary .badge");
    if (badge) badge.hidden = false;
    var on = control.querySelector(".shortlist-add__on");
    on.querySelector("span").textContent = body.on.join("、");
    on.hidden = body.on.length === 0;
    offerList(body.shortlist);
    form.querySelector("select[name=shortlist]").value = String(body.shortlist.id);
    var name = form.querySelector("input[name=new_name]");
    if (name) name.value = "";
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("shortlist-add__form")) return;
    event.preventDefault();
    var control = form.closest(".shortlist-add");
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    say(control, "", true);
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken(form) }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; },
        function () { return { ok: false, body: {} }; });
    }).then(function (answer) {
      if (answer.ok) {
        added(control, form, answer.body);
      } else {
        var error = answer.body.error;
        if (error && error.message) say(control, error.message, false);
        else form.submit();  // not an answer we understand: let the page say it
      }
    }).catch(function () {
      form.submit();  // the network failed: fall back on the plain form
    }).then(function () {
      button.disabled = false;
    });
  });
})();
