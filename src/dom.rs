//! The few browser calls the components make, each failing quietly (returning `false`/`None`)
//! rather than panicking: clipboard, download, local storage, the URL, files.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Local storage key of the session.
pub const SESSION_KEY: &str = "gateway-doctor.session";
/// Local storage key of the chosen theme.
pub const THEME_KEY: &str = "gateway-doctor.theme";

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// Copies text to the clipboard; true when the browser accepted it.
pub async fn copy(text: &str) -> bool {
    let Some(w) = window() else { return false };
    let promise = w.navigator().clipboard().write_text(text);
    JsFuture::from(promise).await.is_ok()
}

/// Offers `text` as a file download.
pub fn download(name: &str, mime: &str, text: &str) -> bool {
    let run = || -> Option<()> {
        let document = window()?.document()?;
        let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(mime);
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
        let a: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
        a.set_href(&url);
        a.set_download(name);
        a.click();
        let _ = web_sys::Url::revoke_object_url(&url);
        Some(())
    };
    run().is_some()
}

fn storage() -> Option<web_sys::Storage> {
    window()?.local_storage().ok().flatten()
}

/// Reads a local storage item.
pub fn load(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Writes a local storage item; `Err` with the browser's reason (quota, private mode...).
pub fn store(key: &str, value: &str) -> Result<(), String> {
    let s = storage().ok_or("local storage is not available in this browser window")?;
    s.set_item(key, value).map_err(|e| {
        let name = js_sys::Reflect::get(&e, &"name".into())
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or_default();
        if name == "QuotaExceededError" {
            format!(
                "it is too large for this browser's local storage ({} MB packed)",
                value.len() >> 20
            )
        } else {
            "the browser refused to store it".to_string()
        }
    })
}

/// Removes a local storage item.
pub fn forget(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// The URL fragment, with its `#`.
pub fn hash() -> String {
    window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// Sets the URL fragment (adds a history entry; fires `hashchange`).
pub fn set_hash(hash: &str) {
    if let Some(w) = window() {
        let hash = if hash.is_empty() { "#" } else { hash };
        let _ = w.location().set_hash(hash);
    }
}

/// The page's URL without its fragment.
pub fn page_url() -> String {
    window()
        .and_then(|w| w.location().href().ok())
        .map(|h| h.split('#').next().unwrap_or("").to_string())
        .unwrap_or_default()
}

/// Drops the fragment from the URL without a history entry (after a link was restored).
pub fn clear_hash() {
    if let Some(w) = window()
        && let Ok(history) = w.history()
    {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&page_url()));
    }
}

/// Sets `data-theme` on the root element (`""` follows the system).
pub fn apply_theme(theme: &str) {
    if let Some(root) = window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = if theme.is_empty() {
            root.remove_attribute("data-theme")
        } else {
            root.set_attribute("data-theme", theme)
        };
    }
}

/// Reads a file as text (UTF-8; invalid bytes replaced). Through its bytes: a copy into wasm
/// memory is much faster than handing over a JavaScript string of tens of megabytes.
pub async fn read_file(file: &web_sys::File) -> Option<String> {
    let buffer = JsFuture::from(file.array_buffer()).await.ok()?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    Some(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// Scrolls an element into the middle of the view and focuses it.
pub fn show(id: &str) {
    let Some(el) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    else {
        return;
    };
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Center);
    el.scroll_into_view_with_scroll_into_view_options(&options);
    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}

/// Registers the service worker (offline use) from `sw.js` next to the page.
pub fn register_service_worker() {
    if let Some(w) = window() {
        let navigator = w.navigator();
        if js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false) {
            let registering = JsFuture::from(navigator.service_worker().register("./sw.js"));
            wasm_bindgen_futures::spawn_local(async move {
                // Not registered (a file:// page, a private window): the app works, online only.
                let _ = registering.await;
            });
        }
    }
}

/// "1.2 MB", "340 KB", "12 bytes".
pub fn size(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{} MB", engine::number::fixed(bytes as f64 / (1 << 20) as f64, 1))
    } else if bytes >= 1 << 10 {
        format!("{} KB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}
