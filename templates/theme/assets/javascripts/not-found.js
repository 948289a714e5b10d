// The 404 page: point to the article whose address or title shares the most words with the
// address asked for. Titles are untrusted text: they reach the page only through textContent.
(function () {
  "use strict";

  var data = window.archiveBrowse;
  var guess = document.getElementById("not-found-guess");
  var script = document.currentScript;
  if (!data || !guess || !script) {
    return;
  }
  // This script lives at <site>/assets/javascripts/not-found.js: the site's root is two folders up.
  var root = script.src.replace(/assets\/javascripts\/not-found\.js(\?.*)?$/, "");

  function words(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .split(/[^a-z0-9]+/).filter(function (word) { return word.length > 1; });
  }

  function decoded(segment) {
    // An address may hold a broken escape ("%E0%A4%A"): read it as it is written then.
    try {
      return decodeURIComponent(segment);
    } catch (error) {
      return segment;
    }
  }

  var segments = window.location.pathname.split("/").filter(Boolean);
  var last = decoded(segments.length ? segments[segments.length - 1] : "").replace(/\.html$/, "");
  if (last === "index" && segments.length > 1) {
    last = decoded(segments[segments.length - 2]);
  }
  var asked = words(last);
  if (!asked.length) {
    return;
  }

  var best = null;
  var bestScore = 0;
  data.articles.forEach(function (article) {
    var known = {};
    words(article.path.replace(/^articles\//, "") + " " + article.title).forEach(function (word) { known[word] = true; });
    var shared = asked.filter(function (word) { return known[word]; }).length;
    var score = shared / asked.length;
    if (shared >= 2 && score > bestScore) {
      best = article;
      bestScore = score;
    }
  });
  if (!best || bestScore < 0.5) {
    return;
  }
  var link = document.createElement("a");
  // From disk (the offline copy) a folder's address shows a listing: name its index.html.
  link.href = root + best.path + (window.location.protocol === "file:" ? "/index.html" : "/");
  link.textContent = best.title;
  guess.textContent = "Were you looking for the article ";
  guess.appendChild(link);
  guess.appendChild(document.createTextNode("?"));
  guess.hidden = false;
}());
