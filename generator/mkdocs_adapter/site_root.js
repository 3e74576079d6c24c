(function () {
  var base = document.querySelector("base[data-showcase-root]");
  function isRoot(folder) {
    var request = new XMLHttpRequest();
    try {
      request.open("HEAD", folder + "assets/showcase/showcase.css", false);
      request.send();
    } catch (error) {
      return false;
    }
    return request.status >= 200 && request.status < 300;
  }
  if (!base || location.protocol === "file:") return;
  var named = base.getAttribute("href");
  if (location.pathname.indexOf(named) === 0 && isRoot(named)) return;
  var parts = location.pathname.split("/");
  for (var depth = parts.length - 1; depth > 0; depth--) {
    var folder = parts.slice(0, depth).join("/") + "/";
    if (isRoot(folder)) {
      base.setAttribute("href", folder);
      return;
    }
  }
})();
