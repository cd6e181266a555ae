//! `proton/codec.h`: AMQP values (`pn_atom_t`) and the value tree
//! `pn_data_t`, over [`crate::codec::Data`].
//!
//! `pn_data_fill`/`pn_data_scan` and their `va_list` forms are variadic,
//! so they are written in C (`src/ffi/c/codec_fill_scan.c`) over these
//! functions and a few internal `pnrs_data_*` helpers at the end of this
//! file.
//!
//! Lifetimes: a `pn_bytes_t` returned by `pn_data_get_*` (and the bytes of
//! a `pn_atom_t` from `pn_data_get_atom`) points into storage owned by the
//! `pn_data_t`; it stays valid until the next call that adds to the data
//! (any put, decode, fill, copy or append), `pn_data_clear` or
//! `pn_data_free`.
#![allow(non_camel_case_types)]

use std::ffi::{CStr, c_char, c_int, c_void};
use std::ptr;

use super::boundary::{FfiDefault, guard, try_mut, try_ref};
use super::error::{ErrorState, PN_ARG_ERR, PN_OVERFLOW, pn_error, pn_error_free, pn_error_t};
use super::handle::{Handle, handle};
use super::object::{new_object, pn_free, pn_handle_t, rust_class};
use super::types::{
    enum_from_raw, pn_bytes_t, pn_char_t, pn_decimal32_t, pn_decimal64_t, pn_decimal128_t, pn_timestamp_t, pn_uuid_t,
};
use crate::codec::error::CodecError;
use crate::codec::{Atom, Data, Type};

/// Type codes of AMQP values, as found in a `pn_data_t` node or a
/// `pn_atom_t`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum pn_type_t {
    /// AMQP `null`: the absence of a value.
    PN_NULL = 1,
    /// AMQP `boolean`, a C `bool`.
    PN_BOOL = 2,
    /// AMQP `ubyte`, a `uint8_t`.
    PN_UBYTE = 3,
    /// AMQP `byte`, an `int8_t`.
    PN_BYTE = 4,
    /// AMQP `ushort`, a `uint16_t`.
    PN_USHORT = 5,
    /// AMQP `short`, an `int16_t`.
    PN_SHORT = 6,
    /// AMQP `uint`, a `uint32_t`.
    PN_UINT = 7,
    /// AMQP `int`, an `int32_t`.
    PN_INT = 8,
    /// AMQP `char`: one Unicode code point, held in a `pn_char_t` (32 bits).
    PN_CHAR = 9,
    /// AMQP `ulong`, a `uint64_t`.
    PN_ULONG = 10,
    /// AMQP `long`, an `int64_t`.
    PN_LONG = 11,
    /// AMQP `timestamp`: a `pn_timestamp_t` (`int64_t`) counting milliseconds
    /// from the Unix epoch; negative before it.
    PN_TIMESTAMP = 12,
    /// AMQP `float`: IEEE 754 binary32, a C `float`.
    PN_FLOAT = 13,
    /// AMQP `double`: IEEE 754 binary64, a C `double`.
    PN_DOUBLE = 14,
    /// AMQP `decimal32`: IEEE 754 decimal32, kept as its raw 32 bits
    /// (`pn_decimal32_t`).
    PN_DECIMAL32 = 15,
    /// AMQP `decimal64`: IEEE 754 decimal64, kept as its raw 64 bits
    /// (`pn_decimal64_t`).
    PN_DECIMAL64 = 16,
    /// AMQP `decimal128`: IEEE 754 decimal128, kept as its 16 raw bytes
    /// (`pn_decimal128_t`).
    PN_DECIMAL128 = 17,
    /// AMQP `uuid`: 16 raw bytes (`pn_uuid_t`).
    PN_UUID = 18,
    /// AMQP `binary`: opaque bytes, any number of them (`pn_bytes_t`).
    PN_BINARY = 19,
    /// AMQP `string`: UTF-8 text of any length (`pn_bytes_t`, no terminating
    /// NUL).
    PN_STRING = 20,
    /// AMQP `symbol`: ASCII text of any length, used for names and keys
    /// (`pn_bytes_t`, no terminating NUL).
    PN_SYMBOL = 21,
    /// A value tagged with a descriptor. In a `pn_data_t` it has two
    /// children: the descriptor, then the value.
    PN_DESCRIBED = 22,
    /// AMQP `array`: child values that all share one element type, optionally
    /// preceded by a descriptor.
    PN_ARRAY = 23,
    /// AMQP `list`: an ordered run of child values, each of any type.
    PN_LIST = 24,
    /// AMQP `map`: child values taken in pairs, key then value, each of any
    /// type.
    PN_MAP = 25,
    /// Not a type. Type queries answer this when there is nothing to report,
    /// e.g. no current node.
    PN_INVALID = -1,
}

/// `pn_type_t` as C passes it (any int); convert with `from_raw`.
pub type pn_type_t_raw = c_int;

enum_from_raw!(pn_type_t {
    PN_NULL,
    PN_BOOL,
    PN_UBYTE,
    PN_BYTE,
    PN_USHORT,
    PN_SHORT,
    PN_UINT,
    PN_INT,
    PN_CHAR,
    PN_ULONG,
    PN_LONG,
    PN_TIMESTAMP,
    PN_FLOAT,
    PN_DOUBLE,
    PN_DECIMAL32,
    PN_DECIMAL64,
    PN_DECIMAL128,
    PN_UUID,
    PN_BINARY,
    PN_STRING,
    PN_SYMBOL,
    PN_DESCRIBED,
    PN_ARRAY,
    PN_LIST,
    PN_MAP,
    PN_INVALID,
});

impl From<Option<Type>> for pn_type_t {
    fn from(t: Option<Type>) -> pn_type_t {
        t.and_then(|t| pn_type_t::from_raw(t as c_int)).unwrap_or(pn_type_t::PN_INVALID)
    }
}

impl FfiDefault for pn_type_t {
    fn ffi_default() -> Self {
        pn_type_t::PN_INVALID
    }
}

/// The name of a type code as a C string: the constant's own name
/// (`"PN_INT"`, ...), or `"<UNKNOWN>"` for `PN_INVALID` and for numbers that
/// are no type. The string is static: never NULL, never to be freed.
#[unsafe(no_mangle)]
pub extern "C" fn pn_type_name(r#type: pn_type_t_raw) -> *const c_char {
    let name: &'static CStr = match pn_type_t::from_raw(r#type) {
        Some(pn_type_t::PN_NULL) => c"PN_NULL",
        Some(pn_type_t::PN_BOOL) => c"PN_BOOL",
        Some(pn_type_t::PN_UBYTE) => c"PN_UBYTE",
        Some(pn_type_t::PN_BYTE) => c"PN_BYTE",
        Some(pn_type_t::PN_USHORT) => c"PN_USHORT",
        Some(pn_type_t::PN_SHORT) => c"PN_SHORT",
        Some(pn_type_t::PN_UINT) => c"PN_UINT",
        Some(pn_type_t::PN_INT) => c"PN_INT",
        Some(pn_type_t::PN_CHAR) => c"PN_CHAR",
        Some(pn_type_t::PN_ULONG) => c"PN_ULONG",
        Some(pn_type_t::PN_LONG) => c"PN_LONG",
        Some(pn_type_t::PN_TIMESTAMP) => c"PN_TIMESTAMP",
        Some(pn_type_t::PN_FLOAT) => c"PN_FLOAT",
        Some(pn_type_t::PN_DOUBLE) => c"PN_DOUBLE",
        Some(pn_type_t::PN_DECIMAL32) => c"PN_DECIMAL32",
        Some(pn_type_t::PN_DECIMAL64) => c"PN_DECIMAL64",
        Some(pn_type_t::PN_DECIMAL128) => c"PN_DECIMAL128",
        Some(pn_type_t::PN_UUID) => c"PN_UUID",
        Some(pn_type_t::PN_BINARY) => c"PN_BINARY",
        Some(pn_type_t::PN_STRING) => c"PN_STRING",
        Some(pn_type_t::PN_SYMBOL) => c"PN_SYMBOL",
        Some(pn_type_t::PN_DESCRIBED) => c"PN_DESCRIBED",
        Some(pn_type_t::PN_ARRAY) => c"PN_ARRAY",
        Some(pn_type_t::PN_LIST) => c"PN_LIST",
        Some(pn_type_t::PN_MAP) => c"PN_MAP",
        Some(pn_type_t::PN_INVALID) | None => c"<UNKNOWN>",
    };
    name.as_ptr()
}

