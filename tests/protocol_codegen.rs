//! `src/protocol/generated.rs` is generated from the AMQP 1.0 specification
//! in machine-readable form (`tests/data/spec/*.xml`) and checked in. This
//! test regenerates it and fails on any difference;
//! `PN_BLESS=1 cargo test --test protocol_codegen` rewrites it.
//!
//! What is generated, per composite type (performatives, termini,
//! delivery states, error, SASL frames, transaction types): a module with
//! its descriptor code and symbol, the field table (name, type, mandatory,
//! multiple, default) and one index constant per field (in `field`). Per restricted
//! symbol type that provides `error-condition`: one constant per condition
//! name. The encoders and decoders in `src/protocol/` use these names
//! rather than numbers typed by hand.
//!
//! The XML is regular (one element per line, attributes in double quotes),
//! so a small line reader is enough.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

struct Field {
    name: String,
    ty: String,
    mandatory: bool,
    multiple: bool,
    default: Option<String>,
}

struct Composite {
    name: String,
    code: u64,
    symbol: String,
    fields: Vec<Field>,
}

struct Restricted {
    name: String,
    source: String,
    provides: String,
    choices: Vec<(String, String)>,
}

/// Attribute `key` of an element line.
fn attr(line: &str, key: &str) -> Option<String> {
    let pat = format!(" {key}=\"");
    let start = line.find(&pat)? + pat.len();
    let end = line[start..].find('"')? + start;
    Some(line[start..end].to_string())
}

fn parse(xml: &str, composites: &mut Vec<Composite>, restricted: &mut Vec<Restricted>) {
    enum Cur {
        None,
        Composite(Composite),
        Restricted(Restricted),
    }
    let mut cur = Cur::None;
    let mut in_comment = false;
    for raw in xml.lines() {
        let line = raw.trim();
        if in_comment {
            if line.contains("-->") {
                in_comment = false;
            }
            continue;
        }
        if line.starts_with("<!--") {
            in_comment = !line.contains("-->");
            continue;
        }
        if line.starts_with("<type ") {
            let name = attr(line, "name").expect("type name");
            let class = attr(line, "class").unwrap_or_default();
            let closed = line.ends_with("/>");
            cur = match class.as_str() {
                "composite" => Cur::Composite(Composite { name, code: 0, symbol: String::new(), fields: Vec::new() }),
                "restricted" => Cur::Restricted(Restricted {
                    name,
                    source: attr(line, "source").unwrap_or_default(),
                    provides: attr(line, "provides").unwrap_or_default(),
                    choices: Vec::new(),
                }),
                _ => Cur::None,
            };
            if closed {
                if let Cur::Restricted(r) = std::mem::replace(&mut cur, Cur::None) {
                    restricted.push(r);
                }
            }
        } else if line.starts_with("<descriptor ") {
            if let Cur::Composite(c) = &mut cur {
                c.symbol = attr(line, "name").expect("descriptor name");
                let code = attr(line, "code").expect("descriptor code");
                let (hi, lo) = code.split_once(':').expect("code hi:lo");
                let hi = u64::from_str_radix(hi.trim_start_matches("0x"), 16).unwrap();
                let lo = u64::from_str_radix(lo.trim_start_matches("0x"), 16).unwrap();
                c.code = (hi << 32) | lo;
            }
        } else if line.starts_with("<field ") {
            if let Cur::Composite(c) = &mut cur {
                c.fields.push(Field {
                    name: attr(line, "name").expect("field name"),
                    ty: attr(line, "type").expect("field type"),
                    mandatory: attr(line, "mandatory").as_deref() == Some("true"),
                    multiple: attr(line, "multiple").as_deref() == Some("true"),
                    default: attr(line, "default"),
                });
            }
        } else if line.starts_with("<choice ") {
            if let Cur::Restricted(r) = &mut cur {
                r.choices.push((attr(line, "name").unwrap(), attr(line, "value").unwrap()));
            }
        } else if line.starts_with("</type>") {
            match std::mem::replace(&mut cur, Cur::None) {
                Cur::Composite(c) => composites.push(c),
                Cur::Restricted(r) => restricted.push(r),
                Cur::None => {}
            }
        }
    }
}

