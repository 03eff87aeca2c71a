/* Porchlight loader: <script src="https://EDGE/widget.js?site=SITE" async></script>
 * On every page of the site, so it does as little as it can: it draws the launcher in a Shadow
 * DOM once the page has loaded, keeps it on the page, and queues the page's calls. Everything
 * else (the chat frame, the API, the unread badge) is in a second script,
 * `widget/loader/panel.js`, fetched only when it is needed: when the visitor reaches for the
 * launcher (pointer over it, focus, click), when the page calls `open()` or `toggle()`, or when a
 * reply waits for a visitor who has written before (`widget/loader/unread.js` asks, a second
 * after the page has loaded).
 * Hand-written, kept readable here and minified by the build.
 *
 * `?site=` makes the edge write the site's settings (id, launcher colour and corner) into this
 * file where `"__PORCHLIGHT_SITE__"` stands below, so the launcher is drawn right from its first
 * paint with no request of its own. The older tag (`/widget.js` with `data-site`) still works:
 * the launcher then takes the site's colour and corner when the frame sends them. The build
 * writes the second script's content-hashed path where `"__PORCHLIGHT_PANEL__"` stands.
 *
 * A host page with a Content-Security-Policy needs exactly two sources for the widget (neither
 * script injects inline script or style):
 *   script-src https://EDGE;  frame-src https://EDGE;
 *
 * Calls made before this script has loaded are queued by an optional stub placed before the tag:
 *   <script>window.Porchlight=window.Porchlight||{q:[]};
 *   ["open","close","toggle","on","identify","setAttributes","reset"].forEach(
 *   function(n){Porchlight[n]=Porchlight[n]||function(){Porchlight.q.push([n,arguments])}})</script>
 * The stub is not needed for calls made after the page's load event. This script queues the same
 * way until the second one arrives, which then answers every queued call in order. */
