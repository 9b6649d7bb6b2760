//! The session packed into text: JSON, raw DEFLATE (`miniz_oxide`), base64url. Share links carry
//! it in the URL fragment (`#s1=...`), which browsers never send to a server; local storage
//! keeps the same text. Runs in the worker.
//!
//! The JSON is written here and read back with the engine's own reader (`json_lite`), so the
//! wasm carries no JSON library (serde_json cost about 18 KB of it gzipped). Its shape is the
//! one links have had since `s1`: `{"pastes": [{"name", "text", "kind", "piece_kinds": [[offset,
//! kind]]}], "answers": {node: value}}`, kinds by id; a missing field reads as empty.

use engine::parse::json_lite::{self, JsonNode, JsonValue};
use engine::{Answers, Kind, Paste};
use miniz_oxide::deflate::compress_to_vec;
use miniz_oxide::inflate::decompress_to_vec_with_limit;

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
    let json = to_json(pastes.iter().filter(|p| !p.text.is_empty()), answers);
    let packed = compress_to_vec(json.as_bytes(), level);
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
    let json = String::from_utf8(json).map_err(|_| UNREADABLE.to_string())?;
    from_json(&json)
}

const UNREADABLE: &str = "This link's content cannot be read: it is not a session of Gateway Doctor.";

/// The session's JSON text.
fn to_json<'a>(pastes: impl Iterator<Item = &'a Paste>, answers: &Answers) -> String {
    let mut out = String::from("{\"pastes\":[");
    for (i, paste) in pastes.enumerate() {
        out.push_str(if i == 0 { "{\"name\":" } else { ",{\"name\":" });
        push_json_string(&mut out, &paste.name);
        out.push_str(",\"text\":");
        push_json_string(&mut out, &paste.text);
        out.push_str(",\"kind\":");
        match paste.kind {
            Some(kind) => push_json_string(&mut out, kind.id()),
            None => out.push_str("null"),
        }
        out.push_str(",\"piece_kinds\":[");
        for (j, (offset, kind)) in paste.piece_kinds.iter().enumerate() {
            out.push_str(if j == 0 { "[" } else { ",[" });
            out.push_str(&offset.to_string());
            out.push(',');
            push_json_string(&mut out, kind.id());
            out.push(']');
        }
        out.push_str("]}");
    }
    out.push_str("],\"answers\":{");
    for (i, (node, value)) in answers.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_string(&mut out, node);
        out.push(':');
        push_json_string(&mut out, value);
    }
    out.push_str("}}");
    out
}

/// Appends `text` as a JSON string: quotes, backslashes and control characters escaped.
fn push_json_string(out: &mut String, text: &str) {
    out.reserve(text.len() + 2);
    out.push('"');
    let mut plain = 0;
    for (i, b) in text.bytes().enumerate() {
        let escaped = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..0x20 => "",
            _ => continue,
        };
        out.push_str(&text[plain..i]);
        if escaped.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        } else {
            out.push_str(escaped);
        }
        plain = i + 1;
    }
    out.push_str(&text[plain..]);
    out.push('"');
}

/// The session from its JSON text. Strings are moved out of the read tree, not copied.
fn from_json(json: &str) -> Result<Saved, String> {
    let read = json_lite::read(json, 0);
    let root = match read.value {
        Some(JsonNode {
            value: JsonValue::Object(entries),
            ..
        }) if read.complete => entries,
        _ => return Err(UNREADABLE.to_string()),
    };
    let mut saved = Saved::default();
    for (key, node) in root {
        match (key.as_str(), node.value) {
            ("pastes", JsonValue::Array(items)) => {
                for item in items {
                    let JsonValue::Object(fields) = item.value else {
                        return Err(UNREADABLE.to_string());
                    };
                    saved.pastes.push(paste_from_json(fields));
                }
            }
            ("answers", JsonValue::Object(entries)) => {
                for (node, value) in entries {
                    if let JsonValue::String(value) = value.value {
                        saved.answers.insert(node, value);
                    }
                }
            }
            _ => {}
        }
    }
    Ok(saved)
}

/// One paste from its JSON fields; an unknown kind id (from a later version) reads as detected.
fn paste_from_json(fields: Vec<(String, JsonNode)>) -> Paste {
    let mut paste = Paste::default();
    for (key, node) in fields {
        match (key.as_str(), node.value) {
            ("name", JsonValue::String(name)) => paste.name = name,
            ("text", JsonValue::String(text)) => paste.text = text.into(),
            ("kind", JsonValue::String(kind)) => paste.kind = Kind::from_id(&kind),
            ("piece_kinds", JsonValue::Array(pieces)) => {
                paste.piece_kinds = pieces
                    .iter()
                    .filter_map(|piece| match piece.items() {
                        [offset, kind] => Some((offset.as_str()?.parse().ok()?, Kind::from_id(kind.as_str()?)?)),
                        _ => None,
                    })
                    .collect();
            }
            _ => {}
        }
    }
    paste
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
    fn any_text_survives_its_json() {
        let mut saved = sample();
        let text = "quote \" backslash \\ tab\t cr\r nul\0 bell\u{7} unit\u{1f} \u{2028} é 🙂 {\"a\": [1]}\n";
        saved.pastes.push(Paste::new("odd \"name\"", text));
        saved.pastes[1].kind = Some(Kind::NginxConfig);
        saved.answers.insert("a \"quoted\" node".into(), "line\nbreak".into());
        assert_eq!(
            from_json(&to_json(saved.pastes.iter(), &saved.answers)),
            Ok(saved.clone())
        );
        assert_eq!(decode(&encode(&saved, LINK_LEVEL)), Ok(saved.clone()));
        // serde's JSON of the same session (what links and storage held before) reads the same.
        assert_eq!(from_json(&serde_json::to_string(&saved).unwrap()), Ok(saved));
    }

    #[test]
    fn older_and_newer_sessions_read_what_they_can() {
        // Links made before `kind` and `piece_kinds` were always written leave them out.
        let old = r#"{"pastes":[{"name":"error.log","text":"a\nb"}],"answers":{"layer":"nginx"}}"#;
        let saved = from_json(old).unwrap();
        assert_eq!(saved.pastes, vec![Paste::new("error.log", "a\nb")]);
        assert_eq!(saved.answers.get("layer").map(String::as_str), Some("nginx"));
        // A later version's fields and kinds this build does not know are passed over.
        let newer = r#"{"v":2,"pastes":[{"name":"x","text":"t","kind":"from-the-future","piece_kinds":[[0,"nginx-config"],[5,"nope"]],"extra":{}}]}"#;
        let saved = from_json(newer).unwrap();
        assert_eq!(saved.pastes[0].kind, None);
        assert_eq!(saved.pastes[0].piece_kinds, vec![(0, Kind::NginxConfig)]);
        for bad in ["", "[]", "{\"pastes\":[1]}", "{\"pastes\":[{\"text\":\"cut"] {
            assert_eq!(from_json(bad), Err(UNREADABLE.to_string()), "{bad}");
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
