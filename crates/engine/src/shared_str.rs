//! [`SharedStr`]: a string slice that shares one allocation with the other values read from the
//! same text, so that a fact with a dozen string fields costs one allocation instead of a dozen.

use std::fmt;
use std::ops::Deref;
use std::rc::Rc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A slice of a reference-counted text: reads, compares, hashes, prints and serialises as the
/// `str` it holds. Cloning it copies no text.
#[derive(Clone)]
pub struct SharedStr {
    /// The whole text: an `Rc` (the engine runs on one thread, and an event's dozen fields
    /// each count a reference: no atomic operations) of a `String` rather than a `str` (a
    /// thin pointer keeps a `SharedStr` at 16 bytes).
    source: Rc<String>,
    start: u32,
    end: u32,
}

impl SharedStr {
    /// The text `source`, whole.
    pub fn new(source: Rc<String>) -> Self {
        let end = offset(source.len());
        SharedStr { source, start: 0, end }
    }

    /// `part` as a part of this text, sharing its allocation, when `part` is a slice of it
    /// (found by address: the same bytes, not equal ones).
    #[inline]
    pub fn slice_of(&self, part: &str) -> Option<SharedStr> {
        // Offsets are computed from addresses, without slicing: a parser asks this for every
        // field of every line.
        let len = (self.end - self.start) as usize;
        let at = (part.as_ptr() as usize).wrapping_sub(self.source.as_ptr() as usize + self.start as usize);
        if at > len || part.len() > len - at {
            return None;
        }
        // Both fit in 32 bits: they lie within `start..end`. A `str` inside the text starts and
        // ends on its character boundaries.
        let start = self.start + at as u32;
        Some(SharedStr {
            source: Rc::clone(&self.source),
            start,
            end: start + part.len() as u32,
        })
    }

    /// The text as a `str`.
    pub fn as_str(&self) -> &str {
        &self.source[self.start as usize..self.end as usize]
    }
}

/// `n` in 32 bits, capped: a text beyond 4 GiB is cut (no paste comes near).
fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Deref for SharedStr {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl Default for SharedStr {
    /// The empty text, one allocation for all.
    fn default() -> Self {
        thread_local! {
            static EMPTY: Rc<String> = Rc::new(String::new());
        }
        EMPTY.with(|empty| SharedStr::new(Rc::clone(empty)))
    }
}

impl From<&str> for SharedStr {
    fn from(text: &str) -> Self {
        SharedStr::new(Rc::new(text.to_owned()))
    }
}

impl From<String> for SharedStr {
    fn from(text: String) -> Self {
        SharedStr::new(Rc::new(text))
    }
}

impl From<SharedStr> for String {
    fn from(text: SharedStr) -> Self {
        text.as_str().to_string()
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl PartialEq for SharedStr {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SharedStr {}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for SharedStr {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialOrd for SharedStr {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SharedStr {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::hash::Hash for SharedStr {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl Serialize for SharedStr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for SharedStr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(SharedStr::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_prints_and_serialises_as_its_text() {
        let text = SharedStr::from("client: 10.0.0.1, server: a");
        let client = text.slice_of(&text[8..16]).unwrap();
        assert_eq!(client, "10.0.0.1");
        assert_eq!(format!("{client:?} {client}"), "\"10.0.0.1\" 10.0.0.1");
        assert_eq!(serde_json::to_string(&client).unwrap(), "\"10.0.0.1\"");
        let back: SharedStr = serde_json::from_str("\"10.0.0.1\"").unwrap();
        assert_eq!(back, client);
    }

    #[test]
    fn a_slice_of_the_text_shares_it_and_an_equal_copy_does_not() {
        let text = SharedStr::from("2026/11/21 [error] client: 10.0.0.1");
        let client = &text[27..];
        let shared = text.slice_of(client).unwrap();
        assert_eq!(shared, "10.0.0.1");
        assert_eq!(Rc::strong_count(&text.source), 2);
        let part = shared.slice_of(&shared[3..]).unwrap();
        assert_eq!(part, "0.0.1");
        assert!(text.slice_of(&String::from(client)).is_none());
        assert_eq!(text.slice_of(&text[text.len()..]).unwrap(), "");
    }

    #[test]
    fn a_shared_str_is_two_words() {
        assert_eq!(std::mem::size_of::<Option<SharedStr>>(), 16);
    }
}
