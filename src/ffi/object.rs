//! `proton/object.h`: proton's object model.
//!
//! Every object the library hands to C is a *proton object*: a block whose
//! first bytes (before the address C sees) hold a header with the object's
//! class and reference count. `pn_incref`/`pn_decref`/`pn_class` work on all
//! of them, and C code may define its own classes (`pn_class_t` is public).
//!
//! Objects implemented in Rust are laid out as `ObjBox<T>`; their class is a
//! `static pn_class_t` made by `rust_class!`, whose `finalize` drops the
//! Rust value.
#![allow(non_camel_case_types, non_upper_case_globals)]

use std::ffi::{c_char, c_int, c_void};
use std::ptr;

use super::boundary::guard;
use super::cid::{pn_cid_t, pn_cid_t_raw};

pub mod collections;
pub mod record;
pub mod string;

pub use self::string::pn_string_t;

/// A key in a record: the address of something unique (see `PN_HANDLE`).
pub type pn_handle_t = *const c_void;
/// A signed integer the size of a pointer.
pub type pn_shandle_t = isize;
/// Advances an iterator: returns the next item or NULL.
pub type pn_iterator_next_t = Option<unsafe extern "C" fn(state: *mut c_void) -> *mut c_void>;

/// A class: how to create, count, compare, print and destroy its objects.
///
/// The layout is proton-c 0.37's; C code defines classes statically with
/// the `PN_CLASS`/`PN_CLASSDEF` macros.
#[repr(C)]
pub struct pn_class_t {
    pub name: *const c_char,
    pub cid: pn_cid_t_raw,
    pub newinst: Option<unsafe extern "C" fn(clazz: *const pn_class_t, size: usize) -> *mut c_void>,
    pub initialize: Option<unsafe extern "C" fn(object: *mut c_void)>,
    pub incref: Option<unsafe extern "C" fn(object: *mut c_void)>,
    pub decref: Option<unsafe extern "C" fn(object: *mut c_void)>,
    pub refcount: Option<unsafe extern "C" fn(object: *mut c_void) -> c_int>,
    pub finalize: Option<unsafe extern "C" fn(object: *mut c_void)>,
    pub free: Option<unsafe extern "C" fn(object: *mut c_void)>,
    pub reify: Option<unsafe extern "C" fn(object: *mut c_void) -> *const pn_class_t>,
    pub hashcode: Option<unsafe extern "C" fn(object: *mut c_void) -> usize>,
    pub compare: Option<unsafe extern "C" fn(a: *mut c_void, b: *mut c_void) -> isize>,
    pub inspect: Option<unsafe extern "C" fn(object: *mut c_void, dst: *mut pn_string_t) -> c_int>,
}

// SAFETY: a class is immutable after creation; the raw pointers it holds
// (its name, its functions) are never written through.
unsafe impl Sync for pn_class_t {}

const _: () = assert!(std::mem::size_of::<pn_class_t>() == 104);

/// Flag for `pn_list`/`pn_map`: the collection holds references.
pub const PN_REFCOUNT: c_int = 0x1;
/// Flag for `pn_map`: keys are reference counted.
pub const PN_REFCOUNT_KEY: c_int = 0x2;
/// Flag for `pn_map`: values are reference counted.
pub const PN_REFCOUNT_VALUE: c_int = 0x4;

// ---------------------------------------------------------------------------
// Object header

/// What precedes every proton object in memory.
#[repr(C)]
struct Header {
    clazz: *const pn_class_t,
    refcount: c_int,
}

/// Bytes from the start of an allocation to the object's address. Kept at
/// 16 so the object is as aligned as `malloc` memory.
const HEADER_SIZE: usize = 16;
const _: () = assert!(std::mem::size_of::<Header>() <= HEADER_SIZE);

/// Header of the object at `object`.
///
/// # Safety
/// `object` must have been allocated by `pn_object_new` (or `new_object`).
unsafe fn header(object: *mut c_void) -> *mut Header {
    // SAFETY: per the contract, the header sits HEADER_SIZE bytes before.
    unsafe { object.cast::<u8>().sub(HEADER_SIZE).cast::<Header>() }
}

