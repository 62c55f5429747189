/* 初审统计: draw every [data-echart] element with Apache ECharts (static/vendor). The
   option comes from the server as JSON in the element's data-echart attribute. */
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var charts = [];
  Array.prototype.forEach.call(document.querySelectorAll("[data-echart]"), function (el) {
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(JSON.parse(el.dataset.echart));
    el.dataset.ready = "1";
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
