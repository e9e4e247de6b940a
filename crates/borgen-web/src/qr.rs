//! QR codes drawn on the server as inline SVG (the `qrcode` crate's SVG
//! renderer): no script, no image fetched from anywhere, so the page works
//! under the Content-Security-Policy and without JavaScript.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// The QR code of `data` as an `<svg>` element, or `None` when the data does
/// not fit in a QR code. The markup is made by the renderer from the module
/// grid alone (rectangles and one path, fixed colours), never from `data`
/// as text, so it is safe to insert as it is.
pub fn svg(data: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).ok()?;
    let image = code
        .render::<svg::Color>()
        .min_dimensions(220, 220)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .quiet_zone(true)
        .build();
    // An inline <svg> in HTML takes no XML declaration.
    let start = image.find("<svg")?;
    Some(image[start..].to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_otpauth_uri_becomes_an_inline_svg() {
        let s = super::svg("otpauth://totp/Borgen:ann@example.nl?secret=JBSWY3DPEHPK3PXP&issuer=Borgen").unwrap();
        assert!(s.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{}", &s[..60]);
        assert!(s.ends_with("</svg>"));
        assert!(!s.contains("ann@example.nl"), "the data is drawn, not written");
        assert!(!s.contains("<script"));
    }
}
