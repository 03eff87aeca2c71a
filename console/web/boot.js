// The console page's only script: instantiate the Leptos app (wasm-bindgen's ES module glue).
// A file rather than an inline script, so that the page's Content-Security-Policy needs no
// hash or 'unsafe-inline': script-src 'self' covers it.
import init from "/console/porchlight_console.js";

init({ module_or_path: "/console/porchlight_console_bg.wasm" });
