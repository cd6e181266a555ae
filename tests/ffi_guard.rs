//! Every function the library exports to C runs its body inside
//! `boundary::guard`, which turns a panic into the function's failure value
//! (a panic must not reach C). This test reads `src/ffi/**/*.rs` and fails
//! for any `#[unsafe(no_mangle)] ... extern "C" fn` whose body is not a
//! single `guard(...)` call, unless the function is in `ALLOWED` below.
//!
//! (Functions defined through a macro that emits the guard itself are not
//! seen here, which is fine: the macro is the guarantee.)

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Why an exported function may skip the guard.
#[allow(dead_code)] // the reasons are for the reader
enum Why {
    /// It cannot panic: say why.
    CannotPanic(&'static str),
    /// Its body is one call to another exported function, which must pass
    /// this test itself (guarded, or delegating in turn).
    Delegates(&'static str),
}
use Why::*;

/// Exported functions that do not call `guard` directly. Keep it short:
/// anything that allocates, formats, indexes, unwraps or does arithmetic
/// that can overflow belongs inside a guard.
const ALLOWED: &[(&str, Why)] = &[
    // codec.rs
    ("pn_type_name", CannotPanic("a match from pn_type_t values to static C strings")),
    ("pn_data_append", Delegates("pn_data_appendn")),
    // error.rs
    ("pn_code", CannotPanic("a match from constants to static C strings")),
    ("pn_error_free", Delegates("pn_free")),
    // object.rs: PN_VOID's functions do nothing or compare addresses.
    ("pn_void_incref", CannotPanic("empty")),
    ("pn_void_decref", CannotPanic("empty")),
    ("pn_void_refcount", CannotPanic("returns a constant")),
    ("pn_void_hashcode", CannotPanic("returns the address")),
    ("pn_void_compare", CannotPanic("wrapping subtraction of addresses")),
    // object.rs: the object-header helpers every class table calls; a NULL
    // check and one read or write of the header before the object.
    ("pn_object_reify", CannotPanic("reads the class pointer from the header")),
    ("pn_object_incref", CannotPanic("increments the header's count (overflow needs 2^31 references)")),
    ("pn_object_refcount", CannotPanic("reads the header's count")),
    ("pn_object_decref", CannotPanic("decrements the header's count when positive")),
    ("pn_object_free", CannotPanic("libc::free of the block")),
    // object.rs: the generic operations pass PN_OBJECT to the class ones.
    ("pn_incref", Delegates("pn_class_incref")),
    ("pn_decref", Delegates("pn_class_decref")),
    ("pn_refcount", Delegates("pn_class_refcount")),
    ("pn_free", Delegates("pn_class_free")),
    ("pn_hashcode", Delegates("pn_class_hashcode")),
    ("pn_compare", Delegates("pn_class_compare")),
    ("pn_equals", Delegates("pn_class_equals")),
    ("pn_inspect", Delegates("pn_class_inspect")),
];

/// An exported function as found in the source.
struct Export {
    file: PathBuf,
    line: usize,
    /// The body without comments, string contents or outer braces.
    body: String,
}

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rs_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// `src` with comments removed and the contents of string and character
/// literals blanked (so braces and words in them do not count). Newlines
/// are kept, so byte offsets map to the same lines.
fn code_only(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let blank = |c: u8| if c == b'\n' { b'\n' } else { b' ' };
    while i < b.len() {
        let c = b[i];
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                out.push(b' ');
                i += 1;
            }
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                    depth += 1;
                    out.extend_from_slice(b"  ");
                    i += 2;
                } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                    depth -= 1;
                    out.extend_from_slice(b"  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(b[i]));
                    i += 1;
                }
            }
        } else if c == b'r'
            && (b.get(i + 1) == Some(&b'"') || b.get(i + 1) == Some(&b'#'))
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
        {
            // raw string r"..." / r#"..."#
            let mut j = i + 1;
            while b.get(j) == Some(&b'#') {
                j += 1;
            }
            if b.get(j) != Some(&b'"') {
                out.push(c);
                i += 1;
                continue;
            }
            let hashes = j - i - 1;
            out.extend(std::iter::repeat_n(b' ', j - i + 1));
            i = j + 1;
            while i < b.len() {
                if b[i] == b'"' && b[i + 1..].iter().take(hashes).filter(|&&h| h == b'#').count() == hashes {
                    out.extend(std::iter::repeat_n(b' ', 1 + hashes));
                    i += 1 + hashes;
                    break;
                }
                out.push(blank(b[i]));
                i += 1;
            }
        } else if c == b'"' {
            out.push(b'"');
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    out.push(b' ');
                    i += 1;
                }
                if i < b.len() {
                    out.push(blank(b[i]));
                    i += 1;
                }
            }
            out.push(b'"');
            i += 1;
        } else if c == b'\'' {
            // A char literal ('x', '\n', '\u{..}') or a lifetime ('a).
            let end = if b.get(i + 1) == Some(&b'\\') {
                b[i + 2..].iter().position(|&x| x == b'\'').map(|p| i + 2 + p)
            } else if b.get(i + 2) == Some(&b'\'') {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(e) => {
                    out.extend(std::iter::repeat_n(b' ', e + 1 - i));
                    i = e + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// The index of the bracket closing the one at `open`.
fn matching(s: &[u8], open: usize) -> usize {
    let (o, c) = (
        s[open],
        match s[open] {
            b'(' => b')',
            b'{' => b'}',
            b'[' => b']',
            _ => panic!("not a bracket"),
        },
    );
    let mut depth = 0;
    for (i, &x) in s.iter().enumerate().skip(open) {
        if x == o {
            depth += 1;
        } else if x == c {
            depth -= 1;
            if depth == 0 {
                return i;
            }
        }
    }
    panic!("unbalanced brackets");
}

fn ident(s: &str) -> &str {
    let end = s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(s.len());
    &s[..end]
}

/// The exported functions of one file.
fn exports(file: &Path, out: &mut BTreeMap<String, Export>) {
    let src = fs::read_to_string(file).unwrap();
    let code = code_only(&src);
    let b = code.as_bytes();
    let mut from = 0;
    while let Some(p) = code[from..].find("no_mangle") {
        let at = from + p;
        from = at + 1;
        // The item after the attribute: up to its first `{` or `;`.
        let Some(item_end) = code[at..].find(['{', ';', '=']).map(|e| at + e) else { break };
        let head = &code[at..item_end];
        let Some(f) = head.find(" fn ") else { continue }; // a static
        let original = &src[at..item_end]; // code_only keeps byte offsets
        assert!(
            original.contains("extern \"C\"") || original.contains("extern \"C-unwind\""),
            "{}: no_mangle fn without extern \"C\"",
            file.display()
        );
        let after_fn = head[f + 4..].trim_start();
        let line = src[..at].lines().count();
        // In a macro_rules! template the name is a metavariable (`$name`);
        // the template's body is checked like any other.
        let name = match after_fn.strip_prefix('$') {
            Some(var) => format!("${}@{}:{line}", ident(var), file.display()),
            None => ident(after_fn).to_string(),
        };
        // The body: the first `{` after the parameter list, at depth 0.
        let params = at + f + 4 + head[f + 4..].find('(').unwrap();
        let after = matching(b, params) + 1;
        let open = after + code[after..].find('{').unwrap();
        let close = matching(b, open);
        let body = code[open + 1..close].trim().to_string();
        let prev = out.insert(name.clone(), Export { file: file.to_path_buf(), line, body });
        assert!(prev.is_none(), "{name} is exported twice");
    }
}

/// The body is one call of `guard(...)` (path-qualified or not), nothing
/// before it and nothing but `;` after it.
fn is_guarded(body: &str) -> bool {
    let Some(g) = body.find("guard(") else { return false };
    // Before it, nothing or a path: `boundary::`, `crate::ffi::boundary::`.
    let path = &body[..g];
    let is_path = path.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':');
    if !(path.is_empty() || (is_path && path.ends_with("::"))) {
        return false;
    }
    let open = g + "guard".len();
    let close = matching(body.as_bytes(), open);
    let rest = body[close + 1..].trim();
    rest.is_empty() || rest == ";"
}

/// The body is a call of `callee` and calls nothing else that could
/// panic: only method calls on the arguments like `.as_ptr()`/`.cast()`.
fn delegates_to(body: &str, callee: &str) -> bool {
    let body = body.trim();
    let body = body.strip_prefix("unsafe").map(str::trim).unwrap_or(body);
    let body = body.strip_prefix('{').and_then(|b| b.strip_suffix('}')).map(str::trim).unwrap_or(body);
    // Optionally path-qualified: `super::object::pn_free(...)`.
    let Some(at) = body.find(&format!("{callee}(")) else { return false };
    let path = &body[..at];
    let is_path = path.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':');
    if !(path.is_empty() || (is_path && path.ends_with("::"))) {
        return false;
    }
    let args = &body[at + callee.len()..];
    if !args.starts_with('(') {
        return false;
    }
    let close = matching(args.as_bytes(), 0);
    let rest = args[close + 1..].trim();
    if !(rest.is_empty() || rest == ";") {
        return false;
    }
    // Calls inside the arguments: only these harmless methods.
    let inner = &args[1..close];
    let mut ok = true;
    for (i, _) in inner.match_indices('(') {
        let before = inner[..i].trim_end();
        let word_start = before.rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).map_or(0, |p| p + 1);
        let word = &before[word_start..];
        let is_method = before[..word_start].ends_with('.');
        ok &= is_method && matches!(word, "as_ptr" | "cast" | "cast_mut" | "cast_const");
    }
    ok
}

