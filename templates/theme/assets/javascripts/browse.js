// The Browse page: filter the archive's articles by facets and title words, keep the view in the URL.
// Titles and labels are untrusted text: they only ever reach the page through textContent.
(function () {
  "use strict";

  var data = window.archiveBrowse;
  var form = document.getElementById("browse-form");
  var status = document.getElementById("browse-status");
  var results = document.getElementById("browse-results");
  var allLink = document.getElementById("browse-all-articles");
  if (!data || !form || !status || !results || !allLink || !data.labels.month) {
    return;
  }

  var CHECKBOX_FACETS = ["outlet", "topic", "year"];
  var SELECT_FACETS = ["month", "keyword"];  // one value at a time
  var FACETS = CHECKBOX_FACETS.concat(SELECT_FACETS);
  var SORTS = ["newest", "oldest", "title"];
  var query = document.getElementById("browse-q");
  var selects = { month: document.getElementById("browse-month"), keyword: document.getElementById("browse-keyword") };
  var sort = document.getElementById("browse-sort");

  // MkDocs wrote the link to the articles listing for this build: "../articles/" with directory
  // URLs, "articles/index.html" without them. The offline copy (publisher/export.py) keeps directory
  // URLs with "index.html" added: "../articles/index.html", on a page that is itself an index.html.
  // Article links follow suit.
  var allHref = allLink.getAttribute("href");
  var directoryUrls = !/\.html$/.test(allHref) || /\/index\.html$/.test(window.location.pathname);
  var root = allHref.replace(/articles\/(index\.html)?$/, "");
  var onDisk = window.location.protocol === "file:";

  function articleUrl(path) {
    if (!directoryUrls) {
      return root + path + ".html";
    }
    return root + path + (onDisk ? "/index.html" : "/");
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLocaleLowerCase();
  }

  // Keywords and months are many, so their options come from the data rather than the page's HTML:
  // keywords by name, months newest first.
  var collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });
  var byName = function (a, b) { return collator.compare(data.labels.keyword[a], data.labels.keyword[b]) || (a < b ? -1 : 1); };
  var newestFirst = function (a, b) { return a < b ? 1 : -1; };
  SELECT_FACETS.forEach(function (facet) {
    Object.keys(data.labels[facet]).sort(facet === "keyword" ? byName : newestFirst).forEach(function (value) {
      var option = document.createElement("option");
      option.value = value;
      option.textContent = data.labels[facet][value];
      selects[facet].appendChild(option);
    });
  });

  var articles = data.articles.map(function (article, position) {
    return {
      article: article,
      position: position,
      words: fold(article.title),
      values: {
        outlet: [article.outlet],
        topic: article.topics,
        year: [article.year],
        month: article.month ? [article.month] : [],
        keyword: article.keywords
      }
    };
  });

  function checkboxes(facet) {
    return Array.prototype.slice.call(form.querySelectorAll('input[type="checkbox"][name="' + facet + '"]'));
  }

  function readForm() {
    var state = { q: query.value, sort: sort.value };
    SELECT_FACETS.forEach(function (facet) {
      state[facet] = selects[facet].value ? [selects[facet].value] : [];
    });
    CHECKBOX_FACETS.forEach(function (facet) {
      state[facet] = checkboxes(facet).filter(function (box) { return box.checked; })
        .map(function (box) { return box.value; });
    });
    return state;
  }

  function writeForm(state) {
    query.value = state.q;
    sort.value = state.sort;
    SELECT_FACETS.forEach(function (facet) {
      var select = selects[facet];
      select.value = state[facet].length ? state[facet][0] : "";
      if (select.selectedIndex === -1) {
        select.selectedIndex = 0;  // a value this build does not know: any
      }
    });
    CHECKBOX_FACETS.forEach(function (facet) {
      checkboxes(facet).forEach(function (box) { box.checked = state[facet].indexOf(box.value) !== -1; });
    });
  }

  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    var state = { q: params.get("q") || "", sort: params.get("sort") || "newest" };
    if (SORTS.indexOf(state.sort) === -1) {
      state.sort = "newest";
    }
    FACETS.forEach(function (facet) {
      state[facet] = params.getAll(facet);
    });
    return state;
  }

  function writeUrl(state) {
    var params = new URLSearchParams();
    FACETS.forEach(function (facet) {
      state[facet].forEach(function (value) { params.append(facet, value); });
    });
    if (state.q) {
      params.set("q", state.q);
    }
    if (state.sort !== "newest") {
      params.set("sort", state.sort);
    }
    var search = params.toString();
    var url = window.location.pathname + (search ? "?" + search : "") + window.location.hash;
    if (url !== window.location.pathname + window.location.search + window.location.hash) {
      window.history.replaceState(null, "", url);
    }
  }

  function matchesWords(item, words) {
    return words.every(function (word) { return item.words.indexOf(word) !== -1; });
  }

  // The facets an article fails: a facet's own choices widen (any of them will do), different
  // facets narrow (each must hold).
  function failedFacets(item, wanted) {
    var failed = [];
    FACETS.forEach(function (facet) {
      var choices = wanted[facet];
      if (choices && !item.values[facet].some(function (v) { return choices[v]; })) {
        failed.push(facet);
      }
    });
    return failed;
  }

  // One pass gives the list and every count. The count beside a value is the number of articles
  // shown if that value were chosen as well, the other facets' choices kept: an article that fails
  // no facet counts for all its values, one that fails a single facet counts for that facet's only.
  function filterAndCount(state, words) {
    var wanted = {};
    var counts = {};
    FACETS.forEach(function (facet) {
      counts[facet] = {};
      if (state[facet].length) {
        wanted[facet] = {};
        state[facet].forEach(function (value) { wanted[facet][value] = true; });
      }
    });
    var shown = [];
    articles.forEach(function (item) {
      if (!matchesWords(item, words)) {
        return;
      }
      var failed = failedFacets(item, wanted);
      if (failed.length > 1) {
        return;
      }
      if (!failed.length) {
        shown.push(item);
      }
      (failed.length ? failed : FACETS).forEach(function (facet) {
        item.values[facet].forEach(function (value) { counts[facet][value] = (counts[facet][value] || 0) + 1; });
      });
    });
    return { shown: shown, counts: counts };
  }

  // Only counts that changed touch the page: the keyword menu can hold thousands of options.
  var shownCounts = new Map();
  function showCount(node, count, text) {
    if (shownCounts.get(node) !== count) {
      shownCounts.set(node, count);
      node.textContent = text;
    }
  }

  function showCounts(counts) {
    CHECKBOX_FACETS.forEach(function (facet) {
      checkboxes(facet).forEach(function (box) {
        var count = counts[facet][box.value] || 0;
        showCount(box.parentNode.querySelector(".browse-count"), count, "(" + count + ")");
        box.parentNode.classList.toggle("browse-empty", count === 0 && !box.checked);
      });
    });
    SELECT_FACETS.forEach(function (facet) {
      Array.prototype.forEach.call(selects[facet].options, function (option) {
        var count = counts[facet][option.value] || 0;
        if (option.value) {
          showCount(option, count, data.labels[facet][option.value] + " (" + count + ")");
        }
      });
    });
  }

  // Titles are put in order once, on first use, rather than on every change.
  var titleOrder = null;
  function titleRank(item) {
    if (!titleOrder) {
      articles.slice().sort(function (a, b) {
        return collator.compare(a.article.title, b.article.title) || a.position - b.position;
      }).forEach(function (entry, rank) { entry.titleRank = rank; });
      titleOrder = true;
    }
    return item.titleRank;
  }

  function compare(sortBy) {
    if (sortBy === "title") {
      return function (a, b) { return titleRank(a) - titleRank(b); };
    }
    if (sortBy === "oldest") {
      return function (a, b) { return b.position - a.position; };
    }
    return function (a, b) { return a.position - b.position; };
  }

  function renderItem(entry) {
    if (entry.node) {
      return entry.node;
    }
    var article = entry.article;
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.href = articleUrl(article.path);
    link.textContent = article.title;
    item.appendChild(link);
    var details = document.createElement("span");
    details.className = "browse-details";
    details.textContent = " · " + (data.labels.outlet[article.outlet] || article.outlet) + " · " + article.label;
    item.appendChild(details);
    entry.node = item;
    return item;
  }

  function update(fromUrl) {
    var state = fromUrl ? readUrl() : readForm();
    if (fromUrl) {
      writeForm(state);
      state = readForm();  // drop values the page does not offer
    }
    var words = fold(state.q).split(/\s+/).filter(Boolean);
    var found = filterAndCount(state, words);
    var shown = found.shown.sort(compare(state.sort));
    var list = document.createDocumentFragment();
    shown.forEach(function (item) { list.appendChild(renderItem(item)); });
    results.replaceChildren(list);
    status.textContent = shown.length + " of " + articles.length + " article" + (articles.length === 1 ? "" : "s");
    showCounts(found.counts);
    writeUrl(state);
  }

  // Text boxes, ticks and menus all send "input"; listening to "change" too would update twice.
  form.addEventListener("input", function () { update(false); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () { window.setTimeout(function () { update(false); }, 0); });
  window.addEventListener("popstate", function () { update(true); });
  form.hidden = false;
  // The filters sit beside the results on a wide screen; on a phone they fold away above them,
  // so the results come first.
  var panel = document.getElementById("browse-panel");
  if (panel) {
    panel.open = window.matchMedia("(min-width: 60em)").matches;
    panel.hidden = false;
  }
  update(true);
})();
