//! A slot arena with generation-checked typed ids.
//!
//! Sessions, links and deliveries of a connection live in arenas; the C
//! handles and the transport refer to them by [`Id`]. A slot freed and
//! reused gets a new generation, so a stale id finds nothing instead of the
//! new occupant. Values are boxed, so their addresses do not change while
//! they live (C holds pointers to parts of them: dispositions, termini).

use std::fmt;
use std::marker::PhantomData;

/// The id of a `T` in an [`Arena<T>`].
pub struct Id<T> {
    idx: u32,
    generation: u32,
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
    generation: u32,
    value: Box<Option<T>>,
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
        self.len += 1;
        if let Some(idx) = self.free.pop() {
            let slot = &mut self.slots[idx as usize];
            slot.generation = slot.generation.wrapping_add(1);
            *slot.value = Some(value);
            Id { idx, generation: slot.generation, _t: PhantomData }
        } else {
            let idx = self.slots.len() as u32;
            self.slots.push(Slot { generation: 0, value: Box::new(Some(value)) });
            Id { idx, generation: 0, _t: PhantomData }
        }
    }

    /// Take the value out.
    pub fn remove(&mut self, id: Id<T>) -> Option<T> {
        let slot = self.slots.get_mut(id.idx as usize)?;
        if slot.generation != id.generation || slot.value.is_none() {
            return None;
        }
        self.free.push(id.idx);
        self.len -= 1;
        slot.value.take()
    }

    /// Drop the value where it is.
    pub fn discard(&mut self, id: Id<T>) -> bool {
        let Some(slot) = self.slots.get_mut(id.idx as usize) else { return false };
        if slot.generation != id.generation || slot.value.is_none() {
            return false;
        }
        self.free.push(id.idx);
        self.len -= 1;
        *slot.value = None;
        true
    }

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
        self.slots.iter().enumerate().filter_map(|(i, s)| {
            s.value.is_some().then_some(Id { idx: i as u32, generation: s.generation, _t: PhantomData })
        })
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
}
