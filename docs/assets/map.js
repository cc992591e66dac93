/* The map of the library (map/): every paper a point on a canvas, placed by
   the generator (generator/explore/layout.py), coloured by topic. Hand-written,
   no library; its only request is map/data.json, beside the page. Does nothing
   on other pages. */
(function () {
  "use strict";

  // 16 colours told apart in light and dark mode (Tableau 10 + 6 more).
  var PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#86bcb6", "#d37295", "#8cd17d",
    "#499894", "#f1ce63", "#a0cbe8", "#d4a6c8"];
  var OTHER = "rgba(140, 140, 140, 0.55)";
  var RADIUS = 3.5;        // a point, in CSS pixels
  var HIT = 9;             // how near the pointer must be to a point, in CSS pixels
  var CELLS = 96;          // the hit-test grid has CELLS x CELLS cells
  var STEP = 60;           // an arrow key moves the map this many pixels
  var ZOOM_STEP = 1.5;
  var MAX_ZOOM = 64;       // times the zoom that shows the whole map
  var FOCUS_ZOOM = 6;      // "Show on the map" zooms this far in

  function PaperMap(root, data) {
    this.root = root;
    this.data = data;
    this.canvas = root.querySelector("canvas");
    this.context = this.canvas.getContext("2d");
    this.tip = root.querySelector(".paper-map-tip");
    this.papers = root.dataset.papers;
    this.count = data.slug.length;
    this.hovered = -1;
    this.selected = -1;
    this.pointers = {};
    this.extentX = 1;
    this.extentY = 1;
    for (var i = 0; i < this.count; i++) {
      this.extentX = Math.max(this.extentX, data.x[i]);
      this.extentY = Math.max(this.extentY, data.y[i]);
    }
    this.buildGrid();
    this.resize();
    this.fit();
    this.listen();
    this.legend();
    root.querySelector(".paper-map-status").textContent =
      this.count + " papers; " + data.topics.length + " topics named";
    this.focusRequested();
    root.paperMap = this;  // for the browser tests and the console
    root.dataset.ready = "true";
  }

  PaperMap.prototype.buildGrid = function () {
    var size = Math.max(this.extentX, this.extentY) / CELLS + 1e-9;
    this.cell = size;
    this.grid = {};
    for (var i = 0; i < this.count; i++) {
      var key = Math.floor(this.data.x[i] / size) + "," + Math.floor(this.data.y[i] / size);
      (this.grid[key] = this.grid[key] || []).push(i);
    }
  };

  PaperMap.prototype.resize = function () {
    var box = this.canvas.getBoundingClientRect();
    var ratio = window.devicePixelRatio || 1;
    var centre = this.width ? this.toData(this.width / 2, this.height / 2) : null;
    this.width = box.width;
    this.height = box.height;
    this.canvas.width = Math.round(box.width * ratio);
    this.canvas.height = Math.round(box.height * ratio);
    this.context.setTransform(ratio, 0, 0, ratio, 0, 0);
    if (centre) this.centreOn(centre[0], centre[1], this.scale);
  };

  PaperMap.prototype.fitScale = function () {
    return 0.92 * Math.min(this.width / this.extentX, this.height / this.extentY);
  };

  PaperMap.prototype.fit = function () {
    this.centreOn(this.extentX / 2, this.extentY / 2, this.fitScale());
  };

  PaperMap.prototype.centreOn = function (x, y, scale) {
    this.scale = scale;
    this.originX = this.width / 2 - x * scale;
    this.originY = this.height / 2 - y * scale;
    this.draw();
  };

  PaperMap.prototype.toData = function (sx, sy) {
    return [(sx - this.originX) / this.scale, (sy - this.originY) / this.scale];
  };

  PaperMap.prototype.screenPosition = function (index) {
    return [this.originX + this.data.x[index] * this.scale,
      this.originY + this.data.y[index] * this.scale];
  };

  PaperMap.prototype.indexOf = function (slug) {
    return this.data.slug.indexOf(slug);
  };

  PaperMap.prototype.colour = function (index) {
    var topic = this.data.topic[index];
    return topic < 0 ? OTHER : PALETTE[topic % PALETTE.length];
  };

  PaperMap.prototype.draw = function () {
    var context = this.context, data = this.data, self = this;
    var style = getComputedStyle(this.root);
    context.clearRect(0, 0, this.width, this.height);
    // Grey points first, so the coloured topics sit on top of them.
    for (var topic = -1; topic < data.topics.length; topic++) {
      context.beginPath();
      for (var i = 0; i < this.count; i++) {
        if (data.topic[i] !== topic) continue;
        var p = this.screenPosition(i);
        if (p[0] < -RADIUS || p[1] < -RADIUS || p[0] > this.width + RADIUS || p[1] > this.height + RADIUS) continue;
        context.moveTo(p[0] + RADIUS, p[1]);
        context.arc(p[0], p[1], RADIUS, 0, 2 * Math.PI);
      }
      context.fillStyle = topic < 0 ? OTHER : PALETTE[topic % PALETTE.length];
      context.fill();
    }
    context.font = "600 13px " + style.fontFamily;
    context.textAlign = "center";
    context.lineJoin = "round";
    context.lineWidth = 4;
    context.strokeStyle = style.getPropertyValue("--md-default-bg-color") || "#fff";
    context.fillStyle = style.color;
    // Labels of the larger topics first; one that would overlap them is left out.
    var drawn = [];
    data.labels.forEach(function (label) {
      var name = data.topics[label[0]], half = context.measureText(name).width / 2 + 3;
      var x = self.originX + label[1] * self.scale, y = self.originY + label[2] * self.scale;
      var box = [x - half, y - 14, x + half, y + 4];
      if (drawn.some(function (other) {
        return box[0] < other[2] && other[0] < box[2] && box[1] < other[3] && other[1] < box[3];
      })) return;
      drawn.push(box);
      context.strokeText(name, x, y);
      context.fillText(name, x, y);
    });
    [this.selected, this.hovered].forEach(function (index) {
      if (index < 0) return;
      var p = self.screenPosition(index);
      context.beginPath();
      context.arc(p[0], p[1], RADIUS + 4, 0, 2 * Math.PI);
      context.lineWidth = 2;
      context.strokeStyle = style.color;
      context.stroke();
    });
  };

  // The paper nearest to a screen point, within HIT pixels; -1 if none.
  PaperMap.prototype.nearest = function (sx, sy) {
    var at = this.toData(sx, sy), reach = HIT / this.scale;
    var best = -1, bestDistance = reach * reach;
    var low = Math.floor((at[0] - reach) / this.cell), high = Math.floor((at[0] + reach) / this.cell);
    var top = Math.floor((at[1] - reach) / this.cell), bottom = Math.floor((at[1] + reach) / this.cell);
    for (var cx = low; cx <= high; cx++) {
      for (var cy = top; cy <= bottom; cy++) {
        var cell = this.grid[cx + "," + cy];
        if (!cell) continue;
        for (var k = 0; k < cell.length; k++) {
          var i = cell[k], dx = this.data.x[i] - at[0], dy = this.data.y[i] - at[1];
          var distance = dx * dx + dy * dy;
          if (distance < bestDistance) { best = i; bestDistance = distance; }
        }
      }
    }
    return best;
  };

  PaperMap.prototype.showTip = function (index, hint) {
    if (index < 0) { this.tip.hidden = true; return; }
    var p = this.screenPosition(index);
    this.tip.textContent = this.data.title[index] + (hint ? " " + hint : "");
    this.tip.hidden = false;
    // Centred above the point, but kept inside the map.
    var half = Math.min(this.tip.offsetWidth, this.width) / 2;
    this.tip.style.left = Math.min(Math.max(p[0], half), this.width - half) + "px";
    this.tip.style.top = (p[1] + this.canvas.offsetTop) + "px";
  };

  PaperMap.prototype.hover = function (index, hint) {
    if (index === this.hovered && !hint) return;
    this.hovered = index;
    this.canvas.style.cursor = index < 0 ? "grab" : "pointer";
    this.showTip(index < 0 ? this.selected : index, hint);
    this.draw();
  };

  PaperMap.prototype.open = function (index) {
    window.location.href = this.papers + this.data.slug[index] + "/";
  };

  PaperMap.prototype.zoom = function (factor, sx, sy) {
    var fit = this.fitScale();
    var scale = Math.min(Math.max(this.scale * factor, fit / 2), fit * MAX_ZOOM);
    var at = this.toData(sx, sy);
    this.scale = scale;
    this.originX = sx - at[0] * scale;
    this.originY = sy - at[1] * scale;
    this.showTip(this.hovered >= 0 ? this.hovered : this.selected);
    this.draw();
  };

  PaperMap.prototype.pan = function (dx, dy) {
    this.originX += dx;
    this.originY += dy;
    this.showTip(this.hovered >= 0 ? this.hovered : this.selected);
    this.draw();
  };

  PaperMap.prototype.local = function (event) {
    var box = this.canvas.getBoundingClientRect();
    return [event.clientX - box.left, event.clientY - box.top];
  };

  PaperMap.prototype.listen = function () {
    var self = this, canvas = this.canvas;
    canvas.addEventListener("pointerdown", function (event) {
      canvas.setPointerCapture(event.pointerId);
      self.pointers[event.pointerId] = self.local(event);
      self.moved = 0;
    });
    canvas.addEventListener("pointermove", function (event) {
      var at = self.local(event), before = self.pointers[event.pointerId];
      var ids = Object.keys(self.pointers);
      if (!before) {
        if (event.pointerType === "mouse") self.hover(self.nearest(at[0], at[1]));
        return;
      }
      if (ids.length === 2) {  // a pinch: zoom by the change of distance between two fingers
        var other = self.pointers[ids[0] == event.pointerId ? ids[1] : ids[0]];
        var was = Math.hypot(before[0] - other[0], before[1] - other[1]);
        var now = Math.hypot(at[0] - other[0], at[1] - other[1]);
        if (was > 0) self.zoom(now / was, (at[0] + other[0]) / 2, (at[1] + other[1]) / 2);
      } else {
        self.pan(at[0] - before[0], at[1] - before[1]);
      }
      self.moved += Math.abs(at[0] - before[0]) + Math.abs(at[1] - before[1]);
      self.pointers[event.pointerId] = at;
    });
    function release(event) {
      var tapped = self.pointers[event.pointerId] && self.moved < 6 && Object.keys(self.pointers).length === 1;
      delete self.pointers[event.pointerId];
      if (!tapped || event.type === "pointercancel") return;
      var at = self.local(event), index = self.nearest(at[0], at[1]);
      if (index < 0) return;
      // A mouse click opens the paper; on a touch screen, where nothing
      // hovers, the first tap shows the title and a second one opens it.
      if (event.pointerType === "mouse" || index === self.selected) {
        self.open(index);
      } else {
        self.selected = index;
        self.hover(index, "(tap again to open)");
      }
    }
    canvas.addEventListener("pointerup", release);
    canvas.addEventListener("pointercancel", release);
    canvas.addEventListener("pointerleave", function (event) {
      if (event.pointerType === "mouse" && !self.pointers[event.pointerId]) self.hover(-1);
    });
    canvas.addEventListener("wheel", function (event) {
      event.preventDefault();
      var at = self.local(event);
      self.zoom(Math.pow(1.002, -event.deltaY), at[0], at[1]);
    }, { passive: false });
    canvas.addEventListener("keydown", function (event) {
      var moves = { ArrowLeft: [STEP, 0], ArrowRight: [-STEP, 0], ArrowUp: [0, STEP], ArrowDown: [0, -STEP] };
      if (moves[event.key]) self.pan(moves[event.key][0], moves[event.key][1]);
      else if (event.key === "+" || event.key === "=") self.zoom(ZOOM_STEP, self.width / 2, self.height / 2);
      else if (event.key === "-" || event.key === "_") self.zoom(1 / ZOOM_STEP, self.width / 2, self.height / 2);
      else if (event.key === "0") self.fit();
      else if (event.key === "Enter" && self.selected >= 0) self.open(self.selected);
      else return;
      event.preventDefault();
    });
    this.root.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        var action = button.dataset.zoom;
        if (action === "reset") self.fit();
        else self.zoom(action === "in" ? ZOOM_STEP : 1 / ZOOM_STEP, self.width / 2, self.height / 2);
      });
    });
    if (window.ResizeObserver) new ResizeObserver(function () { self.resize(); }).observe(canvas);
  };

  PaperMap.prototype.legend = function () {
    var list = this.root.querySelector(".paper-map-legend");
    var entries = this.data.topics.map(function (topic, index) { return [topic, PALETTE[index % PALETTE.length]]; });
    entries.push(["other topics", OTHER]);
    entries.forEach(function (entry) {
      var item = document.createElement("li"), swatch = document.createElement("span");
      swatch.className = "paper-map-swatch";
      swatch.style.background = entry[1];
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(entry[0]));
      list.appendChild(item);
    });
  };

  // map/?paper=<slug>, the paper pages' "Show on the map": centre it, zoomed in.
  PaperMap.prototype.focusRequested = function () {
    var slug = new URLSearchParams(window.location.search).get("paper");
    var index = slug ? this.indexOf(slug) : -1;
    if (index < 0) return;
    this.selected = index;
    this.centreOn(this.data.x[index], this.data.y[index], this.fitScale() * FOCUS_ZOOM);
    this.showTip(index, "(press Enter or click it to open)");
    this.canvas.focus({ preventScroll: true });
  };

  function start() {
    var root = document.getElementById("paper-map");
    if (!root) return;
    fetch(root.dataset.points)
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) { new PaperMap(root, data); })
      .catch(function (error) {
        root.querySelector(".paper-map-status").textContent = "The map could not be loaded: " + error.message;
      });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
