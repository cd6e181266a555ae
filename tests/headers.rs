//! The public headers `include/proton/*.h` are generated from the Rust
//! sources by cbindgen, here, and checked in. This test regenerates them and
//! fails if any differs from the checked-in file;
//! `PN_BLESS=1 cargo test --test headers` rewrites them instead.
//!
//! Each header `proton/X.h` is made of, in order:
//! - a banner and proton-c's include guard;
//! - the `#include`s proton-c's `X.h` has (`HEADERS` below);
//! - `extern "C" {` for C++ (unless the header is preprocessor-only);
//! - `src/ffi/headers/X.pre.h`, if it exists (hand-written C);
//! - what cbindgen makes of `src/ffi/X.rs` and its submodule files
//!   `src/ffi/X/**/*.rs`: constants (`#define`), the `pn_*`/`pnx_*` types
//!   defined there, statics, and `#[unsafe(no_mangle)] extern "C"`
//!   functions, in file order, with their doc comments;
//! - `src/ffi/headers/X.post.h`, if it exists;
//! - the closing brace and `#endif`.
//!
//! The hand-written fragments hold what cbindgen cannot generate: macros,
//! and declarations of functions implemented in C (variadic ones).
//!
//! Conventions the generator relies on:
//! - `pub type X_raw = c_int;` is enum `X` as C passes it (any int). Every
//!   such alias is left out of the headers and printed as `X`.
//! - Only types named `pn_*` or `pnx_*` go into headers; Rust-side types in
//!   `src/ffi` keep Rust names (`ErrorState`, `PnString`).
//! - `#[unsafe(no_mangle)]` functions named `pnrs_*` are internal (called
//!   by the C shims in `src/ffi/c/`) and stay out of the headers, as do
//!   `pni_*` functions (proton-c's internal exports that bindings use, e.g.
//!   `pni_message_with_extra`: not in proton's public headers either), and
//!   functions declared in `extern "C" { ... }` blocks (Rust's imports of
//!   C code; a public function written in C is declared in a fragment).
//!
//! - Statics get the header's visibility macro too, as functions do.
//!
//! Then every header is compiled on its own, twice included, as C (c99) and
//! as C++ (c++11), with warnings as errors.
//!
//! To add a function: write it in `src/ffi/X.rs` where proton's `X.h` has
//! it, as `#[unsafe(no_mangle)] pub unsafe extern "C" fn` whose body is
//! `guard(|| ...)` (see `tests/ffi_guard.rs`), with enum parameters as
//! `X_raw`; `#[deprecated(note = "...")]` becomes `PN_DEPRECATED("...")`.
//! Then run `PN_BLESS=1 cargo test --test headers` and commit the header.
//! A variadic function is written in C (`src/ffi/c/`) and declared in
//! `src/ffi/headers/X.post.h`. To add a header: an entry in `HEADERS`, the
//! module `src/ffi/X.rs` (and its line in `src/ffi/mod.rs`).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One public header.
struct Header {
    /// `X` in `proton/X.h` and `src/ffi/X.rs`.
    name: &'static str,
    /// proton-c's include guard.
    guard: &'static str,
    /// What the header includes, as `<...>` paths, in proton-c's order
    /// (plus what the generated declarations need beyond that).
    includes: &'static [&'static str],
    /// The visibility macro before each function.
    prefix: &'static str,
    /// Wrap the declarations in `extern "C"` for C++.
    extern_c: bool,
}

const fn h(name: &'static str, guard: &'static str, includes: &'static [&'static str], prefix: &'static str) -> Header {
    Header { name, guard, includes, prefix, extern_c: true }
}

/// Headers without declarations: no `extern "C"` block, as in proton-c.
const fn pp(name: &'static str, guard: &'static str, includes: &'static [&'static str]) -> Header {
    Header { name, guard, includes, prefix: "PN_EXTERN", extern_c: false }
}

const CORE: &str = "PN_EXTERN";
const PROACTOR: &str = "PNP_EXTERN";
const EXTRA: &str = "PNX_EXTERN";

const IE: &str = "proton/import_export.h";
const TC: &str = "proton/type_compat.h";
const TYPES: &str = "proton/types.h";
const OBJECT: &str = "proton/object.h";
const ERROR: &str = "proton/error.h";
const CODEC: &str = "proton/codec.h";
const CONDITION: &str = "proton/condition.h";
const EVENT: &str = "proton/event.h";
const LOGGER: &str = "proton/logger.h";

