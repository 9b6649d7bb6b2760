//! Peak memory while parsing 1, 10 and 100 MB of each kind, measured with a counting global
//! allocator (input excluded: the figure is what parsing adds on top of the text).
//!   cargo bench -p gateway-doctor-engine --bench memory

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use engine::{Kind, Paste};

mod inputs;

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const MB: usize = 1024 * 1024;

/// A measured case: name, input generator, kind.
type Case = (&'static str, fn(usize) -> String, Kind);

fn main() {
    let cases: [Case; 3] = [
        ("error-log", inputs::error_log, Kind::NginxErrorLog),
        ("access-log", inputs::access_log, Kind::NginxAccessLog),
        ("nginx-config", inputs::nginx_config, Kind::NginxConfig),
    ];
    println!("{:<14} {:>8} {:>14} {:>10}", "kind", "input", "peak extra", "x input");
    for (name, make, kind) in cases {
        for size in [1, 10, 100] {
            let paste = Paste::new("bench", make(size * MB)).with_kind(kind);
            let input = paste.text.len();
            let base = CURRENT.load(Ordering::Relaxed);
            PEAK.store(base, Ordering::Relaxed);
            let artifacts = engine::inspect(std::slice::from_ref(&paste));
            let peak = PEAK.load(Ordering::Relaxed) - base;
            drop(artifacts);
            println!(
                "{name:<14} {:>6}MB {:>12.1}MB {:>10.2}",
                size,
                peak as f64 / MB as f64,
                peak as f64 / input as f64
            );
        }
    }
}