/// The value part of a `pn_atom_t`. Only the member matching the atom's
/// `type` is meaningful.
#[repr(C)]
#[derive(Clone, Copy)]
pub union pn_atom_u {
    /// Holds the value of a `PN_BOOL` atom.
    pub as_bool: bool,
    /// Holds the value of a `PN_UBYTE` atom.
    pub as_ubyte: u8,
    /// Holds the value of a `PN_BYTE` atom.
    pub as_byte: i8,
    /// Holds the value of a `PN_USHORT` atom.
    pub as_ushort: u16,
    /// Holds the value of a `PN_SHORT` atom.
    pub as_short: i16,
    /// Holds the value of a `PN_UINT` atom.
    pub as_uint: u32,
    /// Holds the value of a `PN_INT` atom.
    pub as_int: i32,
    /// Holds the value of a `PN_CHAR` atom.
    pub as_char: pn_char_t,
    /// Holds the value of a `PN_ULONG` atom.
    pub as_ulong: u64,
    /// Holds the value of a `PN_LONG` atom.
    pub as_long: i64,
    /// Holds the value of a `PN_TIMESTAMP` atom.
    pub as_timestamp: pn_timestamp_t,
    /// Holds the value of a `PN_FLOAT` atom.
    pub as_float: f32,
    /// Holds the value of a `PN_DOUBLE` atom.
    pub as_double: f64,
    /// Holds the value of a `PN_DECIMAL32` atom.
    pub as_decimal32: pn_decimal32_t,
    /// Holds the value of a `PN_DECIMAL64` atom.
    pub as_decimal64: pn_decimal64_t,
    /// Holds the value of a `PN_DECIMAL128` atom.
    pub as_decimal128: pn_decimal128_t,
    /// Holds the value of a `PN_UUID` atom.
    pub as_uuid: pn_uuid_t,
    /// Holds the value of a `PN_BINARY`, `PN_STRING` (UTF-8) or `PN_SYMBOL`
    /// (ASCII) atom. The bytes carry no terminating NUL, and the atom does
    /// not own them: whoever produced the atom does (for `pn_data_get_atom`,
    /// the `pn_data_t`).
    pub as_bytes: pn_bytes_t,
}

/// One scalar AMQP value together with its type code: `type` selects which
/// member of `u` holds the value.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct pn_atom_t {
    /// The value's type (a `pn_type_t`); it decides which member of `u` to
    /// read.
    pub r#type: pn_type_t_raw,
    /// The value itself.
    pub u: pn_atom_u,
}

/// What a message-id or correlation-id field holds. It is simply `pn_atom_t`
/// under another name; AMQP allows only ulong, uuid, binary and string values
/// there.
pub type pn_msgid_t = pn_atom_t;

#[cfg(target_pointer_width = "64")]
const _: () = {
    use std::mem::{align_of, offset_of, size_of};
    assert!(size_of::<pn_atom_t>() == 24 && align_of::<pn_atom_t>() == 8);
    assert!(offset_of!(pn_atom_t, r#type) == 0 && offset_of!(pn_atom_t, u) == 8);
    assert!(size_of::<pn_atom_u>() == 16);
    assert!(size_of::<pn_type_t>() == 4);
};

impl pn_atom_t {
    /// An atom of type `t` with all value bytes zero.
    fn zeroed(t: c_int) -> pn_atom_t {
        pn_atom_t { r#type: t, u: pn_atom_u { as_decimal128: pn_decimal128_t { bytes: [0; 16] } } }
    }

    /// The atom C sees for a scalar; its bytes point into the scalar's.
    /// Bytes of the union the value does not use are zero.
    fn from_atom(a: Atom<'_>) -> pn_atom_t {
        let mut out = pn_atom_t::zeroed(a.type_of() as c_int);
        let u = &mut out.u;
        match a {
            Atom::Null => {}
            Atom::Bool(v) => u.as_bool = v,
            Atom::Ubyte(v) => u.as_ubyte = v,
            Atom::Byte(v) => u.as_byte = v,
            Atom::Ushort(v) => u.as_ushort = v,
            Atom::Short(v) => u.as_short = v,
            Atom::Uint(v) => u.as_uint = v,
            Atom::Int(v) => u.as_int = v,
            Atom::Char(v) => u.as_char = v,
            Atom::Ulong(v) => u.as_ulong = v,
            Atom::Long(v) => u.as_long = v,
            Atom::Timestamp(v) => u.as_timestamp = v,
            Atom::Float(v) => u.as_float = v,
            Atom::Double(v) => u.as_double = v,
            Atom::Decimal32(v) => u.as_decimal32 = v,
            Atom::Decimal64(v) => u.as_decimal64 = v,
            Atom::Decimal128(v) => u.as_decimal128 = pn_decimal128_t { bytes: v.map(|b| b as c_char) },
            Atom::Uuid(v) => u.as_uuid = pn_uuid_t { bytes: v.map(|b| b as c_char) },
            Atom::Binary(b) | Atom::String(b) | Atom::Symbol(b) => u.as_bytes = pn_bytes_t::from_slice(b),
        }
        out
    }
}

impl FfiDefault for pn_atom_t {
    fn ffi_default() -> Self {
        pn_atom_t::zeroed(pn_type_t::PN_INVALID as c_int)
    }
}

impl FfiDefault for pn_uuid_t {
    fn ffi_default() -> Self {
        pn_uuid_t { bytes: [0; 16] }
    }
}

impl FfiDefault for pn_decimal128_t {
    fn ffi_default() -> Self {
        pn_decimal128_t { bytes: [0; 16] }
    }
}

/// A tree of AMQP values with a cursor: a current node (possibly none) and
/// its parent. The cursor moves with `pn_data_next`, `pn_data_prev`,
/// `pn_data_enter` and `pn_data_exit`. Each put (and `pn_data_decode`) writes
/// the node after the current one, replacing it if there is one and adding it
/// otherwise, and that node becomes current. The whole tree encodes to, and
/// decodes from, the AMQP wire format.
pub struct pn_data_t {
    _private: [u8; 0],
}

/// The Rust side of `pn_data_t`: the tree and the error it reports.
pub struct PnData {
    pub data: Data,
    /// Made by `pn_error()` on first use (most trees never fail, and an
    /// idle connection holds several); freed with the data.
    error: *mut pn_error_t,
}

impl PnData {
    fn new(capacity: usize) -> PnData {
        PnData { data: Data::with_capacity(capacity), error: ptr::null_mut() }
    }

    /// The error object, made now if need be.
    fn error(&mut self) -> *mut pn_error_t {
        if self.error.is_null() {
            self.error = pn_error();
        }
        self.error
    }

    /// The error's state; `None` while no error object was made (no code).
    fn error_state(&mut self) -> Option<&mut ErrorState> {
        // SAFETY: `error` is NULL or the live error made by `error()`,
        // owned by this object and reachable only through it.
        unsafe { pn_error_t::as_mut(self.error) }
    }

    /// Record `e` as proton does and return its code.
    fn fail(&mut self, e: &CodecError) -> c_int {
        if e.is_recorded() {
            self.error();
            if let Some(state) = self.error_state() {
                state.set(e.code(), &e.to_string());
            }
        }
        e.code()
    }

    /// 0, or the code of the error (recorded).
    fn status(&mut self, r: Result<(), CodecError>) -> c_int {
        match r {
            Ok(()) => 0,
            Err(e) => self.fail(&e),
        }
    }
}

impl Drop for PnData {
    fn drop(&mut self) {
        // SAFETY: `error` is NULL or came from pn_error(), and is freed
        // only here.
        unsafe { pn_error_free(self.error) };
    }
}

rust_class!(PnData, PN_DATA_CLASS, "pn_data", CID_pn_data, inspect = data_inspect);
handle!(pn_data_t => PnData);

/// A data object prints as `pn_data_format` text.
unsafe extern "C" fn data_inspect(object: *mut c_void, dst: *mut super::object::pn_string_t) -> c_int {
    guard(|| {
        // SAFETY: called through the pn_data class on one of its objects.
        let d = try_ref!(object.cast::<pn_data_t>());
        let text = d.data.format();
        // SAFETY: dst is a live string (the inspect contract).
        unsafe { super::object::string::append(dst, &text) }
    })
}

/// A new `pn_data_t` for Rust code elsewhere in the crate (messages,
/// terminus properties, ...); free it with `pn_data_free`.
pub fn new_data(capacity: usize) -> *mut pn_data_t {
    pn_data_t::from_target(new_object(PnData::new(capacity)))
}

/// The tree behind a `pn_data_t`, for Rust code elsewhere in the crate.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`, not otherwise borrowed for
/// `'a`.
pub unsafe fn data_mut<'a>(data: *mut pn_data_t) -> Option<&'a mut Data> {
    // SAFETY: per the contract.
    unsafe { pn_data_t::as_mut(data) }.map(|d| &mut d.data)
}

/// The bytes a `pn_bytes_t` from C names (empty for a NULL start).
///
/// # Safety
/// `b.start` must be NULL or point at `b.size` readable bytes.
unsafe fn c_bytes<'a>(b: pn_bytes_t) -> &'a [u8] {
    if b.start.is_null() || b.size == 0 {
        &[]
    } else {
        // SAFETY: per the contract.
        unsafe { std::slice::from_raw_parts(b.start.cast::<u8>(), b.size) }
    }
}

/// `pn_bytes_t` for a getter: `{0, NULL}` when the node is not of the type.
fn bytes_or_null(b: Option<&[u8]>) -> pn_bytes_t {
    b.map_or(pn_bytes_t::NULL, pn_bytes_t::from_slice)
}

/// Create an empty `pn_data_t`. `capacity` only says how many nodes to
/// reserve room for; the tree grows on demand, so 0 is fine. The caller owns
/// the result and releases it with `pn_data_free`.
#[unsafe(no_mangle)]
pub extern "C" fn pn_data(capacity: usize) -> *mut pn_data_t {
    guard(|| new_data(capacity))
}

/// Destroy `data` with all its values and its `pn_error_t`; bytes obtained
/// from its getters become invalid. NULL is ignored.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_free(data: *mut pn_data_t) {
    // SAFETY: per the contract, a proton object or NULL.
    guard(|| unsafe { pn_free(data.cast()) })
}

/// The code of the last error recorded on `data` (see `pn_data_error`), or 0
/// if none has been.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_errno(data: *mut pn_data_t) -> c_int {
    guard(|| try_mut!(data).error_state().map_or(0, |e| e.code()))
}

/// The `pn_error_t` in which `data` records failures. `data` owns it: it
/// stays valid until `pn_data_free`, and the caller must not free it.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_error(data: *mut pn_data_t) -> *mut pn_error_t {
    guard(|| try_mut!(data).error())
}

