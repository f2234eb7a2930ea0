// Marks the chapter being read in the paper's contents (aria-current), so that the sticky
// navigation shows where the reader is. Pure enhancement: the links work without it.
(function () {
  "use strict";
  var links = {};
  document.querySelectorAll(".paper-toc a[href^='#']").forEach(function (a) {
    links[a.getAttribute("href").slice(1)] = a;
  });
  var sections = document.querySelectorAll(".paper-section[id]");
  if (!sections.length || !("IntersectionObserver" in window)) { return; }
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) { return; }
      Object.keys(links).forEach(function (id) { links[id].removeAttribute("aria-current"); });
      var link = links[entry.target.id];
      if (link) { link.setAttribute("aria-current", "location"); }
    });
  }, { rootMargin: "0px 0px -70% 0px" });
  sections.forEach(function (section) { observer.observe(section); });
})();
