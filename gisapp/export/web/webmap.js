/* The briefing web map: draws the embedded data with Leaflet, offline.
 *
 * Every attribute is written with textContent, never as markup. The data come from
 * a <script type="application/json"> element parsed with JSON.parse.
 */
(function () {
  'use strict';

  var NODATA = '无数据';
  var POINT = 'P', LINE = 'L', AREA = 'A';
  var NO_POPUP = { city: true, county: true };

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function svg(tag, attrs) {
    var node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  /* --- geometry ------------------------------------------------------------ */

  function decode(part) {
    var c = part.c, q = Math.pow(10, part.q), n = c.length / 2;
    var out = new Array(n), x = 0, y = 0;
    for (var i = 0; i < n; i++) {
      x += c[2 * i]; y += c[2 * i + 1];
      out[i] = [y / q, x / q];
    }
    return out;
  }

  function nest(items, offsets) {
    for (var level = 0; level < offsets.length; level++) {
      var off = offsets[level], grouped = new Array(off.length - 1);
      for (var i = 0; i < off.length - 1; i++) { grouped[i] = items.slice(off[i], off[i + 1]); }
      items = grouped;
    }
    return items;
  }

  /* --- symbols ------------------------------------------------------------- */

  function outline(ctx, shape, x, y, r) {
    switch (shape) {
      case 'square':
        ctx.rect(x - r, y - r, 2 * r, 2 * r); break;
      case 'diamond':
        ctx.moveTo(x, y - r * 1.3); ctx.lineTo(x + r * 1.3, y);
        ctx.lineTo(x, y + r * 1.3); ctx.lineTo(x - r * 1.3, y); ctx.closePath(); break;
      case 'triangle':
        ctx.moveTo(x, y - r * 1.3); ctx.lineTo(x + r * 1.2, y + r * 0.9);
        ctx.lineTo(x - r * 1.2, y + r * 0.9); ctx.closePath(); break;
      case 'house':
        ctx.moveTo(x, y - r * 1.2); ctx.lineTo(x + r, y - r * 0.2); ctx.lineTo(x + r, y + r);
        ctx.lineTo(x - r, y + r); ctx.lineTo(x - r, y - r * 0.2); ctx.closePath(); break;
      case 'bridge':
        ctx.rect(x - r * 1.3, y - r * 0.6, r * 2.6, r * 1.2); break;
      default:
        ctx.arc(x, y, r, 0, Math.PI * 2, false);
    }
  }

  var ShapeMarker = L.CircleMarker.extend({
    _updatePath: function () {
      var renderer = this._renderer;
      if (!renderer._drawing || this._empty()) { return; }
      var ctx = renderer._ctx, p = this._point;
      ctx.beginPath();
      outline(ctx, this.options.shape, p.x, p.y, Math.max(this._radius, 1));
      renderer._fillStroke(ctx, this);
    }
  });

  function pathOptions(sym, family, renderer, interactive) {
    var opts = {
      renderer: renderer, interactive: interactive,
      color: sym.color, opacity: sym.o, weight: sym.w,
      dashArray: sym.dash || null, lineCap: 'round', lineJoin: 'round'
    };
    if (family === LINE) {
      opts.fill = false;
    } else {
      opts.fill = sym.fo > 0; opts.fillColor = sym.fill; opts.fillOpacity = sym.fo;
      opts.stroke = sym.o > 0 && sym.w > 0;
    }
    if (family === POINT) { opts.radius = sym.r; opts.shape = sym.shape; }
    return opts;
  }

  function swatch(sym, family) {
    var box = svg('svg', { width: 28, height: 16, viewBox: '0 0 28 16', 'class': 'gm-swatch' });
    var common = { stroke: sym.color, 'stroke-opacity': sym.o, 'stroke-width': Math.min(sym.w, 5) };
    if (sym.dash) { common['stroke-dasharray'] = sym.dash; }
    var node;
    if (family === LINE) {
      node = svg('line', Object.assign({ x1: 2, y1: 8, x2: 26, y2: 8, 'stroke-linecap': 'round' }, common));
    } else if (family === AREA) {
      node = svg('rect', Object.assign({ x: 3, y: 2, width: 22, height: 12, fill: sym.fill, 'fill-opacity': sym.fo }, common));
    } else {
      var r = Math.min(sym.r, 7), cx = 14, cy = 8, d;
      if (sym.shape === 'square') { d = 'M' + (cx - r) + ',' + (cy - r) + 'h' + 2 * r + 'v' + 2 * r + 'h' + (-2 * r) + 'z'; }
      else if (sym.shape === 'diamond') { d = 'M' + cx + ',' + (cy - r) + 'L' + (cx + r) + ',' + cy + 'L' + cx + ',' + (cy + r) + 'L' + (cx - r) + ',' + cy + 'z'; }
      else if (sym.shape === 'triangle') { d = 'M' + cx + ',' + (cy - r) + 'L' + (cx + r) + ',' + (cy + r * 0.8) + 'L' + (cx - r) + ',' + (cy + r * 0.8) + 'z'; }
      else if (sym.shape === 'house') { d = 'M' + cx + ',' + (cy - r) + 'L' + (cx + r) + ',' + (cy - r * 0.2) + 'V' + (cy + r) + 'H' + (cx - r) + 'V' + (cy - r * 0.2) + 'z'; }
      else if (sym.shape === 'bridge') { d = 'M' + (cx - r * 1.3) + ',' + (cy - r * 0.6) + 'h' + 2.6 * r + 'v' + 1.2 * r + 'h' + (-2.6 * r) + 'z'; }
      if (d) { node = svg('path', Object.assign({ d: d, fill: sym.fill, 'fill-opacity': sym.fo }, common)); }
      else { node = svg('circle', Object.assign({ cx: cx, cy: cy, r: r, fill: sym.fill, 'fill-opacity': sym.fo }, common)); }
    }
    box.appendChild(node);
    return box;
  }

  /* --- values -------------------------------------------------------------- */

  function cell(col, row) {
    var v = col.v[row];
    if (v === null || v === undefined) { return null; }
    if (col.k) { v = col.k[v]; }
    return v;
  }

  function show(value, tag) {
    if (value === null || value === undefined || value === '') { return null; }
    if (tag === 'b') { return value ? '是' : '否'; }
    if (tag === 't') { return String(value).replace('T', ' ').replace(/([+-]\d\d:\d\d|Z)$/, ' $1'); }
    return String(value);
  }

  function valueCell(text) {
    var td = el('td', text === null ? 'gm-nodata' : '', text === null ? NODATA : text);
    return td;
  }

  /* --- the page ------------------------------------------------------------ */

  function GisappWebmap(map, data) {
    this.map = map;
    this.data = data;
    this.layers = {};
    this.groups = {};
    this.order = [];
    this.renderer = L.canvas({ padding: 0.3, tolerance: 3 });
    this.cards = data.cards || {};
    this.index = [];
    this.build();
  }

  GisappWebmap.prototype.build = function () {
    var self = this, map = this.map, data = this.data;
    map.attributionControl.setPrefix('Leaflet');
    if (data.basemap) { this.addBasemap(data.basemap); }
    data.layers.slice().sort(function (a, b) { return a.order - b.order; }).forEach(function (layer) {
      self.addLayer(layer);
    });
    this.restack();
    if (data.bounds) { map.fitBounds(data.bounds, { padding: [20, 20] }); }
    L.control.scale({ imperial: false, maxWidth: 160, position: 'bottomleft' }).addTo(map);
    this.titlePanel();
    this.searchPanel();
    this.layerPanel();
    this.legendPanel();
    map.on('click', function () { self.closeResults(); });
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        window.gisappRenderedAt = performance.now();
        window.gisappReady = true;
        document.body.setAttribute('data-rendered', '1');
      });
    });
  };

  GisappWebmap.prototype.addBasemap = function (spec) {
    var map = this.map, self = this, failed = 0, warned = false;
    var group = L.layerGroup();
    spec.urls.forEach(function (url) {
      var tiles = L.tileLayer(url, {
        subdomains: spec.subdomains || 'abc', maxZoom: spec.maxZoom || 18,
        attribution: spec.attribution || ''
      });
      tiles.on('tileerror', function () {
        failed += 1;
        if (!warned && failed >= 2) {
          warned = true;
          self.notice('底图无法加载（无网络或服务不可用），仅显示本图数据。');
        }
      });
      group.addLayer(tiles);
    });
    group.addTo(map);
    this.basemap = { name: spec.name, group: group };
  };

  GisappWebmap.prototype.notice = function (text) {
    var box = document.querySelector('.gm-notice');
    if (!box) {
      box = el('div', 'gm-notice');
      this.map.getContainer().appendChild(box);
    }
    box.appendChild(el('div', '', text));
  };

  GisappWebmap.prototype.addLayer = function (layer) {
    var self = this, group = L.featureGroup(), features = [];
    var interactive = !NO_POPUP[layer.kind];
    layer.parts.forEach(function (part) {
      var family = part.f, symbols = layer.symbols[family];
      var coords = decode(part), geoms, n;
      if (family === POINT) { geoms = coords; } else { geoms = nest(coords, part.o); }
      n = geoms.length;
      for (var i = 0; i < n; i++) {
        var row = part.rows ? part.rows[i] : i;
        var c = layer.cat ? layer.cat[row] : -1;
        var sym = c >= 0 ? symbols.cats[c] : symbols.base;
        var opts = pathOptions(sym, family, self.renderer, interactive);
        var feature;
        if (family === POINT) { feature = new ShapeMarker(geoms[i], opts); }
        else if (family === LINE) { feature = L.polyline(geoms[i], opts); }
        else { feature = L.polygon(geoms[i], opts); }
        feature._gmRow = row;
        group.addLayer(feature);
        features.push(feature);
      }
    });
    if (interactive) {
      group.on('click', function (e) {
        L.DomEvent.stopPropagation(e);
        self.openPopup(layer, e.layer._gmRow, e.latlng);
      });
      group.on('mouseover', function (e) { self.hover(layer, e.layer, e.latlng); });
      group.on('mouseout', function () { self.map.closeTooltip(self.tooltip); });
    }
    this.layers[layer.id] = layer;
    this.groups[layer.id] = group;
    this.order.push(layer.id);
    layer._features = features;
    layer._on = layer.visible;
    if (layer.search && layer.cols.name) {
      var names = layer.cols.name, codes = layer.cols.code, towns = layer.cols.township;
      features.forEach(function (f) {
        var name = cell(names, f._gmRow);
        if (name === null) { return; }
        self.index.push({
          name: String(name), layer: layer, feature: f,
          code: codes ? cell(codes, f._gmRow) : null,
          town: towns ? cell(towns, f._gmRow) : null
        });
      });
    }
  };

  GisappWebmap.prototype.restack = function () {
    var map = this.map, self = this;
    this.order.forEach(function (id) {
      if (map.hasLayer(self.groups[id])) { map.removeLayer(self.groups[id]); }
    });
    this.order.forEach(function (id) {
      if (self.layers[id]._on) { self.groups[id].addTo(map); }
    });
  };

  GisappWebmap.prototype.labelOf = function (layer, row) {
    var col = layer.label ? layer.cols[layer.label] : null;
    var text = col ? show(cell(col, row), col.t) : null;
    return text === null ? layer.name : text;
  };

  GisappWebmap.prototype.hover = function (layer, feature, latlng) {
    var text = this.labelOf(layer, feature._gmRow);
    var status = this.statusOf(layer, feature._gmRow);
    if (status) { text += ' · ' + status.zh; }
    if (!this.tooltip) { this.tooltip = L.tooltip({ direction: 'top', offset: [0, -6], className: 'gm-tooltip' }); }
    this.tooltip.setLatLng(feature.getLatLng ? feature.getLatLng() : latlng).setContent(el('span', '', text));
    this.map.openTooltip(this.tooltip);
  };

  GisappWebmap.prototype.statusOf = function (layer, row) {
    if (layer.catField !== 'gap_status' || !layer.cols.gap_status) { return null; }
    var key = cell(layer.cols.gap_status, row);
    return key !== null && this.data.status[key] ? this.data.status[key] : null;
  };

  GisappWebmap.prototype.popupContent = function (layer, row) {
    var box = el('div', 'gm-popup');
    var head = el('div', 'gm-popup-head');
    head.appendChild(el('span', 'gm-popup-title', this.labelOf(layer, row)));
    head.appendChild(el('span', 'gm-popup-kind', layer.kindZh));
    box.appendChild(head);
    var where = [];
    ['county', 'township'].forEach(function (k) {
      var col = layer.cols[k];
      var v = col ? cell(col, row) : null;
      if (v !== null && layer.kind === 'village') { where.push(String(v)); }
    });
    if (where.length) { box.appendChild(el('div', 'gm-popup-where', where.join(' · '))); }
    var status = this.statusOf(layer, row);
    if (status) {
      var badge = el('div', 'gm-status');
      var dot = el('span', 'gm-status-dot');
      dot.style.background = status.color;
      badge.appendChild(dot);
      badge.appendChild(el('span', '', status.zh));
      box.appendChild(badge);
      var reason = layer.cols.gap_reason ? cell(layer.cols.gap_reason, row) : null;
      if (reason !== null) { box.appendChild(el('div', 'gm-reason', reason)); }
    }
    var code = layer.cols.code ? cell(layer.cols.code, row) : null;
    var card = layer.kind === 'village' && code !== null ? this.cards[String(code)] : null;
    var table;
    if (card) {
      box.appendChild(el('div', 'gm-section', '村情卡'));
      table = el('table', 'gm-card');
      var hr = el('tr');
      ['指标', '现状', '目标', '达标', '依据'].forEach(function (h) { hr.appendChild(el('th', '', h)); });
      table.appendChild(hr);
      card.forEach(function (r) {
        var tr = el('tr');
        tr.appendChild(el('td', 'gm-key', r[0]));
        tr.appendChild(valueCell(show(r[1], 's')));
        tr.appendChild(valueCell(show(r[2], 's')));
        var pass = r[3] === null ? null : (r[3] ? '是' : '否');
        var td = valueCell(pass);
        if (pass !== null) { td.className = r[3] ? 'gm-pass' : 'gm-fail'; }
        tr.appendChild(td);
        tr.appendChild(valueCell(show(r[4], 's')));
        table.appendChild(tr);
      });
      box.appendChild(table);
    }
    var attrs = el('table', 'gm-attrs');
    layer.fields.forEach(function (f) {
      if (f.n === 'gap_status' || f.n === 'gap_reason') { return; }
      var tr = el('tr');
      tr.appendChild(el('th', '', f.zh));
      tr.appendChild(valueCell(show(cell(layer.cols[f.n], row), f.t)));
      attrs.appendChild(tr);
    });
    if (card) {
      var more = el('details', 'gm-more');
      more.appendChild(el('summary', '', '全部属性'));
      more.appendChild(attrs);
      box.appendChild(more);
    } else {
      box.appendChild(attrs);
    }
    return box;
  };

  GisappWebmap.prototype.openPopup = function (layer, row, latlng) {
    this.map.closeTooltip(this.tooltip);
    L.popup({ maxWidth: 420, minWidth: 240, maxHeight: 420, className: 'gm-popup-wrap' })
      .setLatLng(latlng)
      .setContent(this.popupContent(layer, row))
      .openOn(this.map);
  };

  GisappWebmap.prototype.openFeature = function (layerId, row) {
    var layer = this.layers[layerId], feature = null;
    layer._features.forEach(function (f) { if (f._gmRow === row) { feature = f; } });
    if (!feature) { return false; }
    if (!layer._on) { this.toggle(layer, true); }
    var where = feature.getLatLng ? feature.getLatLng() : feature.getBounds().getCenter();
    this.map.setView(where, Math.max(this.map.getZoom(), 12));
    this.openPopup(layer, row, where);
    return true;
  };

  /* --- panels -------------------------------------------------------------- */

  function panel(position, cls, build) {
    var Control = L.Control.extend({
      options: { position: position },
      onAdd: function () {
        var box = el('div', 'gm-panel ' + cls);
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        build(box);
        return box;
      }
    });
    return new Control();
  }

  GisappWebmap.prototype.titlePanel = function () {
    var d = this.data;
    var box = el('div', 'gm-title');
    box.appendChild(el('h1', '', d.title));
    if (d.subtitle) { box.appendChild(el('div', 'gm-subtitle', d.subtitle)); }
    var meta = el('div', 'gm-meta');
    meta.appendChild(el('span', '', '制图日期 ' + d.date));
    var profile = el('span', 'gm-profile gm-profile-' + d.profile.id, d.profile.zh);
    profile.title = d.profile.note;
    meta.appendChild(profile);
    if (d.office) { meta.appendChild(el('span', '', d.office)); }
    box.appendChild(meta);
    if (d.sample) { box.appendChild(el('div', 'gm-sample', d.sample)); }
    (d.notes || []).forEach(function (n) { box.appendChild(el('div', 'gm-note', n)); });
    this.map.getContainer().appendChild(box);
    L.DomEvent.disableClickPropagation(box);
  };

  GisappWebmap.prototype.searchPanel = function () {
    var self = this;
    if (!this.index.length) { return; }
    this.index.sort(function (a, b) { return a.name.localeCompare(b.name, 'zh-CN'); });
    panel('topleft', 'gm-search', function (box) {
      var input = el('input');
      input.type = 'search';
      input.placeholder = '搜索村名或村代码';
      input.setAttribute('aria-label', '搜索村名');
      var results = el('div', 'gm-results');
      box.appendChild(input);
      box.appendChild(results);
      self.searchInput = input;
      self.results = results;
      input.addEventListener('input', function () { self.search(input.value); });
      input.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' && self.hits && self.hits.length) { self.choose(self.hits[0]); }
        if (e.key === 'Escape') { self.closeResults(); }
      });
    }).addTo(this.map);
  };

  GisappWebmap.prototype.search = function (text) {
    var self = this, q = String(text || '').trim();
    this.results.textContent = '';
    this.hits = [];
    if (!q) { return; }
    var hits = this.index.filter(function (e) {
      return e.name.indexOf(q) >= 0 || (e.code !== null && String(e.code).indexOf(q) === 0);
    });
    this.hits = hits;
    hits.slice(0, 12).forEach(function (hit) {
      var item = el('div', 'gm-hit');
      item.appendChild(el('span', 'gm-hit-name', hit.name));
      var where = [hit.town, hit.code].filter(function (v) { return v !== null; }).join(' · ');
      item.appendChild(el('span', 'gm-hit-where', where));
      item.addEventListener('click', function () { self.choose(hit); });
      self.results.appendChild(item);
    });
    if (!hits.length) { this.results.appendChild(el('div', 'gm-hit gm-none', '未找到“' + q + '”')); }
    else if (hits.length > 12) { this.results.appendChild(el('div', 'gm-hit gm-none', '另有 ' + (hits.length - 12) + ' 个结果，请输入更多字')); }
  };

  GisappWebmap.prototype.choose = function (hit) {
    this.closeResults();
    this.openFeature(hit.layer.id, hit.feature._gmRow);
  };

  GisappWebmap.prototype.closeResults = function () {
    if (this.results) { this.results.textContent = ''; }
  };

  GisappWebmap.prototype.toggle = function (layer, on) {
    layer._on = on;
    if (layer._box) { layer._box.checked = on; }
    this.restack();
    this.refreshLegend();
  };

  GisappWebmap.prototype.layerPanel = function () {
    var self = this, data = this.data;
    panel('topright', 'gm-layers', function (box) {
      var head = el('div', 'gm-panel-head', '图层');
      box.appendChild(head);
      var body = el('div', 'gm-panel-body');
      box.appendChild(body);
      head.addEventListener('click', function () { box.classList.toggle('gm-collapsed'); });
      if (self.basemap) {
        var g0 = el('div', 'gm-group');
        g0.appendChild(el('div', 'gm-group-name', '底图'));
        var lab0 = el('label', 'gm-layer');
        var cb0 = el('input'); cb0.type = 'checkbox'; cb0.checked = true;
        cb0.addEventListener('change', function () {
          if (cb0.checked) { self.basemap.group.addTo(self.map); } else { self.map.removeLayer(self.basemap.group); }
        });
        lab0.appendChild(cb0); lab0.appendChild(el('span', '', self.basemap.name));
        g0.appendChild(lab0); body.appendChild(g0);
      }
      data.groups.forEach(function (g) {
        var group = el('div', 'gm-group');
        group.appendChild(el('div', 'gm-group-name', g.name));
        g.layers.forEach(function (id) {
          var layer = self.layers[id];
          var label = el('label', 'gm-layer');
          var cb = el('input');
          cb.type = 'checkbox';
          cb.checked = layer._on;
          cb.setAttribute('data-layer', id);
          cb.addEventListener('change', function () { self.toggle(layer, cb.checked); });
          layer._box = cb;
          label.appendChild(cb);
          label.appendChild(el('span', '', layer.name));
          label.appendChild(el('span', 'gm-count', String(layer._features.length)));
          group.appendChild(label);
        });
        body.appendChild(group);
      });
    }).addTo(this.map);
  };

  GisappWebmap.prototype.legendPanel = function () {
    var self = this;
    panel('bottomright', 'gm-legend', function (box) {
      var head = el('div', 'gm-panel-head', '图例');
      head.addEventListener('click', function () { box.classList.toggle('gm-collapsed'); });
      box.appendChild(head);
      self.legendBody = el('div', 'gm-panel-body');
      box.appendChild(self.legendBody);
    }).addTo(this.map);
    this.refreshLegend();
  };

  GisappWebmap.prototype.refreshLegend = function () {
    var self = this, body = this.legendBody;
    if (!body) { return; }
    body.textContent = '';
    this.order.slice().reverse().forEach(function (id) {
      var layer = self.layers[id];
      if (!layer._on || !layer._features.length) { return; }
      var section = el('div', 'gm-legend-layer');
      var families = layer.parts.map(function (p) { return p.f; });
      var family = families.indexOf(POINT) >= 0 ? POINT : families[0];
      var symbols = layer.symbols[family];
      if (layer.legend.length > 1 || layer.catField) {
        section.appendChild(el('div', 'gm-legend-title', layer.name));
      }
      layer.legend.forEach(function (row) {
        var line = el('div', 'gm-legend-row');
        var sym = row.cat >= 0 ? symbols.cats[row.cat] : symbols.base;
        line.appendChild(swatch(sym, family));
        line.appendChild(el('span', '', row.label));
        section.appendChild(line);
      });
      body.appendChild(section);
    });
  };

  window.GisappWebmap = GisappWebmap;
  window.gisappStart = function (map) {
    var node = document.getElementById('gisapp-data');
    var data = JSON.parse(node.textContent);
    window.gisappWebmap = new GisappWebmap(map, data);
    return window.gisappWebmap;
  };
}());
