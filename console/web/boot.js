// The console page's only script: instantiate the Leptos app (wasm-bindgen's ES module glue).
// A file rather than an inline script, so that the page's Content-Security-Policy needs no
// hash or 'unsafe-inline': script-src 'self' covers it.
//
// A failed download (a dropped connection, a server restart) is tried twice more; after that
// the page says so and offers a reload, instead of staying blank. Calling init again is safe:
// the glue keeps an instance once it has one.
import init from "/console/porchlight_console.js";

const WASM = "/console/porchlight_console_bg.wasm";
const RETRIES = 2;

function start(attempt) {
  init({ module_or_path: WASM }).catch((error) => {
    console.error("porchlight console: loading failed", error);
    if (attempt < RETRIES) {
      setTimeout(() => start(attempt + 1), 500 * (attempt + 1));
      return;
    }
    const box = document.createElement("main");
    box.className = "boot-failed";
    const title = document.createElement("h1");
    title.textContent = "Porchlight console";
    const text = document.createElement("p");
    text.setAttribute("role", "alert");
    text.textContent = "The console could not load. Check your connection, then reload the page.";
    const reload = document.createElement("button");
    reload.type = "button";
    reload.textContent = "Reload";
    reload.addEventListener("click", () => location.reload());
    box.append(title, text, reload);
    document.body.append(box);
  });
}

start(0);
