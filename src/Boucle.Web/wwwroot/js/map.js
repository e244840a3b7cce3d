// Listing maps: markers come from the GeoJSON endpoint; the page lists the same listings
// in plain HTML, so the map is an addition and the page works without it.
(function () {
  'use strict';

  function popupContent(props) {
    var box = document.createElement('div');
    var link = document.createElement('a');
    link.href = props.url;
    link.textContent = props.title;
    var meta = document.createElement('p');
    meta.textContent = (props.type === 'offer' ? 'Offre' : 'Besoin') + ' · ' + props.organization;
    box.appendChild(link);
    box.appendChild(meta);
    return box;
  }

  function init(el) {
    if (typeof L === 'undefined') {
      return;
    }
    var lat = parseFloat(el.dataset.lat);
    var lon = parseFloat(el.dataset.lon);
    var map = L.map(el, { scrollWheelZoom: false }).setView([lat, lon], parseInt(el.dataset.zoom || '10', 10));
    var tiles = L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 18 });
    var warned = false;
    tiles.on('tileerror', function () {
      if (warned) { return; }
      warned = true;
      var note = document.getElementById(el.id + '-note');
      if (note) { note.textContent = 'Le fond de carte ne peut pas être chargé ; les annonces restent placées et listées ci-dessous.'; }
    });
    tiles.addTo(map);
    var cluster = L.markerClusterGroup ? L.markerClusterGroup() : L.layerGroup();
    cluster.addTo(map);
    fetch(el.dataset.geojson, { headers: { 'Accept': 'application/geo+json' } })
      .then(function (r) { return r.ok ? r.json() : { features: [] }; })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          pointToLayer: function (feature, latlng) {
            var colour = feature.properties.type === 'offer' ? '#1f6f43' : '#7a3e9d';
            return L.circleMarker(latlng, { radius: 8, color: '#fff', weight: 2, fillColor: colour, fillOpacity: 0.9 });
          },
          onEachFeature: function (feature, marker) {
            marker.bindPopup(popupContent(feature.properties));
            marker.options.title = feature.properties.title;
          }
        });
        cluster.addLayer(layer);
        if (data.features && data.features.length > 1 && el.dataset.fit === 'true') {
          map.fitBounds(layer.getBounds(), { padding: [20, 20] });
        } else if (data.features && data.features.length === 1 && el.dataset.fit === 'true') {
          map.setView(layer.getBounds().getCenter(), 13);
        }
      });
  }

  document.querySelectorAll('[data-map]').forEach(init);
})();
