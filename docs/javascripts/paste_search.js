// Search for what users paste: whole log lines, JSON, Python reprs.
// Quotes, colons, +, -, ~, ^ and * are query syntax to the search engine (lunr):
// a quoted phrase makes every word required, and a required stop word ("no",
// "for") then matches nothing. So the query sent to the search worker keeps
// only words; mkdocs.yml's search separator splits the pages' text the same way.
(function () {
  "use strict";
  var post = Worker.prototype.postMessage;

  // Words nearly every pasted error has: they would rank the shortest section that
  // says "error" first, so they are dropped where the paste has other words.
  var GENERIC = /^(error|errors|err|fatal)$/i;

  function words(text, numbers) {
    var found = text.replace(/[^A-Za-z0-9_.\u00C0-\uFFFF]+/g, " ").split(" ").filter(function (w) {
      // Numbers in a pasted line are the user's (ports, ids, line numbers, status
      // codes); they match pages by accident, like "400" in "HTTP 400".
      return w && (numbers || !/^[0-9.]+$/.test(w));
    });
    var specific = found.filter(function (w) { return !GENERIC.test(w); });
    return (specific.length >= 3 ? specific : found).join(" ");
  }

  function query(pasted) {
    // In pasted JSON the values say what happened; keys like "default" or
    // "error" would only pull in other entries. Whatever a reading leaves
    // nothing of (only keys, only numbers) is searched as it is. Docker's
    // inspect keys are capitalised, and with true, false or null it is the key
    // that was seen ("OOMKilled": true): that key stays, the literal goes.
    var values = pasted.replace(/"([^"]*)"\s*:(?!=)(\s*(?:true|false|null)\b)?/g, function (m, key, literal) {
      return literal && /^[A-Z]/.test(key) ? " " + key + " " : " ";
    });
    return words(values, false) || words(pasted, false) || words(pasted, true);
  }

  Worker.prototype.postMessage = function (message) {
    // Only the query message carries a string; the index setup carries an object.
    // MkDocs Material sends the query as `data`, Zensical as `data.input`.
    if (message && typeof message.data === "string") {
      message = Object.assign({}, message, { data: query(message.data) });
    } else if (message && message.data && typeof message.data.input === "string") {
      var data = Object.assign({}, message.data, { input: query(message.data.input) });
      message = Object.assign({}, message, { data: data });
    }
    return post.apply(this, [message].concat([].slice.call(arguments, 1)));
  };
})();

// The error lookup: a paste is first matched against the guide's known errors
// (known_errors.js, generated from symptoms.py). A match is shown above the word
// results; a paste that looks like an error and matches nothing is told so, since
// word results then share only common words with it. Listeners sit on the
// document, so they survive Material's instant navigation replacing the header.
(function () {
  "use strict";
  var root = new URL("..", document.currentScript.src);  // javascripts/ -> the site root
  var TRACKER = "https://github.com/ucbrise/clipper/issues?q=";
  // An error: 3+ words with one of these, or 9+ words of anything (a whole log line).
  var ERROR_WORDS = /traceback|error|exception|fatal|fail|fault|panic|abort|crash|killed|denied|refused|cannot|can't|could not|unable|not found|no such|invalid|timed? ?out|ERR!|exit (code|status)|\b[45]\d\d\b|\b[A-Z]+-?\d{3,}\b/i;

  function looksLikeError(text) {
    var n = text.split(/\s+/).filter(Boolean).length;
    return n >= 9 || (n >= 3 && ERROR_WORDS.test(text));
  }

  // Known errors in the paste, one per entry. A JSON value or a repr escapes
  // quotes and backslashes; the text is tried as pasted and unescaped.
  function knownIn(text) {
    var forms = [text, text.replace(/\\(["'\\\/])/g, "$1")], seen = {};
    return (window.clipperKnownErrors || []).filter(function (e) {
      if (seen[e.path] || !forms.some(function (f) { return e.re.test(f); })) return false;
      return (seen[e.path] = true);
    });
  }

  function link(href, label) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = label;
    return a;
  }

  function lookup(text) {
    text = text.trim();
    var found = knownIn(text);
    if (found.length) return {known: found};
    return looksLikeError(text) ? {known: []} : null;
  }

  function show(box) {
    var result = document.querySelector(".md-search-result");
    if (!result) return;
    var panel = result.querySelector(".clipper-lookup");
    var answer = lookup(box.value);
    if (!answer) {
      if (panel) panel.remove();
      return;
    }
    if (!panel) {
      panel = document.createElement("div");
      panel.className = "clipper-lookup admonition";
      result.insertBefore(panel, result.firstChild);
    }
    panel.textContent = "";
    var p = document.createElement("p");
    if (answer.known.length) {
      panel.dataset.lookup = "known";
      p.append("Known error: ");
      answer.known.forEach(function (e, i) {
        if (i) p.append(", ");
        p.append(link(new URL(e.path, root).href, e.title));
      });
    } else {
      panel.dataset.lookup = "not known";
      var first = box.value.trim().split("\n").pop().slice(0, 200);
      p.append("This error is not known to the guide; the word results below may be unrelated. Try ",
               link(new URL("#where-are-you-stuck", root).href, "where are you stuck?"), ", ",
               link(new URL("doctor/", root).href, "clipper-doctor"), ", ",
               link(new URL("doctor/#filing-an-issue", root).href, "the diagnostics bundle"),
               " or ", link(TRACKER + encodeURIComponent(first), "the Clipper tracker"), ".");
    }
    panel.appendChild(p);
  }

  function onBox(ev) {
    if (ev.target && ev.target.matches && ev.target.matches(".md-search__input")) show(ev.target);
  }
  document.addEventListener("input", onBox, true);
  document.addEventListener("keyup", onBox, true);
  window.clipperLookup = lookup;
})();
