// The enterprise wizard's progressive enhancement, kept out of the page so that the
// Content-Security-Policy can refuse every inline script.
// "Add another" rows and a level list limited to the chosen qualification type.
(function () {
  document.querySelectorAll("[data-formset]").forEach(function (section) {
    var prefix = section.getAttribute("data-formset");
    var total = section.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var button = section.querySelector("[data-add-form]");
    var template = section.querySelector("template[data-empty-form]");
    if (!total || !button || !template) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var item = holder.firstElementChild;
      item.querySelector("[data-number]").textContent = String(index + 1);
      section.querySelector(".formset__items").appendChild(item);
      total.value = String(index + 1);
      bindLevels(item);
      var first = item.querySelector("input, select, textarea");
      if (first) first.focus();
    });
  });
  var levelsNode = document.getElementById("qualification-levels");
  var levels = levelsNode ? JSON.parse(levelsNode.textContent) : {};
  function bindLevels(root) {
    root.querySelectorAll("select[data-levels-for]").forEach(function (typeSelect) {
      var levelSelect = document.getElementById("id_" + typeSelect.getAttribute("data-levels-for"));
      if (!levelSelect) return;
      function update() {
        var allowed = levels[typeSelect.value] || [];
        Array.prototype.forEach.call(levelSelect.options, function (option) {
          var ok = option.value === "" || allowed.indexOf(option.value) !== -1;
          option.hidden = !ok; option.disabled = !ok;
          if (!ok && option.selected) levelSelect.value = "";
        });
        levelSelect.disabled = allowed.length === 0;
      }
      typeSelect.addEventListener("change", update);
      update();
    });
  }
  bindLevels(document);
})();
