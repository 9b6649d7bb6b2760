//! Parsing throughput (MB/s) for error logs, access logs and nginx configuration, at 1, 10 and
//! 100 MB, through `engine::inspect` with the kind forced (so the parser itself is measured) and,
//! for the error log, detected (split and classification included).
//!   cargo bench -p gateway-doctor-engine --bench parse

/// The allocator of the CLI (`crates/cli/src/main.rs`): the engine is measured as it runs there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use engine::{Kind, Paste};

mod inputs;

const MB: usize = 1024 * 1024;

/// A benchmark case: name, input generator, forced kind (`None`: detected).
type Case = (&'static str, fn(usize) -> String, Option<Kind>);

fn bench(c: &mut Criterion) {
    let cases: [Case; 4] = [
        ("error-log", inputs::error_log, Some(Kind::NginxErrorLog)),
        ("error-log-detected", inputs::error_log, None),
        ("access-log", inputs::access_log, Some(Kind::NginxAccessLog)),
        ("nginx-config", inputs::nginx_config, Some(Kind::NginxConfig)),
    ];
    for (name, make, kind) in cases {
        let mut group = c.benchmark_group(name);
        group.sample_size(10);
        for size in [1, 10, 100] {
            let text = make(size * MB);
            group.throughput(Throughput::Bytes(text.len() as u64));
            let paste = match kind {
                Some(k) => Paste::new("bench", text).with_kind(k),
                None => Paste::new("bench", text),
            };
            group.bench_with_input(BenchmarkId::from_parameter(format!("{size}MB")), &paste, |b, paste| {
                b.iter(|| engine::inspect(std::slice::from_ref(paste)))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
