//! Compiles the C shims (printf-style and other variadic entry points that
//! Rust cannot define) into a static library linked into the crate.
use std::env;
use std::path::PathBuf;
use std::process::Command;

fn main() {
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    let cc = env::var("CC").unwrap_or_else(|_| "cc".into());
    let mut objects = Vec::new();
    let mut sources: Vec<PathBuf> = std::fs::read_dir("src/ffi/c")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "c"))
        .collect();
    sources.sort();
    for src in &sources {
        println!("cargo:rerun-if-changed={}", src.display());
        let obj = out.join(src.file_stem().unwrap()).with_extension("o");
        let status = Command::new(&cc)
            .args(["-c", "-O2", "-fPIC", "-g", "-Wall", "-Werror", "-std=c99", "-D_GNU_SOURCE"])
            .arg(src)
            .arg("-o")
            .arg(&obj)
            .status()
            .expect("running the C compiler");
        assert!(status.success(), "compiling {}", src.display());
        objects.push(obj);
    }
    let lib = out.join("libproton_shim.a");
    let _ = std::fs::remove_file(&lib);
    let status = Command::new("ar").arg("crs").arg(&lib).args(&objects).status().expect("running ar");
    assert!(status.success());
    println!("cargo:rustc-link-search=native={}", out.display());
    println!("cargo:rustc-link-lib=static=proton_shim");
    println!("cargo:rerun-if-changed=src/ffi/c");
    println!("cargo:rerun-if-changed=build.rs");
}
