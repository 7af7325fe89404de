//! The `proxy_upgrade` target: the bytes a station sends the proxy before the WebSocket
//! handshake, through the proxy's reading of the request head and its parsing of the upgrade.

use crate::proxy::{head_state, parse_upgrade, read_head, Head};

/// A station's first bytes: reading the head never panics and stops at the first blank
/// line or the size limit; an upgrade parsed from it names a non-empty identity without `/`
/// or `?`, forwarded as a path segment without them, that percent-decodes to that identity.
pub fn proxy_upgrade(data: &[u8]) {
    let mut stream = data;
    let read = futures_util::FutureExt::now_or_never(read_head(&mut stream))
        .expect("reading from memory never waits");
    let head = match read {
        Ok(head) => head,
        Err(_) => {
            // Given up: the bytes ran out, or the limit was passed, before a blank line.
            let consumed = data.len() - stream.len();
            assert_ne!(head_state(&data[..consumed]), Head::Complete);
            return;
        }
    };
    assert!(data.starts_with(&head));
    assert_eq!(head_state(&head), Head::Complete);
    let Some(upgrade) = parse_upgrade(&head) else {
        return;
    };
    for text in [&upgrade.identity, &upgrade.segment] {
        assert!(!text.is_empty(), "{upgrade:?}");
        assert!(!text.contains(['/', '?']), "{upgrade:?}");
    }
    assert_eq!(
        crate::csms::identity(&upgrade.segment).as_ref(),
        Some(&upgrade.identity)
    );
}