fn ident(name: &str) -> String {
    let mut s: String = name.chars().map(|c| if c == '-' || c == ':' || c == '.' { '_' } else { c }).collect();
    if s == "type" {
        s = "type_".into();
    }
    s
}

fn upper(name: &str) -> String {
    ident(name).to_ascii_uppercase()
}

fn generate(root: &Path) -> String {
    let mut composites = Vec::new();
    let mut restricted = Vec::new();
    for file in ["types", "transport", "messaging", "security", "transactions"] {
        let xml = fs::read_to_string(root.join(format!("tests/data/spec/{file}.xml"))).unwrap();
        parse(&xml, &mut composites, &mut restricted);
    }
    let mut out = String::new();
    out.push_str(
        "// @generated by tests/protocol_codegen.rs from tests/data/spec/*.xml.\n\
         // Do not edit: run `PN_BLESS=1 cargo test --test protocol_codegen`.\n\
         //! AMQP 1.0 described types and error conditions, from the specification.\n\
         #![allow(dead_code)]\n\n\
         /// A field of a composite type.\n\
         #[derive(Debug, Clone, Copy)]\n\
         pub struct FieldDef {\n    pub name: &'static str,\n    pub ty: &'static str,\n    \
         pub mandatory: bool,\n    pub multiple: bool,\n    pub default: Option<&'static str>,\n}\n\n",
    );
    for c in &composites {
        let m = ident(&c.name);
        writeln!(out, "/// `{}` ({}).", c.name, c.symbol).unwrap();
        writeln!(out, "pub mod {m} {{").unwrap();
        writeln!(out, "    use super::FieldDef;").unwrap();
        writeln!(out, "    pub const NAME: &str = \"{}\";", c.name).unwrap();
        writeln!(out, "    pub const DESCRIPTOR: u64 = {:#x};", c.code).unwrap();
        writeln!(out, "    pub const SYMBOL: &str = \"{}\";", c.symbol).unwrap();
        writeln!(out, "    pub const FIELDS: &[FieldDef] = &[").unwrap();
        for f in &c.fields {
            let default = match &f.default {
                Some(d) => format!("Some(\"{d}\")"),
                None => "None".into(),
            };
            writeln!(
                out,
                "        FieldDef {{ name: \"{}\", ty: \"{}\", mandatory: {}, multiple: {}, default: {} }},",
                f.name, f.ty, f.mandatory, f.multiple, default
            )
            .unwrap();
        }
        writeln!(out, "    ];").unwrap();
        writeln!(out, "    /// Field positions.").unwrap();
        writeln!(out, "    pub mod field {{").unwrap();
        for (i, f) in c.fields.iter().enumerate() {
            writeln!(out, "        pub const {}: usize = {i};", upper(&f.name)).unwrap();
        }
        writeln!(out, "    }}").unwrap();
        writeln!(out, "}}\n").unwrap();
    }
    writeln!(out, "/// Every composite type: (descriptor, name, field names).").unwrap();
    writeln!(out, "pub const DESCRIBED_TYPES: &[(u64, &str, &[FieldDef])] = &[").unwrap();
    for c in &composites {
        let m = ident(&c.name);
        writeln!(out, "    ({m}::DESCRIPTOR, {m}::NAME, {m}::FIELDS),").unwrap();
    }
    writeln!(out, "];\n").unwrap();
    for r in &restricted {
        if r.source == "symbol" && r.provides.split(',').any(|p| p.trim() == "error-condition") {
            writeln!(out, "/// Conditions of `{}`.", r.name).unwrap();
            writeln!(out, "pub mod {} {{", ident(&r.name)).unwrap();
            for (name, value) in &r.choices {
                writeln!(out, "    pub const {}: &str = \"{value}\";", upper(name)).unwrap();
            }
            writeln!(out, "}}\n").unwrap();
        }
    }
    out
}

#[test]
fn generated_protocol_matches_spec() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join("src/protocol/generated.rs");
    let want = generate(root);
    if std::env::var_os("PN_BLESS").is_some() {
        fs::write(&path, &want).unwrap();
        return;
    }
    let have = fs::read_to_string(&path).unwrap_or_default();
    assert!(have == want, "src/protocol/generated.rs is stale: run PN_BLESS=1 cargo test --test protocol_codegen");
}
