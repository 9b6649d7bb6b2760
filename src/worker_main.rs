//! The Web Worker: the engine, redaction and the share-link codec, off the page's thread.

use gloo::worker::Registrable;

fn main() {
    gateway_doctor_web::analyser::Analyser::registrar()
        .encoding::<gateway_doctor_web::protocol::Json>()
        .register();
}