/// A Rust value stored as a proton object.
#[repr(C)]
struct ObjBox<T> {
    header: Header,
    _pad: [u8; HEADER_SIZE - std::mem::size_of::<Header>()],
    value: T,
}

/// A Rust type that lives as a proton object of class `class()`.
///
/// # Safety
/// `class()` must return a class whose `finalize` runs
/// `drop_object::<Self>` (or drops the value some other way exactly once)
/// and whose `free` is `pn_object_free`.
pub unsafe trait RustObject: Sized + 'static {
    fn class() -> &'static pn_class_t;
}

/// Allocate `value` as a proton object with a reference count of 1.
pub fn new_object<T: RustObject>(value: T) -> *mut T {
    const { assert!(std::mem::align_of::<T>() <= HEADER_SIZE) };
    let size = std::mem::size_of::<ObjBox<T>>();
    // SAFETY: malloc has no preconditions; the result is checked for NULL.
    let block = unsafe { libc::malloc(size) }.cast::<ObjBox<T>>();
    if block.is_null() {
        // Like proton-c, running out of memory is not recoverable.
        std::process::abort();
    }
    // SAFETY: `block` is a fresh allocation large and aligned enough for
    // ObjBox<T> (malloc aligns to 16, T's alignment is at most 16).
    unsafe {
        ptr::write(
            block,
            ObjBox {
                header: Header { clazz: T::class(), refcount: 1 },
                _pad: [0; HEADER_SIZE - std::mem::size_of::<Header>()],
                value,
            },
        );
        ptr::addr_of_mut!((*block).value)
    }
}

/// Finalizer for Rust objects: drops the value in place.
///
/// # Safety
/// `object` must be a live `T` made by `new_object`, finalized only once.
pub unsafe extern "C" fn drop_object<T: RustObject>(object: *mut c_void) {
    // SAFETY: per the contract.
    unsafe { ptr::drop_in_place(object.cast::<T>()) }
}

/// What every Rust object class shares: proton-object reference counting
/// and identity hashing/comparison.
pub(crate) const RUST_CLASS_BASE: pn_class_t = pn_class_t {
    name: ptr::null(),
    cid: 0,
    newinst: None,
    initialize: None,
    incref: Some(pn_object_incref),
    decref: Some(pn_object_decref),
    refcount: Some(pn_object_refcount),
    finalize: None,
    free: Some(pn_object_free),
    reify: Some(pn_object_reify),
    hashcode: None,
    compare: None,
    inspect: None,
};

/// Makes the `static pn_class_t` of a Rust object type and implements
/// `RustObject` for it. The finalizer drops the value; other hooks
/// (`inspect`, `hashcode`, `compare`) may be given by name.
macro_rules! rust_class {
    ($ty:ty, $static:ident, $name:literal, $cid:ident $(, $hook:ident = $f:expr)* $(,)?) => {
        pub static $static: $crate::ffi::object::pn_class_t = $crate::ffi::object::pn_class_t {
            name: concat!($name, "\0").as_ptr().cast(),
            cid: $crate::ffi::cid::pn_cid_t::$cid as std::ffi::c_int,
            finalize: Some($crate::ffi::object::drop_object::<$ty>),
            $($hook: Some($f),)*
            ..$crate::ffi::object::RUST_CLASS_BASE
        };
        // SAFETY: the class above finalizes with drop_object::<$ty> and
        // frees with pn_object_free (from RUST_CLASS_BASE).
        unsafe impl $crate::ffi::object::RustObject for $ty {
            fn class() -> &'static $crate::ffi::object::pn_class_t {
                &$static
            }
        }
    };
}
pub(crate) use rust_class;

// ---------------------------------------------------------------------------
// The three built-in classes

/// Identity hash: the address.
unsafe extern "C" fn addr_hashcode(object: *mut c_void) -> usize {
    object as usize
}

/// Identity comparison: the difference of the addresses.
unsafe extern "C" fn addr_compare(a: *mut c_void, b: *mut c_void) -> isize {
    (a as isize).wrapping_sub(b as isize)
}

unsafe extern "C" fn object_inspect(object: *mut c_void, dst: *mut pn_string_t) -> c_int {
    // SAFETY: called through a class on one of its objects.
    unsafe { inspect_default(pn_object_reify(object), object, dst) }
}

