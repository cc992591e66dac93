/* Find similar (similar/): scores pasted text against every paper in the
   browser, with the related-papers model the generator exports
   (similar/model.json, loaded when the page opens). Nothing typed is sent
   anywhere: the only request is the model's. Each step follows
   generator/related/browser.py, whose docstring gives the format and whose
   similar_to_text is the Python reference. Does nothing on other pages. */
(function () {
  "use strict";

  var RESULTS = 10;
  var EXPLAINED_TERMS = 3;
  var TYPING_PAUSE = 300;  // ms after the last key before scoring again
  // generator/textlayer.py's words: a letter, then letters, digits or "_",
  // with Python's Unicode meaning of \w (JavaScript's \w and \b are ASCII only).
  var WORD = /(?<![\p{L}\p{N}_])[\p{L}\p{Nl}\p{No}][\p{L}\p{N}_]+(?![\p{L}\p{N}_])/gu;
  var URL = /(?:https?:\/\/|www\.)\S*/gu;

  function textWords(text) {
    text = text.toLowerCase();
    if (text.indexOf("http") >= 0 || text.indexOf("www.") >= 0) text = text.replace(URL, " ");
    return text.match(WORD) || [];
  }

  function decoded(base64, Type) {
    var raw = atob(base64), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return new Type(bytes.buffer);
  }

  // The model of generator/related/browser.py ("related-model/1"), unpacked once.
  function Model(data) {
    var stored = data.papers;
    this.data = data;
    this.words = new Map(Object.entries(data.words));
    this.pairs = new Map(Object.entries(data.pairs));
    this.slugs = stored.slugs;
    this.titles = data.titles;
    this.papers = stored.slugs.length;
    this.projection = decoded(data.projection.int8, Int8Array);
    this.dims = data.projection.dims;
    this.indptr = stored.tfidf.indptr;
    this.columns = Int32Array.from(stored.tfidf.columns);
    this.weights = decoded(stored.tfidf.uint8, Uint8Array);
    this.lsa = decoded(stored.lsa.int8, Int8Array);
    this.query = new Float64Array(data.idf.length);
  }

  // Column -> count of the text's terms (title terms count title_weight
  // times), and column -> the words of the text it came from.
  Model.prototype.termCounts = function (title, text) {
    var self = this, counts = new Map(), labels = new Map();
    [[title, this.data.title_weight], [text, 1]].forEach(function (part) {
      var words = textWords(part[0]), found = [];
      var columns = words.map(function (word) { return self.words.has(word) ? self.words.get(word) : null; });
      columns.forEach(function (column, i) { if (column !== null) found.push([column, words[i]]); });
      for (var i = 0; i + 1 < columns.length; i++) {
        var key = columns[i] + " " + columns[i + 1];
        if (columns[i] !== null && columns[i + 1] !== null && self.pairs.has(key)) {
          found.push([self.pairs.get(key), words[i] + " " + words[i + 1]]);
        }
      }
      found.forEach(function (entry) {
        counts.set(entry[0], (counts.get(entry[0]) || 0) + part[1]);
        if (!labels.has(entry[0])) labels.set(entry[0], entry[1]);
      });
    });
    return { counts: counts, labels: labels };
  };

  // The papers most similar to the text, best first, scored as
  // generator.related.browser.similar_to_text does.
  Model.prototype.similar = function (title, text) {
    var terms = this.termCounts(title, text), data = this.data, self = this;
    var columns = Array.from(terms.counts.keys()).sort(function (a, b) { return a - b; });
    if (!columns.length) return [];
    // The TF-IDF part, unit length; kept dense for the pass over every paper.
    var query = this.query, norm = 0;
    columns.forEach(function (c) {
      query[c] = (1 + Math.log(terms.counts.get(c))) * data.idf[c];
      norm += query[c] * query[c];
    });
    norm = Math.sqrt(norm);
    columns.forEach(function (c) { query[c] /= norm; });
    // The LSA part: log-entropy weights through the projection, unit length.
    var lsa = new Float64Array(this.dims), lsaNorm = 0;
    columns.forEach(function (c) {
      var weight = Math.log1p(terms.counts.get(c)) * data.entropy[c] * data.projection.scale;
      for (var d = 0; d < self.dims; d++) lsa[d] += weight * self.projection[c * self.dims + d];
    });
    for (var d = 0; d < this.dims; d++) lsaNorm += lsa[d] * lsa[d];
    lsaNorm = Math.sqrt(lsaNorm) || 1;
    var wordScores = new Float64Array(this.papers), scale = data.papers.tfidf.scale;
    for (var row = 0; row < this.papers; row++) {
      var sum = 0;
      for (var k = this.indptr[row]; k < this.indptr[row + 1]; k++) sum += query[this.columns[k]] * this.weights[k];
      wordScores[row] = sum * scale;
    }
    // Candidates: the best by the TF-IDF part, one more than the generator
    // takes, as a paper's own text finds that paper too (the generator never
    // compares a paper with itself).
    var rows = [];
    for (row = 0; row < this.papers; row++) if (wordScores[row] > 0) rows.push(row);
    rows.sort(function (a, b) { return wordScores[b] - wordScores[a] || a - b; });
    var share = data.lsa_share, lsaScale = data.papers.lsa.scale;
    var results = rows.slice(0, data.candidates + 1).map(function (row) {
      var dot = 0;
      for (var d = 0; d < self.dims; d++) dot += self.lsa[row * self.dims + d] * lsa[d];
      var score = (1 - share) * wordScores[row] + share * dot / lsaNorm * lsaScale;
      return { row: row, score: score, rounded: Math.round(score * 1e6) / 1e6 };
    });
    results.sort(function (a, b) { return b.rounded - a.rounded || a.row - b.row; });
    results = results.slice(0, RESULTS);
    results.forEach(function (result) { result.shared = self.sharedTerms(terms.labels, result.row); });
    columns.forEach(function (c) { query[c] = 0; });
    return results;
  };

  // The text's words that add most to a result's score; a phrase replaces
  // its own words ("control variates", not "control, control variates").
  Model.prototype.sharedTerms = function (labels, row) {
    var products = [];
    for (var k = this.indptr[row]; k < this.indptr[row + 1]; k++) {
      var column = this.columns[k];
      if (this.query[column] > 0) products.push([this.query[column] * this.weights[k], column]);
    }
    products.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    var chosen = [];
    products.slice(0, 2 * EXPLAINED_TERMS).forEach(function (product) {
      if (chosen.length < EXPLAINED_TERMS) chosen = withTerm(chosen, labels.get(product[1]));
    });
    return chosen;
  };

  function wordsOf(term) { return new Set(term.split(" ")); }
  function within(inner, outer) {
    var all = true;
    inner.forEach(function (word) { all = all && outer.has(word); });
    return all;
  }

  function withTerm(chosen, term) {
    var held = wordsOf(term);
    if (chosen.some(function (shown) { return within(held, wordsOf(shown)); })) return chosen;
    var merged = chosen.map(function (shown) { return within(wordsOf(shown), held) ? term : shown; });
    if (merged.indexOf(term) < 0) return chosen.concat([term]);
    return merged.filter(function (shown, index) { return merged.indexOf(shown) === index; });
  }

  function resultItem(model, result, papers) {
    var item = document.createElement("li"), link = document.createElement("a");
    link.href = papers + model.slugs[result.row] + "/";
    link.textContent = model.titles[result.row];
    var score = document.createElement("span"), meter = document.createElement("meter");
    score.className = "related-score";
    score.title = "Similarity of the text and the paper (0 to 1)";
    meter.min = 0;
    meter.max = 1;
    meter.value = result.score;
    score.appendChild(meter);
    score.appendChild(document.createTextNode(" " + result.score.toFixed(2)));
    item.appendChild(link);
    item.appendChild(document.createTextNode(" "));
    item.appendChild(score);
    if (result.shared.length) {
      var shared = document.createElement("span");
      shared.className = "related-terms";
      shared.textContent = "shared: " + result.shared.join(", ");
      item.appendChild(shared);
    }
    return item;
  }

  function start() {
    var root = document.getElementById("find-similar");
    if (!root) return;
    var title = root.querySelector("#similar-title"), text = root.querySelector("#similar-text");
    var button = root.querySelector("button"), status = root.querySelector(".find-similar-status");
    var list = root.querySelector(".find-similar-results"), model = null, timer = null;
    button.disabled = true;

    function show() {
      if (!model) return;
      var results = title.value.trim() || text.value.trim() ? model.similar(title.value, text.value) : [];
      list.replaceChildren.apply(list, results.map(function (result) {
        return resultItem(model, result, root.dataset.papers);
      }));
      status.textContent = results.length ? results.length + " most similar papers:"
        : (title.value.trim() || text.value.trim()) ? "No paper shares a term with this text." : "";
    }
    button.addEventListener("click", show);
    [title, text].forEach(function (field) {
      field.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(show, TYPING_PAUSE);
      });
    });
    if (!root.dataset.model) {
      status.textContent = "No model: the papers of this library share no terms.";
      return;
    }
    fetch(root.dataset.model)
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        model = new Model(data);
        button.disabled = false;
        status.textContent = "Ready: " + model.papers + " papers.";
        root.dataset.ready = "true";
        show();
      })
      .catch(function (error) { status.textContent = "The model could not be loaded: " + error.message; });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