#[test]
fn every_export_is_guarded() {
    let mut files = Vec::new();
    rs_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ffi"), &mut files);
    let mut all = BTreeMap::new();
    for f in &files {
        exports(f, &mut all);
    }
    assert!(!all.is_empty(), "found no exported functions; is the scanner broken?");
    eprintln!("{} exported functions", all.len());

    let allowed: BTreeMap<&str, &Why> = ALLOWED.iter().map(|(n, w)| (*n, w)).collect();
    assert_eq!(allowed.len(), ALLOWED.len(), "a function is listed twice in ALLOWED");

    fn passes(name: &str, all: &BTreeMap<String, Export>, allowed: &BTreeMap<&str, &Why>, depth: usize) -> bool {
        let Some(e) = all.get(name) else { return false };
        if is_guarded(&e.body) {
            return true;
        }
        match allowed.get(name) {
            Some(CannotPanic(_)) => true,
            Some(Delegates(callee)) => {
                depth < 8 && delegates_to(&e.body, callee) && passes(callee, all, allowed, depth + 1)
            }
            None => false,
        }
    }

    let mut problems = Vec::new();
    for (name, e) in &all {
        if !passes(name, &all, &allowed, 0) {
            let why = match allowed.get(name.as_str()) {
                Some(Delegates(callee)) => {
                    format!(
                        "listed as delegating to {callee}, but the body is not just that call or {callee} is not guarded"
                    )
                }
                _ => "the body is not a single `guard(...)` call".to_string(),
            };
            problems.push(format!("{}:{}: {name}: {why}", e.file.display(), e.line));
        }
    }
    // Entries for functions that are gone, or that are guarded now.
    for (name, _) in ALLOWED {
        match all.get(*name) {
            None => problems.push(format!("ALLOWED lists {name}, which is not exported any more")),
            Some(e) if is_guarded(&e.body) => {
                problems.push(format!("ALLOWED lists {name}, which calls guard now; remove the entry"))
            }
            _ => {}
        }
    }
    assert!(problems.is_empty(), "exported functions that can let a panic reach C:\n  {}", problems.join("\n  "));
}