/// `<name><0x...>` as proton prints objects whose class has no inspector.
unsafe fn inspect_default(clazz: *const pn_class_t, object: *mut c_void, dst: *mut pn_string_t) -> c_int {
    // SAFETY: `clazz` is a valid class (caller); its name is a C string.
    let name = unsafe { class_name_str(clazz) };
    // SAFETY: dst is a live pn_string_t (caller).
    unsafe { string::append(dst, format!("{}<{}>", name, c_ptr(object)).as_bytes()) }
}

/// A pointer as glibc's `%p` prints it (`(nil)` for NULL).
pub(crate) fn c_ptr<T>(p: *const T) -> String {
    if p.is_null() { "(nil)".to_string() } else { format!("{:#x}", p as usize) }
}

unsafe fn class_name_str(clazz: *const pn_class_t) -> String {
    // SAFETY: caller passes a valid class or NULL.
    match unsafe { clazz.as_ref() } {
        Some(c) if !c.name.is_null() => {
            // SAFETY: class names are NUL-terminated C strings.
            unsafe { std::ffi::CStr::from_ptr(c.name) }.to_string_lossy().into_owned()
        }
        _ => String::from("object"),
    }
}

/// Objects of this class are reference counted proton objects; `reify`
/// finds their real class in the header.
#[unsafe(no_mangle)]
pub static PN_OBJECT: [pn_class_t; 1] = [pn_class_t {
    name: c"pn_object".as_ptr(),
    cid: pn_cid_t::CID_pn_object as c_int,
    newinst: Some(pn_object_new),
    initialize: None,
    incref: Some(pn_object_incref),
    decref: Some(pn_object_decref),
    refcount: Some(pn_object_refcount),
    finalize: None,
    free: Some(pn_object_free),
    reify: Some(pn_object_reify),
    hashcode: Some(addr_hashcode),
    compare: Some(addr_compare),
    inspect: Some(object_inspect),
}];

/// Plain memory: no reference counting; freed with `free()`.
#[unsafe(no_mangle)]
pub static PN_VOID: [pn_class_t; 1] = [pn_class_t {
    name: c"pn_void".as_ptr(),
    cid: pn_cid_t::CID_pn_void as c_int,
    newinst: Some(pn_void_new),
    initialize: None,
    incref: Some(pn_void_incref),
    decref: Some(pn_void_decref),
    refcount: Some(pn_void_refcount),
    finalize: None,
    free: Some(void_free),
    reify: Some(void_reify),
    hashcode: Some(pn_void_hashcode),
    compare: Some(pn_void_compare),
    inspect: Some(pn_void_inspect),
}];

/// A reference that does not count: collections of this class hold
/// objects without keeping them alive, but hash, compare and print them as
/// the objects' own classes do.
#[unsafe(no_mangle)]
pub static PN_WEAKREF: [pn_class_t; 1] = [pn_class_t {
    name: c"pn_weakref".as_ptr(),
    cid: pn_cid_t::CID_pn_weakref as c_int,
    newinst: Some(pn_object_new),
    initialize: None,
    incref: Some(pn_void_incref),
    decref: Some(pn_void_decref),
    refcount: Some(pn_void_refcount),
    finalize: None,
    free: None,
    reify: Some(weakref_reify),
    hashcode: Some(weakref_hashcode),
    compare: Some(weakref_compare),
    inspect: Some(weakref_inspect),
}];

unsafe extern "C" fn void_free(object: *mut c_void) {
    // SAFETY: PN_VOID objects come from malloc (pn_void_new).
    unsafe { libc::free(object) }
}

unsafe extern "C" fn void_reify(_object: *mut c_void) -> *const pn_class_t {
    PN_VOID.as_ptr()
}

unsafe extern "C" fn weakref_reify(_object: *mut c_void) -> *const pn_class_t {
    PN_WEAKREF.as_ptr()
}

unsafe extern "C" fn weakref_hashcode(object: *mut c_void) -> usize {
    // SAFETY: a weak reference names a live object (caller).
    unsafe { pn_hashcode(object) }
}

