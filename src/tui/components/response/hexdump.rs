//! A hex dump preview of a binary body: offset, hex bytes, and ASCII with
//! dots for everything unprintable, so no byte of the body reaches the
//! terminal as itself unless it is printable ASCII.

use std::fmt::Write as _;

/// How much of a binary body the preview shows.
pub const PREVIEW_BYTES: usize = 64 * 1024;

const BYTES_PER_LINE: usize = 16;

/// Hex dump of the first [`PREVIEW_BYTES`] of `bytes`, one line per 16
/// bytes: `00000010  48 65 6c 6c 6f 20 77 6f  72 6c 64 0a 00 01 02 03  |Hello world.....|`.
pub fn hex_dump(bytes: &[u8]) -> String {
    let shown = &bytes[..bytes.len().min(PREVIEW_BYTES)];
    let mut out = String::with_capacity(shown.len() / BYTES_PER_LINE * 80 + 80);
    for (n, chunk) in shown.chunks(BYTES_PER_LINE).enumerate() {
        let _ = write!(out, "{:08x}  ", n * BYTES_PER_LINE);
        for i in 0..BYTES_PER_LINE {
            match chunk.get(i) {
                Some(b) => {
                    let _ = write!(out, "{b:02x} ");
                }
                None => out.push_str("   "),
            }
            if i == 7 {
                out.push(' ');
            }
        }
        out.push(' ');
        out.push('|');
        out.extend(chunk.iter().map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                b as char
            } else {
                '.'
            }
        }));
        out.push('|');
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_hex_and_dotted_ascii() {
        let dump = hex_dump(b"Hello world\n\x00\x01\x1b\xffAB");
        assert_eq!(
            dump,
            "00000000  48 65 6c 6c 6f 20 77 6f  72 6c 64 0a 00 01 1b ff  |Hello world.....|\n\
             00000010  41 42                                             |AB|\n"
        );
    }

    #[test]
    fn only_a_preview_of_big_bodies() {
        let dump = hex_dump(&vec![0u8; PREVIEW_BYTES * 2]);
        assert_eq!(dump.lines().count(), PREVIEW_BYTES / 16);
        assert!(dump.is_ascii());
    }

    #[test]
    fn empty_body_gives_an_empty_dump() {
        assert_eq!(hex_dump(b""), "");
    }
}
