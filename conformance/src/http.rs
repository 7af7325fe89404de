//! The little HTTP/1.1 the trigger URL convention needs: one JSON POST as a client, and
//! reading one such request as a server (the reference CSMS's trigger API). Messages are
//! bounded by [`MAX_MESSAGE`]; connections are closed after one exchange.

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

/// The largest HTTP message (head and body) read, in bytes.
pub(crate) const MAX_MESSAGE: usize = 64 * 1024;

/// The most headers a message may have.
const MAX_HEADERS: usize = 32;

/// An HTTP answer: status and body text.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: String,
}

/// A request read by the server: method, path and body.
#[derive(Debug)]
pub(crate) struct Request {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) body: Vec<u8>,
}

/// POSTs `body` as JSON to an `http://host[:port]/path` URL and reads the answer.
pub(crate) async fn post_json(url: &str, body: &str) -> Result<Answer, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or("only http:// trigger URLs are supported")?;
    let (authority, path) = match rest.find('/') {
        Some(at) => rest.split_at(at),
        None => (rest, "/"),
    };
    let address = if authority.contains(':') {
        authority.to_owned()
    } else {
        format!("{authority}:80")
    };
    let mut stream = TcpStream::connect(&address)
        .await
        .map_err(|e| format!("connecting to {address}: {e}"))?;
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream
        .write_all(format!("{head}{body}").as_bytes())
        .await
        .map_err(|e| format!("sending: {e}"))?;
    let mut raw = Vec::new();
    (&mut stream)
        .take(MAX_MESSAGE as u64)
        .read_to_end(&mut raw)
        .await
        .map_err(|e| format!("reading the answer: {e}"))?;
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut response = httparse::Response::new(&mut headers);
    let head_len = match response.parse(&raw) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Err("the answer ended inside its head".into()),
        Err(e) => return Err(format!("not an HTTP answer: {e}")),
    };
    Ok(Answer {
        status: response.code.unwrap_or_default(),
        body: String::from_utf8_lossy(&raw[head_len..]).into_owned(),
    })
}

/// Reads one request (head and `Content-Length` body) of at most [`MAX_MESSAGE`] bytes.
pub(crate) async fn read_request<S: AsyncRead + Unpin>(stream: &mut S) -> Result<Request, u16> {
    let mut raw = Vec::with_capacity(1024);
    let mut chunk = [0; 4096];
    loop {
        let n = stream.read(&mut chunk).await.map_err(|_| 400_u16)?;
        if n == 0 {
            return Err(400);
        }
        raw.extend_from_slice(&chunk[..n]);
        if raw.len() > MAX_MESSAGE {
            return Err(413);
        }
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut request = httparse::Request::new(&mut headers);
        let head_len = match request.parse(&raw) {
            Ok(httparse::Status::Complete(n)) => n,
            Ok(httparse::Status::Partial) => continue,
            Err(_) => return Err(400),
        };
        let length = request
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case("content-length"))
            .map(|h| {
                std::str::from_utf8(h.value)
                    .ok()
                    .and_then(|v| v.trim().parse().ok())
            })
            .unwrap_or(Some(0))
            .ok_or(400_u16)?;
        if head_len + length > MAX_MESSAGE {
            return Err(413);
        }
        if raw.len() < head_len + length {
            continue;
        }
        return Ok(Request {
            method: request.method.unwrap_or_default().to_owned(),
            path: request.path.unwrap_or_default().to_owned(),
            body: raw[head_len..head_len + length].to_vec(),
        });
    }
}

/// Writes a complete answer with a JSON (or plain) body and closes the write side.
pub(crate) async fn write_answer<S: AsyncWrite + Unpin>(
    stream: &mut S,
    status: u16,
    body: &str,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Content Too Large",
        502 => "Bad Gateway",
        504 => "Gateway Timeout",
        _ => "Error",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(format!("{head}{body}").as_bytes()).await?;
    stream.shutdown().await
}
