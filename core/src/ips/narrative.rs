//! The human-readable XHTML every IPS section carries (`text.div`). Everything from the patient is
//! escaped: a medication called `<script>` must read as text in every receiver.

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A table with a header row; cells are escaped here.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let head: String = headers.iter().map(|h| format!("<th>{}</th>", escape(h))).collect();
    let body: String = rows
        .iter()
        .map(|row| format!("<tr>{}</tr>", row.iter().map(|c| format!("<td>{}</td>", escape(c))).collect::<String>()))
        .collect();
    div(&format!("<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"))
}

pub fn paragraph(text: &str) -> String {
    div(&format!("<p>{}</p>", escape(text)))
}

/// Headed lists: one heading and a bulleted list per part (the SBAR).
pub fn headed_lists(parts: &[(&str, &[String])]) -> String {
    let body: String = parts
        .iter()
        .map(|(heading, items)| {
            let items: String = items.iter().map(|i| format!("<li>{}</li>", escape(i))).collect();
            format!("<h3>{}</h3><ul>{items}</ul>", escape(heading))
        })
        .collect();
    div(&body)
}

const OPEN: &str = r#"<div xmlns="http://www.w3.org/1999/xhtml">"#;

fn div(inner: &str) -> String {
    format!("{OPEN}{inner}</div>")
}

/// `div` marked as written in `language` (`lang` for HTML readers, `xml:lang` for XML ones), so a
/// receiver's screen reader reads a Spanish narrative in Spanish whatever its own language.
pub fn with_language(div: &str, language: &str) -> String {
    match div.strip_prefix(OPEN) {
        Some(rest) => {
            let language = escape(language);
            format!(r#"<div xmlns="http://www.w3.org/1999/xhtml" lang="{language}" xml:lang="{language}">{rest}"#)
        }
        None => div.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_in_patient_text_is_escaped() {
        let html = super::table(&["Name"], &[vec!["<img src=x onerror=alert(1)>".into()]]);
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(!html.contains("<img"));
    }
}
