//! Helpers for the benchmark binaries: percentiles, rates, memory, a results table.

use std::time::Duration;

/// The p-th percentile (0..=100) of a set of durations, in milliseconds.
pub fn percentile_ms(samples: &mut [Duration], p: f64) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    samples.sort_unstable();
    let rank = ((p / 100.0) * (samples.len() - 1) as f64).round() as usize;
    samples[rank.min(samples.len() - 1)].as_secs_f64() * 1000.0
}

/// Items per second.
pub fn rate(items: usize, elapsed: Duration) -> f64 {
    items as f64 / elapsed.as_secs_f64()
}

/// This process's resident set size and its peak, in MiB, from /proc (Linux).
pub fn memory_mib() -> Option<(f64, f64)> {
    memory_mib_of("self")
}

/// Another process's resident set size and its peak, in MiB, from /proc (Linux).
pub fn process_memory_mib(pid: u32) -> Option<(f64, f64)> {
    memory_mib_of(&pid.to_string())
}

fn memory_mib_of(process: &str) -> Option<(f64, f64)> {
    let status = std::fs::read_to_string(format!("/proc/{process}/status")).ok()?;
    let field = |name: &str| -> Option<f64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib / 1024.0)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// Prints one result row: what, figure, unit, and the baseline beside it.
pub fn row(what: &str, figure: f64, unit: &str, baseline_what: &str, baseline: f64) {
    println!("{what:<44} {figure:>12.2} {unit:<10} | {baseline_what:<34} {baseline:>12.2} {unit}");
}
