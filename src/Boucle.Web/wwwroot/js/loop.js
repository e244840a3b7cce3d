// The loop's Sankey diagram. Its data is in the element's data-sankey attribute and also in the
// table that follows it, so the page says everything without JavaScript.
(function () {
  'use strict';
  var el = document.getElementById('loop-sankey');
  if (!el || typeof echarts === 'undefined') {
    return;
  }
  var data = JSON.parse(el.dataset.sankey || '{}');
  if (!data.nodes || data.nodes.length === 0) {
    return;
  }
  var chart = echarts.init(el);
  chart.setOption({
    aria: { enabled: false },
    tooltip: {
      trigger: 'item',
      formatter: function (p) {
        if (p.dataType === 'edge') {
          return p.data.source + ' → ' + p.data.target + ' : ' + p.data.value.toLocaleString('fr-FR') + ' t';
        }
        return p.name;
      }
    },
    series: [{
      type: 'sankey',
      left: 10,
      right: 160,
      nodeAlign: 'left',
      emphasis: { focus: 'adjacency' },
      lineStyle: { color: 'gradient', opacity: 0.45 },
      label: { color: '#1b1b1b', fontSize: 12 },
      data: data.nodes.map(function (n) { return { name: n.name }; }),
      links: data.links
    }]
  });
  window.addEventListener('resize', function () { chart.resize(); });
})();
