/* The shared libraries are linked from the Rust static library; CMake needs one source. */
