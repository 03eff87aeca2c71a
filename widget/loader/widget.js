/* Porchlight loader: <script src="https://EDGE/widget.js" data-site="SITE" async></script>
 * Draws the launcher in a Shadow DOM at once; creates the chat frame (the WebAssembly app, on the
 * edge's origin) on the first open, or at idle for a visitor who has written before. Talks to the
 * frame only through namespaced postMessage (shared/src/embed.rs), checking origin and source,
 * never posting to a wildcard. Plain, hand-written and small: it is on every page of the site.
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
(function (w, d) {
  "use strict";
  var P = w.Porchlight;
  // A second copy of the script (a tag pasted twice, a tag manager) does nothing.
  if (P && P.loaded) return;
  var script = d.currentScript;
  var site = script && attr("site");
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
  var drawn = false, announced = false, isOpen = false, ready = false;
  var frame, panel, button, badge, root, host;

  // The script tag's `data-*` attributes.
  function attr(name) {
    return script.getAttribute("data-" + name);
  }

  // Each handler on its own task: one that throws neither stops the others nor the widget.
  function emit(name, arg) {
    (handlers[name] || []).forEach(function (fn) { setTimeout(fn, 0, arg); });
  }

  function send(m) {
    m.ns = NS;
    m.v = 1;
    frame.contentWindow.postMessage(m, EDGE);
  }

  // Open and close, the layout, and the host page's calls. Nothing loads for them: the frame
  // gets them when the visitor opens the chat (or at idle, for a returning visitor).
  function tell(m) {
    if (frame && ready) send(m);
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
    ["locale", "color"].forEach(function (n) { if (attr(n)) q[n] = attr(n); });
    frame.src = EDGE + "/widget/frame.html?" + new URLSearchParams(q);
    panel.appendChild(frame);
    layout();
  }

  function label() {
    button.setAttribute("aria-expanded", isOpen);
    button.setAttribute("aria-label", isOpen ? "Close chat" : "Open chat");
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

  w.addEventListener("message", function (e) {
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
        badge.textContent = m.count > 9 ? "9+" : String(m.count);
        badge.hidden = !m.count;
        emit("unread", m.count);
        break;
      case "style":
        // The site's settings; the script tag's own attributes win.
        // (The frame sends only `#rrggbb`; a custom property cannot carry anything else out.)
        if (!attr("color")) {
          host.style.setProperty("--pl-color", m.color);
        }
        if (!attr("position")) root.classList.toggle("left", m.position === "left");
        break;
      case "message":
        if (m.author && m.author.kind === "visitor") remember();
        emit("message", { seq: m.seq, author: m.author, text: m.text });
        break;
    }
  });

  var ICON_CHAT = '<path d="M4 5h16v11H8l-4 4z" fill="currentColor"/>';
  var ICON_CLOSE = '<path d="M6 6l12 12M18 6L6 18" stroke="currentColor" stroke-width="2.4" stroke-linecap="round"/>';
  var CSS =
    ":host{all:initial!important}" +
    ".l{position:fixed;bottom:20px;right:20px;z-index:2147483647;width:56px;height:56px;" +
    "border:0;border-radius:50%;padding:0;margin:0;cursor:pointer;color:#fff;" +
    "background:var(--pl-color,#2f5bea);box-shadow:0 4px 14px #0004;display:grid;place-items:center}" +
    ".l:focus-visible{outline:3px solid #ffbf47;outline-offset:3px}" +
    ".l svg{width:28px;height:28px}.open .l .x{display:block}" +
    ".b{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 5px;box-sizing:border-box;" +
    "border-radius:10px;background:#d93025;color:#fff;font:700 12px/20px sans-serif;text-align:center}" +
    ".b[hidden],.p[hidden],.l .x,.open .l .c{display:none}" +
    ".p{position:fixed;bottom:88px;right:20px;z-index:2147483647;width:380px;" +
    "height:min(640px,calc(100dvh - 108px));border-radius:16px;overflow:hidden;background:#fff;" +
    "box-shadow:0 8px 32px #0005}" +
    ".left .l,.left .p{right:auto;left:20px}" +
    ".p iframe{display:block;width:100%;height:100%;border:0}" +
    "@media (min-width:641px){.big .p{width:min(720px,calc(100vw - 40px));height:calc(100dvh - 108px)}}" +
    "@media (max-width:640px){.p{inset:0;width:100%;height:100dvh;border-radius:0}.open .l{display:none}}" +
    "@media (prefers-color-scheme:dark){.p{background:#1d1f23}}";

  function draw() {
    if (drawn) return;
    drawn = true;
    host = d.createElement("div");
    host.setAttribute("data-porchlight", site);
    host.style.setProperty("--pl-color", attr("color"));
    var shadow = host.attachShadow({ mode: "open" });
    // A constructed sheet is not subject to the host page's style-src; <style> is the fallback.
    if (shadow.adoptedStyleSheets && w.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      shadow.adoptedStyleSheets = [sheet];
    } else {
      var style = d.createElement("style");
      style.textContent = CSS;
      shadow.appendChild(style);
    }
    root = d.createElement("div");
    if (attr("position") === "left") root.classList.add("left");
    panel = d.createElement("div");
    panel.className = "p";
    panel.hidden = true;
    button = d.createElement("button");
    button.className = "l";
    button.type = "button";
    label();
    button.innerHTML = '<svg class="c" viewBox="0 0 24 24" aria-hidden="true">' + ICON_CHAT +
      '</svg><svg class="x" viewBox="0 0 24 24" aria-hidden="true">' + ICON_CLOSE +
      '</svg><span class="b" hidden></span>';
    badge = button.lastChild;
    button.addEventListener("click", function () { setOpen(!isOpen); });
    root.appendChild(panel);
    root.appendChild(button);
    shadow.appendChild(root);
    d.body.appendChild(host);

    if (returning()) {
      // Connect at idle so that replies that came while away raise the badge.
      if (w.requestIdleCallback) w.requestIdleCallback(makeFrame, { timeout: 4000 });
      else setTimeout(makeFrame, 2000);
    }
    // Replay calls made before this point: by the stub, or to the API before the body existed.
    var queued = early;
    early = [];
    queued.forEach(function (c) { var f = api[c[0]]; if (typeof f === "function") f.apply(api, c[1] || []); });
    announced = true;
    emit("ready");
  }

  // Until the launcher is drawn, calls wait in order.
  function whenDrawn(name, fn) {
    return function () {
      if (drawn) fn();
      else early.push([name, arguments]);
    };
  }

  // `identify({id, name, email, hash})` (`hash`: the site server's HMAC-SHA256 of `id`, which
  // the edge checks) and `setAttributes({...})`. Only plain values travel: JSON's round trip
  // drops functions and the like.
  function pass(type) {
    return function (x) {
      x = JSON.parse(JSON.stringify(x || {}));
      tell(type === "identify" ? (x.type = type, x) : { type: type, attributes: x });
    };
  }

  var api = {
    loaded: true,
    open: whenDrawn("open", function () { setOpen(true); }),
    close: whenDrawn("close", function () { setOpen(false); }),
    toggle: whenDrawn("toggle", function () { setOpen(!isOpen); }),
    // `hash`: the site server's HMAC-SHA256 of `id` (hex); the edge checks it.
    identify: pass("identify"),
    setAttributes: pass("attributes"),
    // When the site's user signs out: the next person on this browser starts afresh.
    reset: function () { tell({ type: "reset" }); },
    on: function (name, fn) {
      if (typeof fn !== "function") return;
      (handlers[name] = handlers[name] || []).push(fn);
      if (name === "ready" && announced) fn();
    }
  };
  w.Porchlight = api;
  small.onchange = layout;

  if (d.body) draw();
  else d.addEventListener("DOMContentLoaded", draw);
})(window, document);
