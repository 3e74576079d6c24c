/*
 * `showcase serve`: the problems of the last rebuild over the page (generator/mkdocs_adapter/overlay.py).
 * Asks the server for its status every second; shows each problem (file:line:column, code, message,
 * the line it points at) while there are any, and takes the panel away when a rebuild succeeds.
 * A page shown because there was no site yet reloads then. Text goes in as text nodes only.
 */
(() => {
  "use strict";
  const STATUS = "/__showcase__/status.json";
  const noSite = document.body && document.body.hasAttribute("data-showcase-no-site");
  let shown = null;

  function el(tag, style, text) {
    const node = document.createElement(tag);
    if (style) node.style.cssText = style;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function panel(status) {
    const title = noSite ? status.titleNoSite : status.title;
    const backdrop = el("div", "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,20,.66);overflow:auto;font:15px/1.6 system-ui,'Noto Sans CJK SC',sans-serif");
    backdrop.id = "showcase-problems";
    backdrop.setAttribute("role", "alertdialog");
    backdrop.setAttribute("aria-label", title);
    const box = el("div", "max-width:56rem;margin:6vh auto;background:#fff;color:#222;border-top:6px solid #c62828;border-radius:6px;padding:1.2rem 1.5rem;box-shadow:0 8px 40px rgba(0,0,0,.4)");
    const close = el("button", "float:right;border:0;background:none;font-size:1.5rem;cursor:pointer;color:#555", "×");
    close.type = "button";
    close.title = "暂时关闭（问题仍在）";
    close.addEventListener("click", () => backdrop.remove());
    box.append(close, el("h2", "margin:0 0 .3rem;color:#c62828;font-size:1.2rem", title), el("p", "margin:0 0 1rem;color:#555", status.hint));
    const list = el("ol", "margin:0;padding-left:1.4rem");
    for (const problem of status.problems) {
      const item = el("li", "margin:.7rem 0");
      item.append(el("code", "font:600 13px/1.5 ui-monospace,monospace;color:#1565c0", problem.where), el("span", "color:#777", ` [${problem.code}]`));
      item.append(el("div", "", problem.message));
      if (problem.excerpt) item.append(el("pre", "margin:.3rem 0 0;padding:.3rem .6rem;background:#f5f5f5;border-left:3px solid #c62828;white-space:pre-wrap;font:13px/1.5 ui-monospace,monospace", problem.excerpt));
      list.append(item);
    }
    if (status.problems.length) box.append(list);
    if (status.message) box.append(el("pre", "white-space:pre-wrap;background:#f5f5f5;padding:.6rem;font:13px/1.5 ui-monospace,monospace", status.message));
    backdrop.append(box);
    return backdrop;
  }

  function show(status) {
    if (shown === status.version) return;
    shown = status.version;
    const old = document.getElementById("showcase-problems");
    if (old) old.remove();
    const broken = status.problems.length > 0 || status.message;
    if (broken) document.body.append(panel(status));
    else if (noSite) location.reload();
  }

  async function poll() {
    try {
      const response = await fetch(STATUS, { cache: "no-store" });
      if (response.ok) show(await response.json());
    } catch (error) {
      // the server is restarting or gone: try again
    }
    setTimeout(poll, 1000);
  }
  poll();
})();