unsafe extern "C" fn weakref_compare(a: *mut c_void, b: *mut c_void) -> isize {
    // SAFETY: as above.
    unsafe { pn_compare(a, b) }
}

unsafe extern "C" fn weakref_inspect(object: *mut c_void, dst: *mut pn_string_t) -> c_int {
    // SAFETY: as above.
    unsafe { pn_inspect(object, dst) }
}

// ---------------------------------------------------------------------------
// Class-level operations. `clazz` describes how to treat `object`; for
// PN_OBJECT, `reify` replaces it with the object's own class.

/// The class to use for `object`: `clazz` refined by its `reify`. Classes
/// made by `pn_class_create` have no `reify` and stand for themselves.
unsafe fn reify(clazz: *const pn_class_t, object: *mut c_void) -> *const pn_class_t {
    // SAFETY: `clazz` is a valid class (caller).
    match unsafe { clazz.as_ref() }.and_then(|c| c.reify) {
        // SAFETY: `object` belongs to `clazz` (caller).
        Some(f) if !object.is_null() => unsafe { f(object) },
        _ => clazz,
    }
}

/// # Safety
/// `clazz` must be a valid class or NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_class_id(clazz: *const pn_class_t) -> pn_cid_t_raw {
    guard(|| {
        // SAFETY: per the contract.
        unsafe { clazz.as_ref() }.map_or(0, |c| c.cid)
    })
}

/// The class's name; lives as long as the class.
///
/// # Safety
/// `clazz` must be a valid class or NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_class_name(clazz: *const pn_class_t) -> *const c_char {
    guard(|| {
        // SAFETY: per the contract.
        unsafe { clazz.as_ref() }.map_or(ptr::null(), |c| c.name)
    })
}

/// Allocate and initialize an object of `clazz` with `size` bytes.
///
/// # Safety
/// `clazz` must be a valid class whose functions accept `size`-byte objects.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_class_new(clazz: *const pn_class_t, size: usize) -> *mut c_void {
    guard(|| {
        // SAFETY: per the contract.
        let Some(c) = (unsafe { clazz.as_ref() }) else { return ptr::null_mut() };
        let object = match c.newinst {
            // SAFETY: the class's own allocator.
            Some(newinst) => unsafe { newinst(clazz, size) },
            // SAFETY: a class without allocator gets plain proton object
            // memory (pn_class_create makes such classes).
            None => unsafe { pn_object_new(clazz, size) },
        };
        if !object.is_null() {
            if let Some(init) = c.initialize {
                // SAFETY: a fresh object of this class.
                unsafe { init(object) };
            }
        }
        object
    })
}

/// # Safety
/// `object` must be NULL or an object `clazz` can handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_class_incref(clazz: *const pn_class_t, object: *mut c_void) -> *mut c_void {
    guard(|| {
        if !object.is_null() {
            // SAFETY: per the contract.
            unsafe { class_incref(clazz, object) };
        }
        object
    })
}

pub(crate) unsafe fn class_incref(clazz: *const pn_class_t, object: *mut c_void) {
    if object.is_null() {
        return;
    }
    // SAFETY: caller guarantees `object` belongs to `clazz`.
    unsafe {
        let clazz = reify(clazz, object);
        if let Some(incref) = clazz.as_ref().and_then(|c| c.incref) {
            incref(object);
        }
    }
}

/// # Safety
/// `object` must be NULL or an object `clazz` can handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_class_refcount(clazz: *const pn_class_t, object: *mut c_void) -> c_int {
    guard(|| {
        // SAFETY: per the contract.
        unsafe {
            let clazz = reify(clazz, object);
            match clazz.as_ref().and_then(|c| c.refcount) {
                Some(rc) => rc(object),
                None => -1,
            }
        }
    })
}

/// Drop a reference; finalize and free the object when none are left.
/// Returns the references left.
///
/// # Safety
/// `object` must be NULL or an object `clazz` can handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_class_decref(clazz: *const pn_class_t, object: *mut c_void) -> c_int {
    guard(|| {
        if object.is_null() {
            return 0;
        }
        // SAFETY: per the contract.
        unsafe { class_decref(clazz, object) }
    })
}

