//! `pn_list_t`, `pn_map_t`, `pn_hash_t` and `pn_iterator_t`: containers of
//! `void *` whose elements are counted, compared and printed through a
//! class (PN_OBJECT, PN_VOID, PN_WEAKREF or a C class).

use std::ffi::{c_int, c_void};
use std::ptr;

use crate::ffi::boundary::{guard, try_mut, try_ref};
use crate::ffi::handle::{Handle, handle};
use crate::ffi::object::{
    class_decref, class_incref, new_object, pn_class_compare, pn_class_hashcode, pn_class_inspect, pn_class_t,
    pn_handle_t, pn_iterator_next_t, pn_string_t, rust_class, string,
};

/// A list of objects.
pub struct pn_list_t {
    _private: [u8; 0],
}

/// A hash map from objects to objects.
pub struct pn_map_t {
    _private: [u8; 0],
}

/// A hash map from integers to objects.
pub struct pn_hash_t {
    _private: [u8; 0],
}

/// A cursor over a sequence of objects.
pub struct pn_iterator_t {
    _private: [u8; 0],
}

// ---------------------------------------------------------------------------
// List

pub struct List {
    clazz: *const pn_class_t,
    items: Vec<*mut c_void>,
}

impl Drop for List {
    fn drop(&mut self) {
        for item in std::mem::take(&mut self.items) {
            // SAFETY: the list holds a reference (through its class) to
            // each element.
            unsafe { class_decref(self.clazz, item) };
        }
    }
}

rust_class!(List, PN_LIST_CLASS, "pn_list", CID_pn_list, inspect = list_inspect);
handle!(pn_list_t => List);

unsafe extern "C" fn list_inspect(object: *mut c_void, dst: *mut pn_string_t) -> c_int {
    // SAFETY: called through the list class on a list.
    let list = unsafe { &*object.cast::<List>() };
    // SAFETY: dst is a live string (caller).
    unsafe { inspect_seq(dst, list.clazz, &list.items, b"[", b"]") }
}

/// Print `open item, item close` with each item inspected through `clazz`.
unsafe fn inspect_seq(
    dst: *mut pn_string_t,
    clazz: *const pn_class_t,
    items: &[*mut c_void],
    open: &[u8],
    close: &[u8],
) -> c_int {
    // SAFETY: dst is live and items belong to clazz (caller).
    unsafe {
        string::append(dst, open);
        for (i, &item) in items.iter().enumerate() {
            if i > 0 {
                string::append(dst, b", ");
            }
            let err = pn_class_inspect(clazz, item, dst);
            if err != 0 {
                return err;
            }
        }
        string::append(dst, close)
    }
}

/// Index into a list the way proton does: negative counts from the end.
fn wrap(index: c_int, len: usize) -> Option<usize> {
    if len == 0 {
        return None;
    }
    Some((index as i64).rem_euclid(len as i64) as usize)
}

/// A new list whose elements are handled by `clazz`.
///
/// # Safety
/// `clazz` must be a valid class that outlives the list.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_list(clazz: *const pn_class_t, capacity: usize) -> *mut pn_list_t {
    guard(|| pn_list_t::from_target(new_object(List { clazz, items: Vec::with_capacity(capacity) })))
}

/// # Safety
/// `list` must be NULL or a live list.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_list_size(list: *mut pn_list_t) -> usize {
    guard(|| try_ref!(list).items.len())
}

/// The element at `index` (negative counts from the end); NULL if empty.
///
/// # Safety
/// `list` must be NULL or a live list.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_list_get(list: *mut pn_list_t, index: c_int) -> *mut c_void {
    guard(|| {
        let l = try_ref!(list);
        wrap(index, l.items.len()).map_or(ptr::null_mut(), |i| l.items[i])
    })
}

/// Replace the element at `index`.
///
/// # Safety
/// `list` must be NULL or a live list; `value` an object of its class.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_list_set(list: *mut pn_list_t, index: c_int, value: *mut c_void) {
    guard(|| {
        let l = try_mut!(list);
        if let Some(i) = wrap(index, l.items.len()) {
            let old = std::mem::replace(&mut l.items[i], value);
            let clazz = l.clazz;
            // SAFETY: elements belong to the list's class (contract).
            unsafe {
                class_incref(clazz, value);
                class_decref(clazz, old);
            }
        }
    })
}

