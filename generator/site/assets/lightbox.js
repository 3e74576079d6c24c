// The record page's photo viewer: every link marked data-lightbox opens its photo large in a
// <dialog>. Keyboard: Enter on a photo opens it, ← → go to the previous/next photo, Esc closes
// (the dialog's own), and focus returns to the photo it was opened from. On phones a swipe
// left or right goes on. Without JavaScript the links simply open the large JPEG.
(function () {
  "use strict";
  var links = Array.prototype.slice.call(document.querySelectorAll("a[data-lightbox]"));
  if (!links.length || typeof HTMLDialogElement === "undefined") return;

  var dialog = document.createElement("dialog");
  dialog.className = "sc-lightbox";
  dialog.setAttribute("aria-label", "照片");
  dialog.innerHTML =
    '<figure class="sc-lightbox__figure"><img class="sc-lightbox__image" alt="" sizes="100vw">' +
    '<figcaption class="sc-lightbox__caption"></figcaption></figure>' +
    '<p class="sc-lightbox__count" aria-live="polite"></p>' +
    '<button type="button" class="sc-lightbox__prev" aria-label="上一张">‹</button>' +
    '<button type="button" class="sc-lightbox__next" aria-label="下一张">›</button>' +
    '<button type="button" class="sc-lightbox__close" aria-label="关闭">×</button>';
  document.body.appendChild(dialog);
  var image = dialog.querySelector("img");
  var caption = dialog.querySelector("figcaption");
  var count = dialog.querySelector(".sc-lightbox__count");
  var current = 0;
  var opener = null;

  function show(index) {
    current = (index + links.length) % links.length;
    var link = links[current];
    var picture = link.querySelector("img");
    image.removeAttribute("src");
    image.srcset = link.getAttribute("data-srcset") || "";
    image.src = link.href;
    image.alt = picture ? picture.alt : "";
    var text = link.getAttribute("data-caption") || "";
    var credit = link.getAttribute("data-credit") || "";
    caption.textContent = text && credit ? text + "（" + credit + "）" : text || credit;
    count.textContent = links.length > 1 ? (current + 1) + " / " + links.length : "";
  }

  function open(index, from) {
    opener = from;
    show(index);
    if (!dialog.open) dialog.showModal();
  }

  links.forEach(function (link, index) {
    link.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      open(index, link);
    });
  });
  dialog.querySelector(".sc-lightbox__prev").addEventListener("click", function () { show(current - 1); });
  dialog.querySelector(".sc-lightbox__next").addEventListener("click", function () { show(current + 1); });
  dialog.querySelector(".sc-lightbox__close").addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("keydown", function (event) {
    if (event.key === "ArrowLeft") { show(current - 1); event.preventDefault(); }
    else if (event.key === "ArrowRight") { show(current + 1); event.preventDefault(); }
  });
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) dialog.close(); // a click on the backdrop
  });
  dialog.addEventListener("close", function () {
    if (opener) opener.focus();
  });

  var startX = null;
  dialog.addEventListener("touchstart", function (event) {
    startX = event.changedTouches[0].clientX;
  }, { passive: true });
  dialog.addEventListener("touchend", function (event) {
    if (startX === null) return;
    var moved = event.changedTouches[0].clientX - startX;
    startX = null;
    if (Math.abs(moved) > 40) show(current + (moved < 0 ? 1 : -1));
  });
})();
