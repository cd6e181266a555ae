//! From C handles to Rust objects.
//!
//! Every handle the library returns is the address of a Rust value stored
//! as a proton object (`object::new_object`), so converting a handle is a
//! pointer cast. The casts live here and nowhere else.

/// A C handle type and the Rust type it points at.
///
/// # Safety
/// Implementors guarantee that every non-NULL `*mut Self` the library hands
/// out is the address of a live `Self::Target`.
pub unsafe trait Handle: Sized {
    type Target;

    /// Borrow the object behind `p`; `None` for NULL.
    ///
    /// # Safety
    /// `p` is NULL or a live handle of this type, and no `&mut` to the same
    /// object is in use.
    #[inline]
    unsafe fn as_ref<'a>(p: *mut Self) -> Option<&'a Self::Target> {
        // SAFETY: per the trait and function contracts.
        unsafe { p.cast::<Self::Target>().as_ref() }
    }

    /// Borrow the object behind `p` mutably; `None` for NULL.
    ///
    /// # Safety
    /// `p` is NULL or a live handle of this type, and no other reference to
    /// the same object is in use.
    #[inline]
    unsafe fn as_mut<'a>(p: *mut Self) -> Option<&'a mut Self::Target> {
        // SAFETY: per the trait and function contracts.
        unsafe { p.cast::<Self::Target>().as_mut() }
    }

    /// The handle for an object.
    #[inline]
    fn from_target(t: *mut Self::Target) -> *mut Self {
        t.cast()
    }
}

/// Declares that C handle `$handle` points at a `$target` proton object.
macro_rules! handle {
    ($handle:ty => $target:ty) => {
        // SAFETY: handles of this type are only ever made from
        // `new_object::<$target>` results.
        unsafe impl $crate::ffi::handle::Handle for $handle {
            type Target = $target;
        }
    };
}
pub(crate) use handle;
