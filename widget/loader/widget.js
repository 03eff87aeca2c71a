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
 *   <script>window.Porchlight=window.Porchlight||{q:[]};["open","close","toggle","on"].forEach(
 *   function(n){Porchlight[n]=Porchlight[n]||function(){Porchlight.q.push([n,arguments])}})</script>
 * The stub is not needed for calls made after the page's load event. */
(function (w, d) {
  "use strict";
  var P = w.Porchlight;
  // A second copy of the script (a tag pasted twice, a tag manager) does nothing.
  if (P && P.loaded) return;
  var script = d.currentScript;
  var site = script && script.getAttribute("data-site");
  if (!site) return;
  var EDGE = new URL(script.src).origin;
  var NS = "porchlight";
  var KEY = "porchlight:" + site + ":returning";
  // Calls made before the script loaded, by the optional stub (see docs): [name, args].
  var early = (P && P.q) || [];
  var handlers = {};
  var drawn = false, announced = false, isOpen = false, ready = false;
  var frame, panel, button, badge, root, host;

  function emit(name, arg) {
    (handlers[name] || []).forEach(function (fn) {
      try { fn(arg); } catch (e) { setTimeout(function () { throw e; }); }
    });
  }

  function post(type) {
    if (frame && ready) frame.contentWindow.postMessage({ ns: NS, v: 1, type: type }, EDGE);
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
    var locale = script.getAttribute("data-locale");
    var color = script.getAttribute("data-color");
    frame.src = EDGE + "/widget/frame.html?site=" + encodeURIComponent(site) +
      "&host=" + encodeURIComponent(location.origin) +
      (locale ? "&locale=" + encodeURIComponent(locale) : "") +
      (color ? "&color=" + encodeURIComponent(color) : "") +
      "&page=" + encodeURIComponent(location.href.split("#")[0]);
    panel.appendChild(frame);
  }

  function setOpen(open) {
    if (open === isOpen) return;
    isOpen = open;
    if (open) makeFrame();
    panel.hidden = !open;
    root.classList.toggle("open", open);
    button.setAttribute("aria-expanded", String(open));
    button.setAttribute("aria-label", open ? "Close chat" : "Open chat");
    post(open ? "open" : "close");
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
        post(isOpen ? "open" : "close");
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
        if (!script.getAttribute("data-color") && /^#[0-9a-f]{6}$/i.test(m.color)) {
          host.style.setProperty("--pl-color", m.color);
        }
        if (!script.getAttribute("data-position")) root.classList.toggle("left", m.position === "left");
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
    "background:var(--pl-color,#2f5bea);box-shadow:0 4px 14px rgba(0,0,0,.25);display:grid;place-items:center}" +
    ".l:focus-visible{outline:3px solid #ffbf47;outline-offset:3px}" +
    ".l svg{width:28px;height:28px}.l .x,.open .l .c{display:none}.open .l .x{display:block}" +
    ".b{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 5px;box-sizing:border-box;" +
    "border-radius:10px;background:#d93025;color:#fff;font:700 12px/20px system-ui,sans-serif;text-align:center}" +
    ".b[hidden],.p[hidden]{display:none}" +
    ".p{position:fixed;bottom:88px;right:20px;z-index:2147483647;width:380px;" +
    "height:min(640px,calc(100dvh - 108px));border-radius:16px;overflow:hidden;background:#fff;" +
    "box-shadow:0 8px 32px rgba(0,0,0,.28)}" +
    ".left .l,.left .p{right:auto;left:20px}" +
    ".p iframe{display:block;width:100%;height:100%;border:0}" +
    "@media (max-width:640px){.p{inset:0;width:100%;height:100dvh;border-radius:0}.open .l{display:none}}" +
    "@media (prefers-color-scheme:dark){.p{background:#1d1f23}}";

  function draw() {
    if (drawn) return;
    drawn = true;
    host = d.createElement("div");
    host.setAttribute("data-porchlight", site);
    var color = script.getAttribute("data-color");
    if (color && /^#[0-9a-f]{3,8}$/i.test(color)) host.style.setProperty("--pl-color", color);
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
    if (script.getAttribute("data-position") === "left") root.classList.add("left");
    panel = d.createElement("div");
    panel.className = "p";
    panel.hidden = true;
    button = d.createElement("button");
    button.className = "l";
    button.type = "button";
    button.setAttribute("aria-label", "Open chat");
    button.setAttribute("aria-expanded", "false");
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

  var api = {
    loaded: true,
    open: whenDrawn("open", function () { setOpen(true); }),
    close: whenDrawn("close", function () { setOpen(false); }),
    toggle: whenDrawn("toggle", function () { setOpen(!isOpen); }),
    on: function (name, fn) {
      if (typeof fn !== "function") return;
      (handlers[name] = handlers[name] || []).push(fn);
      if (name === "ready" && announced) fn();
    }
  };
  w.Porchlight = api;

  if (d.body) draw();
  else d.addEventListener("DOMContentLoaded", draw);
})(window, document);
