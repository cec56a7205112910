;; Passes out-of-bounds pointers to WASI: the host answers EFAULT (21), never crashes.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $a (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "bad_iovec") (result i32) (call $w (i32.const 1) (i32.const 65530) (i32.const 1) (i32.const 0)))
  (func (export "bad_buffer") (result i32)
    (i32.store (i32.const 0) (i32.const 65000))
    (i32.store (i32.const 4) (i32.const 1000))
    (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 16)))
  (func (export "bad_out") (result i32) (call $a (i32.const -4) (i32.const 0)))
  (func (export "bad_fd") (result i32) (call $w (i32.const 99) (i32.const 0) (i32.const 0) (i32.const 16)))
  (func (export "_start") (call $exit (i32.const 42)) unreachable))
