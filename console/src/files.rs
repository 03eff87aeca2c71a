//! Attachments as the console shows them: where each is downloaded from, whether it is drawn as
//! an image, the name people read (and screen readers announce) and its size in words. Plain
//! functions, tested natively; the view draws what they return.

use porchlight_shared::protocol::AttachmentRef;

/// Where the console loads an attachment from: the edge's attachment route, on the console's
/// own origin, where the agent's session cookie authorises it (an `<img>` sends the cookie,
/// which it could not do with a bearer token).
pub fn url(conversation_id: &str, attachment: &AttachmentRef) -> String {
    format!("/v1/attachments/{conversation_id}/{}", attachment.id)
}

/// Whether it is drawn inline (the image types the edge accepts; anything else is a link).
pub fn is_image(attachment: &AttachmentRef) -> bool {
    attachment.content_type.starts_with("image/")
}

/// The file's name as the uploader gave it, or a description of what it is.
pub fn name(attachment: &AttachmentRef) -> String {
    match attachment.name.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() => n.to_owned(),
        _ if is_image(attachment) => "Image".to_owned(),
        _ => "File".to_owned(),
    }
}

/// The kind of file in a few letters ("PDF", "PNG").
pub fn kind(attachment: &AttachmentRef) -> String {
    match attachment.content_type.as_str() {
        "application/pdf" => "PDF".to_owned(),
        t => t
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase(),
    }
}

/// A size as people read it: "512 bytes", "47.1 KB", "2.5 MB" (1 KB = 1,024 bytes).
pub fn size_text(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * KB;
    match bytes {
        1 => "1 byte".to_owned(),
        0..KB => format!("{bytes} bytes"),
        KB..MB => format!("{:.1} KB", bytes as f64 / KB as f64),
        _ => format!("{:.1} MB", bytes as f64 / MB as f64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(content_type: &str, name: Option<&str>) -> AttachmentRef {
        AttachmentRef {
            id: "at_1".into(),
            content_type: content_type.into(),
            size: 10,
            name: name.map(str::to_owned),
        }
    }

    #[test]
    fn images_are_drawn_and_other_files_linked() {
        assert!(is_image(&at("image/png", None)));
        assert!(is_image(&at("image/webp", None)));
        assert!(!is_image(&at("application/pdf", None)));
        assert_eq!(
            url("cv_1", &at("image/png", None)),
            "/v1/attachments/cv_1/at_1"
        );
    }

    #[test]
    fn names_and_kinds() {
        assert_eq!(name(&at("image/png", Some("dot.png"))), "dot.png");
        assert_eq!(name(&at("image/png", None)), "Image");
        assert_eq!(name(&at("application/pdf", Some("  "))), "File");
        assert_eq!(kind(&at("application/pdf", None)), "PDF");
        assert_eq!(kind(&at("image/jpeg", None)), "JPEG");
    }

    #[test]
    fn sizes() {
        assert_eq!(size_text(0), "0 bytes");
        assert_eq!(size_text(1), "1 byte");
        assert_eq!(size_text(1023), "1023 bytes");
        assert_eq!(size_text(1024), "1.0 KB");
        assert_eq!(size_text(48_213), "47.1 KB");
        assert_eq!(size_text(5 * 1024 * 1024), "5.0 MB");
    }
}
