//! Safe owners of the `pn_data_t` and `pn_condition_t` objects the engine
//! exposes to C.
//!
//! The C API hands out pointers to an endpoint's properties, capabilities,
//! conditions and so on, and the application edits them in place; the
//! transport then encodes what they hold. So the engine keeps those values
//! in the very objects C sees. [`DataBox`] and [`CondBox`] own one such
//! object each (made on first use) and give the engine safe access to its
//! contents; the pointer casts stay here.

use std::ffi::CStr;
use std::ptr;

use super::codec::{new_data, pn_data_free, pn_data_t};
use super::condition::{Condition, pn_condition_t};
use super::handle::Handle;
use super::object::{new_object, pn_free};
use crate::codec::Data;

/// Owns a `pn_data_t`, made on first use.
pub struct DataBox {
    ptr: *mut pn_data_t,
}

impl Default for DataBox {
    fn default() -> Self {
        DataBox { ptr: ptr::null_mut() }
    }
}

impl Drop for DataBox {
    fn drop(&mut self) {
        // SAFETY: `ptr` is NULL or the data this box made and owns.
        unsafe { pn_data_free(self.ptr) };
    }
}

impl DataBox {
    /// The `pn_data_t` (made now if need be); lives as long as the box.
    pub fn ptr(&mut self) -> *mut pn_data_t {
        if self.ptr.is_null() {
            self.ptr = new_data(0);
        }
        self.ptr
    }

    /// The value tree, if the object exists.
    pub fn get(&self) -> Option<&Data> {
        // SAFETY: `ptr` is NULL or the live data this box owns; the C API
        // is single threaded, so no other borrow is live during this one.
        unsafe { pn_data_t::as_ref(self.ptr) }.map(|d| &d.data)
    }

    /// The value tree, made if need be.
    pub fn get_mut(&mut self) -> &mut Data {
        let p = self.ptr();
        // SAFETY: as in `get`; `p` is live.
        &mut unsafe { pn_data_t::as_mut(p) }.expect("pn_data made above").data
    }

    /// Whether there is no value (no object, or an empty tree).
    pub fn is_empty(&self) -> bool {
        self.get().is_none_or(|d| d.size() == 0)
    }

    pub fn clear(&mut self) {
        if !self.ptr.is_null() {
            self.get_mut().clear();
        }
    }

    /// Whether the object has been made (C asked for it or a value came).
    pub fn exists(&self) -> bool {
        !self.ptr.is_null()
    }

    /// Copy `src`'s tree (empty when it has none).
    pub fn copy_from(&mut self, src: &DataBox) {
        match src.get() {
            Some(d) if d.size() > 0 => {
                let copy = d.clone();
                *self.get_mut() = copy;
            }
            _ => self.clear(),
        }
    }
}

/// Owns a `pn_condition_t`, made on first use.
pub struct CondBox {
    ptr: *mut pn_condition_t,
}

impl Default for CondBox {
    fn default() -> Self {
        CondBox { ptr: ptr::null_mut() }
    }
}

impl Drop for CondBox {
    fn drop(&mut self) {
        if !self.ptr.is_null() {
            // SAFETY: the condition this box made and owns.
            unsafe { pn_free(self.ptr.cast()) };
        }
    }
}

impl CondBox {
    /// The `pn_condition_t` (made now if need be); lives as long as the box.
    pub fn ptr(&mut self) -> *mut pn_condition_t {
        if self.ptr.is_null() {
            self.ptr = pn_condition_t::from_target(new_object(Condition::default()));
        }
        self.ptr
    }

    fn cond(&self) -> Option<&Condition> {
        // SAFETY: NULL or the live condition this box owns (single
        // threaded C API: no other borrow is live).
        unsafe { pn_condition_t::as_ref(self.ptr) }
    }

    fn cond_mut(&mut self) -> &mut Condition {
        let p = self.ptr();
        // SAFETY: as above.
        unsafe { pn_condition_t::as_mut(p) }.expect("condition made above")
    }

    pub fn is_set(&self) -> bool {
        self.cond().is_some_and(Condition::is_set)
    }

    pub fn name(&self) -> Option<&[u8]> {
        self.cond()?.name().map(CStr::to_bytes)
    }

    pub fn description(&self) -> Option<&[u8]> {
        self.cond()?.description().map(CStr::to_bytes)
    }

    /// The info map, if there is one with a value.
    pub fn info(&self) -> Option<&Data> {
        let c = self.cond()?;
        let info = c.info_ptr();
        // SAFETY: the condition's own live info data, or NULL.
        let d = unsafe { pn_data_t::as_ref(info) }.map(|d| &d.data)?;
        (d.size() > 0).then_some(d)
    }

    pub fn info_mut(&mut self) -> &mut Data {
        let info = self.cond_mut().info();
        // SAFETY: the condition's own live info data.
        &mut unsafe { pn_data_t::as_mut(info) }.expect("info made").data
    }

    pub fn set(&mut self, name: Option<&[u8]>, description: Option<&[u8]>) {
        let c = self.cond_mut();
        c.set_name(name);
        c.set_description(description);
    }

    pub fn clear(&mut self) {
        if !self.ptr.is_null() {
            self.cond_mut().clear();
        }
    }

    pub fn copy_from(&mut self, src: &CondBox) {
        if src.ptr.is_null() {
            self.clear();
            return;
        }
        if let Some(s) = src.cond() {
            // Two distinct conditions: the borrows do not overlap.
            let s: *const Condition = s;
            // SAFETY: `s` points at src's live condition, distinct from ours.
            self.cond_mut().copy_from(unsafe { &*s });
        }
    }
}
