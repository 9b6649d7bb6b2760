//! The nginx configuration syntax tree: files of directives, each with its arguments, its block
//! and the spans it was read from. Built by [`super::parser`], read by the fact walker and later
//! by the model.

use serde::{Deserialize, Serialize};

use crate::span::Span;

/// One configuration file (or fragment) as parsed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConfigFile {
    /// The file name (`nginx -T` header, `cat FILE`, the paste's name), when known.
    pub file: Option<String>,
    /// Top-level directives, in the order written.
    pub directives: Vec<Directive>,
}

/// One directive: `name args...;` or `name args... { block }`.
///
/// Children of `map`, `geo`, `types`, `split_clients`, `charset_map` and `match` blocks are not
/// directives for nginx but are stored the same way (`"~*bot" 1;` has name `~*bot`, args `["1"]`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Directive {
    /// The name as written (quotes removed, escapes processed).
    pub name: String,
    /// Arguments, quotes removed and escapes (`\"`, `\'`, `\\`, `\t`, `\r`, `\n`) processed;
    /// other backslashes (regexes such as `\.php$`) are kept.
    pub args: Vec<String>,
    /// The block's children, for block directives (`server {}`); `None` for simple ones.
    pub block: Option<Vec<Directive>>,
    /// Paste-relative span from the name through the closing `;` or `}` (or the last token read
    /// when the directive is not terminated).
    pub span: Span,
    /// Paste-relative span of the name token.
    pub name_span: Span,
    /// For opaque blocks (`content_by_lua_block` and every other `*_block` directive): the
    /// paste-relative span of the raw text between the braces. Their `block` is `Some(empty)`.
    pub opaque: Option<Span>,
}

impl Directive {
    /// The block's children (empty for a simple directive).
    pub fn children(&self) -> &[Directive] {
        self.block.as_deref().unwrap_or(&[])
    }

    /// The argument at `index`, if present.
    pub fn arg(&self, index: usize) -> Option<&str> {
        self.args.get(index).map(String::as_str)
    }

    /// True for a block directive.
    pub fn is_block(&self) -> bool {
        self.block.is_some()
    }
}

impl ConfigFile {
    /// Every directive of the file in document order (pre-order), with its depth (0 for top-level).
    /// Iterative: deep nesting cannot overflow the stack.
    pub fn iter(&self) -> impl Iterator<Item = (usize, &Directive)> + '_ {
        let mut stack: Vec<std::slice::Iter<'_, Directive>> = vec![self.directives.iter()];
        std::iter::from_fn(move || {
            loop {
                let depth = stack.len().checked_sub(1)?;
                match stack.last_mut()?.next() {
                    Some(directive) => {
                        if let Some(block) = &directive.block {
                            stack.push(block.iter());
                        }
                        return Some((depth, directive));
                    }
                    None => {
                        stack.pop();
                    }
                }
            }
        })
    }
}
