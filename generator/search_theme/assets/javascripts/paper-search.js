// The search box: Pagefind behind Material's search markup (generator/search.py).
//
// Same keys as Material's search: "/", "s" or "f" opens it, Escape closes it,
// the arrow keys walk the results, Enter opens one. Nothing is fetched until
// the box is focused; then Pagefind loads and fetches only the index chunks a
// query needs, and the vocabulary for typo correction loads beside it.
// The latest query wins: an answer to an older query is never shown. Result
// text is inserted as text (titles, tags, snippets), never as HTML.
(() => {
  "use strict";

  const PAGE_SIZE = 10;       // results rendered before the reader scrolls
  const SNIPPET_WORDS = 22;   // about two lines of a result
  const TYPO_MIN_LENGTH = 5;  // shorter words are taken as typed
  const DEBOUNCE_MS = 60;     // Pagefind drops a search a newer key overtook
  const WARM_UP_TERM = "a";   // its index chunk is small; any term would do

  const box = document.querySelector("[data-paper-search]");
  const toggle = document.getElementById("__search");
  if (!box || !toggle) return;
  const form = box.querySelector("form");
  const input = box.querySelector(".md-search__input");
  const meta = box.querySelector(".md-search-result__meta");
  const list = box.querySelector(".md-search-result__list");
  const scrollwrap = box.querySelector(".md-search__scrollwrap");
  const text = box.dataset;

  let engine = null;      // promise of {pagefind, vocabulary}, once focused
  let results = [];       // the shown query's results, not all rendered yet
  let terms = [];         // the shown query's words, lower case, typos corrected
  let latest = 0;         // number of the latest query; older answers are dropped

  const absolute = (path) => new URL(path, location.href).href;

  async function loadPagefind() {
    const pagefind = await import(absolute(text.bundle + "pagefind.js"));
    await pagefind.options({ baseUrl: new URL(text.root, location.href).pathname });
    await pagefind.init();
    // Pagefind loads its WebAssembly and page list with the first query:
    // warm it up while the reader types the first letters.
    await pagefind.preload(WARM_UP_TERM);
    return pagefind;
  }

  async function loadVocabulary() {
    const [{ default: SearchableMap }, counts] = await Promise.all([
      import(absolute(text.searchableMap)),
      fetch(absolute(text.vocabulary)).then((response) => response.json()),
    ]);
    return SearchableMap.from(Object.entries(counts));
  }

  function load() {
    if (!engine) {
      engine = Promise.all([loadPagefind(), loadVocabulary()])
        .then(([pagefind, vocabulary]) => ({ pagefind, vocabulary }));
    }
    return engine;
  }

  // The word with two neighbouring letters swapped, each way: "ie" <-> "ei".
  function transpositions(word) {
    return [...word.slice(1)].map((_, index) =>
      word.slice(0, index) + word[index + 1] + word[index] + word.slice(index + 2));
  }

  // A word no paper has (nor begins with) becomes the most used word one
  // typo away, if there is one: "difusion" -> "diffusion" (MiniSearch's
  // edit distance 1), "wasserstien" -> "wasserstein" (two letters swapped).
  function corrected(word, vocabulary) {
    const lower = word.toLowerCase();
    if (lower.length < TYPO_MIN_LENGTH || !/^\p{L}+$/u.test(lower)) return lower;
    if (vocabulary.atPrefix(lower).size > 0) return lower;
    const near = [...(vocabulary.fuzzyGet(lower, 1) || new Map()).entries()]
      .map(([candidate, [count]]) => [candidate, count]);
    transpositions(lower).filter((swapped) => vocabulary.has(swapped))
      .forEach((swapped) => near.push([swapped, vocabulary.get(swapped)]));
    if (!near.length) return lower;
    near.sort(([a, countA], [b, countB]) => countB - countA || (a < b ? -1 : 1));
    return near[0][0];
  }

  function element(tag, className, content) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  // Whether a shown word is one the query found: same start as a query word,
  // less a stem's ending ("networks" marks "network").
  function matches(word) {
    const lower = word.toLowerCase().replace(/^\W+/, "");
    return terms.some((term) => lower.startsWith(term.slice(0, Math.max(3, term.length - 2))));
  }

  function appendMarkedTitle(parent, value) {
    value.split(/(\s+)/).forEach((part) => {
      parent.append(part.trim() && matches(part) ? element("mark", "", part) : part);
    });
  }

  // About two lines of the abstract around its densest run of matches, the
  // matched words (Pagefind's locations) marked.
  function snippet(data) {
    const words = data.content.split(/\s+/).slice(0, Number(data.meta.abstract_words));
    const hits = new Set((data.weighted_locations || [])
      .map((place) => place.location).filter((place) => place < words.length));
    let start = 0;
    let best = -1;
    for (const place of hits) {
      const covered = [...hits].filter((other) => other >= place && other < place + SNIPPET_WORDS).length;
      if (covered > best) { best = covered; start = Math.max(0, place - 3); }
    }
    const end = Math.min(words.length, start + SNIPPET_WORDS);
    const paragraph = element("p", "paper-search__snippet");
    if (start > 0) paragraph.append("… ");
    for (let index = start; index < end; index++) {
      paragraph.append(hits.has(index) ? element("mark", "", words[index]) : words[index]);
      if (index < end - 1) paragraph.append(" ");
    }
    if (end < words.length) paragraph.append(" …");
    return paragraph;
  }

  function tagList(data) {
    const tags = JSON.parse(data.meta.tags || "[]");
    const nav = element("nav", "md-tags");
    tags.forEach((tag) => nav.append(element("span", "md-tag", tag)));
    return nav;
  }

  function resultItem(data) {
    const link = element("a", "md-search-result__link");
    link.href = data.url;
    link.tabIndex = -1;
    const article = element("article", "md-search-result__article md-search-result__article--document md-typeset");
    const title = element("h1");
    appendMarkedTitle(title, data.meta.title || data.url);
    article.append(element("div", "md-search-result__icon md-icon"), title, tagList(data), snippet(data));
    link.append(article);
    const item = element("li", "md-search-result__item");
    item.append(link);
    return item;
  }

  function countLine(count) {
    if (count === 0) return text.none;
    if (count === 1) return text.one;
    return text.other.replace("#", count);
  }

  async function renderMore(query) {
    const next = results.slice(list.children.length, list.children.length + PAGE_SIZE);
    const data = await Promise.all(next.map((result) => result.data()));
    if (query === latest) list.append(...data.map(resultItem));
  }

  function show(query, answer, queryTerms) {
    results = answer.results;
    terms = queryTerms;
    list.replaceChildren();
    scrollwrap.scrollTop = 0;
    meta.textContent = countLine(results.length);
    return renderMore(query);
  }

  async function search() {
    const query = ++latest;
    const value = input.value.trim();
    if (!value) {
      results = [];
      list.replaceChildren();
      meta.textContent = text.placeholder;
      return;
    }
    if (list.children.length === 0) meta.textContent = text.initializer;
    try {
      const { pagefind, vocabulary } = await load();
      const queryTerms = value.split(/\s+/).map((word) => corrected(word, vocabulary));
      const answer = await pagefind.debouncedSearch(queryTerms.join(" "), {}, DEBOUNCE_MS);
      if (answer === null || query !== latest) return;  // a newer query took over
      await show(query, answer, queryTerms);
    } catch (error) {
      if (query === latest) meta.textContent = `Search is unavailable: ${error.message}`;
    }
  }

  function open() {
    if (!toggle.checked) toggle.checked = true;
    load().catch(() => {});  // start fetching while the reader types
  }

  function close() {
    toggle.checked = false;
    input.blur();
  }

  function links() {
    return [...list.querySelectorAll(".md-search-result__link")];
  }

  function typing(target) {
    return target instanceof HTMLElement &&
      (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  input.addEventListener("focus", open);
  input.addEventListener("input", search);
  form.addEventListener("reset", () => {
    input.value = "";
    search();
    input.focus();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const first = links()[0];
    if (first) first.click();
  });
  toggle.addEventListener("change", () => {
    if (toggle.checked) input.focus(); else input.blur();
  });
  scrollwrap.addEventListener("scroll", () => {
    const nearEnd = scrollwrap.scrollTop + scrollwrap.clientHeight > scrollwrap.scrollHeight - 100;
    if (nearEnd && list.children.length < results.length) renderMore(latest);
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (!toggle.checked) {
      if (["/", "s", "f"].includes(event.key) && !typing(event.target)) {
        event.preventDefault();
        input.focus();
        input.select();
      }
      return;
    }
    const all = links();
    const current = all.indexOf(document.activeElement);
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const target = current + (event.key === "ArrowDown" ? 1 : -1);
      if (target < 0) input.focus();
      else if (target < all.length) all[target].focus();
    } else if (current >= 0 && event.key.length === 1) {
      input.focus();  // typing on a focused result goes on in the box
    }
  });
})();
