//! The HTML report: one self-contained page (inline CSS, script and SVG; nothing fetched)
//! that draws its data in the browser. The data is JSON inside the page, so that what is
//! drawn is what the JSON formats say; `ocpp-conformance run --format html` writes its case
//! reports with the same page.

use serde::Serialize;

use crate::report::Report;

const STYLE: &str = include_str!("html/page.css");
const SCRIPT: &str = include_str!("html/page.js");

/// The data of a page: what it is (`trace` or `run`), its title, and the rest of its members.
#[derive(Serialize)]
struct Page<'a, T: Serialize> {
    kind: &'a str,
    title: &'a str,
    #[serde(flatten)]
    data: &'a T,
}

/// The page of a trace report, titled `title`.
pub fn report(report: &Report, title: &str) -> String {
    page("trace", title, report)
}

/// A page of `kind` (`trace` or `run`, the two views the script draws) over `data`.
pub fn page<T: Serialize>(kind: &str, title: &str, data: &T) -> String {
    let json = serde_json::to_string(&Page { kind, title, data })
        .unwrap_or_else(|e| format!("{{\"kind\":\"error\",\"title\":{:?}}}", e.to_string()));
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n\
         <script type=\"application/json\" id=\"report-data\">{}</script>\n\
         <script>\n{SCRIPT}</script>\n</body>\n</html>\n",
        escape(title),
        script_safe(&json),
    )
}

/// Text for an HTML element.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// JSON that cannot end the script element holding it: every `<` written as `\u003c`
/// (outside strings JSON has none), so no `</script>` or `<!--` appears in it.
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_that_names_the_closing_tag_stays_inside_its_script() {
        let html = page(
            "trace",
            "a < b",
            &serde_json::json!({"x": "</script><script>alert(1)"}),
        );
        assert_eq!(html.matches("</script>").count(), 2, "{html}");
        assert!(html.contains("<title>a &lt; b</title>"));
        let start = html.find("id=\"report-data\">").unwrap() + 17;
        let end = start + html[start..].find("</script>").unwrap();
        let data: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
        assert_eq!(data["x"], "</script><script>alert(1)");
        assert_eq!(data["kind"], "trace");
    }
}
