// The search box, hosted and in the offline copy: a small UI over Pagefind's JS API (templates/theme/partials/pagefind.html).
//
// Why not Pagefind's own UI: it inserted filter values into the page as HTML, and its matching falls
// back to any indexed word that starts like the query ("Liverpool" found "live", "withemes" found
// "with"). Here every word must match a whole indexed word or one of its inflections (Pagefind's
// exact mode, with its stemming), a quoted phrase must match word for word, and everything read from
// the index reaches the page through textContent only.
(function () {
  "use strict";

  var root = document.querySelector(".archive-search");
  if (!root) return;
  var input = root.querySelector(".archive-search__input");
  var openButton = root.querySelector(".archive-search__open");
  var panel = root.querySelector(".archive-search__panel");
  var status = root.querySelector(".archive-search__status");
  var list = root.querySelector(".archive-search__results");
  var more = root.querySelector(".archive-search__more");
  var clear = root.querySelector(".archive-search__clear");
  var selects = root.querySelectorAll("select[data-filter]");
  var from = root.querySelector("input[data-range=from]");
  var to = root.querySelector("input[data-range=to]");
  var item = root.querySelector("template.archive-search__item");
  var HINT = status.textContent;
  var PAGE = 10;
  var EXCERPT_WORDS = 30;

  var pagefind = null;
  var shards = [];
  var dates = null;  // a promise of the date filter's values, once asked for
  var run = 0;
  var shown = [];
  var timer = null;
  var returningFocus = false;  // close() puts the focus back in the box: that focus must not open it again
  var NO_INDEX = {search: function () { return Promise.resolve({results: []}); }};

  // The offline copy (publisher/export.py) holds the same index as classic scripts, because a
  // browser refuses fetch() and import() from file://: each index file is "<file>.js", which hands
  // its bytes to archivePagefindFile, and pagefind.js asks archivePagefindFetch for them.
  var fromScripts = root.hasAttribute("data-pagefind-scripts");
  var base = new URL(root.dataset.pagefind, document.baseURI);  // fetch() and import() need it resolved
  var siteRoot = new URL("../", base);
  var handed = {};
  var loading = {};

  window.archivePagefindFile = function (path, encoded) {
    handed[path] = encoded;
  };

  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = url;
      script.onload = function () { script.remove(); resolve(); };
      script.onerror = function () { script.remove(); reject(new Error("could not load " + url)); };
      document.head.appendChild(script);
    });
  }

  function indexFile(path) {
    // The bytes of an index file, below pagefind/; loaded once, decoded from base64.
    if (!loading[path]) {
      loading[path] = loadScript(new URL(path + ".js", base).href).then(function () {
        if (!(path in handed)) throw new Error("no search index file " + path);
        var text = atob(handed[path]);
        delete handed[path];
        var bytes = new Uint8Array(text.length);
        for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
        return bytes;
      });
    }
    return loading[path];
  }

  window.archivePagefindFetch = function (input) {
    var url = new URL(String(input), base);
    url.search = "";
    var path = url.href.slice(base.href.length);
    return indexFile(path).then(function (bytes) {
      var type = /\.json$/.test(path) ? "application/json" : /^[^/]*\/wasm\./.test(path) ? "application/wasm" : "application/octet-stream";
      return new Response(bytes, {headers: {"Content-Type": type}});
    });
  };

  function readIndexJson(name) {
    // A JSON file of ours beside the shards (publisher/search/index.py), fresh from the server.
    if (fromScripts) return window.archivePagefindFetch(name).then(function (response) { return response.json(); });
    return fetch(new URL(name, base), {cache: "no-cache"}).then(function (response) {
      if (!response.ok) throw new Error("no search index: " + response.status);
      return response.json();
    });
  }

  function loadDates() {
    // Every date the date filter knows, for a date range only: thousands of them at 100,000 articles.
    if (!dates) {
      dates = readIndexJson("dates.json");
      dates.catch(function () { dates = null; });
    }
    return dates;
  }

  function importPagefind(url) {
    if (!fromScripts) {
      return import(url + "pagefind.js").then(function (pf) {
        return pf.options({mergeFilter: {shard: "0"}}).then(function () { return pf; });
      });
    }
    return loadScript(url + "pagefind.js").then(function () {
      var pf = window.archivePagefind;
      // No worker (file:// cannot start one); links are made from the site's root below (resultUrl).
      return pf.options({basePath: url, baseUrl: "/", noWorker: true, mergeFilter: {shard: "0"}}).then(function () { return pf; });
    });
  }

  function resultUrl(url) {
    // Offline, Pagefind's address "/articles/slug/" becomes the file articles/slug/index.html under the copy's root.
    if (!fromScripts) return url;
    return new URL(url.replace(/^\//, "").replace(/\/$/, "/index.html"), siteRoot).href;
  }

  function loadPagefind() {
    // The index comes in shards, newest first (publisher/search/index.py): the first one's
    // Pagefind loads the others into itself and tags each one's pages with its number.
    if (!pagefind) {
      pagefind = readIndexJson("shards.json").then(function (manifest) {
        shards = manifest.shards.map(function (shard) { return new URL(shard.name + "/", base).href; });
        // The menus' values come with the manifest, the dates apart (loadDates): Pagefind's filters()
        // would load every shard's filter files before the first result. Pagefind loads a filter's
        // files when a search first uses that filter.
        fillFilters(manifest.filters || {});
        if (!shards.length) return NO_INDEX;
        return importPagefind(shards[0]).then(function (pf) {
          return Promise.all(shards.slice(1).map(function (url, i) {
            return pf.mergeIndex(url, {mergeFilter: {shard: String(i + 1)}});
          })).then(function () {
            return pf;
          });
        });
      });
      pagefind.catch(function () {
        pagefind = null;
        status.textContent = "Search could not load. Reload the page to try again.";
      });
    }
    return pagefind;
  }

  function searchShards(pf, term, options) {
    // One search per shard: its results keep the shard's order, and the shard in their id (two
    // shards may give two pages the same id). Newest shard first.
    return Promise.all(shards.map(function (url, k) {
      var filters = Object.assign({}, options.filters, {shard: String(k)});
      return pf.search(term, Object.assign({}, options, {filters: filters})).then(function (found) {
        return found.results.map(function (result) {
          return {id: k + ":" + result.id, score: result.score, words: result.words, data: result.data};
        });
      });
    })).then(function (lists) {
      return [].concat.apply([], lists);
    });
  }

  function filterLabel(value) {
    // Outlet and topic names are percent-encoded in the index (templates/article.md.j2): Pagefind
    // 1.5.2 finds no page for a filter value that holds a quote or a backslash.
    try {
      return decodeURIComponent(value);
    } catch (error) {
      return value;
    }
  }

  function fillFilters(values) {
    // values: each filter's values, {"outlet": ["Daily%20Planet", ...], ...}; a second call (the
    // index loaded again after a failure) replaces what the first put in.
    selects.forEach(function (select) {
      select.length = 1;  // "Any ..."
      var names = (values[select.dataset.filter] || []).map(function (value) {
        return [filterLabel(value), value];
      });
      names.sort(function (a, b) {
        return select.dataset.filter === "year" ? b[0].localeCompare(a[0]) : a[0].localeCompare(b[0]);
      });
      names.forEach(function (name) {
        select.appendChild(new Option(name[0], name[1]));
      });
    });
  }

  function parseQuery(text) {
    // Quoted runs are phrases; everything else is single words. An unclosed quote is ignored.
    var terms = [];
    var pattern = /"([^"]*)"|([^\s"]+)/g;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      var phrase = match[1] !== undefined ? match[1].trim() : "";
      if (phrase) terms.push({text: phrase, phrase: /\s/.test(phrase)});
      else if (match[2]) terms.push({text: match[2], phrase: false});
    }
    return terms;
  }

  function periodOverlaps(value, start, end) {
    // A date known to the year or month covers all of it: "2022-10" runs from 2022-10-01 to 2022-10-31.
    var first = value.length === 4 ? value + "-01-01" : value.length === 7 ? value + "-01" : value;
    var last = value.length === 4 ? value + "-12-31" : value.length === 7 ? value + "-31" : value;
    return (!end || first <= end) && (!start || last >= start);
  }

  function chosenFilters(knownDates) {
    // knownDates: the date filter's values (loadDates); a range picks the ones it overlaps.
    var filters = {};
    selects.forEach(function (select) {
      if (select.value) filters[select.dataset.filter] = select.value;
    });
    if (from.value || to.value) {
      filters.date = {any: knownDates.filter(function (value) { return periodOverlaps(value, from.value, to.value); })};
    }
    return filters;
  }

  function findArticles(pf, terms, filters) {
    // Each term narrows the set: membership from the exact search (whole words and inflections,
    // phrases word for word), order from Pagefind's ranked search where it has one.
    if (filters.date && filters.date.any.length === 0) return Promise.resolve([]);
    if (!terms.length) {
      return searchShards(pf, null, {filters: filters, sort: {date: "desc"}}).then(function (found) {
        return found.map(function (result) { return {result: result, score: 0, words: []}; });
      });
    }
    return Promise.all(terms.map(function (term) {
      var exact = searchShards(pf, '"' + term.text + '"', {filters: filters});
      var ranked = term.phrase ? exact : searchShards(pf, term.text, {filters: filters});
      return Promise.all([exact, ranked]);
    })).then(function (searches) {
      var kept = null;
      searches.forEach(function (pair) {
        var scores = new Map(pair[1].map(function (r) { return [r.id, r.score]; }));
        var next = new Map();
        pair[0].forEach(function (r) {
          if (kept && !kept.has(r.id)) return;
          var before = kept ? kept.get(r.id) : {result: r, score: 0, words: []};
          next.set(r.id, {result: before.result, score: before.score + (scores.has(r.id) ? scores.get(r.id) : r.score),
                          words: before.words.concat(r.words)});
        });
        kept = next;
      });
      return Array.from(kept.values()).sort(function (a, b) {
        return b.score - a.score || (a.result.id < b.result.id ? -1 : 1);
      });
    });
  }

  function fillExcerpt(paragraph, content, words) {
    // Pagefind counts words split on white space; its own excerpt is HTML, so we build ours as text.
    var all = content.split(/[\r\n\s]+/g);
    var marks = new Set(words);
    var first = words.length ? Math.min.apply(null, words) : 0;
    var start = Math.max(0, Math.min(first - 8, all.length - EXCERPT_WORDS));
    var end = Math.min(all.length, start + EXCERPT_WORDS);
    if (start > 0) paragraph.appendChild(document.createTextNode("… "));
    for (var i = start; i < end; i++) {
      if (i > start) paragraph.appendChild(document.createTextNode(" "));
      if (marks.has(i)) {
        var mark = document.createElement("mark");
        mark.textContent = all[i];
        paragraph.appendChild(mark);
      } else {
        paragraph.appendChild(document.createTextNode(all[i]));
      }
    }
    if (end < all.length) paragraph.appendChild(document.createTextNode(" …"));
  }

  function showResult(entry, data) {
    var node = item.content.firstElementChild.cloneNode(true);
    var link = node.querySelector(".archive-search__title");
    link.textContent = (data.meta && data.meta.title) || data.url;
    link.href = resultUrl(data.url);
    node.querySelector(".archive-search__outlet").textContent = ((data.filters && data.filters.outlet) || []).map(filterLabel).join(", ");
    node.querySelector(".archive-search__date").textContent = (data.meta && data.meta.date) || "";
    fillExcerpt(node.querySelector(".archive-search__excerpt"), data.content || "", entry.words);
    list.appendChild(node);
  }

  function showMore(ticket) {
    var next = shown.slice(list.children.length, list.children.length + PAGE);
    return Promise.all(next.map(function (entry) { return entry.result.data(); })).then(function (pages) {
      if (ticket !== run) return;
      pages.forEach(function (data, i) { showResult(next[i], data); });
      more.hidden = list.children.length >= shown.length;
    });
  }

  function describe(count, terms) {
    if (count === 0) {
      return terms.length ? "No article matches " + input.value.trim() + "." : "No article matches these filters.";
    }
    return count === 1 ? "1 article" : count + " articles";
  }

  function search() {
    var ticket = ++run;
    var terms = parseQuery(input.value);
    var filters = chosenFilters([]);  // here only whether any is chosen counts
    root.setAttribute("aria-busy", "true");
    var done = function () {
      if (ticket === run) root.setAttribute("aria-busy", "false");
    };
    if (!terms.length && !Object.keys(filters).length) {
      shown = [];
      list.replaceChildren();
      more.hidden = true;
      status.textContent = HINT;
      done();
      return Promise.resolve();
    }
    var ranged = Boolean(from.value || to.value);
    return Promise.all([loadPagefind(), ranged ? loadDates() : []]).then(function (loaded) {
      return findArticles(loaded[0], terms, chosenFilters(loaded[1]));
    }).then(function (found) {
      if (ticket !== run) return;
      shown = found;
      list.replaceChildren();
      status.textContent = describe(found.length, terms);
      return showMore(ticket);
    }).then(done, done);
  }

  function open() {
    if (!panel.hidden) return;
    panel.hidden = false;
    root.classList.add("is-open");
    openButton.setAttribute("aria-expanded", "true");
    loadPagefind();
  }

  function close(returnFocus) {
    if (panel.hidden) return;
    panel.hidden = true;
    root.classList.remove("is-open");
    openButton.setAttribute("aria-expanded", "false");
    if (returnFocus) {
      // On a phone the box folds away with the panel: focus goes back to the button that opened it.
      returningFocus = true;
      try {
        (getComputedStyle(openButton).display === "none" ? input : openButton).focus();
      } finally {
        returningFocus = false;
      }
    }
  }

  openButton.addEventListener("click", function () {
    open();
    input.focus();
  });
  input.addEventListener("focus", function () {
    if (!returningFocus) open();
  });
  input.addEventListener("click", open);  // focus stays in the box after Escape
  input.addEventListener("input", function () {
    open();
    root.setAttribute("aria-busy", "true");
    clearTimeout(timer);
    timer = setTimeout(search, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      clearTimeout(timer);
      search();
    }
  });
  selects.forEach(function (select) { select.addEventListener("change", search); });
  from.addEventListener("change", search);
  to.addEventListener("change", search);
  more.addEventListener("click", function () { showMore(run); });
  clear.addEventListener("click", function () {
    input.value = "";
    selects.forEach(function (select) { select.value = ""; });
    from.value = "";
    to.value = "";
    search();
    input.focus();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) {
      event.preventDefault();
      close(true);
    }
  });
  document.addEventListener("pointerdown", function (event) {
    if (!root.contains(event.target)) close(false);
  });
  root.addEventListener("focusout", function (event) {
    if (event.relatedTarget && !root.contains(event.relatedTarget)) close(false);
  });
})();