/// Remove every value from `data` and reset its cursor and any narrowing, as
/// if it were new; bytes obtained from its getters become invalid. As in
/// proton, the recorded error is not reset.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_clear(data: *mut pn_data_t) {
    guard(|| try_mut!(data).data.clear())
}

/// How many nodes `data` holds. As proton does, this also counts nodes that
/// were cut loose when a put replaced a compound value, so it can exceed the
/// number of reachable values.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_size(data: *mut pn_data_t) -> usize {
    guard(|| try_ref!(data).data.size())
}

/// Move the cursor back to where navigation starts: before the first
/// top-level value (no current node, the root as parent), or, after
/// `pn_data_narrow`, to the narrowed position.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_rewind(data: *mut pn_data_t) {
    guard(|| try_mut!(data).data.rewind())
}

/// Step the cursor forward to the next sibling, or to the parent's first
/// child when there is no current node. Returns true if it moved; when there
/// is nothing further it stays where it was and returns false.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_next(data: *mut pn_data_t) -> bool {
    guard(|| try_mut!(data).data.next())
}

/// Step the cursor back to the previous sibling. Returns true if it moved; at
/// the first sibling, or with no current node, it stays where it was and
/// returns false.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_prev(data: *mut pn_data_t) -> bool {
    guard(|| try_mut!(data).data.prev())
}

/// Descend into the current node: it becomes the parent, and the cursor sits
/// before its first child (`pn_data_next` reaches it; a put adds one).
/// Returns false, changing nothing, when there is no current node.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_enter(data: *mut pn_data_t) -> bool {
    guard(|| try_mut!(data).data.enter())
}

/// Climb one level: the parent becomes the current node again, and its own
/// parent the parent. Returns false, changing nothing, at the top level.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_exit(data: *mut pn_data_t) -> bool {
    guard(|| try_mut!(data).data.exit())
}

/// In a map, move past the string or symbol key equal to `name` to its
/// value; false if there is none.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`; `name` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_lookup(data: *mut pn_data_t, name: *const c_char) -> bool {
    guard(|| {
        let d = try_mut!(data);
        if name.is_null() {
            return false;
        }
        // SAFETY: a C string (contract).
        let name = unsafe { CStr::from_ptr(name) }.to_bytes();
        d.data.lookup(name)
    })
}

/// Which `pn_type_t` the node under the cursor has; `PN_INVALID` when the
/// cursor is on no node.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_type(data: *mut pn_data_t) -> pn_type_t {
    guard(|| pn_type_t::from(try_ref!(data).data.type_of()))
}

/// Write the text `pn_data_format` produces for `data` to C's `stdout` (so it
/// is ordered with the program's own output); as in proton, the output stops
/// at an embedded NUL. Returns 0, or `PN_ERR` if writing fails.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_print(data: *mut pn_data_t) -> c_int {
    guard(|| {
        let text = try_ref!(data).data.format();
        // Like proton (printf "%s"), the text ends at a NUL.
        let end = text.iter().position(|&b| b == 0).unwrap_or(text.len());
        // SAFETY: a buffer of `end` bytes.
        unsafe { pnrs_stdout_write(text.as_ptr().cast(), end) }
    })
}

/// Render `data` as human-readable text into `bytes`. On entry `*size` is the
/// buffer's capacity. On success the text and a terminating NUL are written,
/// `*size` becomes the text's length (NUL not counted) and 0 is returned. If
/// the text and its NUL do not fit, nothing is written and `PN_OVERFLOW` is
/// returned; `PN_ARG_ERR` if `bytes` or `size` is NULL.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`; `bytes` must have `*size`
/// writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_format(data: *mut pn_data_t, bytes: *mut c_char, size: *mut usize) -> c_int {
    guard(|| {
        let d = try_ref!(data);
        if bytes.is_null() || size.is_null() {
            return PN_ARG_ERR;
        }
        let text = d.data.format();
        // SAFETY: size is a valid pointer (contract).
        let room = unsafe { *size };
        if text.len() >= room {
            return PN_OVERFLOW;
        }
        // SAFETY: bytes has room for the text and its NUL (checked above).
        unsafe {
            ptr::copy_nonoverlapping(text.as_ptr(), bytes.cast::<u8>(), text.len());
            *bytes.add(text.len()) = 0;
            *size = text.len();
        }
        0
    })
}

/// Encode all of `data`'s values, wherever the cursor is, in AMQP wire format
/// into the `size` bytes at `bytes`. Returns the number of bytes written, or
/// a negative error code: `PN_OVERFLOW` when `size` is too small, in which
/// case the buffer's contents are unspecified.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`; `bytes` NULL (with `size`
/// 0) or `size` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_encode(data: *mut pn_data_t, bytes: *mut c_char, size: usize) -> isize {
    guard(|| {
        let d = try_mut!(data);
        let buf: &mut [u8] = if bytes.is_null() || size == 0 {
            &mut []
        } else {
            // SAFETY: per the contract.
            unsafe { std::slice::from_raw_parts_mut(bytes.cast::<u8>(), size) }
        };
        match d.data.encode_into(buf) {
            Ok(n) => n as isize,
            Err(e) => d.fail(&e) as isize,
        }
    })
}

/// How many bytes `pn_data_encode` would write for `data`, or a negative
/// error code.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_encoded_size(data: *mut pn_data_t) -> isize {
    guard(|| {
        let d = try_mut!(data);
        match d.data.encoded_size() {
            Ok(n) => n as isize,
            Err(e) => d.fail(&e) as isize,
        }
    })
}

/// Parse one AMQP-encoded value, with everything nested in it, from the start
/// of the `size` bytes at `bytes`, and add it to `data` the way a put would
/// (it becomes the current node). Returns how many bytes the value took; any
/// bytes after it are not looked at. On failure `data` is left as it was and
/// a negative code comes back: `PN_UNDERFLOW` if the input ends inside the
/// value, `PN_ARG_ERR` for an invalid encoding, `PN_ERR` when nesting or size
/// limits are exceeded.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`; `bytes` must have `size`
/// readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_decode(data: *mut pn_data_t, bytes: *const c_char, size: usize) -> isize {
    guard(|| {
        let d = try_mut!(data);
        // SAFETY: per the contract.
        let input = unsafe { c_bytes(pn_bytes_t { size, start: bytes }) };
        match d.data.decode(input) {
            Ok(n) => n as isize,
            Err(e) => d.fail(&e) as isize,
        }
    })
}


