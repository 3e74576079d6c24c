/*
 * The web editor's one addition to Decap CMS (generator/cms): what is saved is the record without
 * its empty parts. A field typed in and cleared again reaches Decap as "", and our schema refuses
 * empty text (leave an optional field out instead), so before every save empty texts, empty
 * objects and empty lists are dropped, at any depth.
 */
(function () {
  "use strict";

  function isEmpty(value) {
    if (value === null || value === undefined) return true;
    if (typeof value === "string") return value.trim() === "";
    if (value && typeof value.isEmpty === "function") return value.isEmpty(); // Immutable Map or List
    return false;
  }

  function prune(value) {
    if (value && typeof value.filter === "function" && typeof value.map === "function" && typeof value.toJS === "function") {
      return value.map(prune).filter(function (item) { return !isEmpty(item); });
    }
    return value;
  }

  window.CMS.registerEventListener({
    name: "preSave",
    handler: function (event) {
      return prune(event.entry.get("data"));
    },
  });
})();
