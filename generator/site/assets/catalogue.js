/* Catalogue table: sort by any column, filter by province and theme.
 * The state lives in the URL query (?province=hubei&theme=dangjian&sort=households&order=desc)
 * so a filtered view can be shared. Without JavaScript the table is a plain table.
 * Numbers sort by their data-value (the figure as a plain number); empty cells sort last.
 */
(function () {
  "use strict";

  function setup(table) {
    var form = document.querySelector("[data-catalogue-filters]");
    var count = document.querySelector("[data-catalogue-count]");
    var empty = document.querySelector("[data-catalogue-empty]");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var collator = new Intl.Collator("zh-Hans-CN", { numeric: true });
    rows.forEach(function (row, index) { row._scOrder = index; });

    var sortable = {};
    headers.forEach(function (th, index) {
      var key = th.getAttribute("data-sort");
      if (!key) return;
      sortable[key] = { index: index, type: th.getAttribute("data-type"), th: th };
      var button = document.createElement("button");
      button.type = "button";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var state = read();
        if (state.sort === key) {
          state.order = state.order === "asc" ? "desc" : "asc";
        } else {
          state.sort = key;
          state.order = th.getAttribute("data-type") === "number" && key !== "number" ? "desc" : "asc";
        }
        write(state);
      });
    });

    var notice = document.querySelector("[data-catalogue-notice]");

    // A value the filter does not offer (an old or mistyped link) filters nothing: say so.
    function known(select, value, label, unknown) {
      if (!value) return "";
      for (var i = 0; i < select.options.length; i++) if (select.options[i].value === value) return value;
      unknown.push(label + "“" + value + "”");
      return "";
    }

    function read() {
      var params = new URLSearchParams(window.location.search);
      var sort = params.get("sort");
      var unknown = [];
      var province = known(form.elements.province, params.get("province") || "", "省份", unknown);
      var theme = known(form.elements.theme, params.get("theme") || "", "主题", unknown);
      notice.textContent = unknown.length ? "网址中的" + unknown.join("、") + "不在筛选项中，已显示全部项目。" : "";
      notice.hidden = !unknown.length;
      return {
        province: province,
        theme: theme,
        sort: sortable[sort] ? sort : "",
        order: params.get("order") === "desc" ? "desc" : "asc"
      };
    }

    function write(state) {
      var params = new URLSearchParams(window.location.search);
      ["province", "theme", "sort"].forEach(function (name) {
        if (state[name]) params.set(name, state[name]); else params.delete(name);
      });
      if (state.sort) params.set("order", state.order); else params.delete("order");
      var query = params.toString();
      history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
      apply(state);
    }

    function value(row, column) {
      var cell = row.cells[column.index];
      return cell ? cell.getAttribute("data-value") || "" : "";
    }

    function compare(column, order) {
      var sign = order === "desc" ? -1 : 1;
      return function (a, b) {
        var x = value(a, column), y = value(b, column), result;
        if (x === "" || y === "") {
          result = (x === "") - (y === "");  // empty cells last, whatever the order
          if (result) return result;
        } else if (column.type === "number") {
          result = sign * (parseFloat(x) - parseFloat(y));
          if (result) return result;
        } else {
          result = sign * collator.compare(x, y);
          if (result) return result;
        }
        return a._scOrder - b._scOrder;
      };
    }

    function apply(state) {
      form.elements.province.value = state.province;
      form.elements.theme.value = state.theme;
      var ordered = rows.slice();
      if (state.sort) ordered.sort(compare(sortable[state.sort], state.order));
      var shown = 0;
      // Touch only what changes: moving every row back into place (or setting `hidden` to what it
      // already is) makes the browser restyle and lay out the whole table again. On the page's
      // first run (no sort, no filter) that was a second full pass of a 200-row table at load.
      var moved = ordered.some(function (row, index) { return body.rows[index] !== row; });
      var fragment = document.createDocumentFragment();
      ordered.forEach(function (row) {
        var themes = (row.getAttribute("data-themes") || "").split(" ");
        var visible = (!state.province || row.getAttribute("data-province") === state.province) &&
          (!state.theme || themes.indexOf(state.theme) !== -1);
        if (row.hidden === visible) row.hidden = !visible;
        if (visible) shown += 1;
        if (moved) fragment.appendChild(row);
      });
      if (moved) body.appendChild(fragment);
      Object.keys(sortable).forEach(function (key) {
        var th = sortable[key].th;
        th.setAttribute("aria-sort", key === state.sort ? (state.order === "desc" ? "descending" : "ascending") : "none");
      });
      count.textContent = shown === rows.length ? "共 " + rows.length + " 个项目" : "显示 " + shown + " / " + rows.length + " 个项目";
      empty.hidden = shown !== 0;
    }

    form.removeAttribute("data-pending");
    form.addEventListener("change", function () {
      var state = read();
      state.province = form.elements.province.value;
      state.theme = form.elements.theme.value;
      write(state);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function (event) {
      event.preventDefault();
      var state = read();
      state.province = "";
      state.theme = "";
      write(state);
    });
    window.addEventListener("popstate", function () { apply(read()); });
    apply(read());
  }

  var table = document.querySelector("table[data-catalogue]");
  if (table) setup(table);
})();