/// Write an empty list at the cursor (see `pn_data_t` for where puts go). To
/// give it elements, `pn_data_enter` it, put them, then `pn_data_exit`.
/// Returns 0, or an error code if the value cannot be added.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_put_list(data: *mut pn_data_t) -> c_int {
    guard(|| {
        let d = try_mut!(data);
        let r = d.data.put_list();
        d.status(r)
    })
}

/// Write an empty map at the cursor. To fill it, enter it and put a key, then
/// its value, for each entry. Returns 0, or an error code if the value cannot
/// be added.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_put_map(data: *mut pn_data_t) -> c_int {
    guard(|| {
        let d = try_mut!(data);
        let r = d.data.put_map();
        d.status(r)
    })
}

/// Write an empty array at the cursor whose elements have type `type`. To
/// fill it, enter it and put the elements, all of that type. When `described`
/// is true, the first child put is the array's descriptor instead, and it may
/// have any type. Returns 0, or an error code if the value cannot be added.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_put_array(data: *mut pn_data_t, described: bool, r#type: pn_type_t_raw) -> c_int {
    guard(|| {
        let d = try_mut!(data);
        let r = d.data.put_array(described, r#type);
        d.status(r)
    })
}

/// Write an empty described value at the cursor. Enter it and put two
/// children: first the descriptor, then the value being described. Returns 0,
/// or an error code if the value cannot be added.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_put_described(data: *mut pn_data_t) -> c_int {
    guard(|| {
        let d = try_mut!(data);
        let r = d.data.put_described();
        d.status(r)
    })
}

/// Write a `PN_NULL` at the cursor. Returns 0, or an error code if the value
/// cannot be added.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_put_null(data: *mut pn_data_t) -> c_int {
    guard(|| {
        let d = try_mut!(data);
        let r = d.data.put_null();
        d.status(r)
    })
}

/// Write `b` as a `PN_BOOL` at the cursor. Returns 0, or an error code if the
/// value cannot be added.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_put_bool(data: *mut pn_data_t, b: bool) -> c_int {
    guard(|| {
        let d = try_mut!(data);
        let r = d.data.put_bool(b);
        d.status(r)
    })
}

/// Write `ub` as a `PN_UBYTE` at the cursor. Returns 0, or an error code if
/// the value cannot be added.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_put_ubyte(data: *mut pn_data_t, ub: u8) -> c_int {
    guard(|| {
        let d = try_mut!(data);
        let r = d.data.put_ubyte(ub);
        d.status(r)
    })
}

/// Write `b` as a `PN_BYTE` at the cursor. Returns 0, or an error code if the
/// value cannot be added.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_put_byte(data: *mut pn_data_t, b: i8) -> c_int {
    guard(|| {
        let d = try_mut!(data);
        let r = d.data.put_byte(b);
        d.status(r)
    })
}

/// Write `us` as a `PN_USHORT` at the cursor. Returns 0, or an error code if
/// the value cannot be added.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_put_ushort(data: *mut pn_data_t, us: u16) -> c_int {
    guard(|| {
        let d = try_mut!(data);
        let r = d.data.put_ushort(us);
        d.status(r)
    })
}

/// Write `s` as a `PN_SHORT` at the cursor. Returns 0, or an error code if
/// the value cannot be added.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_put_short(data: *mut pn_data_t, s: i16) -> c_int {
    guard(|| {
        let d = try_mut!(data);
        let r = d.data.put_short(s);
        d.status(r)
    })
}

/// Write `ui` as a `PN_UINT` at the cursor. Returns 0, or an error code if
/// the value cannot be added.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_put_uint(data: *mut pn_data_t, ui: u32) -> c_int {
    guard(|| {
        let d = try_mut!(data);
        let r = d.data.put_uint(ui);
        d.status(r)
    })
}

/// Write `i` as a `PN_INT` at the cursor. Returns 0, or an error code if the
/// value cannot be added.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_put_int(data: *mut pn_data_t, i: i32) -> c_int {
    guard(|| {
        let d = try_mut!(data);
        let r = d.data.put_int(i);
        d.status(r)
    })
}

/// Write `c` as a `PN_CHAR` at the cursor. Returns 0, or an error code if the
/// value cannot be added.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_put_char(data: *mut pn_data_t, c: pn_char_t) -> c_int {
    guard(|| {
        let d = try_mut!(data);
        let r = d.data.put_char(c);
        d.status(r)
    })
}

/// Write `ul` as a `PN_ULONG` at the cursor. Returns 0, or an error code if
/// the value cannot be added.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_put_ulong(data: *mut pn_data_t, ul: u64) -> c_int {
    guard(|| {
        let d = try_mut!(data);
        let r = d.data.put_ulong(ul);
        d.status(r)
    })
}

/// Write `l` as a `PN_LONG` at the cursor. Returns 0, or an error code if the
/// value cannot be added.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_put_long(data: *mut pn_data_t, l: i64) -> c_int {
    guard(|| {
        let d = try_mut!(data);
        let r = d.data.put_long(l);
        d.status(r)
    })
}

/// Write `t` as a `PN_TIMESTAMP` at the cursor. Returns 0, or an error code
/// if the value cannot be added.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_put_timestamp(data: *mut pn_data_t, t: pn_timestamp_t) -> c_int {
    guard(|| {
        let d = try_mut!(data);
        let r = d.data.put_timestamp(t);
        d.status(r)
    })
}

/// Write `f` as a `PN_FLOAT` at the cursor. Returns 0, or an error code if
/// the value cannot be added.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_put_float(data: *mut pn_data_t, f: f32) -> c_int {
    guard(|| {
        let d = try_mut!(data);
        let r = d.data.put_float(f);
        d.status(r)
    })
}

/// Write `d` as a `PN_DOUBLE` at the cursor. Returns 0, or an error code if
/// the value cannot be added.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_put_double(data: *mut pn_data_t, d: f64) -> c_int {
    guard(|| {
        let pd = try_mut!(data);
        let r = pd.data.put_double(d);
        pd.status(r)
    })
}

/// Write `d` as a `PN_DECIMAL32` at the cursor. Returns 0, or an error code
/// if the value cannot be added.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_put_decimal32(data: *mut pn_data_t, d: pn_decimal32_t) -> c_int {
    guard(|| {
        let pd = try_mut!(data);
        let r = pd.data.put_decimal32(d);
        pd.status(r)
    })
}

/// Write `d` as a `PN_DECIMAL64` at the cursor. Returns 0, or an error code
/// if the value cannot be added.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_put_decimal64(data: *mut pn_data_t, d: pn_decimal64_t) -> c_int {
    guard(|| {
        let pd = try_mut!(data);
        let r = pd.data.put_decimal64(d);
        pd.status(r)
    })
}

/// Write `d` as a `PN_DECIMAL128` at the cursor. Returns 0, or an error code
/// if the value cannot be added.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_put_decimal128(data: *mut pn_data_t, d: pn_decimal128_t) -> c_int {
    guard(|| {
        let pd = try_mut!(data);
        let r = pd.data.put_decimal128(d.bytes.map(|b| b as u8));
        pd.status(r)
    })
}

/// Write `u` as a `PN_UUID` at the cursor. Returns 0, or an error code if the
/// value cannot be added.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_put_uuid(data: *mut pn_data_t, u: pn_uuid_t) -> c_int {
    guard(|| {
        let d = try_mut!(data);
        let r = d.data.put_uuid(u.bytes.map(|b| b as u8));
        d.status(r)
    })
}


/// Write a `PN_BINARY` at the cursor. `data` keeps its own copy of the bytes,
/// so the caller's buffer may be reused or freed afterwards. Returns 0, or an
/// error code if the value cannot be added.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`; the bytes must be readable
/// (a NULL start means empty).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_put_binary(data: *mut pn_data_t, bytes: pn_bytes_t) -> c_int {
    guard(|| {
        let d = try_mut!(data);
        // SAFETY: per the contract.
        let b = unsafe { c_bytes(bytes) };
        let r = d.data.put_binary(b);
        d.status(r)
    })
}

