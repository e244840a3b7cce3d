// Impact dashboards: charts and the flow map are drawn from data attributes; every chart has a
// table with the same figures in the page, so nothing here is needed to read them.
(function () {
  'use strict';

  var palette = ['#1f6f43', '#8a4b00', '#2c5d8f', '#7a3e9d', '#5c6b2e', '#a33b3b'];

  function options(data) {
    if (data.kind === 'sankey') {
      return {
        color: palette,
        tooltip: { trigger: 'item' },
        series: [{ type: 'sankey', data: data.nodes, links: data.links, emphasis: { focus: 'adjacency' },
          label: { color: '#222' }, lineStyle: { color: 'gradient', opacity: 0.45 }, nodeGap: 12 }]
      };
    }
    var horizontal = data.kind === 'bars';
    var category = { type: 'category', data: data.labels, axisLabel: horizontal ? { width: 220, overflow: 'truncate' } : {} };
    var value = { type: 'value' };
    return {
      color: palette,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: horizontal ? 230 : 50, right: 20, top: 40, bottom: 30 },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? Object.assign(category, { inverse: true }) : value,
      series: data.series
    };
  }

  function drawChart(el) {
    if (typeof echarts === 'undefined') { return; }
    var data = JSON.parse(el.getAttribute('data-chart'));
    if (data.kind === 'bars') {
      el.style.height = Math.max(240, 60 + data.labels.length * 34) + 'px';
    }
    var chart = echarts.init(el);
    var o = options(data);
    // No animation: ECharts' animation threw in headless Chromium, and a print must show the final chart.
    o.animation = false;
    chart.setOption(o);
    window.addEventListener('resize', function () {
      // A full-page capture resizes the window through sizes where the Sankey's view cannot be inverted.
      if (el.clientWidth === 0 || el.clientHeight === 0) { return; }
      try { chart.resize(); } catch (e) { /* keep the previous drawing; the table below has the figures */ }
    });
  }

  function drawFlows(el) {
    if (typeof L === 'undefined') { return; }
    var map = L.map(el, { scrollWheelZoom: false }).setView([parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)], 10);
    var tiles = document.querySelector('[data-tiles]');
    L.tileLayer(el.dataset.tiles || 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
      { attribution: el.dataset.attribution || '© OpenStreetMap', maxZoom: 18 }).addTo(map);
    fetch(el.dataset.geojson, { headers: { 'Accept': 'application/geo+json' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : { features: [] }; })
      .then(function (data) {
        if (!data.features || data.features.length === 0) { return; }
        var layer = L.geoJSON(data, {
          style: function (f) {
            return { color: '#1f6f43', opacity: 0.7, weight: Math.min(10, 1.5 + Math.sqrt(f.properties.tonnes || 0)) };
          },
          onEachFeature: function (f, line) {
            var p = f.properties;
            line.bindTooltip(p.giver + ' → ' + p.taker + ' : ' + p.category + ', ' + p.tonnes + ' t (' + p.exchanges + ' échange(s))');
          }
        }).addTo(map);
        data.features.forEach(function (f) {
          var c = f.geometry.coordinates;
          L.circleMarker([c[0][1], c[0][0]], { radius: 4, color: '#1f6f43', fillOpacity: 1 }).addTo(map);
          L.circleMarker([c[1][1], c[1][0]], { radius: 4, color: '#7a3e9d', fillOpacity: 1 }).addTo(map);
        });
        map.fitBounds(layer.getBounds(), { padding: [20, 20] });
      });
    return tiles;
  }

  document.querySelectorAll('[data-chart]').forEach(drawChart);
  document.querySelectorAll('[data-flow-map]').forEach(drawFlows);
})();
