//! Browser tests of the components (wasm-bindgen-test in headless Chromium):
//!   cargo test --target wasm32-unknown-unknown --test web
//! The app is mounted with the analyser inline (no worker files are served by the test runner);
//! everything else is the real page.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use gateway_doctor_web::components::Markdown;
use gateway_doctor_web::{App, AppProps, Backend};
use gloo::timers::future::sleep;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlSelectElement, HtmlTextAreaElement, InputEvent, InputEventInit};
use yew::AttrValue;

wasm_bindgen_test_configure!(run_in_browser);

const MISSING_SOCKET: &str = "2026/11/21 10:00:00 [crit] 2211#2211: *4711 connect() to unix:/run/php/php8.3-fpm.sock failed (2: No such file or directory) while connecting to upstream, client: 203.0.113.7, server: example.com, request: \"GET /index.php HTTP/1.1\", upstream: \"fastcgi://unix:/run/php/php8.3-fpm.sock:\", host: \"example.com\"";

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn query(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).unwrap()
}

fn count(root: &Element, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

/// Polls until `selector` matches (or panics after 10 s).
async fn wait_for(root: &Element, selector: &str) -> Element {
    for _ in 0..500 {
        if let Some(e) = query(root, selector) {
            return e;
        }
        sleep(Duration::from_millis(20)).await;
    }
    panic!("{selector} never appeared");
}

/// Mounts the app (fresh storage, no fragment) in a new element.
async fn mount() -> (Element, yew::AppHandle<App>) {
    mount_with(Backend::inline()).await
}

/// [`mount`] with another analyser.
async fn mount_with(backend: Backend) -> (Element, yew::AppHandle<App>) {
    let window = web_sys::window().unwrap();
    window.local_storage().unwrap().unwrap().clear().unwrap();
    let href = window.location().href().unwrap();
    let bare = href.split('#').next().unwrap();
    let _ = window
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(bare));
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let props = AppProps { backend };
    let handle = yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
    wait_for(&root, "#pastes-heading").await;
    (root, handle)
}

async fn unmount(root: Element, handle: yew::AppHandle<App>) {
    handle.destroy();
    root.remove();
    sleep(Duration::from_millis(20)).await;
}

