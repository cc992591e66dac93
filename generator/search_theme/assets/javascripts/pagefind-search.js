// Pagefind behind Material's search box (see generator/search.py).
//
// Same keys and markup as Material's search: "/", "s" or "f" opens it, Escape
// closes it, the arrow keys walk the results, Enter opens one. Pagefind loads
// on first use and fetches only the index chunks a query needs. Result text is
// inserted as text (titles, excerpts), never as HTML.
(() => {
  "use strict";

  const PAGE_SIZE = 10;
  const box = document.querySelector("[data-pagefind-search]");
  const toggle = document.getElementById("__search");
  if (!box || !toggle) return;
  const form = box.querySelector("form");
  const input = box.querySelector(".md-search__input");
  const meta = box.querySelector(".md-search-result__meta");
  const list = box.querySelector(".md-search-result__list");
  const scrollwrap = box.querySelector(".md-search__scrollwrap");
  const text = box.dataset;

  let pagefind = null;    // the loaded module, once loaded
  let results = [];       // the current query's results, not all rendered yet
  let terms = [];
  let latest = 0;         // number of the latest query; older answers are dropped

  function loadPagefind() {
    if (!pagefind) {
      pagefind = import(new URL(text.bundle + "pagefind.js", location.href).href)
        .then(async (module) => {
          const root = new URL(text.root, location.href).pathname;
          await module.options({ baseUrl: root, excerptLength: 24 });
          await module.init();
          return module;
        });
    }
    return pagefind;
  }

  function element(tag, className, content) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function escapeRegExp(value) {
    return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // Title text with each word that starts with a query term in <mark>.
  function appendMarked(parent, value) {
    if (!terms.length) { parent.append(value); return; }
    const pattern = new RegExp(`(\\b(?:${terms.map(escapeRegExp).join("|")})[\\w-]*)`, "gi");
    value.split(pattern).forEach((part, index) => {
      parent.append(index % 2 ? element("mark", "", part) : part);
    });
  }

  // Pagefind's excerpt is HTML with <mark>s: parse it inertly, keep only text and marks.
  function appendExcerpt(parent, excerpt) {
    const parsed = new DOMParser().parseFromString(excerpt || "", "text/html");
    parsed.body.childNodes.forEach((node) => {
      parent.append(node.nodeName === "MARK" ? element("mark", "", node.textContent) : node.textContent);
    });
  }

  function resultItem(data) {
    const link = element("a", "md-search-result__link");
    link.href = data.url;
    link.tabIndex = -1;
    const article = element("article", "md-search-result__article md-search-result__article--document md-typeset");
    const title = element("h1");
    appendMarked(title, (data.meta && data.meta.title) || data.url);
    const excerpt = element("p");
    appendExcerpt(excerpt, data.excerpt);
    article.append(element("div", "md-search-result__icon md-icon"), title, excerpt);
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
    let answer;
    try {
      const module = await loadPagefind();
      answer = await module.debouncedSearch(value, {}, 100);
    } catch (error) {
      meta.textContent = `Search is unavailable: ${error.message}`;
      return;
    }
    if (answer === null || query !== latest) return;  // a newer query took over
    results = answer.results;
    terms = value.toLowerCase().split(/\s+/).filter(Boolean);
    list.replaceChildren();
    scrollwrap.scrollTop = 0;
    meta.textContent = countLine(results.length);
    await renderMore(query);
  }

  function open() {
    if (!toggle.checked) toggle.checked = true;
    loadPagefind().catch(() => {});  // start fetching while the reader types
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
      const step = event.key === "ArrowDown" ? 1 : -1;
      const target = current + step;
      if (target < 0) input.focus();
      else if (target < all.length) all[target].focus();
    } else if (current >= 0 && event.key.length === 1) {
      input.focus();  // typing on a focused result goes on in the box
    }
  });
})();
