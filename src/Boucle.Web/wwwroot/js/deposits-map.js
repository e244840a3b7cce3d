// Deposit maps: grid squares from the page's GeoJSON, darker where more tonnes lie unmatched.
// The page's table gives the same deposits in words, so the map is an addition.
(function () {
  'use strict';

  function describe(p) {
    var box = document.createElement('p');
    var what = p.type === 'offer' ? 'offre' : 'besoin';
    box.textContent = p.listings + ' ' + what + (p.listings > 1 ? 's' : '') + ' de ' + p.organisations + ' structure' +
      (p.organisations > 1 ? 's' : '') + (p.tonnes > 0 ? ' · ' + p.tonnes.toLocaleString('fr-FR') + ' t/an' : '');
    return box;
  }

  function init(el) {
    if (typeof L === 'undefined') {
      return;
    }
    var map = L.map(el, { scrollWheelZoom: false }).setView([parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)], parseInt(el.dataset.zoom || '9', 10));
    var tiles = L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 18 });
    var warned = false;
    tiles.on('tileerror', function () {
      if (warned) { return; }
      warned = true;
      var note = document.getElementById(el.id + '-note');
      if (note) { note.textContent = 'Le fond de carte ne peut pas être chargé ; les mailles restent dessinées et le tableau ci-dessous donne les gisements.'; }
    });
    tiles.addTo(map);
    fetch(el.dataset.cells, { headers: { 'Accept': 'application/geo+json' } })
      .then(function (r) { return r.ok ? r.json() : { features: [] }; })
      .then(function (data) {
        var max = 0;
        data.features.forEach(function (f) { max = Math.max(max, f.properties.tonnes); });
        var layer = L.geoJSON(data, {
          style: function (f) {
            var share = max > 0 ? f.properties.tonnes / max : 0;
            return {
              color: f.properties.type === 'offer' ? '#1f6f43' : '#7a3e9d',
              weight: 1,
              fillOpacity: 0.2 + (0.6 * share)
            };
          },
          onEachFeature: function (f, layer) { layer.bindPopup(describe(f.properties)); }
        }).addTo(map);
        if (data.features.length > 0) {
          map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 11 });
        }
      });
  }

  document.querySelectorAll('[data-deposit-map]').forEach(init);
})();