pub(crate) unsafe fn class_decref(clazz: *const pn_class_t, object: *mut c_void) -> c_int {
    if object.is_null() {
        return 0;
    }
    // SAFETY: caller guarantees `object` belongs to `clazz`.
    unsafe {
        let clazz = reify(clazz, object);
        let Some(c) = clazz.as_ref() else { return 0 };
        if let Some(decref) = c.decref {
            decref(object);
        }
        let Some(refcount) = c.refcount else { return -1 };
        let mut rc = refcount(object);
        if rc == 0 {
            if let Some(finalize) = c.finalize {
                finalize(object);
                // The finalizer may have taken a new reference (engine
                // objects do, to stay alive while their parent needs them).
                rc = refcount(object);
            }
            if rc == 0 {
                if let Some(free) = c.free {
                    free(object);
                }
                return 0;
            }
        }
        rc
    }
}

/// Free an object that has one reference (or none, for uncounted classes).
///
/// # Safety
/// `object` must be NULL or an object `clazz` can handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_class_free(clazz: *const pn_class_t, object: *mut c_void) {
    guard(|| {
        if object.is_null() {
            return;
        }
        // SAFETY: per the contract.
        unsafe {
            let clazz = reify(clazz, object);
            let Some(c) = clazz.as_ref() else { return };
            let rc = c.refcount.map_or(-1, |f| f(object));
            if rc == -1 {
                if let Some(finalize) = c.finalize {
                    finalize(object);
                }
                if let Some(free) = c.free {
                    free(object);
                }
            } else {
                class_decref(clazz, object);
            }
        }
    })
}

/// # Safety
/// `object` must be NULL or an object `clazz` can handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_class_reify(clazz: *const pn_class_t, object: *mut c_void) -> *const pn_class_t {
    // SAFETY: per the contract.
    guard(|| unsafe { reify(clazz, object) })
}

/// # Safety
/// `object` must be NULL or an object `clazz` can handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_class_hashcode(clazz: *const pn_class_t, object: *mut c_void) -> usize {
    guard(|| {
        if object.is_null() {
            return 0;
        }
        // SAFETY: per the contract.
        unsafe {
            let clazz = reify(clazz, object);
            match clazz.as_ref().and_then(|c| c.hashcode) {
                Some(f) => f(object),
                None => object as usize,
            }
        }
    })
}

/// # Safety
/// `a` and `b` must be NULL or objects `clazz` can handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_class_compare(clazz: *const pn_class_t, a: *mut c_void, b: *mut c_void) -> isize {
    guard(|| {
        if a == b {
            return 0;
        }
        if a.is_null() || b.is_null() {
            return addr_compare_raw(a, b);
        }
        // SAFETY: per the contract.
        unsafe {
            let clazz = reify(clazz, a);
            match clazz.as_ref().and_then(|c| c.compare) {
                Some(f) => f(a, b),
                None => addr_compare_raw(a, b),
            }
        }
    })
}

fn addr_compare_raw(a: *mut c_void, b: *mut c_void) -> isize {
    (a as isize).wrapping_sub(b as isize)
}

/// # Safety
/// `a` and `b` must be NULL or objects `clazz` can handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_class_equals(clazz: *const pn_class_t, a: *mut c_void, b: *mut c_void) -> bool {
    // SAFETY: per the contract.
    guard(|| unsafe { pn_class_compare(clazz, a, b) } == 0)
}

/// Append a printed form of `object` to `dst`.
///
/// # Safety
/// `object` must be NULL or an object `clazz` can handle; `dst` a string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_class_inspect(
    clazz: *const pn_class_t,
    object: *mut c_void,
    dst: *mut pn_string_t,
) -> c_int {
    guard(|| {
        if dst.is_null() {
            return super::error::PN_ARG_ERR;
        }
        // SAFETY: per the contract.
        unsafe {
            let clazz = reify(clazz, object);
            match clazz.as_ref().and_then(|c| c.inspect) {
                Some(f) => f(object, dst),
                None => inspect_default(clazz, object, dst),
            }
        }
    })
}

// ---------------------------------------------------------------------------
// PN_VOID

/// Allocate `size` bytes of uncounted memory.
///
/// # Safety
/// None beyond the C API's.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_void_new(_clazz: *const pn_class_t, size: usize) -> *mut c_void {
    // SAFETY: malloc has no preconditions.
    guard(|| unsafe { libc::malloc(size.max(1)) })
}