/// Write a `PN_STRING` (its bytes should be UTF-8) at the cursor. `data`
/// keeps its own copy of the bytes, so the caller's buffer may be reused or
/// freed afterwards. Returns 0, or an error code if the value cannot be
/// added.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`; the bytes must be readable
/// (a NULL start means empty).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_put_string(data: *mut pn_data_t, string: pn_bytes_t) -> c_int {
    guard(|| {
        let d = try_mut!(data);
        // SAFETY: per the contract.
        let b = unsafe { c_bytes(string) };
        let r = d.data.put_string(b);
        d.status(r)
    })
}

/// Write a `PN_SYMBOL` (its bytes should be ASCII) at the cursor. `data`
/// keeps its own copy of the bytes, so the caller's buffer may be reused or
/// freed afterwards. Returns 0, or an error code if the value cannot be
/// added.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`; the bytes must be readable
/// (a NULL start means empty).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_put_symbol(data: *mut pn_data_t, symbol: pn_bytes_t) -> c_int {
    guard(|| {
        let d = try_mut!(data);
        // SAFETY: per the contract.
        let b = unsafe { c_bytes(symbol) };
        let r = d.data.put_symbol(b);
        d.status(r)
    })
}

/// Write the value `atom` holds, with its type, at the cursor; binary, string
/// and symbol bytes are copied into `data`. An atom whose type is a compound
/// one writes an empty value of that type (an array gets no element type).
/// Returns 0, `PN_ARG_ERR` if `atom.type` is no type, or another error code
/// if the value cannot be added.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`; for a binary, string or
/// symbol the atom's bytes must be readable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_put_atom(data: *mut pn_data_t, atom: pn_atom_t) -> c_int {
    guard(|| {
        let d = try_mut!(data);
        let Some(t) = pn_type_t::from_raw(atom.r#type) else { return PN_ARG_ERR };
        let u = atom.u;
        // SAFETY: every member is plain data the 16 bytes C wrote can hold
        // (bool is read as its byte, so any byte value is fine), and the
        // type says which member C meant.
        let a = unsafe {
            match t {
                pn_type_t::PN_NULL => Atom::Null,
                pn_type_t::PN_BOOL => Atom::Bool(u.as_ubyte != 0),
                pn_type_t::PN_UBYTE => Atom::Ubyte(u.as_ubyte),
                pn_type_t::PN_BYTE => Atom::Byte(u.as_byte),
                pn_type_t::PN_USHORT => Atom::Ushort(u.as_ushort),
                pn_type_t::PN_SHORT => Atom::Short(u.as_short),
                pn_type_t::PN_UINT => Atom::Uint(u.as_uint),
                pn_type_t::PN_INT => Atom::Int(u.as_int),
                pn_type_t::PN_CHAR => Atom::Char(u.as_char),
                pn_type_t::PN_ULONG => Atom::Ulong(u.as_ulong),
                pn_type_t::PN_LONG => Atom::Long(u.as_long),
                pn_type_t::PN_TIMESTAMP => Atom::Timestamp(u.as_timestamp),
                pn_type_t::PN_FLOAT => Atom::Float(u.as_float),
                pn_type_t::PN_DOUBLE => Atom::Double(u.as_double),
                pn_type_t::PN_DECIMAL32 => Atom::Decimal32(u.as_decimal32),
                pn_type_t::PN_DECIMAL64 => Atom::Decimal64(u.as_decimal64),
                pn_type_t::PN_DECIMAL128 => Atom::Decimal128(u.as_decimal128.bytes.map(|b| b as u8)),
                pn_type_t::PN_UUID => Atom::Uuid(u.as_uuid.bytes.map(|b| b as u8)),
                pn_type_t::PN_BINARY => Atom::Binary(c_bytes(u.as_bytes)),
                pn_type_t::PN_STRING => Atom::String(c_bytes(u.as_bytes)),
                pn_type_t::PN_SYMBOL => Atom::Symbol(c_bytes(u.as_bytes)),
                pn_type_t::PN_DESCRIBED => {
                    let r = d.data.put_described();
                    return d.status(r);
                }
                pn_type_t::PN_ARRAY => {
                    let r = d.data.put_array(false, pn_type_t::PN_INVALID as c_int);
                    return d.status(r);
                }
                pn_type_t::PN_LIST => {
                    let r = d.data.put_list();
                    return d.status(r);
                }
                pn_type_t::PN_MAP => {
                    let r = d.data.put_map();
                    return d.status(r);
                }
                pn_type_t::PN_INVALID => return PN_ARG_ERR,
            }
        };
        let r = d.data.put_atom(a);
        d.status(r)
    })
}

/// The element count of the list at the cursor; 0 when the current node is
/// not a list.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_get_list(data: *mut pn_data_t) -> usize {
    guard(|| try_ref!(data).data.get_list())
}

/// The child count of the map at the cursor, keys and values each counting
/// once (so twice the number of entries); 0 when the current node is not a
/// map.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_get_map(data: *mut pn_data_t) -> usize {
    guard(|| try_ref!(data).data.get_map())
}

/// The element count of the array at the cursor, its descriptor left out; 0
/// when the current node is not an array.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_get_array(data: *mut pn_data_t) -> usize {
    guard(|| try_ref!(data).data.get_array())
}

/// Whether the cursor is on an array that has a descriptor.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_is_array_described(data: *mut pn_data_t) -> bool {
    guard(|| try_ref!(data).data.is_array_described())
}

/// The element type of the array at the cursor, or `PN_INVALID` when the
/// current node is not an array. As in proton, the type comes back exactly as
/// it was put, even a number that is no `pn_type_t`.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_get_array_type(data: *mut pn_data_t) -> pn_type_t_raw {
    guard(|| try_ref!(data).data.get_array_type().unwrap_or(pn_type_t::PN_INVALID as c_int))
}

/// Whether the cursor is on a described value (a `PN_DESCRIBED` node).
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_is_described(data: *mut pn_data_t) -> bool {
    guard(|| try_ref!(data).data.is_described())
}

/// Whether the cursor is on a `PN_NULL` node (false for any other node, or no
/// node).
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_is_null(data: *mut pn_data_t) -> bool {
    guard(|| try_ref!(data).data.is_null())
}


/// The value of the `PN_BOOL` at the cursor; false for any other node, or no
/// node.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_get_bool(data: *mut pn_data_t) -> bool {
    guard(|| try_ref!(data).data.get_bool())
}

/// The value of the `PN_UBYTE` at the cursor; 0 for any other node, or no
/// node.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_get_ubyte(data: *mut pn_data_t) -> u8 {
    guard(|| try_ref!(data).data.get_ubyte())
}

/// The value of the `PN_BYTE` at the cursor; 0 for any other node, or no
/// node.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_get_byte(data: *mut pn_data_t) -> i8 {
    guard(|| try_ref!(data).data.get_byte())
}

/// The value of the `PN_USHORT` at the cursor; 0 for any other node, or no
/// node.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_get_ushort(data: *mut pn_data_t) -> u16 {
    guard(|| try_ref!(data).data.get_ushort())
}

/// The value of the `PN_SHORT` at the cursor; 0 for any other node, or no
/// node.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_get_short(data: *mut pn_data_t) -> i16 {
    guard(|| try_ref!(data).data.get_short())
}

/// The value of the `PN_UINT` at the cursor; 0 for any other node, or no
/// node.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_get_uint(data: *mut pn_data_t) -> u32 {
    guard(|| try_ref!(data).data.get_uint())
}

/// The value of the `PN_INT` at the cursor; 0 for any other node, or no node.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_get_int(data: *mut pn_data_t) -> i32 {
    guard(|| try_ref!(data).data.get_int())
}

/// The value of the `PN_CHAR` at the cursor; 0 for any other node, or no
/// node.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_get_char(data: *mut pn_data_t) -> pn_char_t {
    guard(|| try_ref!(data).data.get_char())
}

/// The value of the `PN_ULONG` at the cursor; 0 for any other node, or no
/// node.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_get_ulong(data: *mut pn_data_t) -> u64 {
    guard(|| try_ref!(data).data.get_ulong())
}

/// The value of the `PN_LONG` at the cursor; 0 for any other node, or no
/// node.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_get_long(data: *mut pn_data_t) -> i64 {
    guard(|| try_ref!(data).data.get_long())
}

/// The value of the `PN_TIMESTAMP` at the cursor; 0 for any other node, or no
/// node.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_get_timestamp(data: *mut pn_data_t) -> pn_timestamp_t {
    guard(|| try_ref!(data).data.get_timestamp())
}

/// The value of the `PN_FLOAT` at the cursor; 0 for any other node, or no
/// node.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_get_float(data: *mut pn_data_t) -> f32 {
    guard(|| try_ref!(data).data.get_float())
}

