// Search for what users paste: whole log lines, JSON, Python reprs.
// Quotes, colons, +, -, ~, ^ and * are query syntax to the search engine (lunr):
// a quoted phrase makes every word required, and a required stop word ("no",
// "for") then matches nothing. So the query sent to the search worker keeps
// only words; mkdocs.yml's search separator splits the pages' text the same way.
(function () {
  "use strict";
  var post = Worker.prototype.postMessage;

  function words(text, numbers) {
    return text.replace(/[^A-Za-z0-9_.\u00C0-\uFFFF]+/g, " ").split(" ").filter(function (w) {
      // Numbers in a pasted line are the user's (ports, ids, line numbers, status
      // codes); they match pages by accident, like "400" in "HTTP 400".
      return w && (numbers || !/^[0-9.]+$/.test(w));
    }).join(" ");
  }

  function query(pasted) {
    // In pasted JSON the values say what happened; keys like "default" or
    // "error" would only pull in other entries. Whatever a reading leaves
    // nothing of (only keys, only numbers) is searched as it is.
    var values = pasted.replace(/"[^"]*"\s*:(?!=)/g, " ");
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
