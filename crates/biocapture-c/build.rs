//! Gives the shared library its soname, so that programs linked against
//! `libbiocapture.so` record `libbiocapture.so.0` and keep working across
//! releases that only append to the ABI.

fn main() {
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if matches!(
        target_os.as_str(),
        "linux" | "android" | "freebsd" | "netbsd" | "openbsd"
    ) {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libbiocapture.so.0");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