/// No effect: PN_VOID memory is not counted.
///
/// # Safety
/// None.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_void_incref(_object: *mut c_void) {}

/// No effect: PN_VOID memory is not counted.
///
/// # Safety
/// None.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_void_decref(_object: *mut c_void) {}

/// Always -1: PN_VOID memory is not counted.
///
/// # Safety
/// None.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_void_refcount(_object: *mut c_void) -> c_int {
    -1
}

/// The address.
///
/// # Safety
/// None.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_void_hashcode(object: *mut c_void) -> usize {
    object as usize
}

/// The difference of the addresses.
///
/// # Safety
/// None.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_void_compare(a: *mut c_void, b: *mut c_void) -> isize {
    addr_compare_raw(a, b)
}

/// Appends `<address>`.
///
/// # Safety
/// `dst` must be a string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_void_inspect(object: *mut c_void, dst: *mut pn_string_t) -> c_int {
    // SAFETY: per the contract.
    guard(|| unsafe { string::append(dst, c_ptr(object).as_bytes()) })
}

// ---------------------------------------------------------------------------
// Reference-counted proton objects

/// Allocate a zeroed proton object of `size` bytes with one reference.
///
/// # Safety
/// `clazz` must be a class that lives as long as the object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_object_new(clazz: *const pn_class_t, size: usize) -> *mut c_void {
    guard(|| {
        // SAFETY: calloc has no preconditions; the result is checked.
        let block = unsafe { libc::calloc(1, HEADER_SIZE + size) }.cast::<u8>();
        if block.is_null() {
            return ptr::null_mut();
        }
        // SAFETY: the block holds at least HEADER_SIZE bytes, 16-aligned.
        unsafe {
            ptr::write(block.cast::<Header>(), Header { clazz, refcount: 1 });
            block.add(HEADER_SIZE).cast()
        }
    })
}

/// The class recorded in the object's header.
///
/// # Safety
/// `object` must be NULL or a proton object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_object_reify(object: *mut c_void) -> *const pn_class_t {
    if object.is_null() {
        return PN_OBJECT.as_ptr();
    }
    // SAFETY: per the contract, the header precedes the object.
    unsafe { (*header(object)).clazz }
}

/// # Safety
/// `object` must be NULL or a proton object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_object_incref(object: *mut c_void) {
    if !object.is_null() {
        // SAFETY: per the contract.
        unsafe { (*header(object)).refcount += 1 };
    }
}

/// # Safety
/// `object` must be NULL or a proton object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_object_refcount(object: *mut c_void) -> c_int {
    if object.is_null() {
        return 0;
    }
    // SAFETY: per the contract.
    unsafe { (*header(object)).refcount }
}

/// # Safety
/// `object` must be NULL or a proton object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_object_decref(object: *mut c_void) {
    if !object.is_null() {
        // SAFETY: per the contract.
        unsafe {
            let h = header(object);
            if (*h).refcount > 0 {
                (*h).refcount -= 1;
            }
        }
    }
}

/// Release the memory of a finalized proton object.
///
/// # Safety
/// `object` must be NULL or a finalized proton object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_object_free(object: *mut c_void) {
    if !object.is_null() {
        // SAFETY: the allocation starts at the header (pn_object_new,
        // new_object), made by malloc/calloc.
        unsafe { libc::free(header(object).cast()) };
    }
}

// ---------------------------------------------------------------------------
// Operations on any proton object (class found by reify)

/// Take a reference to a proton object; returns it.
///
/// # Safety
/// `object` must be NULL or a proton object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_incref(object: *mut c_void) -> *mut c_void {
    // SAFETY: per the contract.
    unsafe { pn_class_incref(PN_OBJECT.as_ptr(), object) }
}

/// Drop a reference; returns the references left.
///
/// # Safety
/// `object` must be NULL or a proton object holding a reference.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_decref(object: *mut c_void) -> c_int {
    // SAFETY: per the contract.
    unsafe { pn_class_decref(PN_OBJECT.as_ptr(), object) }
}