/// Append `value`, taking a reference; returns 0.
///
/// # Safety
/// `list` must be NULL or a live list; `value` an object of its class.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_list_add(list: *mut pn_list_t, value: *mut c_void) -> c_int {
    guard(|| {
        let l = try_mut!(list);
        l.items.push(value);
        // SAFETY: per the contract.
        unsafe { class_incref(l.clazz, value) };
        0
    })
}

/// Remove and return the last element; the caller gets the list's
/// reference.
///
/// # Safety
/// `list` must be NULL or a live list.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_list_pop(list: *mut pn_list_t) -> *mut c_void {
    guard(|| try_mut!(list).items.pop().unwrap_or(ptr::null_mut()))
}

fn position(l: &List, value: *mut c_void) -> Option<usize> {
    l.items.iter().position(|&item| {
        // SAFETY: elements and value belong to the list's class (callers).
        unsafe { pn_class_compare(l.clazz, item, value) == 0 }
    })
}

/// Index of the first element equal to `value`, or -1.
///
/// # Safety
/// `list` must be NULL or a live list; `value` an object of its class.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_list_index(list: *mut pn_list_t, value: *mut c_void) -> isize {
    guard(|| position(try_ref!(list), value).map_or(-1, |i| i as isize))
}

/// Remove the first element equal to `value`; false if there is none.
///
/// # Safety
/// `list` must be NULL or a live list; `value` an object of its class.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_list_remove(list: *mut pn_list_t, value: *mut c_void) -> bool {
    guard(|| {
        let l = try_mut!(list);
        match position(l, value) {
            Some(i) => {
                let old = l.items.remove(i);
                // SAFETY: the list held a reference to the element.
                unsafe { class_decref(l.clazz, old) };
                true
            }
            None => false,
        }
    })
}

/// Remove `n` elements starting at `index`.
///
/// # Safety
/// `list` must be NULL or a live list.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_list_del(list: *mut pn_list_t, index: c_int, n: c_int) {
    guard(|| {
        let l = try_mut!(list);
        let Some(start) = wrap(index, l.items.len()) else { return };
        let end = (start + n.max(0) as usize).min(l.items.len());
        let removed: Vec<_> = l.items.drain(start..end).collect();
        let clazz = l.clazz;
        for old in removed {
            // SAFETY: the list held a reference to each removed element.
            unsafe { class_decref(clazz, old) };
        }
    })
}

/// Remove every element.
///
/// # Safety
/// `list` must be NULL or a live list.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_list_clear(list: *mut pn_list_t) {
    guard(|| {
        let l = try_mut!(list);
        let removed = std::mem::take(&mut l.items);
        for old in removed {
            // SAFETY: the list held a reference to each element.
            unsafe { class_decref(l.clazz, old) };
        }
    })
}

#[repr(C)]
struct ListIterState {
    list: *mut pn_list_t,
    index: usize,
}

unsafe extern "C" fn list_iter_next(state: *mut c_void) -> *mut c_void {
    // SAFETY: the state was made by pn_list_iterator below.
    let st = unsafe { &mut *state.cast::<ListIterState>() };
    // SAFETY: the list outlives its iteration (API contract).
    let Some(l) = (unsafe { pn_list_t::as_ref(st.list) }) else { return ptr::null_mut() };
    match l.items.get(st.index) {
        Some(&item) => {
            st.index += 1;
            item
        }
        None => ptr::null_mut(),
    }
}

/// Start `iter` over the list's elements.
///
/// # Safety
/// `list` and `iter` must be NULL or live; the list must not change while
/// iterated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_list_iterator(list: *mut pn_list_t, iter: *mut pn_iterator_t) {
    guard(|| {
        // SAFETY: per the contract.
        let state = unsafe { pn_iterator_start(iter, Some(list_iter_next), std::mem::size_of::<ListIterState>()) };
        if !state.is_null() {
            // SAFETY: the state is at least as large as ListIterState and
            // aligned for it (8-byte aligned Vec<u64> storage).
            unsafe { ptr::write(state.cast::<ListIterState>(), ListIterState { list, index: 0 }) };
        }
    })
}