/// Types `text` into a textarea as a person would (value + input event).
async fn type_into(area: &Element, text: &str) {
    let area: HtmlTextAreaElement = area.clone().dyn_into().unwrap();
    area.set_value(text);
    let init = InputEventInit::new();
    init.set_bubbles(true);
    area.dispatch_event(&InputEvent::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
    sleep(Duration::from_millis(30)).await;
}

fn click(e: &Element) {
    e.clone().dyn_into::<HtmlElement>().unwrap().click();
}

async fn select(e: &Element, value: &str) {
    let s: HtmlSelectElement = e.clone().dyn_into().unwrap();
    s.set_value(value);
    s.dispatch_event(
        &web_sys::Event::new_with_event_init_dict("change", &{
            let i = web_sys::EventInit::new();
            i.set_bubbles(true);
            i
        })
        .unwrap(),
    )
    .unwrap();
    sleep(Duration::from_millis(30)).await;
}

#[wasm_bindgen_test]
async fn typing_an_error_line_shows_the_cause_its_evidence_and_its_fix() {
    let (root, handle) = mount().await;
    assert!(query(&root, "#no-findings").is_some(), "the empty page invites a paste");
    type_into(&query(&root, "textarea.paste").unwrap(), MISSING_SOCKET).await;
    let finding = wait_for(&root, ".finding").await;
    assert_eq!(finding.get_attribute("data-cause").as_deref(), Some("php-fpm-down"));
    let text = finding.text_content().unwrap();
    assert!(text.contains("/run/php/php8.3-fpm.sock"), "{text}");
    assert!(text.contains("Paste 1, line 1"), "the evidence is located: {text}");
    assert!(
        text.contains("(2: No such file or directory)"),
        "the line is quoted: {text}"
    );
    assert!(count(&finding, ".fix button.copy") >= 1, "commands have copy buttons");
    let piece = wait_for(&root, ".piece").await;
    assert_eq!(piece.get_attribute("data-kind").as_deref(), Some("nginx-error-log"));
    assert!(piece.text_content().unwrap().contains("all read"));
    unmount(root, handle).await;
}

#[wasm_bindgen_test]
async fn a_worker_the_browser_cannot_create_ends_the_wait_with_a_message() {
    // An invalid URL makes `new Worker` throw, as a Content-Security-Policy would.
    let (root, handle) = mount_with(Backend::worker("http://[")).await;
    type_into(&query(&root, "textarea.paste").unwrap(), MISSING_SOCKET).await;
    let notice = wait_for(&root, "#notice.error").await;
    let text = notice.text_content().unwrap();
    assert!(text.contains("could not start the analyser's worker"), "{text}");
    sleep(Duration::from_millis(300)).await;
    assert!(query(&root, "#busy").is_none(), "nothing is left analysing");
    unmount(root, handle).await;
}

#[wasm_bindgen_test]
async fn clicking_evidence_shows_the_line_numbered_and_highlighted() {
    let (root, handle) = mount().await;
    type_into(
        &query(&root, "textarea.paste").unwrap(),
        &format!("first\nsecond\n\n{MISSING_SOCKET}"),
    )
    .await;
    click(&wait_for(&root, ".finding .evidence-link").await);
    let hit = wait_for(&root, ".line.hit").await;
    assert_eq!(hit.id(), "p1-l4");
    assert!(hit.text_content().unwrap().starts_with('4'));
    assert!(
        query(&root, "textarea.paste").is_none(),
        "the box shows lines, not the textarea"
    );
    click(&query(&root, ".paste-box .box-head button.small").unwrap()); // Edit
    wait_for(&root, "textarea.paste").await;
    unmount(root, handle).await;
}

#[wasm_bindgen_test]
async fn text_that_proves_nothing_gives_a_question_and_answers_change_the_walk() {
    let (root, handle) = mount().await;
    type_into(
        &query(&root, "textarea.paste").unwrap(),
        "my site shows 502 since this morning",
    )
    .await;
    click(&wait_for(&root, "#next-question[data-node='layer'] button[data-value='cdn']").await);
    wait_for(&root, "#next-question[data-node='origin-errors']").await;
    assert!(query(&root, ".finding").is_none());
    let step = wait_for(&root, "#trail .step[data-node='layer']").await;
    assert!(step.text_content().unwrap().contains("your answer"));
    click(&query(&step, "button.change").unwrap());
    select(&wait_for(&root, "#change-layer").await, "browser").await;
    wait_for(&root, "#next-question[data-node='client-check']").await;
    unmount(root, handle).await;
}

#[wasm_bindgen_test]
async fn a_piece_kind_can_be_chosen() {
    let (root, handle) = mount().await;
    type_into(&query(&root, "textarea.paste").unwrap(), "listen 80;\nserver_name x;").await;
    let kind = wait_for(&root, ".piece select.kind").await;
    select(&kind, "nginx-config").await;
    wait_for(&root, ".piece[data-kind='nginx-config'] .badge").await;
    select(&query(&root, ".piece select.kind").unwrap(), "").await;
    for _ in 0..100 {
        if query(&root, ".piece .badge").is_none() {
            break;
        }
        sleep(Duration::from_millis(20)).await;
    }
    assert!(query(&root, ".piece .badge").is_none(), "back to detection");
    unmount(root, handle).await;
}

#[wasm_bindgen_test]
async fn an_example_loads_from_the_empty_page() {
    let (root, handle) = mount().await;
    click(&wait_for(&root, "#start-example-php-fpm-stopped").await);
    wait_for(&root, ".finding[data-cause='php-fpm-down']").await;
    assert_eq!(count(&root, ".paste-box"), 2);
    assert!(
        query(&root, "#notice")
            .unwrap()
            .text_content()
            .unwrap()
            .contains("Example loaded")
    );
    unmount(root, handle).await;
}

#[wasm_bindgen_test]
async fn the_knowledge_base_searches_and_opens_a_page() {
    let (root, handle) = mount().await;
    click(&query(&root, "a.tab[href='#kb']").unwrap());
    let search = wait_for(&root, "#kb-search").await;
    let all = count(&root, "#kb-list li");
    assert!(all >= 29);
    let input: web_sys::HtmlInputElement = search.dyn_into().unwrap();
    input.set_value("fastcgi socket");
    let init = InputEventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&InputEvent::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
    sleep(Duration::from_millis(30)).await;
    assert!(count(&root, "#kb-list li") < all);
    click(&wait_for(&root, "#kb-list a[data-cause='php-fpm-down']").await);
    let page = wait_for(&root, "#cause-page").await;
    assert!(page.text_content().unwrap().contains("What happened"));
    unmount(root, handle).await;
}

#[wasm_bindgen_test]
async fn the_share_dialog_lists_what_it_masks_before_the_link() {
    let (root, handle) = mount().await;
    type_into(
        &query(&root, "textarea.paste").unwrap(),
        "client: 81.2.69.160, host: \"shop.acme-corp.com\"\nfastcgi_param DB_PASSWORD hunter22;",
    )
    .await;
    sleep(Duration::from_millis(200)).await;
    click(&query(&root, "#share").unwrap());
    let masks = wait_for(&root, "#masks").await;
    let listed = masks.text_content().unwrap();
    for item in ["81.2.69.160", "shop.acme-corp.com", "hunter22"] {
        assert!(listed.contains(item), "{item}: {listed}");
    }
    assert!(query(&root, "#share-url").is_none(), "no link before it is asked for");
    click(&query(&root, "#make-link").unwrap());
    let url = wait_for(&root, "#share-url").await;
    let value = url.dyn_into::<web_sys::HtmlInputElement>().unwrap().value();
    assert!(value.contains("#s1="), "{value}");
    assert!(!value.contains("hunter22"));
    click(&query(&root, "#close-share").unwrap());
    unmount(root, handle).await;
}

#[wasm_bindgen_test]
async fn markdown_renders_code_with_copy_buttons_and_never_markup() {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let text = AttrValue::from(
        "Run <b>this</b> `now`:\n\n```sh\nsystemctl restart php8.3-fpm\n```\n\n```diff\n- listen = a\n+ listen = b\n```\n[x](javascript:alert(1))",
    );
    let props = gateway_doctor_web::components::MarkdownProps { text, shift: 2 };
    let handle = yew::Renderer::<Markdown>::with_root_and_props(root.clone(), props).render();
    sleep(Duration::from_millis(30)).await;
    assert!(query(&root, "b").is_none(), "pasted markup stays text");
    assert!(root.text_content().unwrap().contains("<b>this</b>"));
    assert_eq!(count(&root, ".code button.copy"), 1);
    assert_eq!(count(&root, ".diff .del"), 1);
    assert_eq!(count(&root, ".diff .ins"), 1);
    assert_eq!(query(&root, "a").unwrap().get_attribute("href").as_deref(), Some("#"));
    handle.destroy();
    root.remove();
}
