/* Porchlight loader: <script src="https://EDGE/widget.js?site=SITE" async></script>
 * Draws the launcher in a Shadow DOM at once; creates the chat frame (the WebAssembly app, on the
 * edge's origin) on the first open, or at idle for a visitor who has written before. Talks to the
 * frame only through namespaced postMessage (shared/src/embed.rs), checking origin and source,
 * never posting to a wildcard. Hand-written, kept readable here and minified by the build: it is
 * on every page of the site.
 *
 * `?site=` makes the edge write the site's settings (id, launcher colour and corner) into this
 * file where `"__PORCHLIGHT_SITE__"` stands below, so the launcher is drawn right from its first
 * paint with no request of its own. The older tag (`/widget.js` with `data-site`) still works:
 * the launcher then takes the site's colour and corner when the frame sends them.
 *
 * A host page with a Content-Security-Policy needs exactly two sources for the widget (the loader
 * injects no inline script or style, and makes no request of its own):
 *   script-src https://EDGE;  frame-src https://EDGE;
 *
 * Calls made before this script has loaded are queued by an optional stub placed before the tag:
 *   <script>window.Porchlight=window.Porchlight||{q:[]};
 *   ["open","close","toggle","on","identify","setAttributes","reset"].forEach(
 *   function(n){Porchlight[n]=Porchlight[n]||function(){Porchlight.q.push([n,arguments])}})</script>
 * The stub is not needed for calls made after the page's load event. */