/// Push onto a binary min-heap kept in the list (ordered by the class's
/// compare).
///
/// # Safety
/// `list` must be NULL or a live list; `value` an object of its class.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_list_minpush(list: *mut pn_list_t, value: *mut c_void) {
    guard(|| {
        let l = try_mut!(list);
        // SAFETY: per the contract.
        unsafe { class_incref(l.clazz, value) };
        l.items.push(value);
        let mut i = l.items.len() - 1;
        while i > 0 {
            let parent = (i - 1) / 2;
            // SAFETY: elements belong to the list's class.
            if unsafe { pn_class_compare(l.clazz, l.items[parent], l.items[i]) } <= 0 {
                break;
            }
            l.items.swap(parent, i);
            i = parent;
        }
    })
}

/// Pop the least element of a heap made by `pn_list_minpush`; the caller
/// gets the list's reference.
///
/// # Safety
/// `list` must be NULL or a live list.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_list_minpop(list: *mut pn_list_t) -> *mut c_void {
    guard(|| {
        let l = try_mut!(list);
        if l.items.is_empty() {
            return ptr::null_mut();
        }
        let min = l.items.swap_remove(0);
        let n = l.items.len();
        let mut i = 0;
        loop {
            let (a, b) = (2 * i + 1, 2 * i + 2);
            let mut least = i;
            // SAFETY: elements belong to the list's class.
            unsafe {
                if a < n && pn_class_compare(l.clazz, l.items[a], l.items[least]) < 0 {
                    least = a;
                }
                if b < n && pn_class_compare(l.clazz, l.items[b], l.items[least]) < 0 {
                    least = b;
                }
            }
            if least == i {
                break;
            }
            l.items.swap(i, least);
            i = least;
        }
        min
    })
}

// ---------------------------------------------------------------------------
// Map and hash: open addressing with linear probing. Entry handles are
// slot index + 1, so iteration visits slots in order.

#[derive(Clone, Copy)]
enum Slot {
    Empty,
    Deleted,
    Full { key: *mut c_void, value: *mut c_void, hash: usize },
}

/// The table behind both `pn_map_t` (object keys) and `pn_hash_t` (integer
/// keys, `key_class` NULL).
pub struct Map {
    key_class: *const pn_class_t,
    value_class: *const pn_class_t,
    slots: Vec<Slot>,
    len: usize,
    used: usize,
    load_factor: f32,
}

impl Map {
    fn new(key_class: *const pn_class_t, value_class: *const pn_class_t, capacity: usize, load_factor: f32) -> Map {
        let load_factor = if load_factor > 0.0 && load_factor < 1.0 { load_factor } else { 0.75 };
        let cap = ((capacity as f32 / load_factor) as usize + 1).next_power_of_two().max(16);
        Map { key_class, value_class, slots: vec![Slot::Empty; cap], len: 0, used: 0, load_factor }
    }

    fn hash(&self, key: *mut c_void) -> usize {
        if self.key_class.is_null() {
            key as usize
        } else {
            // SAFETY: keys belong to the key class (API contract).
            unsafe { pn_class_hashcode(self.key_class, key) }
        }
    }

    fn key_eq(&self, a: *mut c_void, b: *mut c_void) -> bool {
        if self.key_class.is_null() {
            a == b
        } else {
            // SAFETY: keys belong to the key class (API contract).
            unsafe { pn_class_compare(self.key_class, a, b) == 0 }
        }
    }

    fn find(&self, key: *mut c_void) -> Option<usize> {
        let hash = self.hash(key);
        let mask = self.slots.len() - 1;
        let mut i = hash & mask;
        for _ in 0..self.slots.len() {
            match self.slots[i] {
                Slot::Empty => return None,
                Slot::Full { key: k, hash: h, .. } if h == hash && self.key_eq(k, key) => return Some(i),
                _ => {}
            }
            i = (i + 1) & mask;
        }
        None
    }