/// The value of the `PN_DOUBLE` at the cursor; 0 for any other node, or no
/// node.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_get_double(data: *mut pn_data_t) -> f64 {
    guard(|| try_ref!(data).data.get_double())
}

/// The value of the `PN_DECIMAL32` at the cursor; 0 for any other node, or no
/// node.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_get_decimal32(data: *mut pn_data_t) -> pn_decimal32_t {
    guard(|| try_ref!(data).data.get_decimal32())
}

/// The value of the `PN_DECIMAL64` at the cursor; 0 for any other node, or no
/// node.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_get_decimal64(data: *mut pn_data_t) -> pn_decimal64_t {
    guard(|| try_ref!(data).data.get_decimal64())
}

/// The value of the `PN_DECIMAL128` at the cursor; all bytes zero for any
/// other node, or no node.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_get_decimal128(data: *mut pn_data_t) -> pn_decimal128_t {
    guard(|| pn_decimal128_t { bytes: try_ref!(data).data.get_decimal128().map(|x| x as c_char) })
}

/// The value of the `PN_UUID` at the cursor; all bytes zero for any other
/// node, or no node.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_get_uuid(data: *mut pn_data_t) -> pn_uuid_t {
    guard(|| pn_uuid_t { bytes: try_ref!(data).data.get_uuid().map(|x| x as c_char) })
}

/// The bytes of the `PN_BINARY` at the cursor; `{0, NULL}` for any other
/// node, or no node. The bytes belong to `data` and have no terminating NUL;
/// they stay valid until the next call that adds to `data` (a put, decode,
/// fill, copy or append), `pn_data_clear` or `pn_data_free`.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_get_binary(data: *mut pn_data_t) -> pn_bytes_t {
    guard(|| bytes_or_null(try_ref!(data).data.get_binary()))
}

/// The UTF-8 bytes of the `PN_STRING` at the cursor; `{0, NULL}` for any
/// other node, or no node. The bytes belong to `data` and have no terminating
/// NUL; they stay valid until the next call that adds to `data` (a put,
/// decode, fill, copy or append), `pn_data_clear` or `pn_data_free`.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_get_string(data: *mut pn_data_t) -> pn_bytes_t {
    guard(|| bytes_or_null(try_ref!(data).data.get_string()))
}

/// The bytes of the `PN_SYMBOL` at the cursor; `{0, NULL}` for any other
/// node, or no node. The bytes belong to `data` and have no terminating NUL;
/// they stay valid until the next call that adds to `data` (a put, decode,
/// fill, copy or append), `pn_data_clear` or `pn_data_free`.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_get_symbol(data: *mut pn_data_t) -> pn_bytes_t {
    guard(|| bytes_or_null(try_ref!(data).data.get_symbol()))
}

/// The bytes of the current node when it is a `PN_BINARY`, `PN_STRING` or
/// `PN_SYMBOL`; `{0, NULL}` otherwise. The bytes belong to `data` and have no
/// terminating NUL; they stay valid until the next call that adds to `data`
/// (a put, decode, fill, copy or append), `pn_data_clear` or `pn_data_free`.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_get_bytes(data: *mut pn_data_t) -> pn_bytes_t {
    guard(|| bytes_or_null(try_ref!(data).data.get_bytes()))
}

/// The current node as a `pn_atom_t`: a scalar gives its type and value, a
/// compound gives its type with a zeroed value, and no current node gives a
/// `PN_NULL` atom. The bytes of a binary, string or symbol point into `data`,
/// with the lifetime described at `pn_data_get_bytes`.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_get_atom(data: *mut pn_data_t) -> pn_atom_t {
    guard(|| {
        let d = &try_ref!(data).data;
        match (d.atom(), d.type_of()) {
            (Some(a), _) => pn_atom_t::from_atom(a),
            (None, Some(t)) => pn_atom_t::zeroed(t as c_int),
            (None, None) => pn_atom_t::zeroed(pn_type_t::PN_NULL as c_int),
        }
    })
}

/// Make `data` a copy of `src`: `data` is cleared, then every value of `src`
/// (from its rewind position) is appended. Copying a data object onto itself
/// changes nothing. Returns 0 or an error code.
///
/// # Safety
/// `data` and `src` must be NULL or live `pn_data_t`s.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_copy(data: *mut pn_data_t, src: *mut pn_data_t) -> c_int {
    guard(|| {
        if data == src {
            return if data.is_null() { PN_ARG_ERR } else { 0 };
        }
        let s = try_ref!(src);
        let d = try_mut!(data);
        let r = d.data.copy_from(&s.data);
        d.status(r)
    })
}

/// Add copies of the top-level values of `src` (from its rewind position),
/// with everything nested in them, at the cursor of `data`, as successive
/// puts. `src` is only read and may be `data` itself. Returns 0 or an error
/// code.
///
/// # Safety
/// `data` and `src` must be NULL or live `pn_data_t`s.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_append(data: *mut pn_data_t, src: *mut pn_data_t) -> c_int {
    // SAFETY: per the contract.
    unsafe { pn_data_appendn(data, src, -1) }
}

/// Like `pn_data_append`, but copies at most `limit` top-level values of
/// `src`; a negative `limit` means no limit.
///
/// # Safety
/// `data` and `src` must be NULL or live `pn_data_t`s.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_appendn(data: *mut pn_data_t, src: *mut pn_data_t, limit: c_int) -> c_int {
    guard(|| {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        if data == src {
            let d = try_mut!(data);
            let copy = d.data.clone();
            let r = d.data.appendn(&copy, limit);
            return d.status(r);
        }
        let s = try_ref!(src);
        let d = try_mut!(data);
        let r = d.data.appendn(&s.data, limit);
        d.status(r)
    })
}

/// Make the cursor's present position the one `pn_data_rewind` returns to, so
/// the values after it can be walked as if they were the whole tree.
/// `pn_data_widen` undoes this.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_narrow(data: *mut pn_data_t) {
    guard(|| try_mut!(data).data.narrow())
}

/// Cancel `pn_data_narrow`: `pn_data_rewind` goes back to the start of the
/// whole tree again. The cursor does not move.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_widen(data: *mut pn_data_t) {
    guard(|| try_mut!(data).data.widen())
}

/// Save the cursor's position as an opaque handle for `pn_data_restore`. The
/// handle encodes a node number, not an address: it is not to be dereferenced
/// or freed.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_point(data: *mut pn_data_t) -> pn_handle_t {
    guard(|| ptr::without_provenance(try_ref!(data).data.point() as usize))
}

/// Move the cursor to a position saved with `pn_data_point`. Returns false,
/// leaving the cursor alone, if the handle names no node of `data`.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_restore(data: *mut pn_data_t, point: pn_handle_t) -> bool {
    guard(|| try_mut!(data).data.restore(point.addr() as isize))
}

/// Write a debugging listing of `data`'s nodes and cursor to C's `stdout`.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_data_dump(data: *mut pn_data_t) {
    guard(|| {
        let text = try_ref!(data).data.dump();
        // SAFETY: a buffer of text.len() bytes.
        unsafe { pnrs_stdout_write(text.as_ptr().cast(), text.len()) };
    })
}

// ---------------------------------------------------------------------
// Internal helpers for the C shims (codec_fill_scan.c); not in headers.

unsafe extern "C" {
    /// `fwrite` to C's `stdout` (in codec_fill_scan.c), so output mixes in
    /// order with the program's own `printf`s.
    fn pnrs_stdout_write(bytes: *const c_char, n: usize) -> c_int;
}

/// The type of the current node's parent (PN_INVALID at the top level)
/// and, through `children`, its number of children.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`; `children` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnrs_data_parent(data: *mut pn_data_t, children: *mut usize) -> c_int {
    guard(|| {
        let d = &try_ref!(data).data;
        let (ty, n) = d.parent_info();
        if !children.is_null() {
            // SAFETY: writable (contract).
            unsafe { *children = n };
        }
        ty.map_or(pn_type_t::PN_INVALID as c_int, |t| t as c_int)
    })
}

/// Drop the current node's children (fill's `?` with false: the value
/// put inside a null is discarded).
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnrs_data_drop_children(data: *mut pn_data_t) {
    guard(|| try_mut!(data).data.drop_children())
}

/// The type of the node a `pn_data_next` would move to, without moving;
/// PN_INVALID when there is none, and (like proton) at the top level
/// before the first node.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnrs_data_peek_type(data: *mut pn_data_t) -> c_int {
    guard(|| try_ref!(data).data.peek_type().map_or(pn_type_t::PN_INVALID as c_int, |t| t as c_int))
}