(function (w, d, baked) {
  var P = w.Porchlight;
  // A second copy of the script (a tag pasted twice, a tag manager) does nothing.
  if (P && P.loaded) return;
  var script = d.currentScript;
  // The unbaked file has the placeholder string here, which has no `site`.
  baked = baked.site ? baked : {};
  var site = baked.site || attr("site");
  if (!site) return;
  var EDGE = new URL(script.src).origin;
  var NS = "porchlight";
  var KEY = NS + ":" + site + ":returning";
  // Calls made before the script loaded, by the optional stub (see docs): [name, args].
  var early = (P && P.q) || [];
  var handlers = {};
  // Messages for the frame, kept in order until it is ready.
  var later = [];
  // Small screens show the panel full screen (the CSS below), where the frame offers no expand.
  var small = w.matchMedia("(max-width:640px)");
  var isOpen = false, ready = false, announced = false, unread = 0;
  var frame, panel, button, badge, root, host;

  // The launcher's words in the visitor's language: `data-locale`, else the browser's first
  // language that we have (by its primary subtag, as the frame chooses), else English.
  // [tag, open, close, what precedes the unread count].
  var WORDS = {
    __proto__: null,
    en: ["en", "Open chat", "Close chat", ", unread messages: "],
    pt: ["pt-BR", "Abrir chat", "Fechar chat", ", mensagens não lidas: "],
    es: ["es", "Abrir chat", "Cerrar chat", ", mensajes sin leer: "],
    zh: ["zh-CN", "打开聊天", "关闭聊天", "，未读消息："]
  };
  var words = WORDS.en;
  [attr("locale")].concat(navigator.languages).some((tag) =>
    (tag = WORDS[String(tag).split(/[-_]/)[0].toLowerCase()]) && (words = tag)
  );

  // The script tag's `data-*` attributes.
  function attr(name) {
    return script.getAttribute("data-" + name);
  }

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
  // gets them when the visitor opens the chat (or at idle, for a returning visitor). A page that
  // just removed the widget gets it back first, so that the message waits for the new frame.
  function tell(m) {
    attach();
    if (ready) send(m);
    else later.push(m);
  }

  function layout() {
    tell({ type: "layout", full: small.matches });
  }

  // Only a flag ("has written before"), never the token: that stays in the frame's storage.
  function remember() {
    try { localStorage.setItem(KEY, "1"); } catch (e) { /* storage blocked: no idle load */ }
  }

  function returning() {
    try { return localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }

  function makeFrame() {
    if (frame) return;
    frame = d.createElement("iframe");
    frame.title = "Chat";
    // The frame reads its language from `locale` (else the browser's), and tells the edge the
    // page the visitor is on (`page`, without the fragment) once the conversation exists.
    var q = { site: site, host: location.origin, page: location.href.split("#")[0] };
    ["locale", "color"].forEach((n) => attr(n) && (q[n] = attr(n)));
    frame.src = EDGE + "/widget/frame.html?" + new URLSearchParams(q);
    panel.appendChild(frame);
    layout();
  }

  function label() {
    button.ariaExpanded = isOpen;
    button.ariaLabel = words[isOpen ? 2 : 1] + (unread ? words[3] + unread : "");
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
    if (!frame || e.origin !== EDGE || e.source !== frame.contentWindow) return;
    var m = e.data;
    if (!m || m.ns !== NS) return;
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
        unread = m.count;
        badge.textContent = unread > 9 ? "9+" : unread;
        badge.hidden = !unread;
        label();
        emit("unread", unread);
        break;
      case "style":
        // The site's settings, for an unbaked loader only: a baked one drew them at once, and
        // the launcher never moves after its first paint. The script tag's attributes win.
        // (The frame sends only `#rrggbb`; a custom property cannot carry anything else out.)
        if (baked.site) break;
        if (!attr("color")) host.style.setProperty("--pl-color", m.color);
        if (!attr("position")) root.classList.toggle("left", m.position === "left");
        break;
      case "message":
        if (m.author && m.author.kind === "visitor") remember();
        emit("message", { seq: m.seq, author: m.author, text: m.text });
        break;
    }
  });

  // The host element is a manual popover shown at once: the top layer is laid out against the
  // viewport whatever the page does, so a `transform`, `filter`, `perspective` or `contain` on
  // <html> or <body> cannot become the containing block of the launcher's `position: fixed`.
  // `all:initial` undoes the popover's default box (and anything the page says of divs): the
  // host is an empty box; what shows is fixed to the viewport (above the page's own layers
  // where the browser has no top layer).
  var CSS =
    ":host{all:initial!important}:host::backdrop{display:none!important}" +
    ".l,.p{position:fixed;z-index:2147483647;right:20px;bottom:20px}" +
    ".l{width:56px;height:56px;border:0;border-radius:50%;padding:0;cursor:pointer;" +
    "background:var(--pl-color,#2f5bea);box-shadow:0 4px 14px #0004}" +
    ".l svg{width:28px;vertical-align:middle}.open .c,.x{display:none}.open .x{display:inline}" +
    ".b{position:absolute;top:-4px;right:-4px;min-width:10px;padding:0 5px;border-radius:10px;" +
    "background:#d93025;color:#fff;font:700 12px/20px sans-serif}" +
    ".p{bottom:88px;width:380px;height:min(640px,calc(100dvh - 108px));border-radius:16px;" +
    "overflow:hidden;background:#fff;box-shadow:0 8px 32px #0005}" +
    ".left .l,.left .p{right:auto;left:20px}" +
    ".p iframe{display:block;width:100%;height:100%;border:0}" +
    "@media (min-width:641px){.big .p{width:min(720px,calc(100vw - 40px));height:calc(100dvh - 108px)}}" +
    "@media (max-width:640px){.p{inset:0;width:100%;height:100dvh;border-radius:0}.open .l{display:none}}" +
    "@media (prefers-color-scheme:dark){.p{background:#1d1f23}}";

  // The host lives in <html>, beside <body>: a single-page app that replaces the body (or its
  // content) leaves it, and its frame, untouched. Should the page remove it all the same, it is
  // put back (its frame then reloads, and restores the conversation from its own storage).
  function attach() {
    var html = d.documentElement;
    if (host.isConnected || !html) return;
    html.appendChild(host);
    watch.observe(html, { childList: true });
    try { host.showPopover(); } catch (e) { /* no popover: plain `position: fixed` */ }
    // What the old frame was told took effect (its storage, the edge); the new one needs the
    // panel's state. A frame that never got ready still has its messages waiting.
    if (ready) {
      ready = false;
      later = [];
      layout();
      if (isOpen) later.push({ type: "open" });
    }
  }
  var watch = new MutationObserver(attach);
  watch.observe(d, { childList: true });

  host = d.createElement("div");
  host.setAttribute("data-porchlight", site);
  host.setAttribute("popover", "manual");
  host.style.setProperty("--pl-color", attr("color") || baked.color);
  var shadow = host.attachShadow({ mode: "open" });
  // A constructed sheet is not subject to the host page's style-src (every browser with popovers
  // has them).
  var sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  shadow.adoptedStyleSheets = [sheet];
  shadow.innerHTML =
    '<div lang="' + words[0] + '"><div class="p" hidden></div><button class="l" type="button">' +
    // One icon for both states: a speech bubble (closed), a cross (open).
    '<svg viewBox="0 0 24 24" fill="#fff" stroke="#fff" stroke-width="2" stroke-linecap="round" ' +
    'aria-hidden="true"><path class="c" d="M5 6h14v9H9l-4 4z"/><path class="x" d="M6 6l12 12M18 6L6 18"/></svg>' +
    '<span class="b" hidden></span></button></div>';
  root = shadow.firstChild;
  panel = root.firstChild;
  button = root.lastChild;
  badge = button.lastChild;
  if ((attr("position") || baked.position) === "left") root.classList.add("left");
  label();
  button.addEventListener("click", () => setOpen(!isOpen));
  attach();

  if (returning()) {
    // Connect at idle so that replies that came while away raise the badge.
    if (w.requestIdleCallback) w.requestIdleCallback(makeFrame, { timeout: 4000 });
    else setTimeout(makeFrame, 2000);
  }

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

  var api = {
    loaded: true,
    open: safe(() => setOpen(true)),
    close: safe(() => setOpen(false)),
    toggle: safe(() => setOpen(!isOpen)),
    identify: pass("identify"),
    setAttributes: pass("attributes"),
    // When the site's user signs out: the next person on this browser starts afresh, and is
    // no longer "returning" (no frame at idle on later page views).
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
  w.Porchlight = api;
  small.onchange = layout;

  // Replay the calls made before this point (by the stub), then announce.
  early.forEach((c) => typeof api[c[0]] === "function" && api[c[0]].apply(api, c[1] || []));
  announced = true;
  emit("ready");
})(window, document, "__PORCHLIGHT_SITE__");