/// The 30 headers of proton-c 0.37's C API.
#[rustfmt::skip]
const HEADERS: &[Header] = &[
    pp("cid", "PROTON_CID_H", &[]),
    h("codec", "PROTON_CODEC_H", &[IE, OBJECT, TYPES, ERROR, TC, "stdarg.h"], CORE),
    h("condition", "PROTON_CONDITION_H", &[IE, CODEC, TC, "stddef.h"], CORE),
    h("connection", "PROTON_CONNECTION_H", &[IE, CODEC, CONDITION, ERROR, TC, TYPES, "stddef.h"], CORE),
    h("connection_driver", "PROTON_CONNECTION_DRIVER_H", &[IE, EVENT, TYPES, "stdarg.h"], CORE),
    h("delivery", "PROTON_DELIVERY_H", &[IE, "proton/disposition.h", TC, "stddef.h"], CORE),
    h("disposition", "PROTON_DISPOSITION_H", &[IE, TC, CONDITION, "stddef.h"], CORE),
    pp("engine", "PROTON_ENGINE_H", &[
        CONDITION, "proton/connection.h", "proton/session.h", "proton/terminus.h",
        "proton/link.h", "proton/delivery.h", EVENT, "proton/transport.h",
    ]),
    h("error", "PROTON_ERROR_H", &[IE, "stdarg.h"], CORE),
    // + condition.h: pn_event_condition returns a pn_condition_t.
    h("event", "PROTON_EVENT_H", &[IE, TC, OBJECT, CONDITION, "stddef.h"], CORE),
    pp("import_export", "PROTON_IMPORT_EXPORT_H", &[]),
    h("link", "PROTON_LINK_H", &[IE, TC, CONDITION, "proton/terminus.h", TYPES, OBJECT, "stddef.h"], CORE),
    // + condition.h: proton-c's listener.h does not compile alone in C
    // without it (pn_listener_condition).
    h("listener", "PROTON_LISTENER_H", &[IE, TYPES, EVENT, CONDITION], PROACTOR),
    h("log", "LOG_H", &[IE, LOGGER, TC], CORE),
    h("logger", "LOGGER_H", &[IE, OBJECT, "stdarg.h", "stdint.h"], CORE),
    h("message", "PROTON_MESSAGE_H", &[IE, TYPES, CODEC, ERROR, TC], CORE),
    h("netaddr", "PROTON_NETADDR_H", &[IE, TYPES], PROACTOR),
    h("object", "PROTON_OBJECT_H", &["proton/cid.h", TYPES, "stdarg.h", TC, "stddef.h", IE], CORE),
    h("proactor", "PROTON_PROACTOR_H", &[CONDITION, EVENT, IE, TYPES], PROACTOR),
    h("raw_connection", "PROTON_RAW_CONNECTION_H", &[CONDITION, EVENT, IE, TYPES], PROACTOR),
    h("sasl", "PROTON_SASL_H", &[IE, TC, TYPES], CORE),
    h("sasl_plugin", "PROTON_SASL_PLUGIN_H", &[IE, LOGGER, TC, TYPES], CORE),
    h("session", "PROTON_SESSION_H", &[IE, TC, TYPES, OBJECT, ERROR, CONDITION, "stddef.h"], CORE),
    h("ssl", "PROTON_SSL_H", &[IE, TC, TYPES], CORE),
    h("terminus", "PROTON_TERMINUS_H", &[IE, TC, CODEC, "stddef.h"], CORE),
    h("transport", "PROTON_TRANSPORT_H", &[IE, TC, CONDITION, LOGGER, "stddef.h"], CORE),
    pp("type_compat", "PROTON_TYPE_COMPAT_H", &[]),
    h("types", "PROTON_TYPES_H", &[IE, "stddef.h", TC], CORE),
    h("url", "PROTON_URL_H", &[IE], EXTRA),
    pp("version", "_PROTON_VERSION_H", &[]),
];

/// Headers whose Rust module is still being written by someone else: while
/// `src/ffi/X.rs` does not exist, the header is neither generated nor
/// required. (Remove an entry once its module exists.)
const PENDING: &[&str] = &[];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn ffi_dir() -> PathBuf {
    root().join("src/ffi")
}

fn include_dir() -> PathBuf {
    root().join("include/proton")
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Every `.rs` file under `dir`, sorted.
fn rs_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else { return out };
    let mut entries: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            out.extend(rs_files(&p));
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
    out
}

/// The identifier at the start of `s`.
fn ident(s: &str) -> &str {
    let end = s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(s.len());
    &s[..end]
}

/// Lines of Rust code, without `//` comments (good enough for the item
/// declarations looked for here).
fn code_lines(src: &str) -> impl Iterator<Item = &str> {
    src.lines().map(|l| l.trim_start()).filter(|l| !l.starts_with("//"))
}