/// # Safety
/// `object` must be NULL or a proton object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_refcount(object: *mut c_void) -> c_int {
    // SAFETY: per the contract.
    unsafe { pn_class_refcount(PN_OBJECT.as_ptr(), object) }
}

/// # Safety
/// `object` must be NULL or a proton object with one reference.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_free(object: *mut c_void) {
    // SAFETY: per the contract.
    unsafe { pn_class_free(PN_OBJECT.as_ptr(), object) }
}

/// The object's class.
///
/// # Safety
/// `object` must be NULL or a proton object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_class(object: *mut c_void) -> *const pn_class_t {
    // SAFETY: per the contract.
    guard(|| unsafe { reify(PN_OBJECT.as_ptr(), object) })
}

/// # Safety
/// `object` must be NULL or a proton object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_hashcode(object: *mut c_void) -> usize {
    // SAFETY: per the contract.
    unsafe { pn_class_hashcode(PN_OBJECT.as_ptr(), object) }
}

/// # Safety
/// `a` and `b` must be NULL or proton objects.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_compare(a: *mut c_void, b: *mut c_void) -> isize {
    // SAFETY: per the contract.
    unsafe { pn_class_compare(PN_OBJECT.as_ptr(), a, b) }
}

/// # Safety
/// `a` and `b` must be NULL or proton objects.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_equals(a: *mut c_void, b: *mut c_void) -> bool {
    // SAFETY: per the contract.
    unsafe { pn_class_equals(PN_OBJECT.as_ptr(), a, b) }
}

/// Append a printed form of the object to `dst`.
///
/// # Safety
/// `object` must be NULL or a proton object; `dst` a string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_inspect(object: *mut c_void, dst: *mut pn_string_t) -> c_int {
    // SAFETY: per the contract.
    unsafe { pn_class_inspect(PN_OBJECT.as_ptr(), object, dst) }
}

/// The printed form of the object in newly `malloc`ed memory the caller
/// frees (proton-c 0.38's addition, used by the Python binding).
///
/// # Safety
/// `object` must be NULL or a proton object.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_tostring(object: *mut c_void) -> *mut c_char {
    guard(|| {
        let text = string::Text::new();
        // SAFETY: `text` holds a live string; object per the contract.
        unsafe { pn_inspect(object, text.as_ptr()) };
        text.to_malloc_cstr()
    })
}

