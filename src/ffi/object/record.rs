//! `pn_record_t`: attachments keyed by `pn_handle_t`, each with the class
//! that counts its value. Every engine object carries one; bindings keep
//! their wrappers in it.

use std::ffi::c_void;
use std::ptr;

use crate::ffi::boundary::{guard, try_mut, try_ref};
use crate::ffi::handle::{Handle, handle};
use crate::ffi::object::{class_decref, class_incref, new_object, pn_class_t, pn_handle_t, rust_class};

/// A set of attachments.
pub struct pn_record_t {
    _private: [u8; 0],
}

struct Field {
    key: pn_handle_t,
    clazz: *const pn_class_t,
    value: *mut c_void,
}

#[derive(Default)]
pub struct Record {
    fields: Vec<Field>,
}

impl Record {
    fn find(&self, key: pn_handle_t) -> Option<usize> {
        self.fields.iter().position(|f| f.key == key)
    }

    pub fn def(&mut self, key: pn_handle_t, clazz: *const pn_class_t) {
        if self.find(key).is_none() {
            self.fields.push(Field { key, clazz, value: ptr::null_mut() });
        }
    }

    pub fn get(&self, key: pn_handle_t) -> *mut c_void {
        self.find(key).map_or(ptr::null_mut(), |i| self.fields[i].value)
    }

    /// Replace the value of `key`; returns the class and old value, which
    /// the caller releases once no borrow of the record is live.
    fn replace(&mut self, key: pn_handle_t, value: *mut c_void) -> Option<(*const pn_class_t, *mut c_void)> {
        let i = self.find(key)?;
        let f = &mut self.fields[i];
        Some((f.clazz, std::mem::replace(&mut f.value, value)))
    }
}

impl Drop for Record {
    fn drop(&mut self) {
        for f in std::mem::take(&mut self.fields) {
            // SAFETY: the record held a reference to each value through
            // its field's class.
            unsafe { class_decref(f.clazz, f.value) };
        }
    }
}

rust_class!(Record, PN_RECORD_CLASS, "pn_record", CID_pn_record);
handle!(pn_record_t => Record);

/// A new, empty record.
#[unsafe(no_mangle)]
pub extern "C" fn pn_record() -> *mut pn_record_t {
    guard(|| pn_record_t::from_target(new_object(Record::default())))
}

/// Declare `key`, with `clazz` counting its values. No effect if `key` is
/// already declared.
///
/// # Safety
/// `record` must be NULL or a live record; `clazz` a class outliving it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_record_def(record: *mut pn_record_t, key: pn_handle_t, clazz: *const pn_class_t) {
    guard(|| try_mut!(record).def(key, clazz))
}

/// # Safety
/// `record` must be NULL or a live record.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_record_has(record: *mut pn_record_t, key: pn_handle_t) -> bool {
    guard(|| try_ref!(record).find(key).is_some())
}

/// The value of `key`; NULL when unset or undeclared.
///
/// # Safety
/// `record` must be NULL or a live record.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_record_get(record: *mut pn_record_t, key: pn_handle_t) -> *mut c_void {
    guard(|| try_ref!(record).get(key))
}

/// Set the value of a declared `key`, taking a reference through the key's
/// class and releasing the old value. No effect if `key` is undeclared.
///
/// # Safety
/// `record` must be NULL or a live record; `value` an object of the key's
/// class.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_record_set(record: *mut pn_record_t, key: pn_handle_t, value: *mut c_void) {
    guard(|| {
        let Some((clazz, old)) = try_mut!(record).replace(key, value) else { return };
        // SAFETY: no borrow of the record is live now (the class functions
        // may call back into the API); value/old belong to clazz.
        unsafe {
            class_incref(clazz, value);
            class_decref(clazz, old);
        }
    })
}

/// Release every value and forget every key.
///
/// # Safety
/// `record` must be NULL or a live record.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_record_clear(record: *mut pn_record_t) {
    guard(|| {
        let fields = std::mem::take(&mut try_mut!(record).fields);
        for f in fields {
            // SAFETY: the record held a reference to each value.
            unsafe { class_decref(f.clazz, f.value) };
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::object::string::pn_string;
    use crate::ffi::object::{PN_OBJECT, PN_VOID, pn_decref, pn_refcount};

    #[test]
    fn set_counts_through_the_key_class() {
        static KEY_A: u8 = 0;
        static KEY_B: u8 = 0;
        let a = ptr::addr_of!(KEY_A).cast::<c_void>();
        let b = ptr::addr_of!(KEY_B).cast::<c_void>();
        // SAFETY: all pointers are live objects made in this test.
        unsafe {
            let r = pn_record();
            pn_record_def(r, a, PN_OBJECT.as_ptr());
            pn_record_def(r, b, PN_VOID.as_ptr());
            let s = pn_string(c"x".as_ptr()).cast::<c_void>();
            pn_record_set(r, a, s);
            assert_eq!(pn_refcount(s), 2);
            pn_record_set(r, b, s);
            assert_eq!(pn_refcount(s), 2, "PN_VOID does not count");
            assert_eq!(pn_record_get(r, a), s);
            assert!(pn_record_has(r, b));
            pn_record_set(r, a, ptr::null_mut());
            assert_eq!(pn_refcount(s), 1);
            pn_record_set(r, a, s);
            pn_decref(r.cast());
            assert_eq!(pn_refcount(s), 1, "the record released its reference when freed");
            pn_decref(s);
        }
    }
}
