//! Transparent gzip: an input whose first bytes are the gzip magic number is decompressed
//! as it is read, whatever its name and also on standard input.

use std::io::{self, BufRead, BufReader};

use flate2::bufread::MultiGzDecoder;

/// The two bytes every gzip member starts with.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// The input as text lines: decompressed when it starts with the gzip magic number.
pub fn decompressed<'a, R: BufRead + 'a>(mut input: R) -> io::Result<Box<dyn BufRead + 'a>> {
    let head = loop {
        match input.fill_buf() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => break other?,
        }
    };
    // A buffer holding one byte only (a pipe delivering slowly) is not a gzip header yet;
    // gzip inputs are never that short.
    if head.starts_with(&GZIP_MAGIC) {
        Ok(Box::new(BufReader::new(MultiGzDecoder::new(input))))
    } else {
        Ok(Box::new(input))
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};

    use flate2::{write::GzEncoder, Compression};

    use super::*;

    fn read_all(bytes: &[u8]) -> String {
        let mut text = String::new();
        decompressed(bytes)
            .and_then(|mut r| r.read_to_string(&mut text))
            .expect("readable");
        text
    }

    #[test]
    fn gzip_is_decompressed_and_plain_text_passes_through() {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
        encoder
            .write_all(b"[2,\"1\",\"Heartbeat\",{}]\n")
            .expect("in memory");
        let packed = encoder.finish().expect("in memory");
        assert_eq!(read_all(&packed), "[2,\"1\",\"Heartbeat\",{}]\n");
        assert_eq!(read_all(b"plain\n"), "plain\n");
    }

    #[test]
    fn a_corrupt_gzip_stream_is_an_error_not_a_panic() {
        let mut reader = decompressed(&[0x1f, 0x8b, 0, 1, 2, 3][..]).expect("header seen");
        assert!(reader.read_to_string(&mut String::new()).is_err());
    }
}
