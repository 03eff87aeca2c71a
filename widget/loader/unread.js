/* Porchlight loader, the unread check: fetched by `widget.js` a second after the page has
 * loaded, for a visitor who has written before, instead of the second script (`panel.js`), so
 * that a page view costs a few hundred bytes when no reply waits. It creates the unread frame (`/widget/unread.html`, on the
 * edge's origin where the chat frame keeps the visitor's token), which asks the edge how many
 * replies wait and keeps listening; as soon as it says one does, the second script is fetched,
 * adopts the frame and shows the count on the launcher's badge. Nothing else happens here: the
 * page's calls stay queued for the second script. Served by the edge with a short cache, like
 * the loader. Hand-written, kept readable here and minified by the build. */
(function (w, d) {
  var api = w.Porchlight;
  var S = api && api._;
  // The second script is there (it makes its own), or this ran already.
  if (!S || S.done || S.peek) return;
  var frame = (S.peek = d.createElement("iframe"));
  frame.hidden = true;
  // Whatever the page's own Referrer-Policy, the frame learns its origin only.
  frame.referrerPolicy = "origin";
  frame.src =
    S.edge + "/widget/unread.html?" + new URLSearchParams({ site: S.host.dataset.porchlight, host: location.origin });
  S.host.shadowRoot.firstChild.appendChild(frame);
  w.addEventListener("message", function heard(e) {
    var m = e.data;
    if (e.origin !== S.edge || e.source !== frame.contentWindow || !m || m.ns !== "porchlight") return;
    if (m.type !== "unread" || !(m.count > 0)) return;
    w.removeEventListener("message", heard);
    S.unread = m.count;
    S.load();
  });
})(window, document);
