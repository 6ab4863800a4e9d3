use std::process::ExitCode;

// rolebook allocates many small strings (positions, duties, KPI rows, PDF text runs):
// mimalloc cuts the time spent in the allocator and in page faults on large runs.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    rolebook::cli::main()
}