/// Names declared by `pub <keyword> NAME` lines.
fn pub_items<'a>(src: &'a str, keywords: &'a [&'a str]) -> impl Iterator<Item = &'a str> + 'a {
    code_lines(src).filter_map(move |l| {
        let rest = l.strip_prefix("pub ")?;
        keywords.iter().find_map(|k| rest.strip_prefix(k)?.strip_prefix(' ').map(ident))
    })
}

/// C types defined in `src`: `pn_*`/`pnx_*` structs, unions, enums and
/// type aliases, except `*_raw` aliases.
fn c_types(src: &str) -> Vec<String> {
    pub_items(src, &["struct", "union", "enum", "type"])
        .filter(|n| (n.starts_with("pn_") || n.starts_with("pnx_")) && !n.ends_with("_raw"))
        .map(String::from)
        .collect()
}

/// `X_raw` aliases defined in `src`.
fn raw_aliases(src: &str) -> Vec<String> {
    pub_items(src, &["type"]).filter(|n| n.ends_with("_raw")).map(String::from).collect()
}

/// Functions that stay out of the headers: internal C-ABI functions
/// (`pnrs_*`, and proton's internal `pni_*` exports), and every function
/// declared in an `extern "C" { ... }` block (Rust's imports of C code;
/// public functions written in C are declared by the fragments).
fn hidden_fns(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_block = false;
    for l in code_lines(src) {
        if !in_block && l.contains("extern \"C\" {") {
            in_block = true;
        }
        if let Some(i) = l.find("fn ") {
            let name = ident(&l[i + 3..]);
            if in_block || name.starts_with("pnrs_") || name.starts_with("pni_") {
                out.push(name.to_string());
            }
        }
        if in_block && (l.starts_with('}') || l.ends_with('}')) {
            in_block = false;
        }
    }
    out
}

/// Modules declared (not inline) in `src`: `mod x;`, `pub mod x;` ...
fn mod_decls(src: &str) -> Vec<String> {
    code_lines(src)
        .filter_map(|l| {
            let l = l.strip_prefix("pub(crate) ").or_else(|| l.strip_prefix("pub ")).unwrap_or(l);
            let rest = l.strip_prefix("mod ")?;
            let name = ident(rest);
            rest[name.len()..].trim_start().starts_with(';').then(|| name.to_string())
        })
        .collect()
}

/// A module file and its submodule files, in the order the `mod` lines
/// declare them (proton's order, when the file follows its header).
fn module_files(file: &Path, dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![file.to_path_buf()];
    for m in mod_decls(&read(file)) {
        let f = dir.join(format!("{m}.rs"));
        let f2 = dir.join(&m).join("mod.rs");
        let (f, sub) = if f.exists() { (f, dir.join(&m)) } else { (f2, dir.join(&m)) };
        assert!(f.exists(), "{}: cannot find the file of `mod {m};`", file.display());
        out.extend(module_files(&f, &sub));
    }
    out
}

/// The Rust files a header is made from; `None` if its module is pending.
fn sources(hd: &Header) -> Option<Vec<PathBuf>> {
    let main = ffi_dir().join(format!("{}.rs", hd.name));
    if !main.exists() {
        assert!(PENDING.contains(&hd.name), "src/ffi/{}.rs is missing (every header has a module)", hd.name);
        return None;
    }
    // cbindgen parses each file given to it as a crate root, so it looks
    // for `mod x;` of src/ffi/X.rs in src/ffi/x.rs. Submodule files are
    // passed to it one by one instead; a file src/ffi/x.rs would be parsed
    // into the wrong header.
    for m in mod_decls(&read(&main)) {
        let wrong = ffi_dir().join(format!("{m}.rs"));
        assert!(
            !wrong.exists(),
            "src/ffi/{}.rs declares `mod {m};` and src/ffi/{m}.rs exists: cbindgen would read the latter",
            hd.name
        );
    }
    Some(module_files(&main, &ffi_dir().join(hd.name)))
}

fn fragment(name: &str, part: &str) -> Option<String> {
    let p = ffi_dir().join("headers").join(format!("{name}.{part}.h"));
    p.exists().then(|| read(&p))
}

