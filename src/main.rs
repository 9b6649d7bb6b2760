//! The one module of the app, started twice: on the page it registers the service worker
//! (offline use) and mounts [`gateway_doctor_web::App`]; in the Web Worker the page starts
//! (`worker.js`, written by `scripts/postbuild.py`) it runs the analyser. One download serves
//! both.

use wasm_bindgen::JsCast;

fn main() {
    if js_sys::global().is_instance_of::<web_sys::DedicatedWorkerGlobalScope>() {
        gateway_doctor_web::analyser::run_in_worker();
    } else {
        gateway_doctor_web::dom::register_service_worker();
        yew::Renderer::<gateway_doctor_web::App>::new().render();
    }
}