    fn incref(clazz: *const pn_class_t, p: *mut c_void) {
        if !clazz.is_null() {
            // SAFETY: p belongs to clazz (API contract).
            unsafe { class_incref(clazz, p) };
        }
    }

    fn decref(clazz: *const pn_class_t, p: *mut c_void) {
        if !clazz.is_null() {
            // SAFETY: the map held a reference to p through clazz.
            unsafe { class_decref(clazz, p) };
        }
    }

    fn grow(&mut self) {
        let old = std::mem::replace(&mut self.slots, vec![Slot::Empty; 0]);
        let cap = if (self.len + 1) as f32 > old.len() as f32 * self.load_factor { old.len() * 2 } else { old.len() };
        self.slots = vec![Slot::Empty; cap];
        self.used = 0;
        for slot in old {
            if let Slot::Full { hash, .. } = slot {
                let mask = cap - 1;
                let mut i = hash & mask;
                while matches!(self.slots[i], Slot::Full { .. }) {
                    i = (i + 1) & mask;
                }
                self.slots[i] = slot;
                self.used += 1;
            }
        }
    }

    fn put(&mut self, key: *mut c_void, value: *mut c_void) {
        if let Some(i) = self.find(key) {
            if let Slot::Full { value: old, .. } = &mut self.slots[i] {
                let old_value = std::mem::replace(old, value);
                Self::incref(self.value_class, value);
                Self::decref(self.value_class, old_value);
            }
            return;
        }
        if (self.used + 1) as f32 > self.slots.len() as f32 * self.load_factor {
            self.grow();
        }
        let hash = self.hash(key);
        let mask = self.slots.len() - 1;
        let mut i = hash & mask;
        while matches!(self.slots[i], Slot::Full { .. }) {
            i = (i + 1) & mask;
        }
        if matches!(self.slots[i], Slot::Empty) {
            self.used += 1;
        }
        self.slots[i] = Slot::Full { key, value, hash };
        self.len += 1;
        Self::incref(self.key_class, key);
        Self::incref(self.value_class, value);
    }

    fn get(&self, key: *mut c_void) -> *mut c_void {
        match self.find(key).map(|i| self.slots[i]) {
            Some(Slot::Full { value, .. }) => value,
            _ => ptr::null_mut(),
        }
    }

    fn del(&mut self, key: *mut c_void) {
        if let Some(i) = self.find(key) {
            if let Slot::Full { key, value, .. } = std::mem::replace(&mut self.slots[i], Slot::Deleted) {
                self.len -= 1;
                Self::decref(self.key_class, key);
                Self::decref(self.value_class, value);
            }
        }
    }

    /// Handle of the first full slot at or after `from`, 0 when none.
    fn next_from(&self, from: usize) -> pn_handle_t {
        (from..self.slots.len())
            .find(|&i| matches!(self.slots[i], Slot::Full { .. }))
            .map_or(ptr::null(), |i| (i + 1) as pn_handle_t)
    }

    fn entry(&self, handle: pn_handle_t) -> Option<(*mut c_void, *mut c_void)> {
        let i = (handle as usize).checked_sub(1)?;
        match self.slots.get(i) {
            Some(Slot::Full { key, value, .. }) => Some((*key, *value)),
            _ => None,
        }
    }
}

impl Drop for Map {
    fn drop(&mut self) {
        for slot in std::mem::take(&mut self.slots) {
            if let Slot::Full { key, value, .. } = slot {
                Self::decref(self.key_class, key);
                Self::decref(self.value_class, value);
            }
        }
    }
}

/// `pn_hash_t` is the same table with integer keys.
pub struct Hash(Map);

rust_class!(Map, PN_MAP_CLASS, "pn_map", CID_pn_map, inspect = map_inspect);
rust_class!(Hash, PN_HASH_CLASS, "pn_hash", CID_pn_hash, inspect = hash_inspect);
handle!(pn_map_t => Map);
handle!(pn_hash_t => Hash);

