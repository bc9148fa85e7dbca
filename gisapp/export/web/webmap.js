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

  /* --- geometry ------------------------------------------------------------
   * Coordinates arrive as delta-coded integers; they are kept as Web-Mercator
   * pixels at zoom 0 in typed arrays, so a redraw only scales and shifts them.
   */

  var R2D = 180 / Math.PI, D2R = Math.PI / 180, MAXLAT = 85.0511287798;

  function projectX(lng) { return (lng + 180) / 360 * 256; }
  function projectY(lat) {
    var phi = Math.max(Math.min(lat, MAXLAT), -MAXLAT) * D2R;
    return (1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2 * 256;
  }
  function unproject(x, y) {
    var lng = x / 256 * 360 - 180;
    var n = Math.PI - 2 * Math.PI * y / 256;
    return L.latLng(R2D * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n))), lng);
  }

  /* One geometry family of a layer: projected coordinates, runs and boxes. */
  function Geometry(part) {
    var c = part.c, q = Math.pow(10, part.q), n = c.length / 2, i, x = 0, y = 0;
    var xy = new Float64Array(2 * n);
    for (i = 0; i < n; i++) {
      x += c[2 * i]; y += c[2 * i + 1];
      xy[2 * i] = projectX(x / q); xy[2 * i + 1] = projectY(y / q);
    }
    this.family = part.f;
    this.xy = xy;
    this.rows = part.rows || null;
    var o = part.o || [], count, lo, hi;
    if (this.family === POINT) {
      count = n;
    } else if (o.length === 1) {
      count = o[0].length - 1;
      lo = new Int32Array(count); hi = new Int32Array(count);
      for (i = 0; i < count; i++) { lo[i] = i; hi[i] = i + 1; }
    } else if (o.length === 2) {
      count = o[1].length - 1;
      lo = Int32Array.from(o[1].slice(0, count)); hi = Int32Array.from(o[1].slice(1));
    } else {
      count = o[2].length - 1;
      lo = new Int32Array(count); hi = new Int32Array(count);
      for (i = 0; i < count; i++) { lo[i] = o[1][o[2][i]]; hi[i] = o[1][o[2][i + 1]]; }
    }
    this.count = count;
    this.runs = o.length ? Int32Array.from(o[0]) : null;
    this.lo = lo; this.hi = hi;
    var box = new Float64Array(4 * count);
    for (i = 0; i < count; i++) {
      var minx = Infinity, miny = Infinity, maxx = -Infinity, maxy = -Infinity;
      if (this.family === POINT) {
        minx = maxx = xy[2 * i]; miny = maxy = xy[2 * i + 1];
      } else {
        for (var k = this.runs[lo[i]]; k < this.runs[hi[i]]; k++) {
          var px = xy[2 * k], py = xy[2 * k + 1];
          if (px < minx) { minx = px; } if (px > maxx) { maxx = px; }
          if (py < miny) { miny = py; } if (py > maxy) { maxy = py; }
        }
      }
      box[4 * i] = minx; box[4 * i + 1] = miny; box[4 * i + 2] = maxx; box[4 * i + 3] = maxy;
    }
    this.box = box;
  }

  Geometry.prototype.row = function (i) { return this.rows ? this.rows[i] : i; };

  Geometry.prototype.centre = function (i) {
    var at = this.anchor(i);
    return unproject(at[0], at[1]);
  };

  /* Where feature i is named, in zoom-0 pixels: a point itself, a point inside an
   * area, the middle of a line's longest part. */
  Geometry.prototype.anchor = function (i) {
    var b = this.box;
    if (this.family === POINT) { return [b[4 * i], b[4 * i + 1]]; }
    if (this.family === AREA) {
      // A point inside the first ring: the middle of its widest horizontal crossing.
      var y = (b[4 * i + 1] + b[4 * i + 3]) / 2, xs = [], xy = this.xy;
      for (var r = this.lo[i]; r < this.hi[i]; r++) {
        for (var k = this.runs[r]; k < this.runs[r + 1] - 1; k++) {
          var y1 = xy[2 * k + 1], y2 = xy[2 * k + 3];
          if ((y1 > y) !== (y2 > y)) {
            xs.push(xy[2 * k] + (y - y1) / (y2 - y1) * (xy[2 * k + 2] - xy[2 * k]));
          }
        }
      }
      xs.sort(function (a, c) { return a - c; });
      var best = -1, at = (b[4 * i] + b[4 * i + 2]) / 2;
      for (var j = 0; j + 1 < xs.length; j += 2) {
        if (xs[j + 1] - xs[j] > best) { best = xs[j + 1] - xs[j]; at = (xs[j] + xs[j + 1]) / 2; }
      }
      return [at, y];
    }
    return this.middle(i);
  };

  /* Half way along the longest part of line feature i, in zoom-0 pixels. */
  Geometry.prototype.middle = function (i) {
    var xy = this.xy, runs = this.runs, best = -1, run = this.lo[i], r, k;
    for (r = this.lo[i]; r < this.hi[i]; r++) {
      var len = 0;
      for (k = runs[r]; k < runs[r + 1] - 1; k++) {
        len += Math.hypot(xy[2 * k + 2] - xy[2 * k], xy[2 * k + 3] - xy[2 * k + 1]);
      }
      if (len > best) { best = len; run = r; }
    }
    var half = best / 2;
    for (k = runs[run]; k < runs[run + 1] - 1; k++) {
      var step = Math.hypot(xy[2 * k + 2] - xy[2 * k], xy[2 * k + 3] - xy[2 * k + 1]);
      if (step >= half && step > 0) {
        var t = half / step;
        return [xy[2 * k] + t * (xy[2 * k + 2] - xy[2 * k]), xy[2 * k + 1] + t * (xy[2 * k + 3] - xy[2 * k + 1])];
      }
      half -= step;
    }
    return [xy[2 * runs[run]], xy[2 * runs[run] + 1]];
  };

  function segmentDistance(px, py, ax, ay, bx, by) {
    var dx = bx - ax, dy = by - ay, t = 0, len = dx * dx + dy * dy;
    if (len > 0) { t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len)); }
    var ex = ax + t * dx - px, ey = ay + t * dy - py;
    return Math.sqrt(ex * ex + ey * ey);
  }

  /* Distance in zoom-0 pixels from a point to feature i (0 inside an area). */
  Geometry.prototype.distance = function (i, px, py) {
    var xy = this.xy, k, r;
    if (this.family === POINT) {
      return Math.sqrt(Math.pow(xy[2 * i] - px, 2) + Math.pow(xy[2 * i + 1] - py, 2));
    }
    if (this.family === AREA) {
      var inside = false;
      for (r = this.lo[i]; r < this.hi[i]; r++) {
        for (k = this.runs[r]; k < this.runs[r + 1] - 1; k++) {
          var x1 = xy[2 * k], y1 = xy[2 * k + 1], x2 = xy[2 * k + 2], y2 = xy[2 * k + 3];
          if ((y1 > py) !== (y2 > py) && px < (x2 - x1) * (py - y1) / (y2 - y1) + x1) { inside = !inside; }
        }
      }
      return inside ? 0 : Infinity;
    }
    var best = Infinity;
    for (r = this.lo[i]; r < this.hi[i]; r++) {
      for (k = this.runs[r]; k < this.runs[r + 1] - 1; k++) {
        best = Math.min(best, segmentDistance(px, py, xy[2 * k], xy[2 * k + 1], xy[2 * k + 2], xy[2 * k + 3]));
      }
    }
    return best;
  };

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
        ctx.moveTo(x + r, y); ctx.arc(x, y, r, 0, Math.PI * 2, false);
    }
  }

  function dashes(text) {
    return text ? String(text).split(/[ ,]+/).map(Number) : [];
  }

  /* --- the stage: one canvas drawing every layer in order ------------------ */

  var Stage = L.Canvas.extend({
    initialize: function (webmap, options) {
      L.Canvas.prototype.initialize.call(this, options);
      this._webmap = webmap;
    },

    _draw: function () {
      var webmap = this._webmap, map = this._map, ctx = this._ctx;
      if (!map || !ctx) { return; }
      var t0 = performance.now();
      var scale = Math.pow(2, map.getZoom()), origin = map.getPixelOrigin();
      var b = this._bounds, pad = 20;
      var view = [(b.min.x + origin.x - pad) / scale, (b.min.y + origin.y - pad) / scale,
        (b.max.x + origin.x + pad) / scale, (b.max.y + origin.y + pad) / scale];
      ctx.save();
      ctx.lineCap = 'round'; ctx.lineJoin = 'round';
      webmap.order.forEach(function (id) {
        var layer = webmap.layers[id];
        layer._painted = 0;
        if (!layer._on) { return; }
        layer._geoms.forEach(function (g) {
          layer._painted += drawFamily(ctx, layer, g, scale, origin, view);
        });
      });
      webmap.drawVeil(ctx, scale, origin, view, b);
      var t1 = performance.now();
      webmap.drawLabels(ctx, scale, origin);
      ctx.restore();
      var timings = window.gisappTimings;
      if (timings) {
        timings.lastDraw = performance.now() - t0;
        timings.lastLabels = performance.now() - t1;
      }
    },

    _onClick: function (e) {
      if (e.type !== 'click') { return; }
      var hit = this._webmap.hitTest(this._map.mouseEventToContainerPoint(e));
      if (!hit) { return; }
      e._stopped = true;  // what Leaflet's own canvas does, so the map does not close the popup
      this._webmap.openPopup(hit.layer, hit.geom.row(hit.index), hit.latlng || this._map.mouseEventToLatLng(e));
    },

    _onMouseMove: function (e) {
      if (!this._map || this._map.dragging.moving() || this._map._animatingZoom) { return; }
      var now = Date.now();
      if (this._lastMove && now - this._lastMove < 40) { return; }
      this._lastMove = now;
      var hit = this._webmap.hitTest(this._map.mouseEventToContainerPoint(e));
      this._container.style.cursor = hit ? 'pointer' : '';
      this._webmap.hover(hit, this._map.mouseEventToLatLng(e));
    },

    _handleMouseOut: function () {
      if (this._container) { this._container.style.cursor = ''; }
      this._webmap.hover(null);
    }
  });

  /* Draw one family of a layer, one path per symbol; returns the features drawn. */
  function drawFamily(ctx, layer, g, scale, origin, view) {
    var symbols = layer.symbols[g.family], groups = g.groups, painted = 0;
    var xy = g.xy, box = g.box, ox = origin.x, oy = origin.y;
    g.order.forEach(function (s) {
      var members = groups[s], sym = s === 0 ? symbols.base : symbols.cats[s - 1];
      if (!members.length) { return; }
      // areas of a marker style smaller than the marker (OSM substations) show it
      var least = sym.marker ? 2 * sym.marker.r / scale : -1, marks = [];
      ctx.beginPath();
      for (var m = 0; m < members.length; m++) {
        var i = members[m];
        if (box[4 * i + 2] < view[0] || box[4 * i] > view[2] || box[4 * i + 3] < view[1] || box[4 * i + 1] > view[3]) {
          continue;
        }
        painted += 1;
        if (g.family === POINT) {
          outline(ctx, sym.shape, xy[2 * i] * scale - ox, xy[2 * i + 1] * scale - oy, sym.r);
          continue;
        }
        if (box[4 * i + 2] - box[4 * i] < least && box[4 * i + 3] - box[4 * i + 1] < least) {
          marks.push(i);
          continue;
        }
        for (var r = g.lo[i]; r < g.hi[i]; r++) {
          var k = g.runs[r], end = g.runs[r + 1];
          ctx.moveTo(xy[2 * k] * scale - ox, xy[2 * k + 1] * scale - oy);
          for (k = k + 1; k < end; k++) { ctx.lineTo(xy[2 * k] * scale - ox, xy[2 * k + 1] * scale - oy); }
          if (g.family === AREA) { ctx.closePath(); }
        }
      }
      paint(ctx, sym, g.family);
      if (marks.length) {
        ctx.beginPath();
        marks.forEach(function (i) {
          outline(ctx, sym.marker.shape, (box[4 * i] + box[4 * i + 2]) / 2 * scale - ox,
            (box[4 * i + 1] + box[4 * i + 3]) / 2 * scale - oy, sym.marker.r);
        });
        paint(ctx, sym.marker, POINT);
      }
    });
    return painted;
  }

  /* Fill and stroke the path just traced with a symbol. */
  function paint(ctx, sym, family) {
    if (family !== LINE && sym.fo > 0) {
      ctx.globalAlpha = sym.fo; ctx.fillStyle = sym.fill;
      ctx.fill('evenodd');
    }
    if (sym.o > 0 && sym.w > 0) {
      ctx.globalAlpha = sym.o; ctx.strokeStyle = sym.color; ctx.lineWidth = sym.w;
      ctx.setLineDash(family === POINT ? [] : dashes(sym.dash));
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
  }

  /* Features of a family grouped by symbol, drawn small first so large ones stay on top. */
  function groupBySymbol(layer, g) {
    var symbols = layer.symbols[g.family], n = symbols.cats.length + 1, lists = [], i;
    for (i = 0; i < n; i++) { lists.push([]); }
    for (i = 0; i < g.count; i++) {
      var c = layer.cat ? layer.cat[g.row(i)] : -1;
      lists[c + 1].push(i);
    }
    g.groups = lists.map(function (a) { return Int32Array.from(a); });
    var size = function (s) {
      var sym = s === 0 ? symbols.base : symbols.cats[s - 1];
      return g.family === POINT ? sym.r : sym.w;
    };
    g.order = lists.map(function (_, s) { return s; }).sort(function (a, b) {
      return size(a) - size(b) || b - a;
    });
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
    this.order = [];
    this.cards = data.cards || {};
    this.index = [];
    this.stage = new Stage(this, { padding: 0.3 });
    this.build();
  }

  GisappWebmap.prototype.build = function () {
    var self = this, map = this.map, data = this.data;
    var timings = window.gisappTimings || {};
    map.attributionControl.setPrefix('Leaflet');
    if (data.basemap) { this.addBasemap(data.basemap); }
    map.options.zoomSnap = 0.25;
    if (data.bounds) {
      map.fitBounds(data.bounds, {
        paddingTopLeft: [20, 110], paddingBottomRight: [20, 20], animate: false
      });
    }
    data.layers.slice().sort(function (a, b) { return a.order - b.order; }).forEach(function (layer) {
      self.addLayer(layer);
    });
    timings.features = performance.now();
    L.control.scale({ imperial: false, maxWidth: 160, position: 'bottomleft' }).addTo(map);
    this.titlePanel();
    this.searchPanel();
    this.layerPanel();
    this.legendPanel();
    this.periodPanel();
    // Drawn once the panels are up, so that no name is placed under one.
    this.stage.addTo(map);
    timings.stacked = performance.now();
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
    var self = this;
    layer._geoms = layer.parts.map(function (part) {
      var g = new Geometry(part);
      groupBySymbol(layer, g);
      return g;
    });
    layer._count = layer._geoms.reduce(function (n, g) { return n + g.count; }, 0);
    layer._interactive = !NO_POPUP[layer.kind];
    layer._on = layer.visible;
    layer._painted = 0;
    this.layers[layer.id] = layer;
    this.order.push(layer.id);
    if (layer.search && layer.cols.name) {
      var names = layer.cols.name, codes = layer.cols.code, towns = layer.cols.township;
      layer._geoms.forEach(function (g) {
        for (var i = 0; i < g.count; i++) {
          var row = g.row(i), name = cell(names, row);
          if (name === null) { continue; }
          self.index.push({
            name: String(name), layer: layer, geom: g, at: i,
            code: codes ? cell(codes, row) : null,
            town: towns ? cell(towns, row) : null
          });
        }
      });
    }
  };

  /* Features drawn per layer in the last frame, and held per layer. */
  GisappWebmap.prototype.counts = function () {
    var self = this, out = {};
    this.order.forEach(function (id) {
      var layer = self.layers[id];
      out[layer.name] = { held: layer._count, painted: layer._painted };
    });
    return out;
  };

  /* Show every feature of the visible layers. */
  GisappWebmap.prototype.fitAll = function () {
    var self = this, b = [Infinity, Infinity, -Infinity, -Infinity];
    this.order.forEach(function (id) {
      var layer = self.layers[id];
      if (!layer._on) { return; }
      layer._geoms.forEach(function (g) {
        for (var i = 0; i < g.count; i++) {
          b[0] = Math.min(b[0], g.box[4 * i]); b[1] = Math.min(b[1], g.box[4 * i + 1]);
          b[2] = Math.max(b[2], g.box[4 * i + 2]); b[3] = Math.max(b[3], g.box[4 * i + 3]);
        }
      });
    });
    if (b[0] > b[2]) { return; }
    this.map.fitBounds(L.latLngBounds(unproject(b[0], b[3]), unproject(b[2], b[1])), { padding: [30, 30], animate: false });
    this.redraw();
  };

  /* --- labels: names on the map, placed without overlap -------------------
   * Candidates are sorted once by rank (villages with a large gap first, then
   * villages, township seats, counties, relocation sites, rivers). Each frame
   * takes them in that order and gives each the first free spot around its
   * anchor; a label that fits nowhere is left out. Text is drawn with fillText,
   * never as markup.
   */

  var LABEL_CELL = 64;      // grid cell of placed boxes, pixels
  var LABEL_MAX = 400;      // labels drawn in one frame at most
  var LABEL_TRIES = 4000;   // candidates tried in one frame at most
  var LABEL_PAD = 2;        // room round the text for its halo, pixels
  var VEIL = 'rgba(255, 255, 255, 0.59)';
  var STATUS_KEYS = { red: true, yellow: true, green: true };

  function truthy(col, row) {
    var v = cell(col, row);
    if (v === null) { return false; }
    if (typeof v === 'string') { return ['true', '1', 'yes', '是'].indexOf(v.trim().toLowerCase()) >= 0; }
    return Boolean(v);
  }

  /* Smaller ranks are placed first, as on the printed map. */
  function labelRank(layer, row) {
    var rank = layer.labelStyle.rank;
    if (layer.kind !== 'village') { return rank; }
    var status = layer.cols.gap_status ? cell(layer.cols.gap_status, row) : null;
    if (status === 'red') { return rank - 0.5; }
    var poor = layer.cols.is_poor ? truthy(layer.cols.is_poor, row) : false;
    return poor || STATUS_KEYS[status] ? rank : 6;
  }

  /* Boxes placed in one frame, bucketed in a coarse grid of container pixels. */
  function LabelGrid() { this.cells = new Map(); }

  LabelGrid.prototype.free = function (x0, y0, x1, y1) {
    for (var i = Math.floor(x0 / LABEL_CELL); i <= Math.floor(x1 / LABEL_CELL); i++) {
      for (var j = Math.floor(y0 / LABEL_CELL); j <= Math.floor(y1 / LABEL_CELL); j++) {
        var list = this.cells.get(i * 65536 + j);
        if (!list) { continue; }
        for (var k = 0; k < list.length; k += 4) {
          if (x0 < list[k + 2] && list[k] < x1 && y0 < list[k + 3] && list[k + 1] < y1) { return false; }
        }
      }
    }
    return true;
  };

  LabelGrid.prototype.take = function (x0, y0, x1, y1) {
    for (var i = Math.floor(x0 / LABEL_CELL); i <= Math.floor(x1 / LABEL_CELL); i++) {
      for (var j = Math.floor(y0 / LABEL_CELL); j <= Math.floor(y1 / LABEL_CELL); j++) {
        var key = i * 65536 + j, list = this.cells.get(key);
        if (!list) { list = []; this.cells.set(key, list); }
        list.push(x0, y0, x1, y1);
      }
    }
  };

  /* Spots to try for a label of w × h round (x, y), best first. */
  function spots(family, x, y, w, h, gap) {
    if (family === POINT) {
      return [x + gap, y - h / 2, x - gap - w, y - h / 2, x - w / 2, y - gap - h, x - w / 2, y + gap];
    }
    var left = x - w / 2, top = y - h / 2;
    if (family === LINE) { return [left, top, left, top - 0.8 * h, left, top + 0.8 * h]; }
    var out = [left, top];
    for (var d = 1; d <= 3; d++) {
      out.push(left, top - d * h, left, top + d * h, left - d * w / 2, top, left + d * w / 2, top);
    }
    return out;
  }

  /* Every feature that may carry a label, in the order they are placed. */
  GisappWebmap.prototype.labelJobs = function () {
    if (this._labelJobs) { return this._labelJobs; }
    var self = this, jobs = [];
    var family = window.getComputedStyle(this.map.getContainer()).fontFamily || 'sans-serif';
    this.order.forEach(function (id) {
      var layer = self.layers[id], ls = layer.labelStyle;
      var col = ls ? layer.cols[ls.field] : null, only = ls && ls.only ? layer.cols[ls.only] : null;
      if (!col || (ls.only && !only)) { return; }
      layer._font = (ls.italic ? 'italic ' : '') + (ls.bold ? 'bold ' : '') + ls.px + 'px ' + family;
      layer._geoms.forEach(function (g) {
        for (var i = 0; i < g.count; i++) {
          var row = g.row(i);
          if (only && !truthy(only, row)) { continue; }
          var text = show(cell(col, row), col.t);
          text = text === null ? '' : text.trim();
          if (!text) { continue; }
          var b = g.box, size = g.family === POINT ? 0 : Math.max(b[4 * i + 2] - b[4 * i], b[4 * i + 3] - b[4 * i + 1]);
          jobs.push({
            layer: layer, g: g, i: i, row: row, text: text, rank: labelRank(layer, row),
            size: size, at: null, w: -1, inside: null
          });
        }
      });
    });
    // Within a rank the larger areas and longer lines first: a river is named once,
    // on its longest piece in view.
    jobs.sort(function (a, b) { return a.rank - b.rank || b.size - a.size; });
    this._labelJobs = jobs;
    return jobs;
  };

  /* Whether a zoom-0 point lies in the project's own area (true without one). */
  GisappWebmap.prototype.inArea = function (x, y) {
    var area = this.data.area, layer = area ? this.layers[area.layer] : null;
    if (!layer) { return true; }
    return layer._geoms.some(function (g) {
      if (g.family !== AREA) { return false; }
      for (var i = 0; i < g.count; i++) {
        var b = g.box;
        if (x < b[4 * i] || x > b[4 * i + 2] || y < b[4 * i + 1] || y > b[4 * i + 3]) { continue; }
        if (g.distance(i, x, y) === 0) { return true; }
      }
      return false;
    });
  };

  /* Screen boxes of the panels over the map, in container pixels. */
  GisappWebmap.prototype.panelBoxes = function () {
    var container = this.map.getContainer(), outer = container.getBoundingClientRect(), out = [];
    container.querySelectorAll('.gm-title, .leaflet-control').forEach(function (node) {
      var r = node.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) {
        out.push([r.left - outer.left, r.top - outer.top, r.right - outer.left, r.bottom - outer.top]);
      }
    });
    return out;
  };

  /* Choose where the labels of the visible layers go in the current view. */
  GisappWebmap.prototype.placeLabels = function (ctx, scale, origin) {
    var map = this.map, zoom = map.getZoom(), size = map.getSize();
    var corner = map.containerPointToLayerPoint([0, 0]);
    var ox = origin.x + corner.x, oy = origin.y + corner.y;  // zoom-0 × scale → container
    var grid = new LabelGrid(), live = [], placed = [], later = [], named = {}, seen = {};
    this.panelBoxes().forEach(function (r) { grid.take(r[0], r[1], r[2], r[3]); });
    var jobs = this.labelJobs(), self = this;
    for (var n = 0; n < jobs.length && live.length < LABEL_TRIES; n++) {
      var job = jobs[n], layer = job.layer, g = job.g, i = job.i, b = g.box;
      if (!layer._on || zoom < layer.labelStyle.minZoom) { continue; }
      if (b[4 * i + 2] * scale - ox < 0 || b[4 * i] * scale - ox > size.x ||
          b[4 * i + 3] * scale - oy < 0 || b[4 * i + 1] * scale - oy > size.y) { continue; }
      if (!job.at) { job.at = g.anchor(i); }
      var x = job.at[0] * scale - ox, y = job.at[1] * scale - oy;
      if (x < 0 || x > size.x || y < 0 || y > size.y) { continue; }
      var gap = 0, r = 0;
      if (g.family === POINT) {
        var c = layer.cat ? layer.cat[job.row] : -1, symbols = layer.symbols[POINT];
        r = (c >= 0 ? symbols.cats[c] : symbols.base).r;
        gap = r + 2;
      }
      // The same place named by two layers (township seats and townships) once.
      var near = seen[job.text] || (seen[job.text] = []), twice = false;
      for (var q = 0; q < near.length && !twice; q += 2) {
        twice = Math.abs(near[q] - x) + Math.abs(near[q + 1] - y) < 3 * Math.max(gap, 4);
      }
      if (twice) { continue; }
      near.push(x, y);
      if (r) { grid.take(x - r, y - r, x + r, y + r); }  // keep the named symbols visible
      live.push({ job: job, x: x, y: y, gap: gap });
    }
    var tryPlace = function (item, outside) {
      var job = item.job, layer = job.layer, ls = layer.labelStyle;
      var key = layer.id + '\u0000' + job.text;
      if (job.g.family === LINE && named[key]) { return; }
      if (job.w < 0) { ctx.font = layer._font; job.w = ctx.measureText(job.text).width; }
      var w = job.w + 2 * LABEL_PAD, h = Math.ceil(ls.px * 1.25);
      var at = spots(job.g.family, item.x, item.y, w, h, item.gap);
      for (var k = 0; k < at.length; k += 2) {
        var x0 = at[k], y0 = at[k + 1], x1 = x0 + w, y1 = y0 + h;
        if (x0 < 0 || y0 < 0 || x1 > size.x || y1 > size.y || !grid.free(x0, y0, x1, y1)) { continue; }
        grid.take(x0, y0, x1, y1);
        named[key] = true;
        placed.push({ text: job.text, layer: layer.id, box: [x0, y0, x1, y1], outside: outside, job: job });
        return;
      }
    };
    live.forEach(function (item) {
      if (placed.length >= LABEL_MAX) { return; }
      var job = item.job;
      if (job.inside === null) { job.inside = self.inArea(job.at[0], job.at[1]); }
      if (job.inside) { tryPlace(item, false); } else { later.push(item); }
    });
    // Names outside the project's own area come after every name inside it.
    later.forEach(function (item) { if (placed.length < LABEL_MAX) { tryPlace(item, true); } });
    return { placed: placed, corner: corner };
  };

  /* Draw the placed labels: a white halo, then the text in the layer's colour. */
  GisappWebmap.prototype.drawLabels = function (ctx, scale, origin) {
    var plan = this.placeLabels(ctx, scale, origin), corner = plan.corner, font = null;
    ctx.save();
    ctx.setLineDash([]);
    ctx.lineJoin = 'round';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.strokeStyle = '#ffffff';
    plan.placed.forEach(function (p) {
      var layer = p.job.layer, ls = layer.labelStyle;
      if (layer._font !== font) { font = layer._font; ctx.font = font; }
      var cx = (p.box[0] + p.box[2]) / 2 + corner.x, cy = (p.box[1] + p.box[3]) / 2 + corner.y;
      ctx.globalAlpha = p.outside ? 0.55 : 1;
      ctx.lineWidth = Math.max(3, ls.px * 0.25);
      ctx.strokeText(p.text, cx, cy);
      ctx.fillStyle = ls.color;
      ctx.fillText(p.text, cx, cy);
    });
    ctx.restore();
    this.labels = plan.placed.map(function (p) {
      return { text: p.text, layer: p.layer, box: p.box, outside: p.outside };
    });
    window.gisappLabelCount = this.labels.length;
  };

  /* Veil what lies outside the project's own area, so the area stands out from
   * its neighbours: the canvas rectangle and the area's rings filled even-odd. */
  GisappWebmap.prototype.drawVeil = function (ctx, scale, origin, view, b) {
    var area = this.data.area, layer = area ? this.layers[area.layer] : null, rings = 0;
    this.veiled = 0;
    if (!layer) { return; }
    ctx.beginPath();
    ctx.rect(b.min.x, b.min.y, b.max.x - b.min.x, b.max.y - b.min.y);
    layer._geoms.forEach(function (g) {
      if (g.family !== AREA) { return; }
      var xy = g.xy, box = g.box;
      for (var i = 0; i < g.count; i++) {
        if (box[4 * i + 2] < view[0] || box[4 * i] > view[2] || box[4 * i + 3] < view[1] || box[4 * i + 1] > view[3]) {
          continue;
        }
        for (var r = g.lo[i]; r < g.hi[i]; r++) {
          var k = g.runs[r], end = g.runs[r + 1];
          ctx.moveTo(xy[2 * k] * scale - origin.x, xy[2 * k + 1] * scale - origin.y);
          for (k = k + 1; k < end; k++) { ctx.lineTo(xy[2 * k] * scale - origin.x, xy[2 * k + 1] * scale - origin.y); }
          ctx.closePath();
          rings += 1;
        }
      }
    });
    ctx.globalAlpha = 1;
    ctx.fillStyle = VEIL;
    ctx.fill('evenodd');
    this.veiled = rings + 1;
  };

  GisappWebmap.prototype.redraw = function () {
    if (this.stage._map) { this.stage._redraw(); }
  };

  /* The topmost interactive feature under a container point, or null. */
  GisappWebmap.prototype.hitTest = function (point) {
    var map = this.map, scale = Math.pow(2, map.getZoom()), origin = map.getPixelOrigin();
    var layerPoint = map.containerPointToLayerPoint(point);
    var px = (layerPoint.x + origin.x) / scale, py = (layerPoint.y + origin.y) / scale;
    var slack = 4 / scale;
    for (var o = this.order.length - 1; o >= 0; o--) {
      var layer = this.layers[this.order[o]];
      if (!layer._on || !layer._interactive) { continue; }
      for (var gi = layer._geoms.length - 1; gi >= 0; gi--) {
        var g = layer._geoms[gi], symbols = layer.symbols[g.family], best = null, bestD = Infinity;
        for (var i = 0; i < g.count; i++) {
          var c = layer.cat ? layer.cat[g.row(i)] : -1;
          var sym = c >= 0 ? symbols.cats[c] : symbols.base;
          var reach = g.family === POINT ? (sym.r + 3) / scale : g.family === LINE ? (sym.w / 2 + 3) / scale : 0;
          var b = g.box, m = reach + slack;
          if (px < b[4 * i] - m || px > b[4 * i + 2] + m || py < b[4 * i + 1] - m || py > b[4 * i + 3] + m) { continue; }
          var d = g.distance(i, px, py);
          if (d <= reach && d < bestD) { best = i; bestD = d; }
        }
        if (best !== null) {
          return {
            layer: layer, geom: g, index: best,
            latlng: g.family === POINT ? g.centre(best) : null
          };
        }
      }
    }
    return null;
  };

  GisappWebmap.prototype.labelOf = function (layer, row) {
    var col = layer.label ? layer.cols[layer.label] : null;
    var text = col ? show(cell(col, row), col.t) : null;
    return text === null ? layer.name : text;
  };

  GisappWebmap.prototype.hover = function (hit, latlng) {
    if (!hit) {
      if (this.tooltip) { this.map.closeTooltip(this.tooltip); }
      return;
    }
    var row = hit.geom.row(hit.index);
    var text = this.labelOf(hit.layer, row);
    var status = this.statusOf(hit.layer, row);
    if (status) { text += ' · ' + status.zh; }
    if (!this.tooltip) { this.tooltip = L.tooltip({ direction: 'top', offset: [0, -8], className: 'gm-tooltip' }); }
    this.tooltip.setLatLng(hit.latlng || latlng).setContent(el('span', '', text));
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
      var section = null;
      card.forEach(function (r) {
        if (r[5] && r[5] !== section) {
          section = r[5];
          var sr = el('tr', 'gm-card-section');
          var sc = el('td', '', section);
          sc.colSpan = 5;
          sr.appendChild(sc);
          table.appendChild(sr);
          var hr = el('tr');
          ['指标', '现状', '目标', '达标', '条款'].forEach(function (h) { hr.appendChild(el('th', '', h)); });
          table.appendChild(hr);
        }
        var tr = el('tr');
        tr.appendChild(el('td', 'gm-key', r[0]));
        tr.appendChild(valueCell(show(r[1], 's')));
        tr.appendChild(el('td', '', r[2] === null ? '—' : r[2]));
        var mark = r[3] === null ? '—' : (r[3] ? '✓' : '✗');
        tr.appendChild(el('td', r[3] === null ? '' : (r[3] ? 'gm-pass' : 'gm-fail'), mark));
        tr.appendChild(el('td', 'gm-clause', r[4] === null ? '' : r[4]));
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
    if (this.tooltip) { this.map.closeTooltip(this.tooltip); }
    var top = document.querySelector('.gm-title');
    var clear = top ? top.offsetTop + top.offsetHeight + 10 : 10;
    L.popup({
      maxWidth: 460, minWidth: 260, maxHeight: 440, className: 'gm-popup-wrap',
      autoPanPaddingTopLeft: L.point(60, clear), autoPanPaddingBottomRight: L.point(260, 20)
    })
      .setLatLng(latlng)
      .setContent(this.popupContent(layer, row))
      .openOn(this.map);
  };

  GisappWebmap.prototype.openFeature = function (layerId, row) {
    var layer = this.layers[layerId];
    for (var gi = 0; gi < layer._geoms.length; gi++) {
      var g = layer._geoms[gi];
      for (var i = 0; i < g.count; i++) {
        if (g.row(i) === row) { return this.openAt(layer, g, i); }
      }
    }
    return false;
  };

  GisappWebmap.prototype.openAt = function (layer, g, i) {
    if (!layer._on) { this.toggle(layer, true); }
    var where = g.centre(i);
    this.map.setView(where, Math.max(this.map.getZoom(), 12), { animate: false });
    this.openPopup(layer, g.row(i), where);
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
    this.openAt(hit.layer, hit.geom, hit.at);
  };

  GisappWebmap.prototype.closeResults = function () {
    if (this.results) { this.results.textContent = ''; }
  };

  GisappWebmap.prototype.toggle = function (layer, on) {
    layer._on = on;
    if (layer._box) { layer._box.checked = on; }
    this.redraw();
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
          label.appendChild(el('span', 'gm-count', String(layer._count)));
          group.appendChild(label);
        });
        body.appendChild(group);
      });
    }).addTo(this.map);
  };

  GisappWebmap.prototype.legendPanel = function () {
    var self = this;
    panel('bottomleft', 'gm-legend', function (box) {
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
      if (!layer._on || !layer._count) { return; }
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

  /* --- periods: the villages' status in another year ---------------------- */

  GisappWebmap.prototype.periodPanel = function () {
    var self = this, p = this.data.periods;
    if (!p || !p.names || !p.names.length) { return; }
    this.periodButtons = {};
    panel('bottomright', 'gm-periods', function (box) {
      var head = el('div', 'gm-panel-head', '时期 · 脱贫进度');
      head.addEventListener('click', function () { box.classList.toggle('gm-collapsed'); });
      box.appendChild(head);
      var body = el('div', 'gm-panel-body');
      var bar = el('div', 'gm-period-bar');
      p.names.forEach(function (name) {
        var button = el('button', 'gm-period', name + '年');
        button.type = 'button';
        button.setAttribute('data-period', name);
        button.addEventListener('click', function () { self.setPeriod(name); });
        self.periodButtons[name] = button;
        bar.appendChild(button);
      });
      body.appendChild(bar);
      self.periodFigures = el('div', 'gm-period-figures');
      body.appendChild(self.periodFigures);
      if (p.note) { body.appendChild(el('div', 'gm-note', p.note)); }
      box.appendChild(body);
    }).addTo(this.map);
    this.setPeriod(p.current || p.names[p.names.length - 1]);
  };

  /* Show the villages, legend and figures of period ``name``; false when unknown. */
  GisappWebmap.prototype.setPeriod = function (name) {
    var self = this, p = this.data.periods;
    if (!p || p.status[name] === undefined) { return false; }
    this.period = name;
    this.order.forEach(function (id) {
      var layer = self.layers[id];
      if (layer.kind === 'village' && layer.catField === 'gap_status' && layer.cols.code) {
        self.recolour(layer, p.status[name]);
      }
    });
    Object.keys(this.periodButtons || {}).forEach(function (n) {
      self.periodButtons[n].classList.toggle('gm-period-on', n === name);
    });
    this.showFigures(p.figures[name] || []);
    this.refreshLegend();
    this.redraw();
    document.body.setAttribute('data-period', name);
    return true;
  };

  GisappWebmap.prototype.recolour = function (layer, digits) {
    var p = this.data.periods, i;
    if (!layer._periodRow) {
      var rows = {};
      for (i = 0; i < layer.count; i++) {
        var code = cell(layer.cols.code, i);
        if (code !== null) { rows[String(code)] = i; }
      }
      layer._periodRow = p.codes.map(function (c) { return rows[c] === undefined ? -1 : rows[c]; });
      layer.cat = layer.cat ? layer.cat.slice() : new Array(layer.count).fill(-1);
    }
    var status = layer.cols.gap_status, keys = [];
    for (i = 0; i < layer.count; i++) { keys.push(status ? cell(status, i) : null); }
    layer._periodRow.forEach(function (row, k) {
      var d = digits.charAt(k);
      if (row < 0 || d === '-') { return; }
      layer.cat[row] = Number(d);
      keys[row] = p.cats[Number(d)];
    });
    layer.cols.gap_status = { t: status ? status.t : 's', v: keys };
    var present = {}, other = false;
    layer.cat.forEach(function (c) { if (c >= 0) { present[c] = true; } else { other = true; } });
    layer.legend = [];
    p.cats.forEach(function (key, c) {
      if (present[c]) { layer.legend.push({ label: p.catLabels[c], cat: c }); }
    });
    if (other) { layer.legend.push({ label: '其他', cat: -1 }); }
    layer._geoms.forEach(function (g) { groupBySymbol(layer, g); });
    this._labelJobs = null;  // ranks follow the villages' status
  };

  GisappWebmap.prototype.showFigures = function (rows) {
    var box = this.periodFigures;
    if (!box) { return; }
    box.textContent = '';
    rows.forEach(function (r) {
      var line = el('div', 'gm-figure');
      line.appendChild(el('div', 'gm-figure-label', r[0]));
      var value = el('div', 'gm-figure-value', r[1]);
      if (r[2] === true || r[2] === false) {
        value.classList.add(r[2] ? 'gm-on-track' : 'gm-behind');
        value.appendChild(el('span', 'gm-track', r[2] ? '进度达标' : '滞后'));
      }
      line.appendChild(value);
      box.appendChild(line);
    });
  };

  window.GisappWebmap = GisappWebmap;
  window.gisappStart = function (map) {
    var node = document.getElementById('gisapp-data');
    var t0 = performance.now();
    var data = JSON.parse(node.textContent);
    window.gisappTimings = { start: t0, parsed: performance.now() };
    window.gisappWebmap = new GisappWebmap(map, data);
    window.gisappTimings.built = performance.now();
    return window.gisappWebmap;
  };
}());
