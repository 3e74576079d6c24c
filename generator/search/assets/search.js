/*
 * Showcase search: the header box on every page and the /search/ page.
 *
 * The index holds ASCII tokens for character bigrams (generator/search/tokens.py
 * explains why); queryParts() below must stay in step with tokens.query_parts(),
 * and decode() with tokens.decode(). tests/test_search_tokens.py checks both.
 * Record text is only ever put into the page as text nodes, never as HTML.
 */
(() => {
  "use strict";

  const SYNONYMS = /*@synonyms*/[];
  const FILTER_LABELS = { province: "省份", theme: "主题", series: "系列" };
  const PAGE_SIZE = 20;
  const DROPDOWN_SIZE = 6;

  const script = document.currentScript;
  // assets/search/search.js → the site root, wherever the site is mounted.
  const siteRoot = new URL("../../", script ? script.src : document.baseURI);
  const searchPageUrl = new URL("search/", siteRoot);

  // ---- tokens (mirror of generator/search/tokens.py) ----------------------

  const DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";
  const LETTER = /^[\p{L}\p{N}]$/u;
  const ASCII_ALNUM = /^[0-9a-z]$/;
  const SPACE = "\u2423";
  const FIELD_BREAK = "\u00b6";

  function code(ch) {
    let value = ch.codePointAt(0);
    let out = "";
    for (let i = 0; i < 4; i++) {
      out = DIGITS[value % 36] + out;
      value = Math.floor(value / 36);
    }
    return out;
  }

  function uncode(digits) {
    return String.fromCodePoint(parseInt(digits, 36));
  }

  /** Letters of a query: normalized letters/digits; anything else splits parts. */
  function queryLetters(text) {
    const out = [];
    for (const ch of text) {
      const normalized = [...ch.normalize("NFKC").toLowerCase()];
      if (normalized.length && normalized.every((c) => LETTER.test(c))) out.push(...normalized);
      else out.push(null);
    }
    return out;
  }

  /** A query → parts that must all occur: {text, tokens}; several tokens = exact phrase. */
  function queryParts(query) {
    const parts = [];
    let run = [];
    let word = "";
    const flushRun = () => {
      if (run.length === 1) parts.push({ text: run[0], tokens: ["c" + code(run[0])] });
      else if (run.length > 1) {
        const tokens = [];
        for (let i = 0; i + 1 < run.length; i++) tokens.push("c" + code(run[i]) + code(run[i + 1]));
        parts.push({ text: run.join(""), tokens });
      }
      run = [];
    };
    const flushWord = () => {
      if (word) parts.push({ text: word, tokens: ["w" + word] });
      word = "";
    };
    for (const letter of queryLetters(query)) {
      if (letter !== null && ASCII_ALNUM.test(letter)) {
        flushRun();
        word += letter;
      } else if (letter !== null) {
        flushWord();
        run.push(letter);
      } else {
        flushWord();
        flushRun();
      }
    }
    flushWord();
    flushRun();
    return parts;
  }

  const TOKEN = /^(c[0-9a-z]{4}(?:[0-9a-z]{4})?|w[0-9a-z]+)$/;

  /** Stored content → readable text (fields separated by "\n"). */
  function decode(content) {
    const out = [];
    let previousWord = false;
    for (let token of content.split(/\s+/)) {
      if (!token) continue;
      // Pagefind ends the block with "."; anything else is text we wrote.
      if (token.length > 1 && token.endsWith(".") && TOKEN.test(token.slice(0, -1))) token = token.slice(0, -1);
      const isWord = token[0] === "w" && TOKEN.test(token);
      if (token[0] === "c" && TOKEN.test(token)) out.push(uncode(token.slice(1, 5)));
      else if (isWord) out.push((previousWord ? " " : "") + token.slice(1));
      else if (token === SPACE) out.push(" ");
      else if (token === FIELD_BREAK) out.push("\n");
      else out.push(token);
      previousWord = isWord;
    }
    return out.join("");
  }

  /** The query and its rewrites with synonyms (mirror of synonyms.variants). */
  function variants(text, limit = 6) {
    const found = [text];
    for (const group of SYNONYMS) {
      for (const word of group) {
        if (!text.includes(word)) continue;
        for (const other of group) {
          const rewritten = text.split(word).join(other);
          if (!found.includes(rewritten)) found.push(rewritten);
        }
      }
    }
    return found.slice(0, limit);
  }

  // ---- searching ----------------------------------------------------------

  let pagefindPromise = null;

  function loadPagefind() {
    if (!pagefindPromise) {
      pagefindPromise = import(new URL("pagefind/pagefind.js", siteRoot).href).then(async (pagefind) => {
        await pagefind.options({ baseUrl: siteRoot.pathname });
        return pagefind;
      });
      pagefindPromise.catch(() => {
        pagefindPromise = null;
      });
    }
    return pagefindPromise;
  }

  /**
   * Records matching every part of the query (or of one of its synonym
   * variants), best first: [{id, score, data, needles}].
   * A part of 3+ characters must occur as written (exact phrase of its
   * bigrams); the ranking comes from Pagefind's weighted score over all tokens.
   */
  async function findRecords(query) {
    const pagefind = await loadPagefind();
    const best = new Map();
    const needles = new Set();
    for (const variant of variants(query.trim())) {
      const parts = queryParts(variant);
      if (!parts.length) continue;
      parts.forEach((p) => needles.add(p.text));
      const ranked = await pagefind.search(parts.flatMap((p) => p.tokens).join(" "));
      let allowed = null;
      for (const part of parts) {
        if (parts.length === 1 && part.tokens.length === 1) break; // the ranked search is this search
        const term = part.tokens.length > 1 ? `"${part.tokens.join(" ")}"` : part.tokens[0];
        const found = await pagefind.search(term);
        const ids = new Set(found.results.map((r) => r.id));
        allowed = allowed === null ? ids : new Set([...allowed].filter((id) => ids.has(id)));
      }
      for (const result of ranked.results) {
        if (allowed !== null && !allowed.has(result.id)) continue;
        const seen = best.get(result.id);
        if (!seen || seen.score < result.score) best.set(result.id, result);
      }
    }
    const results = [...best.values()].sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    return { results, needles: [...needles] };
  }

  /** Ids of the records carrying each filter value: {key: {value: Set(ids)}} (loaded once). */
  let filterSetsPromise = null;

  function filterSets() {
    if (!filterSetsPromise) {
      filterSetsPromise = (async () => {
        const pagefind = await loadPagefind();
        const totals = await pagefind.filters();
        const sets = {};
        for (const key of Object.keys(FILTER_LABELS)) {
          sets[key] = {};
          for (const value of Object.keys(totals[key] || {})) {
            const found = await pagefind.search(null, { filters: { [key]: value } });
            sets[key][value] = new Set(found.results.map((r) => r.id));
          }
        }
        return sets;
      })();
    }
    return filterSetsPromise;
  }

  // ---- rendering (text only) ----------------------------------------------

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  /** A passage of the record around the first match, with every match in <mark>. */
  function excerpt(content, needles) {
    const fields = decode(content).split("\n");
    // Name, headline and place are shown above the excerpt: prefer a match in the text after them.
    const body = fields.slice(3).join(" · ");
    const lower = body.toLowerCase();
    const wanted = needles.filter(Boolean).sort((a, b) => b.length - a.length);
    let at = -1;
    for (const needle of wanted) {
      const i = lower.indexOf(needle);
      if (i >= 0 && (at < 0 || i < at)) at = i;
    }
    const start = at < 0 ? 0 : Math.max(0, at - 24);
    const end = Math.min(body.length, start + 96);
    const fragment = document.createDocumentFragment();
    if (start > 0) fragment.append("…");
    let i = start;
    while (i < end) {
      let hit = null;
      for (const needle of wanted) {
        if (lower.startsWith(needle, i)) {
          hit = needle;
          break;
        }
      }
      if (hit) {
        fragment.append(el("mark", null, body.slice(i, i + hit.length)));
        i += hit.length;
      } else {
        let j = i + 1;
        while (j < end && !wanted.some((n) => lower.startsWith(n, j))) j++;
        fragment.append(body.slice(i, j));
        i = j;
      }
    }
    if (end < body.length) fragment.append("…");
    return fragment;
  }

  function resultItem(data, needles, withExcerpt) {
    const item = el("li", "sc-search-result");
    const link = el("a", "sc-search-result__link");
    link.href = data.url;
    const head = el("span", "sc-search-result__head");
    if (data.meta.number) head.append(el("span", "sc-search-result__number", `No. ${data.meta.number}`));
    head.append(el("span", "sc-search-result__name", data.meta.title || data.url));
    link.append(head);
    if (data.meta.headline) link.append(el("span", "sc-search-result__headline", data.meta.headline));
    const where = [data.meta.province, data.meta.place].filter(Boolean).join(" · ");
    if (where) link.append(el("span", "sc-search-result__place", where));
    if (withExcerpt) {
      const passage = el("span", "sc-search-result__excerpt");
      passage.append(excerpt(data.content || "", needles));
      link.append(passage);
    }
    item.append(link);
    return item;
  }

  // ---- header box (every page) --------------------------------------------

  function debounce(fn, ms) {
    let timer = null;
    return (...args) => {
      clearTimeout(timer);
      timer = setTimeout(() => fn(...args), ms);
    };
  }

  function searchUrl(query) {
    const url = new URL(searchPageUrl);
    if (query) url.searchParams.set("q", query);
    return url.href;
  }

  function mountBox(form) {
    const input = form.querySelector("input[name=q]") || form.querySelector("input");
    if (!input) return;
    form.classList.add("sc-search--ready");
    form.action = searchPageUrl.href;
    const panel = el("div", "sc-search__panel");
    panel.hidden = true;
    panel.setAttribute("aria-live", "polite");
    form.append(panel);
    let generation = 0;

    const show = async () => {
      const query = input.value.trim();
      const mine = ++generation;
      if (!query) {
        panel.hidden = true;
        panel.replaceChildren();
        return;
      }
      let found;
      try {
        found = await findRecords(query);
      } catch (error) {
        if (mine !== generation) return;
        panel.replaceChildren(el("p", "sc-search__status", "搜索暂时无法使用（需要通过网站服务器访问）。"));
        panel.hidden = false;
        return;
      }
      const datas = await Promise.all(found.results.slice(0, DROPDOWN_SIZE).map((r) => r.data()));
      if (mine !== generation) return;
      const children = [];
      if (!datas.length) children.push(el("p", "sc-search__status", `没有找到与“${query}”相关的项目`));
      else {
        const list = el("ul", "sc-search-results sc-search-results--compact");
        datas.forEach((d) => list.append(resultItem(d, found.needles, false)));
        children.push(list);
        const all = el("a", "sc-search__all", `查看全部 ${found.results.length} 个结果 →`);
        all.href = searchUrl(query);
        children.push(all);
      }
      panel.replaceChildren(...children);
      panel.hidden = false;
    };

    input.addEventListener("focus", () => loadPagefind().catch(() => {}), { once: true });
    // While an IME is composing (拼音 being typed) the input holds Latin letters: wait for the characters.
    const later = debounce(show, 120);
    input.addEventListener("input", (event) => event.isComposing || later());
    input.addEventListener("compositionend", later);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        panel.hidden = true;
        input.blur();
      }
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      window.location.href = searchUrl(input.value.trim());
    });
    document.addEventListener("click", (event) => {
      if (!form.contains(event.target)) panel.hidden = true;
    });
  }

  function headerForm() {
    const existing = document.querySelector("form[data-showcase-search]");
    if (existing) return existing;
    // Fallback when the header partial is missing: build the box into Material's header.
    const header = document.querySelector(".md-header__inner");
    if (!header) return null;
    const form = el("form", "sc-search");
    form.setAttribute("role", "search");
    form.setAttribute("data-showcase-search", "");
    const input = el("input", "sc-search__input");
    Object.assign(input, { type: "search", name: "q", placeholder: "搜索项目、地名、机制", autocomplete: "off" });
    input.setAttribute("aria-label", "搜索项目");
    form.append(input);
    header.insertBefore(form, header.querySelector(".md-header__source"));
    return form;
  }

  // ---- the search page ----------------------------------------------------

  function mountPage(root) {
    const params = new URLSearchParams(window.location.search);
    const state = { q: params.get("q") || "", filters: {}, shown: PAGE_SIZE };
    for (const key of Object.keys(FILTER_LABELS)) state.filters[key] = params.getAll(key);

    const form = el("form", "sc-search-page__form");
    form.setAttribute("role", "search");
    const input = el("input", "sc-search-page__input");
    Object.assign(input, { type: "search", name: "q", value: state.q, placeholder: "输入项目名称、地名、机制或关键词", autocomplete: "off" });
    input.setAttribute("aria-label", "搜索项目");
    const button = el("button", "md-button md-button--primary", "搜索");
    button.type = "submit";
    form.append(input, button);
    const status = el("p", "sc-search-page__status");
    status.setAttribute("aria-live", "polite");
    const layout = el("div", "sc-search-page__layout");
    const facets = el("aside", "sc-search-page__filters");
    facets.setAttribute("aria-label", "筛选");
    const list = el("ol", "sc-search-results");
    const more = el("button", "md-button sc-search-page__more", "显示更多");
    more.type = "button";
    more.hidden = true;
    const main = el("div", "sc-search-page__results");
    main.append(status, list, more);
    layout.append(facets, main);
    root.replaceChildren(form, layout);

    let generation = 0;

    const syncUrl = () => {
      const url = new URL(window.location.href);
      url.search = "";
      if (state.q) url.searchParams.set("q", state.q);
      for (const [key, values] of Object.entries(state.filters)) values.forEach((v) => url.searchParams.append(key, v));
      window.history.replaceState(null, "", url.href);
    };

    const renderFacets = (sets, results, inSelection) => {
      const groups = [];
      for (const [key, label] of Object.entries(FILTER_LABELS)) {
        const values = Object.keys(sets[key] || {});
        if (values.length < 2) continue;
        const matching = results.filter((r) => inSelection(r.id, key)).map((r) => r.id);
        const fieldset = el("fieldset", "sc-search-filter");
        fieldset.append(el("legend", null, label));
        const counted = values
          .map((value) => [value, matching.filter((id) => sets[key][value].has(id)).length])
          .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], "zh"));
        for (const [value, count] of counted) {
          const checked = state.filters[key].includes(value);
          if (!count && !checked) continue;
          const option = el("label", "sc-search-filter__option");
          const box = el("input");
          box.type = "checkbox";
          box.checked = checked;
          box.dataset.filter = key;
          box.value = value;
          box.addEventListener("change", () => {
            state.filters[key] = box.checked ? [...state.filters[key], value] : state.filters[key].filter((v) => v !== value);
            state.shown = PAGE_SIZE;
            run();
          });
          option.append(box, el("span", "sc-search-filter__value", value), el("span", "sc-search-filter__count", String(count)));
          fieldset.append(option);
        }
        groups.push(fieldset);
      }
      facets.replaceChildren(...groups);
    };

    const run = async () => {
      const mine = ++generation;
      syncUrl();
      const anyFilter = Object.values(state.filters).some((v) => v.length);
      if (!state.q && !anyFilter) {
        status.textContent = "输入关键词搜索全部项目，例如：四公开一监督、电动车、业委会、武汉。";
        list.replaceChildren();
        more.hidden = true;
        facets.replaceChildren();
        return;
      }
      status.textContent = "正在搜索…";
      let found;
      let sets;
      try {
        const pagefind = await loadPagefind();
        sets = await filterSets();
        if (state.q) found = await findRecords(state.q);
        else {
          const everything = await pagefind.search(null);
          found = { results: everything.results, needles: [] };
        }
      } catch (error) {
        if (mine === generation) status.textContent = "搜索暂时无法使用（需要通过网站服务器访问）。";
        return;
      }
      if (mine !== generation) return;
      // Facet counts: matches of the query within the other facets' selection.
      const inSelection = (id, exceptKey) =>
        Object.entries(state.filters).every(
          ([key, values]) => key === exceptKey || !values.length || values.some((v) => sets[key][v] && sets[key][v].has(id)),
        );
      const filtered = found.results.filter((r) => inSelection(r.id, null));
      renderFacets(sets, found.results, inSelection);
      const datas = await Promise.all(filtered.slice(0, state.shown).map((r) => r.data()));
      if (mine !== generation) return;
      status.textContent = filtered.length
        ? `找到 ${filtered.length} 个项目` + (state.q ? `（关键词“${state.q}”）` : "")
        : state.q
          ? `没有找到与“${state.q}”相关的项目。可以换个说法，或减少筛选条件。`
          : "没有符合筛选条件的项目。";
      list.replaceChildren(...datas.map((d) => resultItem(d, found.needles, true)));
      more.hidden = filtered.length <= state.shown;
    };

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      state.q = input.value.trim();
      state.shown = PAGE_SIZE;
      run();
    });
    const typed = debounce(() => {
      state.q = input.value.trim();
      state.shown = PAGE_SIZE;
      run();
    }, 200);
    input.addEventListener("input", (event) => event.isComposing || typed());
    input.addEventListener("compositionend", typed);
    more.addEventListener("click", () => {
      state.shown += PAGE_SIZE;
      run();
    });
    run();
  }

  // ---- start --------------------------------------------------------------

  function start() {
    const form = headerForm();
    if (form) mountBox(form);
    const page = document.querySelector("[data-showcase-search-page]");
    if (page) mountPage(page);
  }

  // Exposed for tests and the benchmark (tests/browser/test_search_browser.py, measure.py).
  window.showcaseSearch = { queryParts, decode, variants, findRecords, loadPagefind };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
