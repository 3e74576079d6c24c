/* “复制到公众号”: copy the article on this page as rich text.
 *
 * The WeChat editor keeps formatting only when it receives text/html, so the
 * article's HTML (inline styles only, see generator/exporters/wechat.py) goes
 * on the clipboard as a ClipboardItem. Where the async Clipboard API is
 * missing (plain http, older browsers) the article is selected and copied
 * with execCommand("copy"), which also yields rich text.
 * Clicks are delegated from the document so the button keeps working after
 * Material's instant navigation swaps the page content.
 */
(function () {
  "use strict";

  function selectAndCopy(article) {
    var selection = window.getSelection();
    var range = document.createRange();
    range.selectNodeContents(article);
    selection.removeAllRanges();
    selection.addRange(range);
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    selection.removeAllRanges();
    return Promise.resolve(copied);
  }

  function copyRich(article) {
    if (!(navigator.clipboard && navigator.clipboard.write && window.ClipboardItem && window.isSecureContext)) {
      return selectAndCopy(article);
    }
    var item = new ClipboardItem({
      "text/html": new Blob([article.innerHTML], { type: "text/html" }),
      "text/plain": new Blob([article.innerText], { type: "text/plain" })
    });
    return navigator.clipboard.write([item]).then(
      function () { return true; },
      function () { return selectAndCopy(article); }
    );
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-wechat-copy-button]");
    if (!button) {
      return;
    }
    var box = button.closest("[data-wechat-copy]");
    var article = box && box.querySelector("[data-wechat-article]");
    var status = box && box.querySelector("[data-wechat-copy-status]");
    if (!article) {
      return;
    }
    copyRich(article).then(function (copied) {
      if (status) {
        status.textContent = copied
          ? "已复制，请到公众号编辑器中粘贴。"
          : "复制失败：请用鼠标选中下方文章后按 Ctrl+C 复制。";
      }
      button.setAttribute("data-copied", copied ? "yes" : "no");
    });
  });
})();