/// Settings that hold for every header, from cbindgen.toml and the whole
/// of src/ffi.
fn base_config() -> cbindgen::Config {
    let mut config = cbindgen::Config::from_file(root().join("cbindgen.toml")).expect("cbindgen.toml");
    let mut raws = BTreeSet::new();
    let mut internal = BTreeSet::new();
    for f in rs_files(&ffi_dir()) {
        let src = read(&f);
        raws.extend(raw_aliases(&src));
        internal.extend(hidden_fns(&src));
    }
    for raw in raws {
        let target = raw.strip_suffix("_raw").unwrap().to_string();
        config.export.rename.insert(raw.clone(), target);
        config.export.exclude.push(raw);
    }
    config.export.exclude.extend(internal);
    config
}

/// The text of `proton/<name>.h`, or `None` if its module is pending.
fn generate(hd: &Header, base: &cbindgen::Config) -> Option<String> {
    let files = sources(hd)?;
    let rel: Vec<String> = files.iter().map(|f| f.strip_prefix(root()).unwrap().display().to_string()).collect();
    let pre = fragment(hd.name, "pre");
    let post = fragment(hd.name, "post");

    let mut banner = String::new();
    writeln!(banner, "/*").unwrap();
    writeln!(banner, " * proton/{}.h: generated by tests/headers.rs (cbindgen) from", hd.name).unwrap();
    for r in &rel {
        writeln!(banner, " *   {r}").unwrap();
    }
    for (part, text) in [("pre", &pre), ("post", &post)] {
        if text.is_some() {
            writeln!(banner, " *   src/ffi/headers/{}.{part}.h", hd.name).unwrap();
        }
    }
    writeln!(banner, " * Do not edit: change those and run `PN_BLESS=1 cargo test --test headers`.").unwrap();
    writeln!(banner, " *").unwrap();
    writeln!(banner, " * SPDX-License-Identifier: Apache-2.0").unwrap();
    writeln!(banner, " */").unwrap();
    writeln!(banner).unwrap();
    writeln!(banner, "#ifndef {}", hd.guard).unwrap();
    write!(banner, "#define {} 1", hd.guard).unwrap();

    let mut before = String::new();
    if hd.extern_c {
        before.push_str("\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n");
    }
    if let Some(pre) = &pre {
        before.push('\n');
        before.push_str(pre.trim_end());
        before.push('\n');
    }

    let mut after = String::new();
    if let Some(post) = &post {
        after.push_str(post.trim_end());
        after.push_str("\n\n");
    }
    if hd.extern_c {
        after.push_str("#ifdef __cplusplus\n}\n#endif\n\n");
    }
    writeln!(after, "#endif /* {} */", hd.guard).unwrap();

    let mut config = base.clone();
    config.header = Some(banner);
    config.sys_includes = hd.includes.iter().map(|s| s.to_string()).collect();
    config.after_includes = Some(before);
    config.trailer = Some(after);
    config.function.prefix = Some(hd.prefix.to_string());
    for f in &files {
        config.export.include.extend(c_types(&read(f)));
    }

    let mut builder = cbindgen::Builder::new().with_config(config);
    for f in &files {
        builder = builder.with_src(f);
    }
    let bindings = builder.generate().unwrap_or_else(|e| panic!("cbindgen on proton/{}.h: {e}", hd.name));
    let mut out = Vec::new();
    bindings.write(&mut out);
    let text = String::from_utf8(out).expect("cbindgen writes UTF-8");
    Some(tidy(&text, hd.prefix))
}

/// Touch-ups cbindgen has no setting for: statics get the visibility macro
/// too (`PN_EXTERN extern const pn_class_t PN_OBJECT[1];`, which matters
/// for DLL imports), and runs of blank lines become one.
fn tidy(text: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(text.len() + 256);
    let mut blank = false;
    for line in text.lines() {
        if line.trim().is_empty() {
            if !blank {
                out.push('\n');
            }
            blank = true;
            continue;
        }
        blank = false;
        if line.starts_with("extern ") && !line.starts_with("extern \"C\"") {
            out.push_str(prefix);
            out.push(' ');
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn first_difference(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}: checked in `{x}`, generated `{y}`", i + 1);
        }
    }
    format!("checked in {} lines, generated {} lines", a.lines().count(), b.lines().count())
}

/// Generate every header and compare it with the checked-in one (or write
/// it, with PN_BLESS=1); then compile each one alone.
#[test]
fn headers() {
    check_generated();
    check_compile_alone();
}

