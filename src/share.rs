//! The session packed into text: JSON, raw DEFLATE (`miniz_oxide`), base64url. Share links carry
//! it in the URL fragment (`#s1=...`), which browsers never send to a server; local storage
//! keeps the same text. Runs in the worker.

use engine::{Answers, Paste};
use miniz_oxide::deflate::compress_to_vec;
use miniz_oxide::inflate::decompress_to_vec_with_limit;
use serde::Serialize;

use crate::session::Saved;

/// The fragment prefix: the format's version.
pub const PREFIX: &str = "s1=";
/// The longest fragment a share link may have. Browsers take more, but chat tools, ticket
/// systems and mail clients cut long links.
pub const LINK_LIMIT: usize = 100_000;
/// The most a packed session may inflate to (a guard against hostile links).
const MAX_INFLATED: usize = 256 << 20;

/// DEFLATE level for share links (small, made once).
pub const LINK_LEVEL: u8 = 9;
/// DEFLATE level for local storage (made after every change; large pastes must stay quick).
pub const STORE_LEVEL: u8 = 1;

/// Packs a session: `s1=` + base64url(deflate(json)).
pub fn encode(saved: &Saved, level: u8) -> String {
    encode_parts(&saved.pastes, &saved.answers, level)
}

/// [`encode`] from borrowed parts (the worker keeps its pastes); empty pastes are left out.
pub fn encode_parts(pastes: &[Paste], answers: &Answers, level: u8) -> String {
    #[derive(Serialize)]
    struct SavedRef<'a> {
        pastes: Vec<&'a Paste>,
        answers: &'a Answers,
    }
    let saved = SavedRef {
        pastes: pastes.iter().filter(|p| !p.text.is_empty()).collect(),
        answers,
    };
    let json = serde_json::to_vec(&saved).unwrap_or_default();
    let packed = compress_to_vec(&json, level);
    let mut out = String::with_capacity(PREFIX.len() + packed.len() * 4 / 3 + 4);
    out.push_str(PREFIX);
    base64url_encode(&packed, &mut out);
    out
}

/// Unpacks a session (with or without a leading `#`).
pub fn decode(data: &str) -> Result<Saved, String> {
    let data = data.trim().trim_start_matches('#');
    let body = data
        .strip_prefix(PREFIX)
        .ok_or_else(|| "This is not a Gateway Doctor link (it does not start with #s1=).".to_string())?;
    let packed = base64url_decode(body)
        .ok_or_else(|| "This link is damaged: it holds characters a link of ours never has.".to_string())?;
    let json = decompress_to_vec_with_limit(&packed, MAX_INFLATED)
        .map_err(|_| "This link is incomplete or damaged (it may have been cut when it was copied).".to_string())?;
    serde_json::from_slice(&json).map_err(|e| format!("This link's content cannot be read: {e}"))
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url_encode(bytes: &[u8], out: &mut String) {
    for chunk in bytes.chunks(3) {
        let n = match chunk.len() {
            3 => (chunk[0] as u32) << 16 | (chunk[1] as u32) << 8 | chunk[2] as u32,
            2 => (chunk[0] as u32) << 16 | (chunk[1] as u32) << 8,
            _ => (chunk[0] as u32) << 16,
        };
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
}

fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for b in text.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            b'=' => continue,
            _ => return None,
        };
        acc = acc << 6 | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::{Kind, Paste};

    fn sample() -> Saved {
        let mut saved = Saved::default();
        saved
            .pastes
            .push(Paste::new("error.log", "2026/11/21 10:00:00 [crit] x\n".repeat(50)));
        saved
            .pastes
            .push(Paste::new("paste-2", "listen 80;").with_piece_kind(0, Kind::NginxConfig));
        saved.answers.insert("layer".into(), "nginx".into());
        saved
    }

    #[test]
    fn round_trips_and_compresses() {
        let saved = sample();
        let packed = encode(&saved, LINK_LEVEL);
        assert!(packed.starts_with("s1="));
        assert!(packed.len() < 300, "{} chars", packed.len());
        assert!(
            packed[3..]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_eq!(decode(&packed).unwrap(), saved);
        assert_eq!(decode(&format!("#{packed}")).unwrap(), saved);
        assert_eq!(decode(&encode(&saved, STORE_LEVEL)).unwrap(), saved);
    }

    #[test]
    fn base64url_round_trips_every_length() {
        for n in 0..40u8 {
            let bytes: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37).wrapping_add(n)).collect();
            let mut s = String::new();
            base64url_encode(&bytes, &mut s);
            assert_eq!(base64url_decode(&s).unwrap(), bytes, "length {n}");
        }
    }

    #[test]
    fn damaged_links_say_why() {
        let packed = encode(&sample(), LINK_LEVEL);
        assert!(decode("#kb").unwrap_err().contains("not a Gateway Doctor link"));
        assert!(decode("s1=abc$").unwrap_err().contains("damaged"));
        assert!(decode(&packed[..packed.len() / 2]).unwrap_err().contains("incomplete"));
    }
}
