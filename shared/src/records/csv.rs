//! CSV for the records export: RFC 4180 (comma-separated, CRLF line ends, a field quoted when it
//! holds a comma, quote, CR or LF, quotes doubled), UTF-8, with an optional byte-order mark for
//! spreadsheets that need one to read UTF-8.
//!
//! A text cell that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a
//! tab or a CR) gets a leading `'`, so that a visitor's name like `=HYPERLINK(…)` stays text
//! (OWASP "CSV injection"). Numbers the export writes itself are not text cells.

/// The byte-order mark written first when the export asks for it.
pub const BOM: &str = "\u{feff}";

/// One cell of a row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    /// Nothing.
    Empty,
    /// Text from people or stored data: neutralised and quoted as needed.
    Text(&'a str),
    /// An integer the export computed.
    Int(i64),
    /// A decimal the export computed, written with `decimals` places.
    Decimal(f64, usize),
}

/// Appends one row (with its CRLF) to `out`.
pub fn write_row(out: &mut String, cells: &[Cell<'_>]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match *cell {
            Cell::Empty => {}
            Cell::Text(text) => write_text(out, text),
            Cell::Int(n) => out.push_str(&n.to_string()),
            Cell::Decimal(x, places) if x.is_finite() => {
                out.push_str(&format!("{x:.places$}"));
            }
            Cell::Decimal(..) => {}
        }
    }
    out.push_str("\r\n");
}

/// One row as a string.
pub fn row(cells: &[Cell<'_>]) -> String {
    let mut out = String::new();
    write_row(&mut out, cells);
    out
}

fn write_text(out: &mut String, text: &str) {
    let formula = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = formula || text.contains([',', '"', '\r', '\n']);
    if quote {
        out.push('"');
    }
    if formula {
        out.push('\'');
    }
    for ch in text.chars() {
        if ch == '"' {
            out.push('"');
        }
        out.push(ch);
    }
    if quote {
        out.push('"');
    }
}

/// Parses CSV text written by [`write_row`] back into rows of fields (for tests and for checking
/// an export): quoted fields, doubled quotes, CRLF or LF line ends. A leading BOM is skipped.
pub fn parse(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        if quoted {
            match ch {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                _ => field.push(ch),
            }
            continue;
        }
        match ch {
            '"' => quoted = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            _ => field.push(ch),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_fields_are_written_as_they_are() {
        assert_eq!(
            row(&[
                Cell::Text("Maria"),
                Cell::Int(3),
                Cell::Empty,
                Cell::Decimal(4.25, 1)
            ]),
            "Maria,3,,4.2\r\n"
        );
        assert_eq!(row(&[Cell::Int(-5)]), "-5\r\n", "numbers are not formulas");
        assert_eq!(row(&[Cell::Decimal(f64::NAN, 2)]), "\r\n");
    }

    #[test]
    fn commas_quotes_and_newlines_are_quoted() {
        assert_eq!(row(&[Cell::Text("Silva, Maria")]), "\"Silva, Maria\"\r\n");
        assert_eq!(row(&[Cell::Text("say \"hi\"")]), "\"say \"\"hi\"\"\"\r\n");
        assert_eq!(
            row(&[Cell::Text("line 1\nline 2")]),
            "\"line 1\nline 2\"\r\n"
        );
        assert_eq!(row(&[Cell::Text("a\r\nb")]), "\"a\r\nb\"\r\n");
    }

    #[test]
    fn formula_like_cells_are_neutralised() {
        for cell in ["=1+1", "+55 11 9999", "-2", "@SUM(A1)", "\tx", "\rx"] {
            let written = row(&[Cell::Text(cell)]);
            let parsed = parse(&written);
            assert_eq!(
                parsed,
                vec![vec![format!("'{cell}")]],
                "{cell:?} → {written:?}"
            );
        }
        assert_eq!(
            row(&[Cell::Text("=HYPERLINK(\"http://x\",\"y\")")]),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\r\n"
        );
        // Only a leading character makes a formula.
        assert_eq!(row(&[Cell::Text("a=b")]), "a=b\r\n");
    }

    #[test]
    fn chinese_and_other_scripts_pass_through_and_parse_back() {
        let cells = [
            "王小明",
            "我的卡被扣了两次，请帮忙",
            "José, São Paulo",
            "Ñandú \"ñ\"",
        ];
        let mut out = String::from(BOM);
        write_row(&mut out, &cells.map(Cell::Text));
        write_row(
            &mut out,
            &[Cell::Text("x"), Cell::Empty, Cell::Int(7), Cell::Text("")],
        );
        let parsed = parse(&out);
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0], cells.map(String::from).to_vec());
        assert_eq!(parsed[1], ["x", "", "7", ""].map(String::from).to_vec());
        assert!(out.starts_with('\u{feff}'));
    }
}
