//! JSON through the browser's own parser: `JSON.parse`/`JSON.stringify` with
//! `serde-wasm-bindgen` in between, so the shared serde types apply unchanged and no JSON parser
//! or formatter is compiled into the wasm (serde_json would cost tens of KB).
//!
//! A copy of the widget's `json` module (widget/src/json.rs): both apps need it and neither may
//! depend on the other; it belongs in a small shared browser crate once there is a third user.

use js_sys::JSON;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

/// Why a value could not be decoded or encoded; the details are for the console only.
#[derive(Debug, Clone, PartialEq)]
pub struct CodecError(pub String);

impl From<JsValue> for CodecError {
    fn from(v: JsValue) -> Self {
        // No Debug formatting: it would compile a string escaper into the wasm for a log line.
        let message = match v.dyn_ref::<js_sys::Error>() {
            Some(e) => String::from(e.message()),
            None => v
                .as_string()
                .unwrap_or_else(|| "JavaScript error".to_owned()),
        };
        CodecError(message)
    }
}

impl From<serde_wasm_bindgen::Error> for CodecError {
    fn from(e: serde_wasm_bindgen::Error) -> Self {
        CodecError(e.to_string())
    }
}

/// Decodes JSON text into `T`.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, CodecError> {
    from_js(JSON::parse(text)?)
}

/// Decodes a JS value (a parsed body, a posted message) into `T`.
pub fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, CodecError> {
    Ok(serde_wasm_bindgen::from_value(value)?)
}

/// Encodes `value` as a plain JS value: objects rather than `Map`s and `null` rather than
/// `undefined`, so that `JSON.stringify` and structured clone see exactly the wire shape.
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, CodecError> {
    Ok(value.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?)
}

/// Encodes `value` as JSON text.
pub fn stringify<T: Serialize>(value: &T) -> Result<String, CodecError> {
    let text = JSON::stringify(&to_js(value)?)?;
    text.as_string()
        .ok_or_else(|| CodecError("JSON.stringify returned no string".into()))
}
