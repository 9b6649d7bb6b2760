//! Browser tests of the web app (wasm-bindgen-test in headless Chromium):
//!   cargo test --target wasm32-unknown-unknown --test web
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use gloo::timers::future::sleep;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlTextAreaElement, InputEvent, InputEventInit};

wasm_bindgen_test_configure!(run_in_browser);

const MISSING_SOCKET: &str = "2026/11/21 10:00:00 [crit] 2211#2211: *4711 connect() to unix:/run/php/php8.3-fpm.sock failed (2: No such file or directory) while connecting to upstream, client: 203.0.113.7, server: example.com, request: \"GET /index.php HTTP/1.1\", upstream: \"fastcgi://unix:/run/php/php8.3-fpm.sock:\", host: \"example.com\"";

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn query(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).unwrap()
}

/// Mounts the app in a fresh element and returns it.
async fn mount() -> (Element, yew::AppHandle<gateway_doctor_web::App>) {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let handle = yew::Renderer::<gateway_doctor_web::App>::with_root(root.clone()).render();
    sleep(Duration::from_millis(20)).await;
    (root, handle)
}

/// Types `text` into the paste box as a person would (value + input event).
async fn type_into(root: &Element, text: &str) {
    let area: HtmlTextAreaElement = query(root, "textarea").unwrap().dyn_into().unwrap();
    area.set_value(text);
    let init = InputEventInit::new();
    init.set_bubbles(true);
    let event = InputEvent::new_with_event_init_dict("input", &init).unwrap();
    area.dispatch_event(&event).unwrap();
    sleep(Duration::from_millis(30)).await;
}

#[wasm_bindgen_test]
async fn typing_an_error_line_shows_the_cause_and_its_evidence() {
    let (root, handle) = mount().await;
    assert!(query(&root, "#no-findings").is_some(), "empty page invites a paste");

    type_into(&root, MISSING_SOCKET).await;

    let finding = query(&root, ".finding").expect("a finding is rendered");
    assert_eq!(finding.get_attribute("data-cause").as_deref(), Some("php-fpm-down"));
    let text = finding.text_content().unwrap();
    assert!(
        text.contains("/run/php/php8.3-fpm.sock"),
        "the socket path is named: {text}"
    );
    assert!(text.contains("line 1"), "the evidence line is located: {text}");
    assert!(
        text.contains("(2: No such file or directory)"),
        "the evidence line is quoted: {text}"
    );
    handle.destroy();
}

#[wasm_bindgen_test]
async fn text_that_proves_nothing_gives_no_finding() {
    let (root, handle) = mount().await;
    type_into(&root, "my site shows 502 since this morning").await;
    assert!(query(&root, ".finding").is_none());
    assert!(query(&root, "#no-findings").is_some());
    handle.destroy();
}