fn check_generated() {
    assert_eq!(HEADERS.len(), 30);
    // The headers include only each other (and system headers).
    for hd in HEADERS {
        let mut includes: Vec<String> = hd.includes.iter().map(|s| s.to_string()).collect();
        for part in ["pre", "post"] {
            for l in fragment(hd.name, part).unwrap_or_default().lines() {
                if let Some(rest) = l.trim_start().strip_prefix('#') {
                    if let Some(inc) = rest.trim_start().strip_prefix("include") {
                        includes.push(inc.trim().trim_matches(['<', '>', '"']).to_string());
                    }
                }
            }
        }
        for inc in includes {
            if let Some(other) = inc.strip_prefix("proton/") {
                assert!(
                    HEADERS.iter().any(|o| format!("{}.h", o.name) == other),
                    "proton/{}.h includes {inc}, which is not one of the headers made here",
                    hd.name
                );
            }
        }
    }
    let bless = std::env::var_os("PN_BLESS").is_some_and(|v| !v.is_empty() && v != "0");
    let base = base_config();
    let mut problems = Vec::new();
    let mut made = BTreeSet::new();
    for hd in HEADERS {
        let path = include_dir().join(format!("{}.h", hd.name));
        let Some(text) = generate(hd, &base) else {
            eprintln!("proton/{}.h: src/ffi/{}.rs does not exist yet; not generated", hd.name, hd.name);
            if path.exists() {
                made.insert(path); // leave what is there alone
            }
            continue;
        };
        // Generating twice gives the same text.
        assert_eq!(text, generate(hd, &base).unwrap(), "proton/{}.h: generation is not stable", hd.name);
        let old = fs::read_to_string(&path).ok();
        if old.as_deref() != Some(text.as_str()) {
            if bless {
                fs::create_dir_all(include_dir()).unwrap();
                fs::write(&path, &text).unwrap();
                eprintln!("wrote {}", path.display());
            } else {
                problems.push(match &old {
                    None => format!("proton/{}.h: missing", hd.name),
                    Some(old) => format!("proton/{}.h differs: {}", hd.name, first_difference(old, &text)),
                });
            }
        }
        made.insert(path);
    }
    // Headers that are not generated any more.
    for entry in fs::read_dir(include_dir()).into_iter().flatten() {
        let p = entry.unwrap().path();
        if !made.contains(&p) {
            if bless {
                fs::remove_file(&p).unwrap();
                eprintln!("removed {}", p.display());
            } else {
                problems.push(format!("{} is not generated by this test", p.display()));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the headers are out of date; run `PN_BLESS=1 cargo test --test headers`:\n  {}",
        problems.join("\n  ")
    );
}

/// A compiler that can be run, or `None`.
fn compiler(var: &str, default: &str) -> Option<String> {
    let cc = std::env::var(var).unwrap_or_else(|_| default.to_string());
    Command::new(&cc).arg("--version").output().ok().filter(|o| o.status.success()).map(|_| cc)
}

fn check_compile_alone() {
    let compilers = [
        (compiler("CC", "cc"), "c", &["-std=c99", "-Wall", "-Wextra", "-pedantic", "-Werror"][..]),
        (compiler("CXX", "c++"), "cpp", &["-std=c++11", "-Wall", "-Wextra", "-pedantic", "-Werror"][..]),
    ];
    let dir = std::env::temp_dir().join(format!("proton-rs-headers-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let inc = root().join("include");
    // A missing header must not be found in the system's proton-c headers
    // (/usr/include/proton): stand-ins that stop the compiler come first.
    let stubs = dir.join("stubs");
    fs::create_dir_all(stubs.join("proton")).unwrap();
    for hd in HEADERS {
        let text = format!("#error \"proton/{}.h is not generated yet\"\n", hd.name);
        fs::write(stubs.join(format!("proton/{}.h", hd.name)), text).unwrap();
    }
    let mut failures = Vec::new();
    'header: for hd in HEADERS {
        if !include_dir().join(format!("{}.h", hd.name)).exists() {
            continue; // pending
        }
        for (cc, ext, flags) in &compilers {
            let Some(cc) = cc else { continue };
            let src = dir.join(format!("{}.{ext}", hd.name));
            fs::write(
                &src,
                format!("#include <proton/{0}.h>\n#include <proton/{0}.h>\nint main(void) {{ return 0; }}\n", hd.name),
            )
            .unwrap();
            let out = Command::new(cc)
                .args(*flags)
                .arg("-fsyntax-only")
                .arg("-I")
                .arg(&inc)
                .arg("-I")
                .arg(&stubs)
                .arg(&src)
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            if !out.status.success() {
                let missing = PENDING.iter().any(|p| err.contains(&format!("proton/{p}.h is not generated yet")));
                if missing {
                    eprintln!("proton/{}.h: skipped, it includes a header not generated yet", hd.name);
                    continue 'header;
                }
                failures.push(format!("proton/{}.h as {ext} with {cc}:\n{err}", hd.name));
            }
        }
    }
    let _ = fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