unsafe extern "C" fn map_inspect(object: *mut c_void, dst: *mut pn_string_t) -> c_int {
    // SAFETY: called through the map class on a map.
    let map = unsafe { &*object.cast::<Map>() };
    // SAFETY: dst is live; entries belong to the map's classes.
    unsafe { inspect_map(map, dst, |m, k, dst| pn_class_inspect(m.key_class, k, dst)) }
}

unsafe extern "C" fn hash_inspect(object: *mut c_void, dst: *mut pn_string_t) -> c_int {
    // SAFETY: called through the hash class on a hash.
    let hash = unsafe { &*object.cast::<Hash>() };
    // SAFETY: dst is live; values belong to the hash's class.
    unsafe {
        inspect_map(&hash.0, dst, |_, k, dst| {
            string::append(dst, format!("pni_uintptr<{}>", crate::ffi::object::c_ptr(k)).as_bytes())
        })
    }
}

unsafe fn inspect_map(
    map: &Map,
    dst: *mut pn_string_t,
    key: impl Fn(&Map, *mut c_void, *mut pn_string_t) -> c_int,
) -> c_int {
    // SAFETY: dst is live (caller).
    unsafe {
        string::append(dst, b"{");
        let mut first = true;
        for slot in &map.slots {
            if let Slot::Full { key: k, value, .. } = *slot {
                if !first {
                    string::append(dst, b", ");
                }
                first = false;
                key(map, k, dst);
                string::append(dst, b": ");
                pn_class_inspect(map.value_class, value, dst);
            }
        }
        string::append(dst, b"}")
    }
}

/// A new map; keys handled by `key`, values by `value`.
///
/// # Safety
/// The classes must be valid and outlive the map.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_map(
    key: *const pn_class_t,
    value: *const pn_class_t,
    capacity: usize,
    load_factor: f32,
) -> *mut pn_map_t {
    guard(|| pn_map_t::from_target(new_object(Map::new(key, value, capacity, load_factor))))
}

/// # Safety
/// `map` must be NULL or a live map.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_map_size(map: *mut pn_map_t) -> usize {
    guard(|| try_ref!(map).len)
}

/// Set `key` to `value`, taking references to both; returns 0.
///
/// # Safety
/// `map` must be NULL or a live map; key and value objects of its classes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_map_put(map: *mut pn_map_t, key: *mut c_void, value: *mut c_void) -> c_int {
    guard(|| {
        try_mut!(map).put(key, value);
        0
    })
}

/// The value for `key`, or NULL.
///
/// # Safety
/// `map` must be NULL or a live map; key an object of its key class.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_map_get(map: *mut pn_map_t, key: *mut c_void) -> *mut c_void {
    guard(|| try_ref!(map).get(key))
}

/// Remove `key` and its value.
///
/// # Safety
/// `map` must be NULL or a live map; key an object of its key class.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_map_del(map: *mut pn_map_t, key: *mut c_void) {
    guard(|| try_mut!(map).del(key))
}

/// The first entry, or 0 when the map is empty.
///
/// # Safety
/// `map` must be NULL or a live map.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_map_head(map: *mut pn_map_t) -> pn_handle_t {
    guard(|| try_ref!(map).next_from(0))
}

/// The entry after `entry`, or 0.
///
/// # Safety
/// `map` must be NULL or a live map.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_map_next(map: *mut pn_map_t, entry: pn_handle_t) -> pn_handle_t {
    guard(|| try_ref!(map).next_from(entry as usize))
}

/// # Safety
/// `map` must be NULL or a live map.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_map_key(map: *mut pn_map_t, entry: pn_handle_t) -> *mut c_void {
    guard(|| try_ref!(map).entry(entry).map_or(ptr::null_mut(), |e| e.0))
}

/// # Safety
/// `map` must be NULL or a live map.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_map_value(map: *mut pn_map_t, entry: pn_handle_t) -> *mut c_void {
    guard(|| try_ref!(map).entry(entry).map_or(ptr::null_mut(), |e| e.1))
}