/// Make a class for objects whose reference counting is the caller's own
/// (proton-c 0.38's addition, used by the Python binding). The class lives
/// for the rest of the process.
///
/// # Safety
/// `name` must be a NUL-terminated string that lives as long as the class.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_class_create(
    name: *const c_char,
    initialize: Option<unsafe extern "C" fn(object: *mut c_void)>,
    finalize: Option<unsafe extern "C" fn(object: *mut c_void)>,
    incref: Option<unsafe extern "C" fn(object: *mut c_void)>,
    decref: Option<unsafe extern "C" fn(object: *mut c_void)>,
    refcount: Option<unsafe extern "C" fn(object: *mut c_void) -> c_int>,
) -> *mut pn_class_t {
    guard(|| {
        let class = Box::new(pn_class_t {
            name,
            cid: pn_cid_t::CID_pn_void as c_int,
            newinst: None,
            initialize,
            incref,
            decref,
            refcount,
            finalize,
            free: None,
            reify: None,
            hashcode: None,
            compare: None,
            inspect: None,
        });
        Box::into_raw(class)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::object::record::{pn_record, pn_record_def, pn_record_get, pn_record_set};
    use crate::ffi::object::string::{pn_string, pn_string_get};
    use std::sync::atomic::{AtomicI32, Ordering};

    // A class whose counting lives outside the object, as the Python
    // binding's is (its objects are Python objects, not proton memory).
    static EXTERNAL_REFS: AtomicI32 = AtomicI32::new(0);
    static FINALIZED: AtomicI32 = AtomicI32::new(0);
    unsafe extern "C" fn ext_incref(_: *mut c_void) {
        EXTERNAL_REFS.fetch_add(1, Ordering::SeqCst);
    }
    unsafe extern "C" fn ext_decref(_: *mut c_void) {
        EXTERNAL_REFS.fetch_sub(1, Ordering::SeqCst);
    }
    unsafe extern "C" fn ext_refcount(_: *mut c_void) -> c_int {
        1
    }
    unsafe extern "C" fn ext_finalize(_: *mut c_void) {
        FINALIZED.fetch_add(1, Ordering::SeqCst);
    }

    #[test]
    fn created_class_counts_through_its_own_hooks() {
        // SAFETY: the class and the record are live for the whole test; the
        // "object" is any non-NULL address, as the hooks never touch it.
        unsafe {
            let class = pn_class_create(
                c"pyref".as_ptr(),
                None,
                Some(ext_finalize),
                Some(ext_incref),
                Some(ext_decref),
                Some(ext_refcount),
            );
            assert_eq!(std::ffi::CStr::from_ptr(pn_class_name(class)), c"pyref");
            let record = pn_record();
            static KEY: u8 = 0;
            let key = std::ptr::addr_of!(KEY).cast::<c_void>();
            pn_record_def(record, key, class);
            let fake = 0x1000 as *mut c_void;
            pn_record_set(record, key, fake);
            assert_eq!(EXTERNAL_REFS.load(Ordering::SeqCst), 1, "set takes a reference through the class");
            assert_eq!(pn_record_get(record, key), fake);
            // The class stands for itself: its refcount hook says 1, so a
            // decref through it never finalizes or frees the foreign object.
            assert_eq!(pn_class_refcount(class, fake), 1);
            pn_record_set(record, key, ptr::null_mut());
            assert_eq!(EXTERNAL_REFS.load(Ordering::SeqCst), 0, "replacing the value releases the old one");
            assert_eq!(FINALIZED.load(Ordering::SeqCst), 0);
            pn_decref(record.cast());
        }
    }

    static OBJ_FINALIZED: AtomicI32 = AtomicI32::new(0);
    unsafe extern "C" fn obj_finalize(_: *mut c_void) {
        OBJ_FINALIZED.fetch_add(1, Ordering::SeqCst);
    }

    #[test]
    fn finalizer_runs_once_when_the_last_reference_goes() {
        static CLASS: pn_class_t = pn_class_t {
            name: c"counted".as_ptr(),
            cid: pn_cid_t::CID_pn_object as c_int,
            newinst: Some(pn_object_new),
            initialize: None,
            finalize: Some(obj_finalize),
            ..RUST_CLASS_BASE
        };
        // SAFETY: the object is made and released here.
        unsafe {
            let obj = pn_class_new(&CLASS, 24);
            assert_eq!(pn_refcount(obj), 1);
            assert_eq!(pn_class(obj), &CLASS as *const _);
            pn_incref(obj);
            assert_eq!(pn_decref(obj), 1);
            assert_eq!(OBJ_FINALIZED.load(Ordering::SeqCst), 0);
            assert_eq!(pn_decref(obj), 0);
            assert_eq!(OBJ_FINALIZED.load(Ordering::SeqCst), 1);
        }
    }

    #[test]
    fn tostring_prints_the_inspected_form() {
        // SAFETY: objects made and freed here; the returned text is malloc'd.
        unsafe {
            let s = pn_string(c"hi\x01".as_ptr());
            assert_eq!(std::ffi::CStr::from_ptr(pn_string_get(s)), c"hi\x01");
            let text = pn_tostring(s.cast());
            assert_eq!(std::ffi::CStr::from_ptr(text), c"\"hi\\x01\"");
            libc::free(text.cast());
            let text = pn_tostring(ptr::null_mut());
            assert_eq!(std::ffi::CStr::from_ptr(text), c"pn_object<(nil)>");
            libc::free(text.cast());
            pn_free(s.cast());
        }
    }

    #[test]
    fn void_class_does_not_count() {
        // SAFETY: memory made and freed here.
        unsafe {
            let v = pn_class_new(PN_VOID.as_ptr(), 8);
            assert_eq!(pn_class_refcount(PN_VOID.as_ptr(), v), -1);
            pn_class_incref(PN_VOID.as_ptr(), v);
            assert_eq!(pn_class_decref(PN_VOID.as_ptr(), v), -1);
            pn_class_free(PN_VOID.as_ptr(), v);
        }
    }
}
