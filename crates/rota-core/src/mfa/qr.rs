//! The enrolment QR code as a small SVG: one path of unit squares, a four-module quiet
//! zone, black on white, scaled by the page that shows it.

use qrcodegen::{QrCode, QrCodeEcc};

use crate::error::{Error, Result};

const QUIET_ZONE: i32 = 4;

/// `text` as a QR code in SVG.
pub fn svg(text: &str) -> Result<String> {
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium)
        .map_err(|e| Error::Internal(format!("QR encoding failed: {e:?}").into()))?;
    let size = qr.size() + 2 * QUIET_ZONE;
    let mut path = String::new();
    for y in 0..qr.size() {
        for x in 0..qr.size() {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + QUIET_ZONE, y + QUIET_ZONE));
            }
        }
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" \
         shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\
         <path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_otpauth_uri_becomes_an_svg_with_modules() {
        let svg = super::svg("otpauth://totp/Rota:ann%40example.test?secret=GEZDGNBV").unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.matches("h1v1h-1z").count() > 100);
    }
}