/// A new hash from integers to values handled by `clazz`.
///
/// # Safety
/// `clazz` must be valid and outlive the hash.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_hash(clazz: *const pn_class_t, capacity: usize, load_factor: f32) -> *mut pn_hash_t {
    guard(|| pn_hash_t::from_target(new_object(Hash(Map::new(ptr::null(), clazz, capacity, load_factor)))))
}

/// # Safety
/// `hash` must be NULL or a live hash.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_hash_size(hash: *mut pn_hash_t) -> usize {
    guard(|| try_ref!(hash).0.len)
}

/// # Safety
/// `hash` must be NULL or a live hash; value an object of its class.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_hash_put(hash: *mut pn_hash_t, key: usize, value: *mut c_void) -> c_int {
    guard(|| {
        try_mut!(hash).0.put(key as *mut c_void, value);
        0
    })
}

/// # Safety
/// `hash` must be NULL or a live hash.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_hash_get(hash: *mut pn_hash_t, key: usize) -> *mut c_void {
    guard(|| try_ref!(hash).0.get(key as *mut c_void))
}

/// # Safety
/// `hash` must be NULL or a live hash.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_hash_del(hash: *mut pn_hash_t, key: usize) {
    guard(|| try_mut!(hash).0.del(key as *mut c_void))
}

/// # Safety
/// `hash` must be NULL or a live hash.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_hash_head(hash: *mut pn_hash_t) -> pn_handle_t {
    guard(|| try_ref!(hash).0.next_from(0))
}

/// # Safety
/// `hash` must be NULL or a live hash.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_hash_next(hash: *mut pn_hash_t, entry: pn_handle_t) -> pn_handle_t {
    guard(|| try_ref!(hash).0.next_from(entry as usize))
}

/// # Safety
/// `hash` must be NULL or a live hash.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_hash_key(hash: *mut pn_hash_t, entry: pn_handle_t) -> usize {
    guard(|| try_ref!(hash).0.entry(entry).map_or(0, |e| e.0 as usize))
}

/// # Safety
/// `hash` must be NULL or a live hash.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_hash_value(hash: *mut pn_hash_t, entry: pn_handle_t) -> *mut c_void {
    guard(|| try_ref!(hash).0.entry(entry).map_or(ptr::null_mut(), |e| e.1))
}

// ---------------------------------------------------------------------------
// Iterator

/// A generic iterator: `next` is called with a state block the iterator
/// owns.
pub struct Iterator {
    next: pn_iterator_next_t,
    // u64 storage keeps the state 8-byte aligned.
    state: Vec<u64>,
}

rust_class!(Iterator, PN_ITERATOR_CLASS, "pn_iterator", CID_pn_object);
handle!(pn_iterator_t => Iterator);

/// A new iterator with no sequence.
#[unsafe(no_mangle)]
pub extern "C" fn pn_iterator() -> *mut pn_iterator_t {
    guard(|| pn_iterator_t::from_target(new_object(Iterator { next: None, state: Vec::new() })))
}

/// Give the iterator a `next` function and a zeroed state of `size` bytes,
/// which is returned for the caller to fill in.
///
/// # Safety
/// `iterator` must be NULL or a live iterator.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_iterator_start(
    iterator: *mut pn_iterator_t,
    next: pn_iterator_next_t,
    size: usize,
) -> *mut c_void {
    guard(|| {
        let it = try_mut!(iterator);
        it.next = next;
        it.state = vec![0u64; size.div_ceil(8).max(1)];
        it.state.as_mut_ptr().cast()
    })
}

/// The next item, or NULL at the end.
///
/// # Safety
/// `iterator` must be NULL or a live iterator whose sequence is live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pn_iterator_next(iterator: *mut pn_iterator_t) -> *mut c_void {
    guard(|| {
        let it = try_mut!(iterator);
        match it.next {
            // SAFETY: the function and state were given together to
            // pn_iterator_start.
            Some(next) => unsafe { next(it.state.as_mut_ptr().cast()) },
            None => ptr::null_mut(),
        }
    })
}
