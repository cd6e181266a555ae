//! A stack that keeps its first levels inline: the encoders and decoders
//! walk trees iteratively, and typical values nest only a few levels, so
//! they need no heap allocation for it.

/// Up to `N` items inline, the rest in a `Vec`.
pub(crate) struct Stack<T: Copy + Default, const N: usize> {
    inline: [T; N],
    len: usize,
    spill: Vec<T>,
}

impl<T: Copy + Default, const N: usize> Stack<T, N> {
    pub fn new() -> Self {
        Stack { inline: [T::default(); N], len: 0, spill: Vec::new() }
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline]
    pub fn push(&mut self, v: T) {
        if self.len < N {
            self.inline[self.len] = v;
        } else {
            self.spill.push(v);
        }
        self.len += 1;
    }

    #[inline]
    pub fn pop(&mut self) -> Option<T> {
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        if self.len < N { Some(self.inline[self.len]) } else { self.spill.pop() }
    }

    #[inline]
    pub fn last(&self) -> Option<&T> {
        match self.len {
            0 => None,
            n if n <= N => self.inline.get(n - 1),
            _ => self.spill.last(),
        }
    }

    #[inline]
    pub fn last_mut(&mut self) -> Option<&mut T> {
        match self.len {
            0 => None,
            n if n <= N => self.inline.get_mut(n - 1),
            _ => self.spill.last_mut(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spills_past_the_inline_part() {
        let mut s: Stack<u32, 2> = Stack::new();
        assert!(s.is_empty());
        for i in 0..5 {
            s.push(i);
            assert_eq!(s.last(), Some(&i));
        }
        assert_eq!(s.len(), 5);
        *s.last_mut().unwrap() = 40;
        assert_eq!(s.pop(), Some(40));
        for i in (0..4).rev() {
            assert_eq!(s.pop(), Some(i));
        }
        assert_eq!(s.pop(), None);
        assert_eq!(s.last(), None);
    }
}
