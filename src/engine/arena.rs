//! A slot arena with generation-checked typed ids.
//!
//! Sessions, links and deliveries of a connection live in arenas; the C
//! handles and the transport refer to them by [`Id`]. A slot freed and
//! reused gets a new generation, so a stale id finds nothing instead of the
//! new occupant. Values are boxed, so their addresses do not change while
//! they live (C holds pointers to parts of them: dispositions, termini).
//!
//! A value may also be *retired* rather than dropped: it stays in its slot,
//! unreachable, and the next insert into that slot resets it instead of
//! building a new one (deliveries come and go at the message rate; this
//! keeps their buffers and saves building and dropping them).

use std::fmt;
use std::marker::PhantomData;
use std::num::NonZeroU32;

/// The id of a `T` in an [`Arena<T>`]. Generations start at 1, so an
/// `Option<Id>` is no larger than an id.
pub struct Id<T> {
    idx: u32,
    generation: NonZeroU32,
    _t: PhantomData<fn() -> T>,
}

impl<T> Id<T> {
    /// The slot index (stable for the entity's life; for diagnostics).
    pub fn index(self) -> u32 {
        self.idx
    }
}

impl<T> Clone for Id<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Id<T> {}
impl<T> PartialEq for Id<T> {
    fn eq(&self, o: &Self) -> bool {
        self.idx == o.idx && self.generation == o.generation
    }
}
impl<T> Eq for Id<T> {}
impl<T> std::hash::Hash for Id<T> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.idx.hash(h);
        self.generation.hash(h);
    }
}
impl<T> fmt::Debug for Id<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}.{}", self.idx, self.generation)
    }
}

/// A slot: its generation and its box, kept when the value goes (the next
/// value reuses the allocation).
struct Slot<T> {
    generation: NonZeroU32,
    /// Holds a reachable value (a retired value is unreachable: its
    /// generation moved on).
    live: bool,
    value: Box<Option<T>>,
}

/// The generation after `g` (1 follows the largest).
#[inline]
fn next_generation(g: NonZeroU32) -> NonZeroU32 {
    g.checked_add(1).unwrap_or(NonZeroU32::MIN)
}

/// Values addressed by [`Id`]; freed slots are reused.
pub struct Arena<T> {
    slots: Vec<Slot<T>>,
    free: Vec<u32>,
    len: usize,
}

impl<T> Default for Arena<T> {
    fn default() -> Self {
        Arena { slots: Vec::new(), free: Vec::new(), len: 0 }
    }
}

impl<T> Arena<T> {
    pub fn insert(&mut self, value: T) -> Id<T> {
        // Either closure runs, once.
        let value = std::cell::Cell::new(Some(value));
        self.insert_reusing(|| value.take().expect("one value"), |old| *old = value.take().expect("one value"))
    }

    /// Insert a value: a retired one, made new by `reset`, if the slot
    /// taken holds one, else `make`'s.
    #[inline]
    pub fn insert_reusing(&mut self, make: impl FnOnce() -> T, reset: impl FnOnce(&mut T)) -> Id<T> {
        self.len += 1;
        if let Some(idx) = self.free.pop() {
            let slot = &mut self.slots[idx as usize];
            slot.generation = next_generation(slot.generation);
            slot.live = true;
            match slot.value.as_mut() {
                Some(old) => reset(old),
                None => *slot.value = Some(make()),
            }
            Id { idx, generation: slot.generation, _t: PhantomData }
        } else {
            let idx = self.slots.len() as u32;
            self.slots.push(Slot { generation: NonZeroU32::MIN, live: true, value: Box::new(Some(make())) });
            Id { idx, generation: NonZeroU32::MIN, _t: PhantomData }
        }
    }

    /// The slot of a reachable value.
    #[inline]
    fn live_slot(&mut self, id: Id<T>) -> Option<&mut Slot<T>> {
        let slot = self.slots.get_mut(id.idx as usize)?;
        (slot.generation == id.generation && slot.live).then_some(slot)
    }

    /// Take the value out.
    pub fn remove(&mut self, id: Id<T>) -> Option<T> {
        let slot = self.live_slot(id)?;
        slot.live = false;
        let value = slot.value.take();
        self.free.push(id.idx);
        self.len -= 1;
        value
    }

    /// Drop the value where it is.
    pub fn discard(&mut self, id: Id<T>) -> bool {
        let Some(slot) = self.live_slot(id) else { return false };
        slot.live = false;
        *slot.value = None;
        self.free.push(id.idx);
        self.len -= 1;
        true
    }

    /// Make the value unreachable but keep it for the next insert into its
    /// slot ([`Arena::insert_reusing`]).
    pub fn retire(&mut self, id: Id<T>) -> bool {
        let Some(slot) = self.live_slot(id) else { return false };
        slot.live = false;
        slot.generation = next_generation(slot.generation);
        self.free.push(id.idx);
        self.len -= 1;
        true
    }

    // A matching generation means a live slot: retiring a value moves its
    // slot's generation on, and discarding one empties the slot.
    #[inline]
    pub fn get(&self, id: Id<T>) -> Option<&T> {
        let slot = self.slots.get(id.idx as usize)?;
        if slot.generation == id.generation { slot.value.as_ref().as_ref() } else { None }
    }

    #[inline]
    pub fn get_mut(&mut self, id: Id<T>) -> Option<&mut T> {
        let slot = self.slots.get_mut(id.idx as usize)?;
        if slot.generation == id.generation { slot.value.as_mut().as_mut() } else { None }
    }

    pub fn contains(&self, id: Id<T>) -> bool {
        self.get(id).is_some()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every live id, in slot order.
    pub fn ids(&self) -> impl Iterator<Item = Id<T>> + '_ {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.live.then_some(Id { idx: i as u32, generation: s.generation, _t: PhantomData }))
    }
}

impl<T> std::ops::Index<Id<T>> for Arena<T> {
    type Output = T;
    #[inline]
    fn index(&self, id: Id<T>) -> &T {
        self.get(id).expect("stale arena id")
    }
}

impl<T> std::ops::IndexMut<Id<T>> for Arena<T> {
    #[inline]
    fn index_mut(&mut self, id: Id<T>) -> &mut T {
        self.get_mut(id).expect("stale arena id")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_ids_find_nothing() {
        let mut a = Arena::default();
        let x = a.insert(1);
        assert_eq!(a.remove(x), Some(1));
        let y = a.insert(2);
        assert_eq!(x.index(), y.index());
        assert!(a.get(x).is_none());
        assert_eq!(a[y], 2);
        assert_eq!(a.len(), 1);
    }

    #[test]
    fn retired_values_are_reset_and_reused() {
        let mut a = Arena::default();
        let x = a.insert(vec![1, 2]);
        assert!(a.retire(x));
        assert!(a.get(x).is_none());
        assert_eq!(a.ids().count(), 0);
        assert!(!a.retire(x));
        let y = a.insert_reusing(Vec::new, |v| {
            assert_eq!(v, &[1, 2]);
            v.clear();
        });
        assert!(a.get(x).is_none());
        assert_eq!(a[y], Vec::<i32>::new());
        assert_eq!(a.ids().collect::<Vec<_>>(), vec![y]);
    }
}
