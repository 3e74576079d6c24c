/*
 * Showcase search: the header box on every page and the /search/ page.
 *
 * The index is a folder of small static files written by generator/search
 * (indexer.py describes them): a query downloads only the shards of its own
 * keys (character bigrams, see tokens.py; a synonym group's keys come in one
 * file). Those files end with the metadata of their keys' lead records
 * (leads.py), so a query's first screen nearly always needs nothing more; the
 * metadata of other results comes from the m/ chunks, a second round.
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
  const FIRST_SCREEN = 5; // results a phone shows without scrolling (the search page renders these first)
  const DROPDOWN_SIZE = 6;

  const script = document.currentScript;
  // assets/search/search.js → the site root, wherever the site is mounted.
  const siteRoot = new URL("../../", script ? script.src : document.baseURI);
  const searchPageUrl = new URL("search/", siteRoot);

  // ---- keys (mirror of generator/search/tokens.py) -----------------------

  const MAX_WORD_PREFIX = 16;
  const LETTER = /^[\p{L}\p{N}]$/u;
  const ASCII_ALNUM = /^[0-9a-z]$/;
  const PIECE = /[0-9a-z]+%?|(?:(?![0-9a-z])[\p{L}\p{N}])+/gu;

  /** One character as the index sees it (tokens.normalize_char). */
  function normalizeChar(ch) {
    // Fast path for the common characters, same answer as below: a CJK unified ideograph
    // (U+4E00–U+9FFF) and a lowercase ASCII letter or digit are letters NFKC and lowercasing keep.
    if ((ch >= "\u4e00" && ch <= "\u9fff") || (ch >= "a" && ch <= "z") || (ch >= "0" && ch <= "9")) return ch;
    if (/^\s$/u.test(ch)) return " ";
    const normalized = ch.normalize("NFKC").toLowerCase();
    if (normalized && [...normalized].every((c) => LETTER.test(c))) return normalized;
    if (normalized === "%") return "%"; // ％ → %: a percent sign can end a word (95%)
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

  const FORMAT = 4;
  // Weight of a match per field class (documents.py: text, title, mechanism, place, headline, name).
  const CLASS_WEIGHTS = [1, 2, 4, 5, 6, 10];
  const indexRoot = new URL("index/", script ? script.src : new URL("assets/search/", siteRoot));

  let manifestPromise = null;
  let loaded = null; // the manifest, once it has arrived
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
          loaded = manifest;
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
      const download = async (manifest) => {
        const response = await fetch(new URL(`${name}?v=${manifest.version}`, indexRoot));
        if (!response.ok) throw new Error(`${name}: ${response.status}`);
        return inflate(new Uint8Array(await response.arrayBuffer()));
      };
      // With the manifest at hand the request leaves now, not after the caller's other work.
      const promise = loaded ? download(loaded) : loadIndex().then(download);
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
      rest() {
        return bytes.subarray(at);
      },
    };
  }

  /**
   * Metadata that came with the posting files: each s/, y/ and k/ file ends with the m/ entries of
   * its keys' lead records ([[rid, metadata], …] JSON; generator/search/leads.py), the records a
   * query of one key shows first. Parsed only when a result's metadata is asked for.
   */
  const leadMeta = new Map();
  const pendingLeads = [];

  function keepLeads(bytes) {
    if (bytes.length > 2) pendingLeads.push(bytes);
  }

  function leadOf(rid) {
    while (pendingLeads.length) {
      for (const [id, meta] of JSON.parse(new TextDecoder().decode(pendingLeads.pop()))) leadMeta.set(id, meta);
    }
    return leadMeta.get(rid);
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
        keepLeads(reader.rest());
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

  /** A large posting's own file (k/…): its size, the posting, then its lead records' metadata. */
  function ownPosting(bytes) {
    const reader = varints(bytes);
    const payload = reader.take(reader.next());
    keepLeads(reader.rest());
    return payload;
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
      const payload = entry.heavy ? indexFile(heavyName(key)).then(ownPosting) : Promise.resolve(entry.payload);
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
    const lead = leadOf(rid);
    if (lead) return Promise.resolve({ url: new URL(lead.url, siteRoot).href, meta: lead });
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
   * Start a query's downloads without waiting for them: its shards, and the
   * large postings it will certainly read (cached per page, so the search
   * that follows finds them in flight). Returns the query's plans.
   */
  function startDownloads(text, manifest) {
    const plans = variants(text)
      .map(queryParts)
      .filter((parts) => parts.length);
    // Large postings start with the shards' downloads instead of after them:
    // those of the query as typed (it is nearly always live, and waiting for
    // its shards would add a round trip to every search), and those of a
    // variant made only of large keys (certainly live). A synonym variant's
    // other large postings wait until its shards show it can match at all.
    plans.forEach((parts, index) => {
      const own = parts.flatMap((p) => p.keys);
      const large = own.filter((k) => manifest.heavySet.has(k));
      if (index === 0 || large.length === own.length) large.forEach((k) => posting(k, HEAVY, manifest).catch(() => {}));
    });
    entries([...new Set(plans.flat().flatMap((p) => p.keys))], groupsIn(text), manifest).catch(() => {});
    return plans;
  }

  /**
   * Records matching every part of the query (or of one of its synonym
   * variants), best first: {results: [{id, score, data(), text()}], needles}.
   * A part of 2+ characters is found exactly where it occurs as written.
   */
  async function findRecords(query) {
    const manifest = await loadIndex();
    const typed = query.trim();
    // The traditional→simplified table loads when the search box gets focus, so it may still be
    // on its way: the query as typed is searched meanwhile (its downloads, then its matching).
    // Nearly every query is in simplified script already, and then that search is the answer
    // and the table costs neither a round trip nor a wait of its own.
    const table = simplified(typed);
    const asTyped = search(typed, startDownloads(typed, manifest), manifest);
    asTyped.catch(() => {});
    const text = await table;
    if (text === typed) return asTyped;
    return search(text, startDownloads(text, manifest), manifest);
  }

  /** The records matching a query's plans (startDownloads), best first: {results, needles}. */
  async function search(text, plans, manifest) {
    const needles = [...new Set(plans.flat().map((p) => p.text))];
    const keys = [...new Set(plans.flat().flatMap((p) => p.keys))];
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
      // Pushed one by one: filling an array given its length first took a cold page 5.9 ms for
      // 8,900 results where pushing takes 3.5 (best of 7, Chromium, 2026-12-03).
      for (let k = 0; k < order.length; k++) results.push(new Result(rids[order[k]], scores[order[k]], manifest));
    }
    return { results, needles };
  }

  // ---- what a query is read as, and what is suggested (generator/search/suggestions.py) --

  /**
   * Traditional → simplified characters (t2s.json: {from, to}, pair by pair); loaded once, when the
   * search box gets focus. Looked up in the strings as they come: every traditional character is in
   * the Basic Multilingual Plane (suggestions.py takes them from U+4E00–U+9FFF), so its index in
   * `from` counts characters; a Map of the 2,600 pairs cost a cold page more than a query's look-ups.
   */
  let t2sPromise = null;

  function t2sTable() {
    if (!t2sPromise) {
      t2sPromise = jsonFile("t2s.json").then((table) => ({ from: table.from, to: [...table.to] }));
      t2sPromise.catch(() => {
        t2sPromise = null;
      });
    }
    return t2sPromise;
  }

  /** The query in simplified script: 四公開一監督 → 四公开一监督 (records are simplified). */
  async function simplified(text) {
    let table = null;
    try {
      table = await t2sTable();
    } catch (error) {
      return text; // an index without the table: search the query as typed
    }
    return [...text]
      .map((char) => {
        const at = char.length === 1 ? table.from.indexOf(char) : -1;
        return at < 0 ? char : table.to[at];
      })
      .join("");
  }

  /** The vocabulary and the pinyin readings (suggest.json, pinyin.json): only after a query found nothing. */
  let suggestPromise = null;

  function suggestData() {
    if (!suggestPromise) {
      suggestPromise = Promise.all([jsonFile("suggest.json"), jsonFile("pinyin.json")]).then(([vocab, table]) => {
        const readings = new Map();
        for (const [syllable, chars] of Object.entries(table)) {
          for (const char of chars) {
            if (!readings.has(char)) readings.set(char, new Set());
            readings.get(char).add(syllable);
          }
        }
        return { vocab, readings, placeWords: new Set(vocab.placeWords) };
      });
      suggestPromise.catch(() => {
        suggestPromise = null;
      });
    }
    return suggestPromise;
  }

  const HAN = /^\p{Script=Han}+$/u;

  /** Whether the letters spell the word's characters in pinyin, syllable after syllable (wuhan → 武汉). */
  function readsAs(word, letters, readings) {
    const chars = [...word];
    const reach = (i, at) => {
      if (i === chars.length) return at === letters.length;
      for (const syllable of readings.get(chars[i]) || []) {
        if (letters.startsWith(syllable, at) && reach(i + 1, at + syllable.length)) return true;
      }
      return false;
    };
    return reach(0, 0);
  }

  function homophones(a, b, readings) {
    const ra = readings.get(a);
    const rb = readings.get(b);
    return Boolean(ra && rb && [...ra].some((r) => rb.has(r)));
  }

  /** How close a typed word is to a known one: 3 one character read alike (桥口 → 硚口), 2 one other
   *  character, 1 one character more or fewer; 0 not close. */
  function closeness(typed, word, readings) {
    const a = [...typed];
    const b = [...word];
    if (a.length === b.length) {
      const differing = a.map((c, i) => i).filter((i) => a[i] !== b[i]);
      if (differing.length !== 1) return 0;
      const i = differing[0];
      return homophones(a[i], b[i], readings) ? 3 : a.length >= 3 ? 2 : 0;
    }
    const [short, long] = a.length < b.length ? [a, b] : [b, a];
    if (long.length - short.length !== 1 || short.length < 2) return 0;
    for (let i = 0; i < long.length; i++) {
      if (long.slice(0, i).concat(long.slice(i + 1)).join("") === short.join("")) return 1;
    }
    return 0;
  }

  /**
   * Words to suggest for a query that found nothing (at most `limit`, best first): the Chinese of
   * an English keyword (satisfaction → 满意度), a place typed in pinyin (wuhan → 武汉), a near-miss
   * of a known word (桥口 → 硚口).
   */
  async function suggest(query, limit = 3) {
    const { vocab, readings, placeWords } = await suggestData();
    const text = normalize(await simplified(query)).trim();
    const scores = new Map();
    const add = (word, score) => {
      if (word !== text && (scores.get(word) || 0) < score) scores.set(word, score);
    };
    const latin = text.replace(/[^a-z']+/g, " ").trim();
    if (latin) {
      const padded = ` ${latin} `;
      for (const [english, chinese] of vocab.english) {
        if (padded.includes(` ${english} `)) add(chinese, 200 + english.length);
      }
      const letters = latin.split(" ").filter((w) => !placeWords.has(w)).join("").replace(/'/g, "");
      if (letters.length >= 2) {
        for (const [word, count] of vocab.words) {
          if (HAN.test(word) && readsAs(word, letters, readings)) add(word, 100 + Math.min(count, 99));
        }
      }
    }
    const han = [...text].filter((c) => HAN.test(c)).join("");
    if ([...han].length >= 2) {
      for (const [word, count] of vocab.words) {
        const close = closeness(han, word, readings);
        if (close) add(word, close * 10 + Math.min(count, 999) / 1000);
      }
    }
    return [...scores].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], "zh")).slice(0, limit).map(([word]) => word);
  }

  /** "你是不是要找：硚口、硚口区？" with each word a link to its search (or nothing to show). */
  async function suggestionLine(query, className) {
    let words = [];
    try {
      words = await suggest(query);
    } catch (error) {
      return null;
    }
    if (!words.length) return null;
    const line = el("p", className, "你是不是要找：");
    words.forEach((word, i) => {
      if (i) line.append("、");
      const link = el("a", "sc-search__suggestion", word);
      link.href = searchUrl(word);
      line.append(link);
    });
    line.append("？");
    return line;
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

  const EXCERPT_LENGTH = 90; // characters of a long sentence shown around its first match
  const SENTENCE = /[^。！？；!?;\n]+[。！？；!?;]*/gu;

  /**
   * Where the needles (normalized query parts) occur in a text as written: [[start, end]], sorted,
   * overlaps joined. The text is normalized character by character (normalizeChar), keeping for
   * each normalized unit the span of the character it came from, so a match is marked in the
   * record's own case and width (推送H5月报, not 推送h5月报).
   */
  function hits(text, needles) {
    let norm = "";
    const from = [];
    const to = [];
    let at = 0;
    for (const char of text) {
      for (const unit of normalizeChar(char)) {
        norm += unit;
        for (let k = 0; k < unit.length; k++) {
          from.push(at);
          to.push(at + char.length);
        }
      }
      at += char.length;
    }
    const spans = [];
    for (const needle of needles) {
      if (!needle) continue;
      for (let i = norm.indexOf(needle); i >= 0; i = norm.indexOf(needle, i + needle.length)) {
        spans.push([from[i], to[i + needle.length - 1]]);
      }
    }
    spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    const joined = [];
    for (const span of spans) {
      const last = joined[joined.length - 1];
      if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
      else joined.push([...span]);
    }
    return joined;
  }

  /**
   * The excerpt of a record for a query: {text, marks} — the record's own sentence with the most
   * of the query's parts (the first such), cut to EXCERPT_LENGTH around its first match; the
   * record's first sentence when the match is only in its name, place or tags.
   */
  function excerptText(content, needles) {
    const wanted = needles.filter(Boolean);
    let best = null;
    for (const [sentence] of content.matchAll(SENTENCE)) {
      const text = sentence.trim();
      if (!text) continue;
      const marks = hits(text, wanted);
      const parts = new Set(marks.map(([a, b]) => normalize(text.slice(a, b)))).size;
      if (!best || parts > best.parts) best = { text, marks, parts };
    }
    if (!best) return { text: "", marks: [] };
    let { text, marks } = best;
    const chars = [...text];
    if (chars.length > EXCERPT_LENGTH) {
      // Cut by characters, not UTF-16 units; keep some context before the first match.
      const first = marks.length ? [...text.slice(0, marks[0][0])].length : 0;
      const start = Math.max(0, Math.min(first - 20, chars.length - EXCERPT_LENGTH));
      const head = chars.slice(0, start).join("").length;
      const cut = chars.slice(start, start + EXCERPT_LENGTH).join("");
      const end = head + cut.length;
      marks = marks.filter(([a, b]) => a >= head && b <= end).map(([a, b]) => [a - head, b - head]);
      text = (start > 0 ? "…" : "") + cut + (start + EXCERPT_LENGTH < chars.length ? "…" : "");
      if (start > 0) marks = marks.map(([a, b]) => [a + 1, b + 1]);
    }
    return { text, marks };
  }

  /** The excerpt as nodes: text, with every match in <mark>. Record text only ever as text nodes. */
  function excerpt(content, needles) {
    const { text, marks } = excerptText(content, needles);
    const fragment = document.createDocumentFragment();
    let at = 0;
    for (const [a, b] of marks) {
      if (a > at) fragment.append(text.slice(at, a));
      fragment.append(el("mark", null, text.slice(a, b)));
      at = b;
    }
    if (at < text.length) fragment.append(text.slice(at));
    return fragment;
  }

  /** How the publication writes a number: 第 47 号 (generator.present.figures.number_label). */
  function numberLabel(number) {
    return `第 ${number} 号`;
  }

  /**
   * One result. In the header's dropdown (no text) the whole item is a link; on the search page
   * only the name is, and the headline, place and excerpt are plain text under it.
   */
  function resultItem(data, needles, text) {
    const item = el("li", "sc-search-result");
    const compact = typeof text !== "string";
    const link = el("a", compact ? "sc-search-result__link" : "sc-search-result__title");
    link.href = data.url;
    if (data.meta.number) link.append(el("span", "sc-search-result__number", numberLabel(data.meta.number)), " ");
    link.append(el("span", "sc-search-result__name", data.meta.title || data.url));
    const details = compact ? link : item;
    item.append(link);
    if (data.meta.headline) details.append(el("span", "sc-search-result__headline", data.meta.headline));
    const where = [data.meta.province, data.meta.place].filter(Boolean).join(" · ");
    if (where) details.append(el("span", "sc-search-result__place", where));
    if (!compact) {
      const passage = el("span", "sc-search-result__excerpt");
      passage.append(excerpt(text, needles));
      item.append(passage);
    }
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
      const hint = datas.length ? null : await suggestionLine(query, "sc-search__status");
      if (mine !== generation) return;
      const children = [];
      if (!datas.length) {
        children.push(el("p", "sc-search__status", `没有找到与“${query}”相关的项目`));
        if (hint) children.push(hint);
      } else {
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

    input.addEventListener("focus", () => t2sTable().catch(() => {}), { once: true });
    // While an IME is composing (拼音 being typed) the input holds Latin letters: wait for the characters.
    // The downloads of what is typed start at once; the search itself waits until typing pauses.
    const later = debounce(show, 120);
    const typed = () => {
      const query = input.value.trim();
      if (query) loadIndex().then((manifest) => startDownloads(query, manifest)).catch(() => {});
      later();
    };
    input.addEventListener("input", (event) => event.isComposing || typed());
    input.addEventListener("compositionend", typed);
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

    // The page template (templates/search-page.html) holds the form and the result areas, so
    // nothing moves when they fill; a page without them (a bare test page) gets them built here.
    const form = root.querySelector("form") || el("form", "sc-search-page__form");
    let input = form.querySelector("input[name=q]");
    if (!input) {
      form.setAttribute("role", "search");
      input = el("input", "sc-search-page__input");
      Object.assign(input, { type: "search", name: "q", placeholder: "输入项目名称、地名、机制或关键词", autocomplete: "off" });
      input.setAttribute("aria-label", "搜索项目");
      const button = el("button", "md-button md-button--primary", "搜索");
      button.type = "submit";
      form.append(input, button);
    }
    input.value = state.q;
    const status = root.querySelector(".sc-search-page__status") || el("p", "sc-search-page__status");
    status.setAttribute("aria-live", "polite");
    const facets = root.querySelector(".sc-search-page__filters") || el("aside", "sc-search-page__filters");
    facets.setAttribute("aria-label", "筛选");
    const list = root.querySelector("ol.sc-search-results") || el("ol", "sc-search-results");
    let more = root.querySelector(".sc-search-page__more");
    if (!more) {
      more = el("button", "md-button sc-search-page__more", "显示更多");
      more.type = "button";
      more.hidden = true;
    }
    if (!root.querySelector(".sc-search-page__layout")) {
      const layout = el("div", "sc-search-page__layout");
      const main = el("div", "sc-search-page__results");
      main.append(status, list, more);
      layout.append(facets, main);
      root.replaceChildren(form, layout);
    }

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
        const matching = new Set(results.filter((r) => inSelection(r.id, key)).map((r) => r.id));
        const fieldset = el("fieldset", "sc-search-filter");
        fieldset.append(el("legend", null, label));
        // One pass over each value's records (about one per record and key), not one over the
        // matches per value: on the search page's first run this was its costliest function.
        const countOf = (value) => {
          let count = 0;
          for (const id of sets[key][value]) if (matching.has(id)) count += 1;
          return count;
        };
        const counted = values
          .map((value) => [value, countOf(value)])
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
        if (fieldset.querySelector("input")) groups.push(fieldset); // no heading over an empty group
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
        list.removeAttribute("aria-busy");
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
      // A new list shows its first screen as soon as that screen's excerpts are in, and the rest
      // is appended below once its own are: the excerpt files (a few KB each, one per few records)
      // are most of what a search page downloads, and on a slow phone connection waiting for all
      // twenty delayed every result. Appending below moves nothing already shown. "显示更多"
      // (a longer list, the reader scrolled down) renders the whole list at once, as before.
      const firstScreen = state.shown > PAGE_SIZE ? shown.length : FIRST_SCREEN;
      const itemsOf = (results) =>
        Promise.all([Promise.all(results.map((r) => r.data())), Promise.all(results.map((r) => r.text()))]).then(
          ([datas, texts]) => datas.map((d, i) => resultItem(d, found.needles, texts[i])),
        );
      const [head, hint] = await Promise.all([
        itemsOf(shown.slice(0, firstScreen)),
        found.results.length || !state.q ? null : suggestionLine(state.q, "sc-search-page__suggestion"),
      ]);
      if (mine !== generation) return;
      const old = root.querySelector(".sc-search-page__suggestion");
      if (old) old.remove();
      if (hint) status.after(hint);
      status.textContent = filtered.length
        ? `找到 ${filtered.length} 个项目` + (state.q ? `（关键词“${state.q}”）` : "")
        : state.q
          ? `没有找到与“${state.q}”相关的项目。可以换个说法，或减少筛选条件。`
          : "没有符合筛选条件的项目。";
      list.replaceChildren(...head);
      const rest = shown.slice(firstScreen);
      if (rest.length) {
        list.setAttribute("aria-busy", "true"); // still growing (for assistive technology, and tests)
        more.hidden = true; // below the list: shown once the list is whole, so it does not jump down
        const tail = await itemsOf(rest).catch(() => []);
        if (mine !== generation) return;
        list.append(...tail);
      }
      list.removeAttribute("aria-busy");
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
    // The traditional→simplified table waits for the search box's focus (mountBox): most readers of
    // a page never search, and parsing it would be main-thread work on every page view.
    idle(() => loadIndex().catch(() => {}));
    const form = headerForm();
    if (form) mountBox(form);
    const page = document.querySelector("[data-showcase-search-page]");
    if (page) mountPage(page);
  }

  // Exposed for tests and the benchmark (tests/browser/test_search_browser.py, measure.py).
  window.showcaseSearch = { queryParts, normalize, keyHash, variants, groupKeys, findRecords, loadIndex, simplified, suggest, excerptText };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
