/* Find similar (similar/): scores pasted text against every paper in the
   browser, with the model the generator exports (similar/model.json, loaded
   when the page opens). Nothing typed is sent anywhere: the only request is
   the model's. Each step follows generator/explore/similar.py, the Python
   reference the tests hold this script and the related lists to. Does
   nothing on other pages. */
(function () {
  "use strict";

  var RESULTS = 10;
  var EXPLAINED_TERMS = 3;
  var TYPING_PAUSE = 300;  // ms after the last key before scoring again
  // generator/related.py's words: a letter, then letters, digits or "_",
  // with Python's Unicode meaning of \w (JavaScript's \w and \b are ASCII only).
  var WORD = /(?<![\p{L}\p{N}_])[\p{L}\p{Nl}\p{No}][\p{L}\p{N}_]+(?![\p{L}\p{N}_])/gu;
  var URL = /(?:https?:\/\/|www\.)\S*/gu;

  // Words and two-word phrases of the text, stop words left out (related.text_terms).
  function textTerms(text, stopWords) {
    text = text.toLowerCase();
    if (text.indexOf("http") >= 0 || text.indexOf("www.") >= 0) text = text.replace(URL, " ");
    var words = (text.match(WORD) || []).map(function (word) { return stopWords.has(word) ? null : word; });
    var terms = words.filter(Boolean);
    for (var i = 0; i + 1 < words.length; i++) {
      if (words[i] && words[i + 1]) terms.push(words[i] + " " + words[i + 1]);
    }
    return terms;
  }

  function Model(data) {
    this.data = data;
    this.stopWords = new Set(data.stop_words);
    this.columnOf = new Map(data.terms.map(function (term, column) { return [term, column]; }));
    this.papers = data.slugs.length;
    // Column -> the papers holding it and their weights: a query touches only its own columns.
    var postings = data.terms.map(function () { return []; });
    for (var row = 0; row < this.papers; row++) {
      var column = 0;
      for (var k = data.offsets[row]; k < data.offsets[row + 1]; k++) {
        column += data.columns[k];
        postings[column].push(row, data.weights[k] / 65535);
      }
    }
    this.postings = postings;
  }

  // Column -> weight of the text: sublinear counts times idf, unit length (similar.query_vector).
  Model.prototype.queryVector = function (title, text) {
    var self = this, counts = new Map(), terms = [];
    var titleTerms = textTerms(title, this.stopWords);
    for (var copy = 0; copy < this.data.title_weight; copy++) terms = terms.concat(titleTerms);
    terms = terms.concat(textTerms(text, this.stopWords));
    terms.forEach(function (term) {
      if (self.columnOf.has(term)) counts.set(term, (counts.get(term) || 0) + 1);
    });
    var query = new Map(), norm = 0;
    counts.forEach(function (count, term) {
      var column = self.columnOf.get(term), weight = (1 + Math.log(count)) * self.data.idf[column];
      query.set(column, weight);
      norm += weight * weight;
    });
    norm = Math.sqrt(norm) || 1;
    query.forEach(function (weight, column) { query.set(column, weight / norm); });
    return query;
  };

  // The most similar papers, best first; ties at 6 decimals go to the earlier paper.
  Model.prototype.similar = function (title, text) {
    var scores = new Float64Array(this.papers), self = this;
    var query = this.queryVector(title, text);
    query.forEach(function (weight, column) {
      var posting = self.postings[column];
      for (var k = 0; k < posting.length; k += 2) scores[posting[k]] += weight * posting[k + 1];
    });
    var rows = [];
    for (var row = 0; row < this.papers; row++) {
      scores[row] = Math.round(scores[row] * 1e6) / 1e6;
      if (scores[row] > 0) rows.push(row);
    }
    rows.sort(function (a, b) { return scores[b] - scores[a] || a - b; });
    return rows.slice(0, RESULTS).map(function (row) {
      return { row: row, score: scores[row], shared: self.sharedTerms(query, row) };
    });
  };

  // The terms adding most to a result's score; a phrase replaces its own
  // words ("control variates", not "control, control variates"), as on the
  // paper pages (related.shared_terms).
  Model.prototype.sharedTerms = function (query, row) {
    var data = this.data, products = [], column = 0;
    for (var k = data.offsets[row]; k < data.offsets[row + 1]; k++) {
      column += data.columns[k];
      if (query.has(column)) products.push([query.get(column) * data.weights[k], column]);
    }
    products.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    var chosen = [];
    products.slice(0, 2 * EXPLAINED_TERMS).forEach(function (product) {
      if (chosen.length < EXPLAINED_TERMS) chosen = withTerm(chosen, data.terms[product[1]]);
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
    link.href = papers + model.data.slugs[result.row] + "/";
    link.textContent = model.data.titles[result.row];
    var score = document.createElement("span"), meter = document.createElement("meter");
    score.className = "related-score";
    score.title = "TF-IDF cosine similarity";
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
