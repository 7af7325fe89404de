//! Command-line options through the binary: every out-of-range number is a usage error,
//! TLS files are checked up front and named, and Basic credentials come from the option, a
//! file or the environment, with one warning when they would cross plain `ws://`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;

fn cli() -> Command {
    Command::cargo_bin("ocpp-conformance").unwrap()
}

/// A scratch directory for one test, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("ocpp-cli-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    /// A self-signed certificate for `name` and its key, as `cert.pem` and `key.pem`.
    fn self_signed(&self, name: &str) -> (PathBuf, PathBuf) {
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(vec![name.to_owned()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        (
            self.file("cert.pem", &cert.pem()),
            self.file("key.pem", &key.serialize_pem()),
        )
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn out_of_range_numbers_are_usage_errors() {
    let trace = ["--target", "ws://127.0.0.1:1/ocpp", "--trace", "t.jsonl"];
    let cases: &[(&[&str], &str)] = &[
        (&["load", "--duration", "1e19s"], "--duration"),
        (&["load", "--duration", "366d"], "--duration"),
        (&["load", "--duration", "31622400s"], "--duration"),
        (&["load", "--interval", "1e19s"], "--interval"),
        (&["load", "--timeout", "1e19s"], "--timeout"),
        (&["load", "--stations", "0"], "--stations"),
        (&["load", "--stations", "4294967296"], "--stations"),
        (&["load", "--first", "4294967296"], "--first"),
        (&["load", "--ramp", "0"], "--ramp"),
        (&["load", "--ramp", "1e300"], "--ramp"),
        (&["load", "--ramp", "NaN"], "--ramp"),
        (&["load", "--connect-timeout", "1e19s"], "--connect-timeout"),
        (&["run", "--connect-timeout", "0s"], "--connect-timeout"),
        (&["run", "--connect-timeout=-1s"], "--connect-timeout"),
        (&["serve", "--max-connections", "0"], "--max-connections"),
        (
            &["serve", "--max-connections", "4294967296"],
            "--max-connections",
        ),
        (&["serve", "--idle-timeout", "1e19s"], "--idle-timeout"),
        (
            &["serve", "--handshake-timeout", "0"],
            "--handshake-timeout",
        ),
    ];
    for (args, flag) in cases {
        let output = cli().args(*args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(flag), "{args:?}: {stderr}");
    }
    for flag in ["--timeout-ms", "--delay-ms"] {
        let output = cli()
            .arg("replay")
            .args(trace)
            .args([flag, "31536000001"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{flag}: {stderr}");
        assert!(stderr.contains(flag), "{flag}: {stderr}");
    }
}

/// Runs `run` against an unreachable wss target with `args` and returns its stderr.
fn refused(args: &[&std::ffi::OsStr]) -> String {
    let run = [
        "run",
        "--suite",
        "v16",
        "--target",
        "wss://127.0.0.1:1/ocpp",
    ];
    usage_error(&run, args)
}

/// Runs the command `command` with `args`, a usage error that writes nothing to stdout, and
/// returns its stderr.
fn usage_error(command: &[&str], args: &[&std::ffi::OsStr]) -> String {
    let output = cli().args(command).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(output.stdout.is_empty(), "{stderr}");
    stderr
}

fn os(path: &Path) -> &std::ffi::OsStr {
    path.as_os_str()
}

#[test]
fn tls_files_are_checked_up_front_and_named() {
    let scratch = Scratch::new("tls");
    let empty = scratch.file("empty.pem", "no certificate here\n");
    let stderr = refused(&["--ca".as_ref(), os(&empty)]);
    let expected = format!("no certificate found in {}", empty.display());
    assert!(stderr.contains(&expected), "{stderr}");
    let missing = scratch.0.join("missing-ca.pem");
    let stderr = refused(&["--ca".as_ref(), os(&missing)]);
    assert!(stderr.contains(&missing.display().to_string()), "{stderr}");
    let (ca, _) = scratch.self_signed("SIM-001");
    let missing_key = scratch.0.join("missing-key.pem");
    let stderr = refused(&[
        "--ca".as_ref(),
        os(&ca),
        "--cert".as_ref(),
        os(&ca),
        "--key".as_ref(),
        os(&missing_key),
    ]);
    assert!(
        stderr.contains(&missing_key.display().to_string()),
        "{stderr}"
    );
    let missing_cert = scratch.0.join("missing-cert.pem");
    let stderr = refused(&[
        "--cert".as_ref(),
        os(&missing_cert),
        "--key".as_ref(),
        os(&missing_key),
    ]);
    assert!(
        stderr.contains(&missing_cert.display().to_string()),
        "{stderr}"
    );
}

/// Answers the first request (after the runner's probe connection, which sends nothing) with
/// 401, and sends back the request it read.
fn one_request_server() -> (u16, std::sync::mpsc::Receiver<String>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let mut request = vec![0; 4096];
            let n = stream.read(&mut request).unwrap_or(0);
            if n == 0 {
                continue;
            }
            let _ = stream.write_all(b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");
            let _ = sender.send(String::from_utf8_lossy(&request[..n]).to_ascii_lowercase());
            return;
        }
    });
    (port, receiver)
}

const ONE_CASE: &str = "format = 1\nid = \"B\"\nname = \"boot\"\nversion = \"1.6\"\n\
    [[step]]\nkind = \"call\"\naction = \"Heartbeat\"\n";

/// Runs the one-case scenario against a server that refuses with 401; the request it got
/// and the command's stderr.
fn basic_run(scratch: &Scratch, change: impl FnOnce(&mut Command)) -> (String, String) {
    let scenario = scratch.file("one.toml", ONE_CASE);
    let (port, request) = one_request_server();
    let mut command = cli();
    command
        .args(["run", "--target", &format!("ws://127.0.0.1:{port}/ocpp")])
        .arg("--scenario")
        .arg(&scenario)
        .env_remove("OCPP_BASIC");
    change(&mut command);
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let request = request
        .recv_timeout(Duration::from_secs(10))
        .expect("the station never connected");
    (request, stderr)
}

/// base64("SIM-001:secret")
const AUTHORIZATION: &str = "authorization: basic u0lnltawmtpzzwnyzxq=";

#[test]
fn basic_credentials_from_the_environment_or_a_file_with_one_warning_over_ws() {
    let scratch = Scratch::new("basic");
    let (request, stderr) = basic_run(&scratch, |c| {
        c.env("OCPP_BASIC", "SIM-001:secret");
    });
    assert!(request.contains(AUTHORIZATION), "{request}");
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    assert_eq!(warnings.len(), 1, "{stderr}");
    assert!(warnings[0].contains("unencrypted over ws://"), "{stderr}");
    let file = scratch.file("basic.txt", "SIM-001:secret\n");
    let (request, stderr) = basic_run(&scratch, |c| {
        c.arg("--basic-file").arg(&file);
    });
    assert!(request.contains(AUTHORIZATION), "{request}");
    assert_eq!(stderr.matches("warning:").count(), 1, "{stderr}");
    let (request, stderr) = basic_run(&scratch, |_| {});
    assert!(!request.contains("authorization:"), "{request}");
    assert!(!stderr.contains("warning:"), "{stderr}");
}

/// `proxy` towards an unreachable wss upstream, before its options.
const PROXY: [&str; 5] = [
    "proxy",
    "--listen",
    "127.0.0.1:0",
    "--upstream",
    "wss://127.0.0.1:1",
];

#[test]
fn the_proxys_cert_and_key_are_its_listeners_and_the_upstream_has_its_own() {
    let scratch = Scratch::new("proxy-tls");
    let (cert_pem, key_pem) = scratch.self_signed("127.0.0.1");
    let empty = scratch.file("empty.pem", "no certificate here\n");
    let missing = scratch.0.join("missing.pem");
    let flag = |text: &'static str| std::ffi::OsStr::new(text);
    let cases = [
        // --client-ca needs a TLS listener.
        (
            vec![flag("--client-ca"), cert_pem.as_os_str()],
            "--cert".to_owned(),
        ),
        // The listener's files are read up front and named.
        (
            vec![
                flag("--cert"),
                empty.as_os_str(),
                flag("--key"),
                key_pem.as_os_str(),
            ],
            format!("no certificate found in {}", empty.display()),
        ),
        // --upstream-cert/--upstream-key are the upstream client certificate's.
        (
            vec![
                flag("--ca"),
                cert_pem.as_os_str(),
                flag("--upstream-cert"),
                missing.as_os_str(),
                flag("--upstream-key"),
                key_pem.as_os_str(),
            ],
            missing.display().to_string(),
        ),
    ];
    for (args, expected) in cases {
        let stderr = usage_error(&PROXY, &args);
        assert!(stderr.contains(&expected), "{args:?}: {stderr}");
    }
    // With both, the proxy listens on wss://.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ocpp-conformance"))
        .args([
            "proxy",
            "--listen",
            "127.0.0.1:0",
            "--upstream",
            "ws://127.0.0.1:1",
        ])
        .arg("--cert")
        .arg(&cert_pem)
        .arg("--key")
        .arg(&key_pem)
        .arg("--client-ca")
        .arg(&cert_pem)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let read = std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    );
    let _ = child.kill();
    let _ = child.wait();
    read.unwrap();
    assert!(
        line.starts_with("proxy listening on wss://127.0.0.1:"),
        "{line}"
    );
}
