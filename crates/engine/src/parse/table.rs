//! Column tables as CLI tools print them (`docker ps`, `docker compose ps`, `kubectl get`, the
//! tables inside `kubectl describe`): Go's tabwriter pads every column to its widest cell plus
//! two or three spaces, so the header's word positions are the column starts.
//!
//! Cells are found from the header positions, not by splitting on spaces, so that empty cells
//! (`PORTS` of a container that publishes nothing, `ENDPOINTS` of a service without any) and
//! cells holding spaces (`Up 3 hours (healthy)`, `5 (2m ago)`) land in the right column. When
//! a row does not line up with its header (spacing altered in the paste) and has exactly one
//! token per column, the tokens are taken in order instead. Columns are counted in characters,
//! so `…` (a truncation mark, three bytes) counts as one.

/// A piece of a line between runs of two or more spaces (or tabs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    /// The text, without surrounding blanks.
    pub text: &'a str,
    /// Character column of its first character.
    pub col: usize,
    /// Byte range in the line.
    pub start: usize,
    /// End of the byte range in the line.
    pub end: usize,
}

/// Splits `line` at runs of two or more spaces and at tabs.
pub fn tokens(line: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut current: Option<(usize, usize)> = None; // (byte start, char col)
    let mut last_non_blank_end = 0;
    let mut gap = 0usize; // spaces seen since the last non-blank character
    for (col, (i, c)) in line.char_indices().enumerate() {
        if c == ' ' || c == '\t' {
            gap += if c == '\t' { 2 } else { 1 };
            if gap >= 2
                && let Some((start, start_col)) = current.take()
            {
                out.push(Token {
                    text: &line[start..last_non_blank_end],
                    col: start_col,
                    start,
                    end: last_non_blank_end,
                });
            }
            continue;
        }
        gap = 0;
        if current.is_none() {
            current = Some((i, col));
        }
        last_non_blank_end = i + c.len_utf8();
    }
    if let Some((start, start_col)) = current {
        out.push(Token {
            text: &line[start..last_non_blank_end],
            col: start_col,
            start,
            end: last_non_blank_end,
        });
    }
    out
}

/// Column names made of two words (kept together when a header's spacing was collapsed).
const TWO_WORD_COLUMNS: &[&str] = &[
    "CONTAINER ID",
    "NOMINATED NODE",
    "READINESS GATES",
    "LAST SEEN",
    "FIRST SEEN",
    "NODE SELECTOR",
    "CREATED AT",
    "RUNNING FOR",
    "ACCESS MODES",
    "POD ID",
    "LOCAL VOLUMES",
    "NETWORK ID",
];

/// One column: its name and the character column where its cells start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// Header text, e.g. `PORTS`, `CONTAINER ID`.
    pub name: String,
    /// Character column of the header word.
    pub col: usize,
}

/// A table header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// The columns, left to right.
    pub columns: Vec<Column>,
    /// True when the header's words were separated by single spaces (rows are then split on
    /// whitespace, in order).
    pub collapsed: bool,
}

impl Table {
    /// Reads a header line. Words separated by single spaces form one column name when they are
    /// a known two-word name, or when the rest of the header is spaced by two or more.
    pub fn from_header(line: &str) -> Option<Table> {
        let toks = tokens(line);
        if toks.is_empty() {
            return None;
        }
        let collapsed = toks.len() == 1 && toks[0].text.contains(' ');
        let mut columns = Vec::new();
        for tok in &toks {
            let multi = tok.text.contains(' ');
            if !multi || (!collapsed && (toks.len() > 1 || TWO_WORD_COLUMNS.contains(&tok.text))) {
                columns.push(Column {
                    name: tok.text.to_string(),
                    col: tok.col,
                });
                continue;
            }
            // Collapsed header: split into words, re-joining known two-word names.
            let mut words: Vec<(usize, &str)> = Vec::new();
            let mut col = tok.col;
            for word in tok.text.split(' ') {
                if !word.is_empty() {
                    words.push((col, word));
                }
                col += word.chars().count() + 1;
            }
            let mut i = 0;
            while i < words.len() {
                let (col, word) = words[i];
                if let Some(&(_, next)) = words.get(i + 1) {
                    let pair = format!("{word} {next}");
                    if TWO_WORD_COLUMNS.contains(&pair.as_str()) {
                        columns.push(Column { name: pair, col });
                        i += 2;
                        continue;
                    }
                }
                columns.push(Column {
                    name: word.to_string(),
                    col,
                });
                i += 1;
            }
        }
        Some(Table { columns, collapsed })
    }

    /// Index of the column named `name` (exact, case-sensitive).
    pub fn index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// True when a column is named `name`.
    pub fn has(&self, name: &str) -> bool {
        self.index(name).is_some()
    }

