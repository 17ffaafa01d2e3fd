//! An allocator that wipes every block it frees. Locking drops the decrypted binder, but freed
//! memory keeps its bytes until reused: without this, a copy of the health data could outlive the
//! lock in the wasm memory (tests/e2e/privacy.test.mjs searches it). The cost is one `memset` per
//! free, far below anything a person notices.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{Ordering, compiler_fence};

pub struct ZeroOnFree;

// SAFETY: every method forwards to `System` with the layout it was given; `realloc` allocates the
// new block with the same alignment before copying and freeing (through `dealloc`, which wipes).
unsafe impl GlobalAlloc for ZeroOnFree {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe {
            std::ptr::write_bytes(ptr, 0, layout.size());
            // Keeps the compiler from treating the wipe as a dead store before the free.
            compiler_fence(Ordering::SeqCst);
            System.dealloc(ptr, layout);
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        unsafe {
            let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
            let new = System.alloc(new_layout);
            if !new.is_null() {
                std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            new
        }
    }
}
