/* Names for two things Wagtail's page editor draws without one (found by axe-core,
   tests/browser/test_accessibility.py): Handsontable's hidden copy-and-paste text area, which
   the table editor focuses, and the minimap's scrolling list, which keyboard users could not
   reach. Both appear after load, so they are named as they come. */
(() => {
  const translate = window.gettext || ((text) => text);
  const name = () => {
    const clipboard = document.getElementById("HandsontableCopyPaste");
    if (clipboard && !clipboard.hasAttribute("aria-label")) {
      clipboard.setAttribute("aria-label", translate("Table clipboard"));
    }
    for (const list of document.querySelectorAll(".w-minimap__list:not([tabindex])")) {
      list.setAttribute("tabindex", "0");
    }
  };
  new MutationObserver(name).observe(document.body, { childList: true, subtree: true });
  name();
})();
