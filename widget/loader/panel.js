/* Porchlight loader, second part: fetched by `widget.js` (the launcher) when the visitor reaches
 * for the launcher, when the page opens the chat, or at idle for a visitor who has written
 * before. It takes the launcher's state over from `Porchlight._`, answers the calls the page
 * queued meanwhile (in order), and from then on is `window.Porchlight`.
 *
 * It creates the chat frame (the WebAssembly app, on the edge's origin) on the first open. For
 * a returning visitor it first creates only the unread frame (`/widget/unread.html`, a few
 * hundred bytes on the same origin as the chat frame, so that it reads the frame's stored token):
 * it asks the edge how many replies wait, and the launcher shows that on its badge; the app is
 * loaded only when the visitor opens the chat. Talks to both frames only through namespaced
 * postMessage (shared/src/embed.rs), checking origin and source, never posting to a wildcard.
 * Content-hashed, cached for good. Hand-written, kept readable here and minified by the build. */
(function (w, d) {
  var api = w.Porchlight;
  var S = api && api._;
  // Loaded twice, or without the launcher: nothing to do.
  if (!S || S.done) return;
  S.done = true;
  var NS = "porchlight";
  var EDGE = S.edge, attr = S.attr, host = S.host, site = host.dataset.porchlight;
  var KEY = NS + ":" + site + ":returning";
  var shadow = host.shadowRoot, root = shadow.firstChild, button = root.firstChild;
  // The launcher's other words, by the language tag it was drawn in: [close, what precedes the
  // unread count].
  var words = {
    en: ["Close chat", ", unread messages: "],
    pt: ["Fechar chat", ", mensagens não lidas: "],
    es: ["Cerrar chat", ", mensajes sin leer: "],
    zh: ["关闭聊天", "，未读消息："]
  }[root.lang];
  var opens = button.ariaLabel;
  var handlers = {};
  // Messages for the frame, kept in order until it is ready.
  var later = [];
  // Small screens show the panel full screen (the CSS below), where the frame offers no expand.
  var small = w.matchMedia("(max-width:640px)");
  var isOpen = false, ready = false, announced = false, unread = 0;
  var frame, peek;

  var CSS =
    ".open .c,.x{display:none}.open .x{display:inline}" +
    ".b{position:absolute;top:-4px;right:-4px;min-width:10px;padding:0 5px;border-radius:10px;" +
    "background:#d93025;color:#fff;font:700 12px/20px sans-serif}" +
    ".p{position:fixed;z-index:2147483647;right:20px;bottom:88px;width:380px;" +
    "height:min(640px,calc(100dvh - 108px));border-radius:16px;overflow:hidden;background:#fff;" +
    "box-shadow:0 8px 32px #0005}.left .p{right:auto;left:20px}" +
    ".p iframe{display:block;width:100%;height:100%;border:0}" +
    "@media (min-width:641px){.big .p{width:min(720px,calc(100vw - 40px));height:calc(100dvh - 108px)}}" +
    "@media (max-width:640px){.p{inset:0;width:100%;height:100dvh;border-radius:0}.open .l{display:none}}" +
    "@media (prefers-color-scheme:dark){.p{background:#1d1f23}}";
  var sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  shadow.adoptedStyleSheets = shadow.adoptedStyleSheets.concat(sheet);
  // The cross shown while the chat is open, beside the launcher's bubble; the unread badge.
  button.firstChild.insertAdjacentHTML("beforeend", '<path class="x" stroke-linecap="round" d="M6 6l12 12M18 6L6 18"/>');
  button.insertAdjacentHTML("beforeend", '<span class="b" hidden></span>');
  var badge = button.lastChild;
  var panel = d.createElement("div");
  panel.className = "p";
  panel.hidden = true;
  root.prepend(panel);

  // Each handler on its own task: one that throws neither stops the others nor the widget.
  function emit(name, arg) {
    (handlers[name] || []).forEach((fn) => setTimeout(fn, 0, arg));
  }

  function send(m) {
    m.ns = NS;
    m.v = 1;
    frame.contentWindow.postMessage(m, EDGE);
  }

  // Open and close, the layout, and the host page's calls. Nothing loads for them: the frame
  // gets them when the visitor opens the chat. A page that just removed the widget gets it back
  // first, so that the message waits for the new frame.
  function tell(m) {
    S.attach();
    if (ready) send(m);
    else later.push(m);
  }

  function layout() {
    tell({ type: "layout", full: small.matches });
  }

  // Only a flag ("has written before"), never the token: that stays in the frame's storage.
  function remember() {
    try { localStorage.setItem(KEY, "1"); } catch (e) { /* storage blocked: no badge at idle */ }
  }

  // The query both frames get: the site, and the page's origin (which the edge checks against
  // the site's and the frames post to).
  function query(more) {
    return new URLSearchParams(Object.assign({ site: site, host: location.origin }, more));
  }

  function makeFrame() {
    if (frame) return;
    // The chat frame says how many replies wait from now on.
    if (peek) peek.remove();
    peek = null;
    frame = d.createElement("iframe");
    frame.title = "Chat";
    // Whatever the page's own Referrer-Policy, the frames learn its origin only.
    frame.referrerPolicy = "origin";
    // The frame reads its language from `locale` (else the browser's). The page's address is
    // posted, never put in the frame's URL: the frame tells the edge (by default without query
    // or fragment) only once the conversation exists, after consent where the site asks for it.
    var q = {};
    ["locale", "color"].forEach((n) => attr(n) && (q[n] = attr(n)));
    frame.src = EDGE + "/widget/frame.html?" + query(q);
    panel.appendChild(frame);
    layout();
    tell({ type: "page", url: location.href });
  }

  function label() {
    button.ariaExpanded = isOpen;
    button.ariaLabel = (isOpen ? words[0] : opens) + (unread ? words[1] + unread : "");
  }

  function setOpen(open) {
    if (open === isOpen) return;
    isOpen = open;
    if (open) makeFrame();
    panel.hidden = !open;
    root.classList.toggle("open", open);
    label();
    tell({ type: open ? "open" : "close" });
    emit(open ? "open" : "close");
  }

  w.addEventListener("message", (e) => {
    var from = e.source;
    if (e.origin !== EDGE || !from) return;
    var m = e.data;
    if (!m || m.ns !== NS) return;
    // The unread frame says one thing only.
    if (peek && from === peek.contentWindow && m.type === "unread" && !frame) return badgeOf(m.count);
    if (!frame || from !== frame.contentWindow) return;
    switch (m.type) {
      case "ready":
        ready = true;
        if (m.returning) remember();
        later.forEach(send);
        later = [];
        break;
      case "resize":
        root.classList.toggle("big", !!m.expanded);
        break;
      case "close_requested":
        setOpen(false);
        button.focus();
        break;
      case "unread":
        badgeOf(m.count);
        break;
      case "style":
        // The site's settings, for an unbaked loader only: a baked one drew them at once, and
        // the launcher never moves after its first paint. The script tag's attributes win.
        // (The frame sends only `#rrggbb`; a custom property cannot carry anything else out.)
        if (S.baked.site) break;
        if (!attr("color")) host.style.setProperty("--pl-color", m.color);
        if (!attr("position")) root.classList.toggle("left", m.position === "left");
        break;
      case "message":
        if (m.author && m.author.kind === "visitor") remember();
        emit("message", { seq: m.seq, author: m.author, text: m.text });
        break;
    }
  });

  function badgeOf(count) {
    unread = count >>> 0;
    badge.textContent = unread > 9 ? "9+" : unread;
    badge.hidden = !unread;
    label();
    emit("unread", unread);
  }

  // The launcher was put back after the page removed it: its frames reloaded. What the old
  // frame was told took effect (its storage, the edge); the new one needs the panel's state. A
  // frame that never got ready still has its messages waiting.
  S.back = () => {
    if (!ready) return;
    ready = false;
    later = [];
    layout();
    later.push({ type: "page", url: location.href });
    if (isOpen) later.push({ type: "open" });
  };

  // No call of the page's ever throws into it: a failure inside is the widget's problem.
  function safe(fn) {
    return function () {
      try { fn.apply(null, arguments); } catch (e) { /* the widget's fault, not the page's */ }
    };
  }

  // `identify({id, name, email, hash})` (`hash`: the site server's HMAC-SHA256 of `id`, which
  // the edge checks) and `setAttributes({...})`. Only plain values travel: JSON's round trip
  // drops functions and the like.
  function pass(type) {
    return safe((x) => {
      x = JSON.parse(JSON.stringify(x || {}));
      tell(type === "identify" ? (x.type = type, x) : { type: type, attributes: x });
    });
  }

  var calls = {
    open: safe(() => setOpen(true)),
    close: safe(() => setOpen(false)),
    toggle: safe(() => setOpen(!isOpen)),
    identify: pass("identify"),
    setAttributes: pass("attributes"),
    // When the site's user signs out: the next person on this browser starts afresh, and is
    // no longer "returning" (no unread frame at idle on later page views).
    reset: safe(() => {
      try { localStorage.removeItem(KEY); } catch (e) { /* storage blocked: nothing kept */ }
      tell({ type: "reset" });
    }),
    on: safe((name, fn) => {
      if (typeof fn !== "function") return;
      if (name === "ready" && announced) setTimeout(fn);
      else (handlers[name] = handlers[name] || []).push(fn);
    })
  };
  small.onchange = layout;
  // Escape on the launcher closes the open chat, as it does inside the panel.
  button.addEventListener("keydown", (e) => e.key == "Escape" && setOpen(false));

  // A returning visitor (and not one who just asked for the chat): the unread frame, which
  // loads no app code. The unread check (`unread.js`) may have made it already, and fetched
  // this script because it said replies wait. The chat frame replaces it on the first open.
  var returning;
  try { returning = localStorage.getItem(KEY) === "1"; } catch (e) { /* storage blocked */ }
  peek = S.peek;
  if (S.unread) badgeOf(S.unread);
  if (!peek && returning && !S.q.some((c) => c[0] === "open" || c[0] === "toggle")) {
    peek = d.createElement("iframe");
    peek.hidden = true;
    peek.referrerPolicy = "origin";
    peek.src = EDGE + "/widget/unread.html?" + query();
    panel.appendChild(peek);
  }

  // The calls queued so far, in order; from now on the page's object answers at once.
  Object.assign(api, calls);
  S.q.forEach((c) => typeof calls[c[0]] === "function" && calls[c[0]].apply(null, c[1] || []));
  S.q = [];
  // `ready` handlers queued while this script was on its way.
  announced = true;
  emit("ready");
})(window, document);
