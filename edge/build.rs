//! Names the widget's content-hashed files for the frame page. `cargo xtask build` builds the
//! widget first and lists what it wrote in `widget/dist/widget-files.txt` (`glue PATH`,
//! `wasm PATH`, `css PATH`); this script turns that list into constants (`widget_files.rs` in
//! `OUT_DIR`, included by `src/pages/widget.rs`). Without the list (a `cargo check` before any build) the
//! unhashed names stand in, and nothing is served as immutable.

use std::path::Path;
use std::{env, fs, process};

fn main() {
    // Read when the script runs, not when it was compiled: a target folder copied from another
    // checkout keeps its compiled script, which would read that checkout's list.
    let manifest = env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default();
    let list = Path::new(&manifest).join("../widget/dist/widget-files.txt");
    println!("cargo::rerun-if-changed={}", list.display());
    let text = fs::read_to_string(&list).unwrap_or_default();
    let path = |kind: &str, fallback: &str| -> String {
        text.lines()
            .find_map(|l| l.strip_prefix(kind)?.strip_prefix(' '))
            // Only names the build writes: a path of plain characters, safe in a Rust literal
            // and in an HTML attribute.
            .filter(|p| {
                p.starts_with("/widget/")
                    && p.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"/._-".contains(&b))
            })
            .unwrap_or(fallback)
            .to_owned()
    };
    let glue = path("glue", "/widget/porchlight_widget.js");
    let wasm = path("wasm", "/widget/porchlight_widget_bg.wasm");
    let css = path("css", "/widget/frame.css");
    let hashed = !text.is_empty();
    let code = format!(
        "/// Path of the widget's wasm-bindgen glue.\n\
         pub const GLUE_PATH: &str = {glue:?};\n\
         /// Path of the widget's wasm.\n\
         pub const WASM_PATH: &str = {wasm:?};\n\
         /// Path of the frame's styles.\n\
         pub const CSS_PATH: &str = {css:?};\n\
         /// Whether the names carry a content hash (then they are served as immutable).\n\
         pub const HASHED: bool = {hashed};\n\
         /// The frame page's only script: instantiate the app.\n\
         pub const FRAME_BOOT: &str = {boot:?};\n",
        boot = format!("import init from \"{glue}\";init({{module_or_path: \"{wasm}\"}});"),
    );
    let Some(out) = env::var_os("OUT_DIR") else {
        println!("cargo::error=OUT_DIR is not set");
        process::exit(1);
    };
    if let Err(e) = fs::write(Path::new(&out).join("widget_files.rs"), code) {
        println!("cargo::error=cannot write widget_files.rs: {e}");
        process::exit(1);
    }
}