#[test]
fn scanner_sees_bodies() {
    let src = r#"
/// doc { with a brace
#[unsafe(no_mangle)]
pub unsafe extern "C" fn a(x: Option<unsafe extern "C" fn(p: *mut u8) -> i32>) -> c_int {
    // a comment with guard( in it
    guard(|| { let c = '}'; let s = "}{"; 0 })
}
#[unsafe(no_mangle)]
pub static S: i32 = 0;
#[unsafe(no_mangle)]
pub extern "C" fn b() -> i32 { let _ = "guard(x)"; 1 }
#[unsafe(no_mangle)]
pub unsafe extern "C" fn c(o: *mut c_void) -> c_int {
    // SAFETY: comment
    unsafe { pn_class_refcount(PN_OBJECT.as_ptr(), o) }
}
#[unsafe(no_mangle)]
pub unsafe extern "C" fn e(o: *mut c_void) {
    unsafe { super::object::pn_free(o.cast()) }
}
#[unsafe(no_mangle)]
pub unsafe extern "C" fn f(o: *mut c_void) {
    unsafe { pn_free(make(o)) }
}
macro_rules! m {
    ($name:ident) => {
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name(o: *mut c_void) -> c_int {
            guard(|| 0)
        }
    };
}
#[unsafe(no_mangle)]
pub unsafe extern "C" fn d(o: *mut c_void) -> c_int {
    crate::ffi::boundary::guard(|| 1);
}
"#;
    let dir = std::env::temp_dir().join(format!("proton-rs-ffi-guard-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let f = dir.join("t.rs");
    fs::write(&f, src).unwrap();
    let mut all = BTreeMap::new();
    exports(&f, &mut all);
    let _ = fs::remove_dir_all(&dir);
    let template = all.keys().find(|k| k.starts_with("$name@")).expect("the macro template").clone();
    assert!(is_guarded(&all.remove(&template).unwrap().body));
    assert_eq!(all.keys().collect::<Vec<_>>(), ["a", "b", "c", "d", "e", "f"]);
    assert!(delegates_to(&all["e"].body, "pn_free"));
    assert!(!delegates_to(&all["f"].body, "pn_free"));
    assert!(is_guarded(&all["a"].body));
    assert!(!is_guarded(&all["b"].body));
    assert!(!is_guarded(&all["c"].body));
    assert!(delegates_to(&all["c"].body, "pn_class_refcount"));
    assert!(!delegates_to(&all["c"].body, "pn_class_decref"));
    assert!(is_guarded(&all["d"].body));
}
