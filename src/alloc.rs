//! The one setting bevaka makes in the system allocator.

/// glibc's initial mmap threshold, fixed (see [`tune`]).
pub const MMAP_THRESHOLD: i32 = 128 * 1024;

/// The environment variables through which an administrator sets the threshold
/// (`main` leaves the allocator alone where one of them is set).
pub const CHOSEN_BY: [&str; 2] = ["MALLOC_MMAP_THRESHOLD_", "GLIBC_TUNABLES"];

/// Fixes glibc's mmap threshold at its initial 128 kB.
///
/// glibc raises the threshold each time a larger block that it mmapped is freed, up to
/// 32 MB. Once a list's sort keys (10 MB at six cities) have been freed, every block up to
/// that size comes from the heap instead, and the heap's freed middle is not given back:
/// with every view loaded, six cities' dashboard held 211 MB for 156 MB of live heap, and
/// 184 MB with the threshold fixed (BENCHMARKS.md). `main` calls it first thing, unless the
/// environment sets the threshold ([`CHOSEN_BY`]).
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: `mallopt` sets one parameter of the allocator and takes no pointers;
        // glibc accepts it at any time from any thread (it locks its arenas), and a value
        // it does not accept is refused with 0, leaving the default.
        #[allow(unsafe_code)]
        let _ = unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD) };
    }
}
