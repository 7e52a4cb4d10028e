//! Turning the bytes of an input file into text: UTF-8 with or without a
//! byte order mark, and UTF-16 (LE or BE, with a BOM or recognised by its
//! NUL bytes), as Windows tools and some Postman exports write it.

/// The text of `bytes`. Invalid sequences become U+FFFD rather than an
/// error: the format's parser then reports where the text stops making
/// sense, with a position.
pub fn decode_input(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes);
    }
    // No BOM: UTF-16 text of mostly ASCII has a NUL in every other byte.
    if bytes.len() >= 4 && bytes.len() % 2 == 0 {
        let head = &bytes[..bytes.len().min(512)];
        let odd_nuls = head.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
        let even_nuls = head.iter().step_by(2).filter(|b| **b == 0).count();
        let half = head.len() / 2;
        if odd_nuls * 10 >= half * 9 && even_nuls == 0 {
            return utf16(bytes, u16::from_le_bytes);
        }
        if even_nuls * 10 >= half * 9 && odd_nuls == 0 {
            return utf16(bytes, u16::from_be_bytes);
        }
    }
    String::from_utf8_lossy(bytes).into_owned()
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks(2).map(|c| match c {
        [a, b] => unit([*a, *b]),
        _ => 0xFFFD,
    });
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// `text` without a leading BOM, and with the NULs of UTF-16 text that was
/// read as if it were one byte per character removed (which recovers it
/// when it is ASCII, the case of every UTF-16 export seen in practice).
pub fn clean_text(text: &str) -> std::borrow::Cow<'_, str> {
    let t = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !t.contains('\0') {
        return std::borrow::Cow::Borrowed(t);
    }
    let t = t.trim_start_matches(['\u{fffd}', '\u{ff}', '\u{fe}']);
    std::borrow::Cow::Owned(t.chars().filter(|c| *c != '\0').collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boms_and_utf16_are_decoded() {
        assert_eq!(decode_input(b"\xEF\xBB\xBF{}"), "{}");
        assert_eq!(decode_input(b"\xFF\xFE{\x00}\x00"), "{}");
        assert_eq!(decode_input(b"\xFE\xFF\x00{\x00}"), "{}");
        assert_eq!(decode_input(b"{\x00\"\x00a\x00\"\x00"), "{\"a\"");
        assert_eq!(decode_input("é{}".as_bytes()), "é{}");
        assert_eq!(clean_text("\u{feff}{}"), "{}");
        assert_eq!(clean_text("\u{fffd}\u{fffd}{\0}\0"), "{}");
    }
}
