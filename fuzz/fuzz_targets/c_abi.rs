//! The C entry points (`crates/biocapture-c`) driven from arbitrary bytes:
//! random sizes, strides, pixel pointers inside the buffer, NULL
//! pointers, short and long `struct_size`s, every buffer capacity,
//! arbitrary policy bytes and profile text. Checks: no panic reaches the
//! boundary, only documented statuses, results in range, nothing written
//! past a buffer or struct (see `biocapture_c::fuzzing`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| biocapture_c::fuzzing::fuzz_entry_points(data));
