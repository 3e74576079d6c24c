/*
 * Showcase search: the header box on every page and the /search/ page.
 *
 * The index is a folder of small static files written by generator/search
 * (indexer.py describes them): a query downloads only the shards of its own
 * keys (character bigrams, see tokens.py; a synonym group's keys come in one
 * file), then the metadata of the results it shows: two rounds of requests.
 * queryParts(), keyHash() and groupKeys() below must stay in step with
 * tokens.query_parts(), tokens.key_hash() and synonyms.group_keys(); the
 * browser tests check all three.
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

  // ---- keys (mirror of generator/search/tokens.py) -----------------------

  const MAX_WORD_PREFIX = 16;
  const LETTER = /^[\p{L}\p{N}]$/u;
  const ASCII_ALNUM = /^[0-9a-z]$/;
  const PIECE = /[0-9a-z]+|(?:(?![0-9a-z])[\p{L}\p{N}])+/gu;

  /** One character as the index sees it (tokens.normalize_char). */
  function normalizeChar(ch) {
    if (/^\s$/u.test(ch)) return " ";
    const normalized = ch.normalize("NFKC").toLowerCase();
    if (normalized && [...normalized].every((c) => LETTER.test(c))) return normalized;
    return LETTER.test(ch) ? " " : ch;
  }

  function normalize(text) {
    return [...text].map(normalizeChar).join("").replace(/ {2,}/g, " ");
  }

  /** FNV-1a over code points: the shard of a key (tokens.key_hash). */
  function keyHash(key) {
    let h = 0x811c9dc5;
    for (const ch of key) h = Math.imul(h ^ ch.codePointAt(0), 0x01000193) >>> 0;
    return h;
  }

  function cover(length) {
    const offsets = [];
    for (let o = 0; o < length - 1; o += 2) offsets.push(o);
    if (offsets[offsets.length - 1] !== length - 2) offsets.push(length - 2);
    return offsets;
  }

  /** A query → parts that must all occur: {kind, text, keys, offsets} (tokens.query_parts). */
  function queryParts(query) {
    const parts = [];
    for (const [piece] of normalize(query).matchAll(PIECE)) {
      const chars = [...piece];
      if (ASCII_ALNUM.test(chars[0])) {
        parts.push({ kind: "word", text: piece, keys: [piece.slice(0, MAX_WORD_PREFIX)], offsets: [0] });
      } else if (chars.length === 1) {
        parts.push({ kind: "char", text: piece, keys: [piece], offsets: [0] });
      } else {
        const offsets = cover(chars.length);
        parts.push({ kind: "run", text: piece, keys: offsets.map((o) => chars[o] + chars[o + 1]), offsets });
      }
    }
    return parts;
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

  /** Indexes of the synonym groups a query names (those variants() expands it with). */
  function groupsIn(text) {
    return SYNONYMS.flatMap((group, g) => (group.some((word) => text.includes(word)) ? [g] : []));
  }

  /** Every index key inside a word of a group (mirror of synonyms.group_keys): its file y/<g>.bin holds them. */
  function groupKeys(group) {
    const keys = new Set();
    for (const word of group) {
      for (const part of queryParts(word)) {
        if (part.kind !== "run") part.keys.forEach((key) => keys.add(key));
        else {
          const chars = [...part.text];
          for (let i = 0; i + 1 < chars.length; i++) keys.add(chars[i] + chars[i + 1]);
        }
      }
    }
    return keys;
  }

  // ---- the index files (generator/search/indexer.py, postings.py) --------

  const FORMAT = 2;
  // Weight of a match per field class (documents.py: text, title, mechanism, place, headline, name).
  const CLASS_WEIGHTS = [1, 2, 4, 5, 6, 10];
  const indexRoot = new URL("index/", script ? script.src : new URL("assets/search/", siteRoot));

  let manifestPromise = null;
  const files = new Map();

  function loadIndex() {
    if (!manifestPromise) {
      manifestPromise = fetch(new URL("index.json", indexRoot), { cache: "no-cache" })
        .then((response) => {
          if (!response.ok) throw new Error(`index.json: ${response.status}`);
          return response.json();
        })
        .then((manifest) => {
          if (manifest.format !== FORMAT) throw new Error("search index format");
          manifest.heavySet = new Set(manifest.heavy);
          manifest.posSpan = 256 ** manifest.posBytes;
          // Field class of each position before the last region (which runs to the end of the text).
          const last = Math.max(...manifest.regions);
          manifest.classOf = new Uint8Array(last);
          manifest.lastClass = manifest.regions.indexOf(last);
          manifest.regions.forEach((start, cls) => {
            const end = Math.min(...manifest.regions.filter((s) => s > start), last);
            manifest.classOf.fill(cls, start, end);
          });
          return manifest;
        });
      manifestPromise.catch(() => {
        manifestPromise = null;
      });
    }
    return manifestPromise;
  }

  /**
   * gzip data → the bytes inside. DecompressionStream fed from the buffer
   * itself: a Blob-fed stream costs a trip through the browser's blob store
   * for every file (about 1.5 ms each on a cold page).
   */
  async function inflate(bytes) {
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes; // a host that already unpacked it
    const stream = new DecompressionStream("gzip");
    const writer = stream.writable.getWriter();
    writer.write(bytes).catch(() => {});
    writer.close().catch(() => {});
    return new Uint8Array(await new Response(stream.readable).arrayBuffer());
  }

  /** A file of the index, inflated (fetched once per page). */
  function indexFile(name) {
    if (!files.has(name)) {
      const promise = loadIndex().then(async (manifest) => {
        const response = await fetch(new URL(`${name}?v=${manifest.version}`, indexRoot));
        if (!response.ok) throw new Error(`${name}: ${response.status}`);
        return inflate(new Uint8Array(await response.arrayBuffer()));
      });
      promise.catch(() => files.delete(name));
      files.set(name, promise);
    }
    return files.get(name);
  }

  /** A JSON file of the index, parsed once per page. */
  const parsed = new Map();

  function jsonFile(name) {
    if (!parsed.has(name)) {
      const promise = indexFile(name).then((bytes) => JSON.parse(new TextDecoder().decode(bytes)));
      promise.catch(() => parsed.delete(name));
      parsed.set(name, promise);
    }
    return parsed.get(name);
  }

  function varints(bytes) {
    let at = 0;
    return {
      next() {
        let value = 0;
        let shift = 0;
        for (;;) {
          const byte = bytes[at++];
          value += (byte & 0x7f) * 2 ** shift;
          if (byte < 0x80) return value;
          shift += 7;
        }
      },
      take(length) {
        at += length;
        return bytes.subarray(at - length, at);
      },
    };
  }

  /** Shard or synonym group file (s/<n>.bin, y/<g>.bin) → Map(key → {heavy, payload}). */
  const shards = new Map();

  function shard(name) {
    if (!shards.has(name)) {
      const promise = indexFile(name).then((bytes) => {
        const reader = varints(bytes);
        const entries = new Map();
        for (let count = reader.next(); count > 0; count--) {
          let key = "";
          for (let length = reader.next(); length > 0; length--) key += String.fromCodePoint(reader.next());
          const heavy = reader.next() === 1;
          const size = reader.next();
          entries.set(key, { heavy, payload: heavy ? null : reader.take(size) });
        }
        return entries;
      });
      promise.catch(() => shards.delete(name));
      shards.set(name, promise);
    }
    return shards.get(name);
  }

  function heavyName(key) {
    return "k/" + [...key].map((c) => c.codePointAt(0).toString(16)).join("-") + ".bin";
  }

  /**
   * Big-endian numbers stored as byte planes (postings.py `_planes`) → one
   * number per entry, in a single pass over the entries (a pass per plane,
   * on a cold page, cost several times more). Numbers of up to 4 bytes go in
   * a Uint32Array: below 2^30 they are small integers to V8, which a cold page
   * computes with without allocating a heap number for every operation.
   */
  function numbers(payload, n, width) {
    const out = width <= 4 ? new Uint32Array(n) : new Float64Array(n);
    if (width === 4) {
      const a = n;
      const b = 2 * n;
      const c = 3 * n;
      for (let i = 0; i < n; i++) out[i] = (payload[i] * 256 + payload[a + i]) * 65536 + payload[b + i] * 256 + payload[c + i];
    } else if (width === 2) {
      for (let i = 0; i < n; i++) out[i] = payload[i] * 256 + payload[n + i];
    } else if (width === 3) {
      const a = n;
      const b = 2 * n;
      for (let i = 0; i < n; i++) out[i] = (payload[i] * 256 + payload[a + i]) * 256 + payload[b + i];
    } else {
      for (let i = 0; i < n; i++) {
        let value = 0;
        for (let k = 0; k < width; k++) value = value * 256 + payload[k * n + i];
        out[i] = value;
      }
    }
    return out;
  }

  /**
   * A posting: {rids, classes} for characters and words (one entry a record,
   * rids ascending); {values} for bigrams: one number per occurrence,
   * rid × 256^posBytes + position, ascending (rid first, then position).
   */
  function decodePosting(key, payload, manifest) {
    const positional = [...key].length === 2 && !ASCII_ALNUM.test(key[0]);
    const ridBytes = manifest.ridBytes;
    if (positional) {
      const width = ridBytes + manifest.posBytes;
      return { values: numbers(payload, payload.length / width, width) };
    }
    const n = payload.length / (ridBytes + 1);
    return { rids: numbers(payload, n, ridBytes), classes: payload.subarray(ridBytes * n, (ridBytes + 1) * n) };
  }

  const postings = new Map();
  const HEAVY = { heavy: true, payload: null };

  /**
   * Round one: the shard entries of keys (null where the key is not in the index).
   * Keys inside the words of a synonym group the query names come from the
   * group's file (one request for every variant) instead of their shards.
   */
  async function entries(keys, groups, manifest) {
    const inGroup = new Map();
    if (manifest.synonyms === SYNONYMS.length) {
      for (const g of groups) for (const key of groupKeys(SYNONYMS[g])) if (!inGroup.has(key)) inGroup.set(key, `y/${g}.bin`);
    }
    const found = await Promise.all(
      keys.map(async (key) => {
        if (manifest.heavySet.has(key)) return HEAVY;
        return (await shard(inGroup.get(key) || `s/${keyHash(key) % manifest.shards}.bin`)).get(key) || null;
      }),
    );
    return new Map(keys.map((key, i) => [key, found[i]]));
  }

  /** Round two: a key's decoded posting (its own file when it is large). */
  function posting(key, entry, manifest) {
    if (!postings.has(key)) {
      const payload = entry.heavy ? indexFile(heavyName(key)) : Promise.resolve(entry.payload);
      const promise = payload.then((bytes) => decodePosting(key, bytes, manifest));
      promise.catch(() => postings.delete(key));
      postings.set(key, promise);
    }
    return postings.get(key);
  }

  /**
   * Records holding one part, ascending: {rids, scores} (typed arrays), a record's
   * score being the weight of the best field class it matches in plus a little per match.
   */
  function matchPart(part, lists, manifest) {
    if (part.kind !== "run") {
      const list = lists[0];
      const scores = new Float64Array(list.rids.length);
      for (let i = 0; i < scores.length; i++) scores[i] = CLASS_WEIGHTS[list.classes[i]] + 0.05;
      return { rids: list.rids, scores };
    }
    return matchRun(part.offsets, lists.map((list) => list.values), manifest);
  }

  /**
   * Records where the run occurs as written: a start position s such that
   * every cover bigram j occurs at s + offsets[j] in the same record. Walks
   * the list with the fewest occurrences and moves a cursor forward in each
   * other list (all ascending), so every list is read at most once.
   * Positions ascend through the regions best class first, so a record's
   * first match is in its best class; matches past ten add nothing.
   */
  function matchRun(offsets, lists, manifest) {
    const span = manifest.posSpan;
    const classOf = manifest.classOf;
    let driver = 0;
    for (let j = 1; j < lists.length; j++) if (lists[j].length < lists[driver].length) driver = j;
    const walked = lists[driver];
    const shift = offsets[driver];
    const cursor = new Uint32Array(lists.length);
    const outRids = new Uint32Array(walked.length);
    const outScores = new Float64Array(walked.length);
    let found = 0;
    let base = -1; // rid × span of the record being counted (no division per occurrence)
    let count = 0;
    let best = 0;
    for (let i = 0; i < walked.length; i++) {
      const value = walked[i];
      const position = value % span;
      const start = position - shift; // the run's start position in its record
      const here = value - position;
      if (start < 0 || (here === base && count >= 10)) continue;
      let all = true;
      for (let j = 0; j < lists.length && all; j++) {
        if (j === driver) continue;
        if (start + offsets[j] >= span) {
          all = false;
          break;
        }
        const wanted = here + start + offsets[j];
        const list = lists[j];
        let c = cursor[j];
        while (c < list.length && list[c] < wanted) c++;
        cursor[j] = c;
        all = c < list.length && list[c] === wanted;
      }
      if (!all) continue;
      if (here !== base) {
        if (count) {
          outRids[found] = base / span;
          outScores[found++] = CLASS_WEIGHTS[best] + Math.min(count, 10) / 20;
        }
        base = here;
        count = 0;
        best = start < classOf.length ? classOf[start] : manifest.lastClass;
      }
      count++;
    }
    if (count) {
      outRids[found] = base / span;
      outScores[found++] = CLASS_WEIGHTS[best] + Math.min(count, 10) / 20;
    }
    return { rids: outRids.subarray(0, found), scores: outScores.subarray(0, found) };
  }

  /** Records in both (ascending rids), scores added. */
  function intersect(a, b) {
    const size = Math.min(a.rids.length, b.rids.length);
    const rids = new Uint32Array(size);
    const scores = new Float64Array(size);
    let found = 0;
    for (let i = 0, j = 0; i < a.rids.length && j < b.rids.length; ) {
      if (a.rids[i] < b.rids[j]) i++;
      else if (a.rids[i] > b.rids[j]) j++;
      else {
        rids[found] = a.rids[i];
        scores[found++] = a.scores[i++] + b.scores[j++];
      }
    }
    return { rids: rids.subarray(0, found), scores: scores.subarray(0, found) };
  }

  /**
   * Positions of `scores` by score (highest first), then by position: a
   * counting sort over the few distinct scores, found by a linear look-up
   * only where the score changes (no Set, Map or comparator per result, which
   * a cold page runs slowly). `rids` are ascending, so ties keep rid order.
   */
  function rank(scores) {
    const n = scores.length;
    const distinct = [];
    const counts = [];
    const slots = new Uint32Array(n);
    let last = NaN;
    let slot = 0;
    for (let i = 0; i < n; i++) {
      const score = scores[i];
      if (score !== last) {
        slot = distinct.indexOf(score);
        if (slot < 0) {
          slot = distinct.length;
          distinct.push(score);
          counts.push(0);
        }
        last = score;
      }
      slots[i] = slot;
      counts[slot]++;
    }
    const at = new Uint32Array(distinct.length);
    let sum = 0;
    for (const k of distinct.map((_, k) => k).sort((a, b) => distinct[b] - distinct[a])) {
      at[k] = sum;
      sum += counts[k];
    }
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[at[slots[i]]++] = i;
    return order;
  }

  function metaOf(rid, manifest) {
    return jsonFile(`m/${Math.floor(rid / manifest.chunk)}.json`).then((chunk) => {
      const meta = chunk[rid % manifest.chunk];
      return { url: new URL(meta.url, siteRoot).href, meta };
    });
  }

  function textOf(rid, manifest) {
    return jsonFile(`t/${Math.floor(rid / manifest.textChunk)}.json`).then((chunk) => chunk[rid % manifest.textChunk]);
  }

  /** One found record: {id, score, data(), text()}. */
  class Result {
    constructor(id, score, manifest) {
      this.id = id;
      this.score = score;
      this.manifest = manifest;
    }

    data() {
      return metaOf(this.id, this.manifest);
    }

    text() {
      return textOf(this.id, this.manifest);
    }
  }

  /**
   * Records matching every part of the query (or of one of its synonym
   * variants), best first: {results: [{id, score, data(), text()}], needles}.
   * A part of 2+ characters is found exactly where it occurs as written.
   */
  async function findRecords(query) {
    const manifest = await loadIndex();
    const text = query.trim();
    const plans = variants(text)
      .map(queryParts)
      .filter((parts) => parts.length);
    const needles = [...new Set(plans.flat().map((p) => p.text))];
    const keys = [...new Set(plans.flat().flatMap((p) => p.keys))];
    // Start large postings with the shards' downloads instead of after them:
    // those of the query as typed (it is nearly always live, and waiting for
    // its shards would add a round trip to every search), and those of a
    // variant made only of large keys (certainly live). A synonym variant's
    // other large postings wait until its shards show it can match at all.
    plans.forEach((parts, index) => {
      const own = parts.flatMap((p) => p.keys);
      const large = own.filter((k) => manifest.heavySet.has(k));
      if (index === 0 || large.length === own.length) large.forEach((k) => posting(k, HEAVY, manifest).catch(() => {}));
    });
    const known = await entries(keys, groupsIn(text), manifest);
    // A variant with a key that is nowhere in the index finds nothing: skip its large postings.
    const live = plans.filter((parts) => parts.every((p) => p.keys.every((k) => known.get(k))));
    const lists = new Map();
    const wanted = [...new Set(live.flat().flatMap((p) => p.keys))];
    await Promise.all(wanted.map(async (key) => lists.set(key, await posting(key, known.get(key), manifest))));
    let rids = null;
    let scores = null;
    let best = null; // with several variants: the best score of each record, by rid (0: not found)
    for (const parts of live) {
      let found = null;
      for (const part of parts) {
        const matches = matchPart(part, part.keys.map((k) => lists.get(k)), manifest);
        found = found === null ? matches : intersect(found, matches);
        if (!found.rids.length) break;
      }
      if (live.length === 1) {
        ({ rids, scores } = found);
        break;
      }
      if (!best) best = new Float64Array(manifest.records);
      for (let i = 0; i < found.rids.length; i++) {
        if (best[found.rids[i]] < found.scores[i]) best[found.rids[i]] = found.scores[i];
      }
    }
    if (best) {
      let count = 0;
      for (let rid = 0; rid < best.length; rid++) if (best[rid] > 0) count++;
      rids = new Uint32Array(count);
      scores = new Float64Array(count);
      for (let rid = 0, i = 0; rid < best.length; rid++) {
        if (best[rid] > 0) {
          rids[i] = rid;
          scores[i++] = best[rid];
        }
      }
    }
    const results = [];
    if (rids) {
      const order = rank(scores);
      results.length = order.length;
      for (let k = 0; k < order.length; k++) results[k] = new Result(rids[order[k]], scores[order[k]], manifest);
    }
    return { results, needles };
  }

  /** Every record, in catalogue order (the /search/ page with filters but no query). */
  async function allRecords() {
    const manifest = await loadIndex();
    return Array.from({ length: manifest.records }, (_, rid) => new Result(rid, 0, manifest));
  }

  /** Ids of the records carrying each filter value: {key: {value: Set(ids)}} (loaded once). */
  let filterSetsPromise = null;

  function filterSets() {
    if (!filterSetsPromise) {
      filterSetsPromise = jsonFile("filters.json").then((table) => {
        const sets = {};
        for (const key of Object.keys(FILTER_LABELS)) {
          sets[key] = {};
          for (const [value, deltas] of table[key] || []) {
            let rid = 0;
            sets[key][value] = new Set(deltas.map((d) => (rid += d)));
          }
        }
        return sets;
      });
      filterSetsPromise.catch(() => {
        filterSetsPromise = null;
      });
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
    // The stored text leaves out name, headline and place: they are shown above the excerpt.
    const body = content.split("\n").join(" · ");
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

  function resultItem(data, needles, text) {
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
    if (typeof text === "string") {
      const passage = el("span", "sc-search-result__excerpt");
      passage.append(excerpt(text, needles));
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
        datas.forEach((d) => list.append(resultItem(d, found.needles, null)));
        children.push(list);
        const all = el("a", "sc-search__all", `查看全部 ${found.results.length} 个结果 →`);
        all.href = searchUrl(query);
        children.push(all);
      }
      panel.replaceChildren(...children);
      panel.hidden = false;
    };

    input.addEventListener("focus", () => loadIndex().catch(() => {}), { once: true });
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
        sets = await filterSets();
        found = state.q ? await findRecords(state.q) : { results: await allRecords(), needles: [] };
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
      const shown = filtered.slice(0, state.shown);
      const [datas, texts] = await Promise.all([
        Promise.all(shown.map((r) => r.data())),
        Promise.all(shown.map((r) => r.text())),
      ]);
      if (mine !== generation) return;
      status.textContent = filtered.length
        ? `找到 ${filtered.length} 个项目` + (state.q ? `（关键词“${state.q}”）` : "")
        : state.q
          ? `没有找到与“${state.q}”相关的项目。可以换个说法，或减少筛选条件。`
          : "没有符合筛选条件的项目。";
      list.replaceChildren(...datas.map((d, i) => resultItem(d, found.needles, texts[i])));
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
    // The manifest is tiny: fetch it while the reader is still reading, so the first search saves a round trip.
    const idle = window.requestIdleCallback || ((fn) => setTimeout(fn, 200));
    idle(() => loadIndex().catch(() => {}));
    const form = headerForm();
    if (form) mountBox(form);
    const page = document.querySelector("[data-showcase-search-page]");
    if (page) mountPage(page);
  }

  // Exposed for tests and the benchmark (tests/browser/test_search_browser.py, measure.py).
  window.showcaseSearch = { queryParts, normalize, keyHash, variants, groupKeys, findRecords, loadIndex };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
