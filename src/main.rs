//! Entry point of the web app: mounts [`gateway_doctor_web::App`] on the page body.

fn main() {
    yew::Renderer::<gateway_doctor_web::App>::new().render();
}