/// Set the element type of the parent array (fill's `T`): 0, or PN_ERR
/// when the parent is no array.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnrs_data_set_parent_array_type(data: *mut pn_data_t, r#type: pn_type_t_raw) -> c_int {
    guard(|| if try_mut!(data).data.set_parent_array_type(r#type) { 0 } else { super::error::PN_ERR })
}

/// Record an error in the data's `pn_error_t`; returns `code`.
///
/// # Safety
/// `data` must be NULL or a live `pn_data_t`; `text` a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pnrs_data_set_error(data: *mut pn_data_t, code: c_int, text: *const c_char) -> c_int {
    guard(|| {
        let d = try_mut!(data);
        // SAFETY: a C string (contract) or NULL.
        let t = if text.is_null() { Default::default() } else { unsafe { CStr::from_ptr(text) }.to_string_lossy() };
        d.error();
        if let Some(e) = d.error_state() {
            e.set(code, &t);
        }
        code
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        // SAFETY: pn_type_name returns static C strings.
        let name = |t| unsafe { CStr::from_ptr(pn_type_name(t)) }.to_str().unwrap();
        assert_eq!(name(1), "PN_NULL");
        assert_eq!(name(8), "PN_INT");
        assert_eq!(name(25), "PN_MAP");
        for t in [-3, -1, 0, 26, 1000] {
            assert_eq!(name(t), "<UNKNOWN>");
        }
    }

    #[test]
    fn errors_are_recorded_like_proton() {
        let d = pn_data(0);
        // SAFETY: d is live until freed at the end; buffers are valid.
        unsafe {
            assert_eq!(pn_data_errno(d), 0);
            assert_eq!(pn_data_decode(d, b"\x50".as_ptr().cast(), 1), -4);
            assert_eq!(pn_data_errno(d), -4);
            let text = CStr::from_ptr(super::super::error::pn_error_text(pn_data_error(d)));
            assert_eq!(text.to_str().unwrap(), "not enough data to decode");
            pn_data_clear(d);
            assert_eq!(pn_data_errno(d), -4, "proton keeps the error across clear");
            // Invalid constructor: returned, not recorded.
            let e = pn_data(0);
            assert_eq!(pn_data_decode(e, b"\xff".as_ptr().cast(), 1), -6);
            assert_eq!(pn_data_errno(e), 0);
            pn_data_put_int(e, 1);
            let mut buf = [0 as c_char; 1];
            assert_eq!(pn_data_encode(e, buf.as_mut_ptr(), 1), -3);
            assert_eq!(pn_data_errno(e), -3);
            assert_eq!(pn_data_encoded_size(e), 2);
            let mut text = [0 as c_char; 8];
            let mut size = 1usize;
            assert_eq!(pn_data_format(e, text.as_mut_ptr(), &mut size), PN_OVERFLOW);
            size = 8;
            assert_eq!(pn_data_format(e, text.as_mut_ptr(), &mut size), 0);
            assert_eq!(size, 1);
            assert_eq!(CStr::from_ptr(text.as_ptr()).to_str().unwrap(), "1");
            pn_data_free(d);
            pn_data_free(e);
        }
    }

    #[test]
    fn null_handles_return_failure_values() {
        let n = ptr::null_mut();
        // SAFETY: NULL is allowed everywhere.
        unsafe {
            assert_eq!(pn_data_put_int(n, 1), super::super::error::PN_ERR);
            assert_eq!(pn_data_type(n), pn_type_t::PN_INVALID);
            assert!(!pn_data_next(n));
            assert_eq!(pn_data_get_string(n).size, 0);
            assert_eq!(pn_data_get_atom(n).r#type, -1);
            assert_eq!(pn_data_encode(n, ptr::null_mut(), 0), super::super::error::PN_ERR as isize);
            pn_data_free(n);
        }
    }

    #[test]
    fn atoms_round_trip() {
        let d = pn_data(0);
        // SAFETY: d is live; atom bytes point at static data.
        unsafe {
            let mut a = pn_atom_t::zeroed(pn_type_t::PN_STRING as c_int);
            a.u.as_bytes = pn_bytes_t::from_slice(b"xy");
            assert_eq!(pn_data_put_atom(d, a), 0);
            let mut b = pn_atom_t::zeroed(pn_type_t::PN_BOOL as c_int);
            b.u.as_ubyte = 7;
            assert_eq!(pn_data_put_atom(d, b), 0);
            assert!(pn_data_get_bool(d));
            assert_eq!(pn_data_put_atom(d, pn_atom_t::zeroed(99)), PN_ARG_ERR);
            assert_eq!(pn_data_put_atom(d, pn_atom_t::zeroed(pn_type_t::PN_LIST as c_int)), 0);
            pn_data_rewind(d);
            pn_data_next(d);
            let got = pn_data_get_atom(d);
            assert_eq!(got.r#type, pn_type_t::PN_STRING as c_int);
            assert_eq!(c_bytes(got.u.as_bytes), b"xy");
            pn_data_next(d);
            pn_data_next(d);
            assert_eq!(pn_data_get_atom(d).r#type, pn_type_t::PN_LIST as c_int);
            pn_data_rewind(d);
            assert_eq!(pn_data_get_atom(d).r#type, pn_type_t::PN_NULL as c_int);
            pn_data_free(d);
        }
    }

    #[allow(improper_ctypes)] // pn_data_t is opaque: only pointers cross
    unsafe extern "C" {
        fn pn_data_fill(data: *mut pn_data_t, fmt: *const c_char, ...) -> c_int;
        fn pn_data_scan(data: *mut pn_data_t, fmt: *const c_char, ...) -> c_int;
    }

    fn text(d: *mut pn_data_t) -> String {
        // SAFETY: d is live.
        String::from_utf8_lossy(&unsafe { data_mut(d) }.unwrap().format()).into_owned()
    }

    /// Results of pn_data_fill observed with proton-c (probe fill1.c).
    #[test]
    fn fill_matches_proton() {
        // SAFETY: every format's arguments match its codes.
        unsafe {
            let cases: Vec<(*mut pn_data_t, c_int, &str)> = vec![
                {
                    let d = pn_data(0);
                    let r = pn_data_fill(d, c"noBbHhIiLltfd".as_ptr(), 1, 200u32, -2i32, 60000u32, -3i32, 4000000000u32, -5i32, 6u64, -7i64, 8i64, 1.5f64, 2.25f64);
                    (d, r, "null, true, 200, -2, 60000, -3, 4000000000, -5, 6, -7, 8, 1.5, 2.25")
                },
                {
                    let d = pn_data(0);
                    let r = pn_data_fill(d, c"ZzzSsSs".as_ptr(), 3usize, c"abc".as_ptr(), 3usize, c"abc".as_ptr(), 0usize, ptr::null::<c_char>(), c"str".as_ptr(), c"sym".as_ptr(), ptr::null::<c_char>(), ptr::null::<c_char>());
                    (d, r, "b\"abc\", b\"abc\", null, \"str\", :sym, null, null")
                },
                {
                    let d = pn_data(0);
                    let r = pn_data_fill(d, c"DL[SIo]".as_ptr(), 0x10u64, c"cid".as_ptr(), 7u32, 1i32);
                    (d, r, "@open(16) [container-id=\"cid\", hostname=7, max-frame-size=true]")
                },
                {
                    let d = pn_data(0);
                    let r = pn_data_fill(d, c"DL[i]i".as_ptr(), 5u64, 1i32, 2i32);
                    (d, r, "@5 [1], 2")
                },
                {
                    let d = pn_data(0);
                    let r = pn_data_fill(d, c"{si}[?i?S]?[i]".as_ptr(), c"a".as_ptr(), 1i32, 0i32, 1i32, 1i32, c"x".as_ptr(), 0i32, 5i32);
                    (d, r, "{:a=1}, [null, \"x\"], null")
                },
                {
                    let d = pn_data(0);
                    let r = pn_data_fill(d, c"?DL[i]".as_ptr(), 0i32, 5u64, 1i32);
                    (d, r, "null")
                },
                {
                    let d = pn_data(0);
                    let r = pn_data_fill(d, c"@T[iii]@T[]@[i]".as_ptr(), 8i32, 1i32, 2i32, 3i32, 20i32, 9i32);
                    (d, r, "@PN_INT[1, 2, 3], @PN_STRING[], @<UNKNOWN>[[9]]")
                },
                {
                    let d = pn_data(0);
                    let r = pn_data_fill(d, c"[T]".as_ptr(), 8i32);
                    (d, r, "[]")
                },
                {
                    let d = pn_data(0);
                    let r = pn_data_fill(d, c"[]]".as_ptr());
                    (d, r, "[]")
                },
                {
                    let d = pn_data(0);
                    let r = pn_data_fill(d, c"ix".as_ptr(), 3i32);
                    (d, r, "3")
                },
            ];
            let expected_codes = [0, 0, 0, 0, 0, 0, 0, -2, -2, -6];
            for ((d, r, want), code) in cases.into_iter().zip(expected_codes) {
                assert_eq!((r, text(d).as_str()), (code, want));
                pn_data_free(d);
            }
            // Symbols from an array, copies of other data objects.
            let syms = [c"a".as_ptr(), c"b".as_ptr()];
            let src = pn_data(0);
            pn_data_put_int(src, 9);
            pn_data_put_int(src, 10);
            let d = pn_data(0);
            assert_eq!(pn_data_fill(d, c"[*s]CC".as_ptr(), 2i32, syms.as_ptr(), src, ptr::null_mut::<pn_data_t>()), 0);
            assert_eq!(text(d), "[:a, :b], 9, null");
            let e = pn_data(0);
            assert_eq!(pn_data_fill(e, c"]".as_ptr()), -2);
            assert_eq!(pn_data_errno(e), -2);
            assert_eq!(CStr::from_ptr(super::super::error::pn_error_text(pn_data_error(e))).to_str().unwrap(), "exit failed");
            for p in [d, e, src] {
                pn_data_free(p);
            }
        }
    }

    /// Results of pn_data_scan observed with proton-c (probe scan1.c).
    #[test]
    fn scan_matches_proton() {
        // SAFETY: every format's arguments are pointers of the codes' types.
        unsafe {
            let d = pn_data(0);
            pn_data_fill(d, c"DL[SIo]".as_ptr(), 0x10u64, c"cid".as_ptr(), 7u32, 1i32);
            let (mut l, mut s, mut i, mut o) = (0u64, pn_bytes_t::NULL, 0u32, false);
            let (mut q1, mut q2, mut q3, mut q4) = (false, false, false, true);
            assert_eq!(pn_data_scan(d, c"DL[SIo]".as_ptr(), &mut l, &mut s, &mut i, &mut o), 0);
            assert_eq!((l, c_bytes(s), i, o), (16, &b"cid"[..], 7, true));
            let mut i2 = 5u32;
            assert_eq!(pn_data_scan(d, c"DL[?S?I?o?I]".as_ptr(), &mut l, &mut q1, &mut s, &mut q2, &mut i, &mut q3, &mut o, &mut q4, &mut i2), 0);
            assert_eq!((q1, q2, q3, q4, i, i2), (true, true, true, false, 7, 0));
            assert_eq!(pn_data_scan(d, c"D.[.I]".as_ptr(), &mut i), 0);
            assert_eq!(i, 7);
            // A value of another type zeroes the output.
            assert_eq!(pn_data_scan(d, c"[S]".as_ptr(), &mut s), 0);
            assert_eq!(s.size, 0);
            assert_eq!(pn_data_scan(d, c"x".as_ptr()), PN_ARG_ERR);
            assert_eq!(
                CStr::from_ptr(super::super::error::pn_error_text(pn_data_error(d))).to_str().unwrap(),
                "unrecognized scan code: 0x78 'x'"
            );
            assert_eq!(pn_data_scan(d, c"??o".as_ptr(), &mut q1, &mut q2, &mut o), PN_ARG_ERR);
            assert_eq!(pn_data_scan(d, c"]".as_ptr()), -2);
            pn_data_free(d);

            // [null, @begin(17) [], {}, 3], 4
            let e = pn_data(0);
            pn_data_fill(e, c"[nDL[]{}i]i".as_ptr(), 0x11u64, 3i32, 4i32);
            let (mut j, mut k) = (9i32, 9i32);
            assert_eq!(pn_data_scan(e, c"[..?{}i]i".as_ptr(), &mut q1, &mut j, &mut k), 0);
            assert_eq!((q1, j, k), (true, 3, 4));
            assert_eq!(pn_data_scan(e, c"[.?D?L[?S]{}.]i".as_ptr(), &mut q1, &mut q4, &mut l, &mut q2, &mut s, &mut k), 0);
            assert_eq!((q1, q4, l, q2, k), (true, true, 17, false, 4));
            // A missing map does not suspend its contents; a missing list does.
            assert_eq!(pn_data_scan(e, c"[?D?L[?S].?{}.i]i".as_ptr(), &mut q1, &mut q4, &mut l, &mut q2, &mut s, &mut q3, &mut j, &mut k), 0);
            assert_eq!((q1, q4, l, q2, q3, j, k), (false, false, 0, false, true, 0, 4));
            let c = pn_data(0);
            assert_eq!(pn_data_scan(e, c"[.?C]".as_ptr(), &mut q1, c), 0);
            assert!(q1);
            assert_eq!(text(c), "@begin(17) []");
            pn_data_clear(c);
            // At the top level before the first value, C copies nothing.
            assert_eq!(pn_data_scan(e, c"C".as_ptr(), c), 0);
            assert_eq!(text(c), "");
            pn_data_free(c);
            pn_data_free(e);
        }
    }

    /// A data object holding the values encoded in `hex`.
    fn decoded(hex: &str) -> *mut pn_data_t {
        let bytes: Vec<u8> =
            (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect();
        let d = pn_data(0);
        let mut off = 0;
        while off < bytes.len() {
            // SAFETY: d is live; the pointer and size describe `bytes`.
            let n = unsafe { pn_data_decode(d, bytes[off..].as_ptr().cast(), bytes.len() - off) };
            assert!(n > 0, "{hex}");
            off += n as usize;
        }
        d
    }

    /// After a missed `@` or `D` (or `[`), scan skips codes until it has
    /// counted enough at the level of the miss; an opening bracket does not
    /// count, even one back at that level after a `]` (results of proton-c,
    /// probe scan_diff.c, cases at the end of tests/data/codec/scan-cases.txt).
    #[test]
    fn scan_resumes_after_a_miss_like_proton() {
        let empty = pn_bytes_t::from_slice(b"");
        // SAFETY: every format's arguments match its codes; data objects
        // are live until freed.
        unsafe {
            // true, [[null], []], :""
            let d = decoded("41c00802c0020140c00100a300");
            let (mut o, mut s1, mut s2) = (false, pn_bytes_t::from_slice(b"x"), pn_bytes_t::from_slice(b"x"));
            let c = pn_data(0);
            assert_eq!(pn_data_scan(d, c"o[[@S][]C]s".as_ptr(), &mut o, &mut s1, c, &mut s2), 0);
            assert!(o);
            assert_eq!((s1.size, s2.size), (0, 0));
            assert_eq!(text(c), "", "C is still skipped");
            assert_eq!(pn_data_type(d), pn_type_t::PN_NULL, "the cursor stays on the missed value");
            pn_data_free(c);
            pn_data_free(d);

            // [1.5], ["a"]
            let d = decoded("c00a01823ff8000000000000c00401a10161");
            let (mut x, mut s) = (0f64, empty);
            assert_eq!(pn_data_scan(d, c"[d@][S]".as_ptr(), &mut x, &mut s), 0);
            assert_eq!((x, s.size), (1.5, 0));
            assert_eq!(pn_data_type(d), pn_type_t::PN_DOUBLE, "the ']' were skipped too");
            pn_data_free(d);

            // @PN_INT[-101, 116], []
            let d = decoded("e00503549b7415c00100");
            let (mut i, mut j, mut k) = (9i32, 9i32, 9i32);
            assert_eq!(pn_data_scan(d, c"@[ii@i][]".as_ptr(), &mut i, &mut j, &mut k), 0);
            assert_eq!((i, j, k), (-101, 116, 0));
            assert_eq!(pn_data_type(d), pn_type_t::PN_INT);
            pn_data_free(d);

            // [[null], {}, :""]: a '{' does not count either.
            let d = decoded("c00a03c0020140c10100a300");
            let (mut s1, mut s2) = (empty, empty);
            let c = pn_data(0);
            assert_eq!(pn_data_scan(d, c"[[@S]{}C]s".as_ptr(), &mut s1, c, &mut s2), 0);
            assert_eq!(text(c), "");
            assert_eq!(pn_data_type(d), pn_type_t::PN_MAP);
            pn_data_free(c);
            pn_data_free(d);
        }
    }
}
