//! Bytes to text: UTF-8 (with or without BOM), UTF-16 (with BOM, as Excel's "Unicode
//! text" export writes it) and a Windows-1252 fallback for older Windows exports.

use serde::{Deserialize, Serialize};

/// The text encoding a CSV file turned out to have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

/// Windows-1252 code points for bytes 0x80..=0x9F (the rest is Latin-1).
/// Source: the WHATWG Encoding Standard index for windows-1252.
const CP1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

/// Decode bytes to text. Never fails: bytes that are not UTF-8 or UTF-16 with a BOM are
/// read as Windows-1252, which maps every byte to a character.
pub fn decode_text(bytes: &[u8]) -> (String, TextEncoding) {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return match std::str::from_utf8(rest) {
            Ok(s) => (s.to_owned(), TextEncoding::Utf8Bom),
            Err(_) => (windows_1252(rest), TextEncoding::Windows1252),
        };
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return (utf16(rest, u16::from_le_bytes), TextEncoding::Utf16Le);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return (utf16(rest, u16::from_be_bytes), TextEncoding::Utf16Be);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), TextEncoding::Utf8),
        Err(_) => (windows_1252(bytes), TextEncoding::Windows1252),
    }
}

fn utf16(bytes: &[u8], word: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|c| word([c[0], c[1]]));
    char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

fn windows_1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(
            decode_text("één".as_bytes()),
            ("één".to_owned(), TextEncoding::Utf8)
        );
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice("café".as_bytes());
        assert_eq!(decode_text(&b), ("café".to_owned(), TextEncoding::Utf8Bom));
    }

    #[test]
    fn windows_1252_fallback() {
        // "€ 3,50 café" in Windows-1252
        let b = [
            0x80, b' ', b'3', b',', b'5', b'0', b' ', b'c', b'a', b'f', 0xE9,
        ];
        assert_eq!(
            decode_text(&b),
            ("€ 3,50 café".to_owned(), TextEncoding::Windows1252)
        );
    }

    #[test]
    fn utf16_le_with_bom() {
        let mut b = vec![0xFF, 0xFE];
        for u in "a;é".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode_text(&b), ("a;é".to_owned(), TextEncoding::Utf16Le));
    }
}
