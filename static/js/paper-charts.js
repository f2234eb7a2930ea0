// Draws each chart (white papers, the statistics dashboard) with Apache ECharts from the JSON
// option in the <script type="application/json"> beside it. Until then (or without JavaScript)
// the server-drawn SVG stays in place, and the data table under each chart is always there.
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (node) {
    var source = document.getElementById(node.getAttribute("data-chart"));
    if (!source) { return; }
    var option;
    try { option = JSON.parse(source.textContent); } catch (e) { return; }
    // The height a chart asks for (a ranking grows with its rows) comes as data-height and is
    // set through the DOM: the Content-Security-Policy refuses inline style attributes.
    var height = parseInt(node.getAttribute("data-height"), 10);
    if (height > 0) { node.style.height = height + "px"; }
    node.textContent = "";
    node.classList.add("is-drawn");
    // ECharts' default tooltip is HTML with style attributes, which the Content-Security-Policy
    // refuses; rich text draws it inside the chart's own SVG instead.
    if (option.tooltip) { option.tooltip.renderMode = "richText"; }
    var chart = window.echarts.init(node, null, { renderer: "svg" });
    chart.setOption(option);
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
