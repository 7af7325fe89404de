//! The reference CSMS refuses a frame whose payload repeats a member name with a CALLERROR
//! (FormationViolation in 1.6, FormatViolation in 2.0.1) instead of answering the last value,
//! over a real loopback socket.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use ocpp_conformance::csms::Csms;
use serde_json::Value;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message;

/// Sends `frame` as station `identity` speaking `protocol` and gives the CSMS's answer.
async fn answer(csms: &Csms, identity: &str, protocol: &'static str, frame: &str) -> Value {
    let url = format!("{}/{identity}", csms.url());
    let mut request = url.into_client_request().expect("a valid URL");
    request
        .headers_mut()
        .insert("Sec-WebSocket-Protocol", HeaderValue::from_static(protocol));
    let limit = Duration::from_secs(10);
    let (mut socket, _) = tokio::time::timeout(limit, tokio_tungstenite::connect_async(request))
        .await
        .expect("the CSMS accepts in time")
        .expect("the handshake succeeds");
    socket
        .send(Message::text(frame))
        .await
        .expect("the frame is sent");
    loop {
        let message = tokio::time::timeout(limit, socket.next())
            .await
            .expect("the CSMS answers in time")
            .expect("the connection stays open")
            .expect("a readable message");
        if let Message::Text(text) = message {
            return serde_json::from_str(&text).expect("the answer is JSON");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_repeated_member_name_gets_a_call_error_not_accepted() {
    let csms = Csms::start("127.0.0.1:0", Vec::new())
        .await
        .expect("the CSMS starts");
    let long = "A".repeat(29);
    let cases = [
        (
            "ocpp1.6",
            format!(r#"[2,"a-1","Authorize",{{"idTag":"{long}","idTag":"ok"}}]"#),
            "FormationViolation",
        ),
        (
            "ocpp1.6",
            r#"[2,"b-1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M","chargePointModel":"N"}]"#.to_owned(),
            "FormationViolation",
        ),
        (
            "ocpp2.0.1",
            r#"[2,"b-2","BootNotification",{"reason":"PowerUp","reason":"Unknown","chargingStation":{"model":"M","vendorName":"V"}}]"#.to_owned(),
            "FormatViolation",
        ),
    ];
    for (index, (protocol, frame, code)) in cases.iter().enumerate() {
        let reply = answer(&csms, &format!("DUP-{index}"), protocol, frame).await;
        let id = frame.split('"').nth(1).expect("the frame has an id");
        assert_eq!(reply[0], 4, "{frame}: {reply}");
        assert_eq!(reply[1], id, "{frame}: {reply}");
        assert_eq!(reply[2], *code, "{frame}: {reply}");
    }
    // Without the repeated name the same CALL is answered.
    let unique = r#"[2,"a-2","Authorize",{"idTag":"ok"}]"#;
    let reply = answer(&csms, "UNIQUE", "ocpp1.6", unique).await;
    assert_eq!(reply[0], 3, "{reply}");
    assert_eq!(reply[2]["idTagInfo"]["status"], "Accepted", "{reply}");
}