    /// The column names.
    pub fn names(&self) -> Vec<&str> {
        self.columns.iter().map(|c| c.name.as_str()).collect()
    }

    /// The cells of a row, one per column (`""` for an empty cell).
    pub fn cells<'a>(&self, line: &'a str) -> Vec<&'a str> {
        let n = self.columns.len();
        let mut cells: Vec<&'a str> = vec![""; n];
        if n == 0 {
            return cells;
        }
        if self.collapsed {
            return in_order(line, n);
        }
        let toks = tokens(line);
        // Positional: each token goes to the last column starting at or before it.
        let mut ranges: Vec<Option<(usize, usize, usize)>> = vec![None; n]; // (byte start, byte end, first col)
        for tok in &toks {
            let index = self.columns.iter().rposition(|c| c.col <= tok.col).unwrap_or(0);
            ranges[index] = Some(match ranges[index] {
                None => (tok.start, tok.end, tok.col),
                Some((start, _, col)) => (start, tok.end, col),
            });
        }
        let aligned = ranges
            .iter()
            .zip(&self.columns)
            .all(|(r, c)| r.is_none_or(|(_, _, col)| col == c.col));
        if !aligned && toks.len() == n {
            for (cell, tok) in cells.iter_mut().zip(&toks) {
                *cell = tok.text;
            }
            return cells;
        }
        for (cell, range) in cells.iter_mut().zip(ranges) {
            if let Some((start, end, _)) = range {
                *cell = line.get(start..end).unwrap_or("");
            }
        }
        cells
    }
}

/// Splits on whitespace in order; the last column takes the rest of the line.
fn in_order(line: &str, n: usize) -> Vec<&str> {
    let mut cells = vec![""; n];
    let mut rest = line.trim();
    for (i, cell) in cells.iter_mut().enumerate() {
        if rest.is_empty() {
            break;
        }
        if i + 1 == n {
            *cell = rest;
            break;
        }
        let end = rest.find([' ', '\t']).unwrap_or(rest.len());
        *cell = &rest[..end];
        rest = rest[end..].trim_start();
    }
    cells
}

/// True for a line of dashes (and spaces): the rule under a header (`----  ------`, `-----`).
pub fn is_rule(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 3 && t.chars().all(|c| matches!(c, '-' | ' ' | '\t' | '+' | '=')) && t.contains("--")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cells_by_header_position() {
        let header = "CONTAINER ID   IMAGE          COMMAND                  CREATED        STATUS                  PORTS                                   NAMES";
        let row = "3f2a1b9c8d7e   nginx:1.25     \"/docker-entrypoint.…\"   2 hours ago    Up 2 hours (healthy)    0.0.0.0:8080->80/tcp, :::8080->80/tcp   web";
        let empty_ports = "9a8b7c6d5e4f   php:8.3-fpm    \"docker-php-entrypoi…\"   2 hours ago    Exited (137) 1 min ago                                          php";
        let table = Table::from_header(header).unwrap();
        assert_eq!(table.columns.len(), 7);
        assert_eq!(table.columns[0].name, "CONTAINER ID");
        let cells = table.cells(row);
        assert_eq!(cells[2], "\"/docker-entrypoint.…\"");
        assert_eq!(cells[4], "Up 2 hours (healthy)");
        assert_eq!(cells[5], "0.0.0.0:8080->80/tcp, :::8080->80/tcp");
        assert_eq!(cells[6], "web");
        let cells = table.cells(empty_ports);
        assert_eq!(cells[4], "Exited (137) 1 min ago");
        assert_eq!(cells[5], "");
        assert_eq!(cells[6], "php");
    }

    #[test]
    fn misaligned_rows_with_one_token_per_column_go_in_order() {
        let table = Table::from_header("NAME   READY   STATUS   RESTARTS   AGE").unwrap();
        let cells = table.cells("web-1  1/1  Running  0  3m");
        assert_eq!(cells, vec!["web-1", "1/1", "Running", "0", "3m"]);
    }

    #[test]
    fn collapsed_headers_split_into_words() {
        let table = Table::from_header("CONTAINER ID IMAGE STATUS NAMES").unwrap();
        assert!(table.collapsed);
        assert_eq!(table.names(), vec!["CONTAINER ID", "IMAGE", "STATUS", "NAMES"]);
        let table = Table::from_header("NAME READY STATUS RESTARTS AGE").unwrap();
        assert_eq!(table.cells("web-1 1/1 Running 0 3m")[4], "3m");
    }

    #[test]
    fn tabs_separate_tokens() {
        let toks = tokens("  Host\t\tPath\tBackends");
        let texts: Vec<_> = toks.iter().map(|t| t.text).collect();
        assert_eq!(texts, vec!["Host", "Path", "Backends"]);
        assert!(is_rule("  ----  ------  ---"));
        assert!(!is_rule("- a"));
    }
}
