//! URLs with their credentials and query values replaced: `ftp://user:pw@host/fw.bin?token=x`
//! keeps its scheme, host, port, path and query names; the user, the password and each query
//! value get pseudonyms of the same shape (so the URL keeps its length).

/// `url` with its user information and query values replaced by `pseudonym` of each.
pub(crate) fn anonymized(url: &str, mut pseudonym: impl FnMut(&str) -> String) -> String {
    let (before_fragment, fragment) = match url.split_once('#') {
        Some((before, fragment)) => (before, Some(fragment)),
        None => (url, None),
    };
    let (base, query) = match before_fragment.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (before_fragment, None),
    };
    let mut out = match base.split_once("://") {
        Some((scheme, rest)) => {
            let authority_end = rest.find('/').unwrap_or(rest.len());
            let (authority, path) = rest.split_at(authority_end);
            match authority.rsplit_once('@') {
                Some((userinfo, host)) => {
                    let userinfo: Vec<String> = userinfo.split(':').map(&mut pseudonym).collect();
                    format!("{scheme}://{}@{host}{path}", userinfo.join(":"))
                }
                None => base.to_owned(),
            }
        }
        None => base.to_owned(),
    };
    if let Some(query) = query {
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((name, value)) => format!("{name}={}", pseudonym(value)),
                None => pair.to_owned(),
            })
            .collect();
        out.push('?');
        out.push_str(&pairs.join("&"));
    }
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(part: &str) -> String {
        "x".repeat(part.len())
    }

    #[test]
    fn credentials_and_query_values_are_replaced_the_rest_kept() {
        assert_eq!(
            anonymized(
                "ftp://admin:s3cret@files.example.com:21/fw/v2.bin?token=abc&x#top",
                masked
            ),
            "ftp://xxxxx:xxxxxx@files.example.com:21/fw/v2.bin?token=xxx&x#top"
        );
        assert_eq!(
            anonymized("https://example.com/logs", masked),
            "https://example.com/logs"
        );
        assert_eq!(anonymized("not a url?a=b", masked), "not a url?a=x");
        assert_eq!(anonymized("", masked), "");
    }
}
