//! The page: registers the service worker (offline use) and mounts [`gateway_doctor_web::App`],
//! which starts the analyser's Web Worker.

fn main() {
    gateway_doctor_web::dom::register_service_worker();
    yew::Renderer::<gateway_doctor_web::App>::new().render();
}