(function (w, d, baked, more) {
  var P = w.Porchlight;
  // A second copy of the script (a tag pasted twice, a tag manager) does nothing.
  if (P && P.loaded) return;
  var script = d.currentScript;
  // The unbaked file has the placeholder string here, which has no `site`.
  baked = baked.site ? baked : {};
  var site = baked.site || attr("site");
  if (!site) return;
  var EDGE = new URL(script.src).origin;
  var KEY = "porchlight:" + site + ":returning";

  // The launcher's words in the visitor's language: `data-locale`, else the browser's first
  // language that we have (by its primary subtag, as the frame chooses), else English. The
  // subtag is the launcher's `lang` (it shows no text, so `zh` needs no script subtag); the
  // second part has the rest of the words, by it.
  var WORDS = { __proto__: null, en: "Open chat", pt: "Abrir chat", es: "Abrir chat", zh: "打开聊天" };
  var lang = "en";
  [attr("locale")].concat(navigator.languages).some((tag) =>
    WORDS[(tag = String(tag).split(/[-_]/)[0].toLowerCase())] && (lang = tag)
  );

  // The script tag's `data-*` attributes.
  function attr(name) {
    return script.getAttribute("data-" + name);
  }

  // The closed launcher only; the panel's styles (and the open launcher's) come with the second
  // script. The host element is a manual popover, shown when attached: the top layer is laid out
  // against the viewport whatever the page does, so a `transform`, `filter`, `perspective` or
  // `contain` on <html> or <body> cannot become the containing block of the launcher's
  // `position: fixed`, and it is above everything on the page without a `z-index`.
  // `all:initial` undoes the popover's default box (and anything the page says of divs).
  var CSS =
    ":host{all:initial!important}:host::backdrop{display:none!important}" +
    ".l{position:fixed;right:20px;bottom:20px;width:56px;height:56px;" +
    "border:0;border-radius:50%;padding:0;cursor:pointer;background:var(--pl-color,#2f5bea);" +
    "box-shadow:0 4px 14px #0004}.left .l{right:auto;left:20px}" +
    ".l svg{width:28px;vertical-align:middle}";

  var host = d.createElement("div");
  host.dataset.porchlight = site;
  host.popover = "manual";
  host.style.setProperty("--pl-color", attr("color") || baked.color);
  var shadow = host.attachShadow({ mode: "open" });
  // A constructed sheet is not subject to the host page's style-src (every browser with
  // popovers has them).
  var sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  shadow.adoptedStyleSheets = [sheet];
  // A speech bubble; the second script adds the cross shown while the chat is open, and the
  // unread badge.
  shadow.innerHTML =
    '<div lang="' + lang + '"><button class="l" aria-expanded="false">' +
    '<svg viewBox="0 0 24 24" fill="#fff" stroke="#fff" stroke-width="2" aria-hidden="true">' +
    '<path class="c" d="M5 6h14v9H9l-4 4z"/></svg></button></div>';
  var root = shadow.firstChild;
  var button = root.firstChild;
  button.ariaLabel = WORDS[lang];
  // "left" or "right", as the `.left` rules above need.
  root.className = attr("position") || baked.position;

  // The host lives in <html>, beside <body>: a single-page app that replaces the body (or its
  // content) leaves it, and its frame, untouched. Should the page remove it all the same, it is
  // put back (the second script then restores the frame's state, through `S.back`).
  function attach() {
    var html = d.documentElement;
    if (host.isConnected || !html) return;
    html.appendChild(host);
    watch.observe(html, { childList: true });
    try { host.showPopover(); } catch (e) { /* no popover: plain `position: fixed` */ }
    S.back && S.back();
  }
  var watch = new MutationObserver(attach);
  watch.observe(d, { childList: true });

  // The second script, once: it takes this state over from `Porchlight._`.
  var loading;
  function load() {
    if (loading) return;
    loading = add(more);
  }
  function add(path) {
    var s = d.createElement("script");
    s.src = EDGE + path;
    return d.head.appendChild(s);
  }

  // What the second script needs besides the host element (which names the site, and holds the
  // launcher in its language): the edge, the baked settings, the `data-*` reader, `attach`
  // (which calls `S.back` once the second script set it), `load` (for the unread check) and the
  // page's calls in order (`q`: [name, arguments]).
  var S = { edge: EDGE, baked: baked, attr: attr, host: host, attach: attach, load: load, q: (P && P.q) || [] };

  // Until the second script arrives, every call is queued (and never throws); `open()` and
  // `toggle()` fetch it. `reset()` forgets the "returning" flag at once: this page view then
  // loads nothing at idle, and neither does the next. `ready` handlers run at once, unless the
  // second script is on its way: it runs them after the calls before them.
  var api = { loaded: true, _: S };
  "open close toggle identify setAttributes reset on".split(" ").forEach((name) => {
    api[name] = function (a, fn) {
      try {
        if (name == "on" && a == "ready" && !loading) return typeof fn == "function" && setTimeout(fn);
        S.q.push([name, arguments]);
        if (name == "reset") localStorage.removeItem(KEY);
        if (name == "open" || name == "toggle") load();
      } catch (e) { /* storage blocked: nothing kept */ }
    };
  });
  w.Porchlight = api;

  // Through the page's object, which the second script fills in.
  button.onclick = () => api.toggle();
  // The visitor reaching for the launcher: fetch the rest before the click lands.
  button.onpointerenter = button.onfocus = load;

  // The stub's calls, through the queue above, in order; the second script first if they open
  // the chat.
  var early = S.q;
  S.q = [];
  if (early.some((c) => c[0] == "open" || c[0] == "toggle")) load();
  early.forEach((c) => typeof api[c[0]] == "function" && api[c[0]].apply(api, c[1] || []));
  // Once the page has loaded, never in the way of its first paint: the launcher is drawn, and a
  // returning visitor gets, a second later, a few hundred bytes that ask whether a reply waits
  // (`widget/loader/unread.js`); the second script follows only when one does. The second keeps
  // the unread frame (a document and a socket, in the page's process when the edge is
  // same-site) clear of the page's own late paints.
  function loaded() {
    attach();
    try {
      if (localStorage.getItem(KEY)) setTimeout(() => loading || add("/widget/unread.js"), 1e3);
    } catch (e) { /* storage blocked: no badge before the chat opens */ }
  }
  d.readyState == "complete" ? loaded() : w.addEventListener("load", loaded);
})(window, document, "__PORCHLIGHT_SITE__", "__PORCHLIGHT_PANEL__");
