;; Link-time virtualization with a host real instance (issue 7): the same
;; composition as ../virtualize_two_children.wast, but the root imports the
;; real filesystem from the host as "wasi:filesystem/types" (the harness's
;; in-memory byte store, docs/isolation.md). The children reach it only
;; through their virtualizers; the annotations name the host instance by its
;; import name.
(component $Root
  ;; The real fs comes from the host (the harness's in-memory byte store).
  (import "wasi:filesystem/types" (instance $realfs
    (export "read" (func (param "offset" u32) (result u8)))
    (export "write" (func (param "offset" u32) (param "byte" u8)))))

  ;; The virtualizer: offset -> window base + offset, bounds-checked, counted.
  (component $Virt
    (import "wasi:filesystem/types" (instance $fs
      (export "read" (func (param "offset" u32) (result u8)))
      (export "write" (func (param "offset" u32) (param "byte" u8)))))
    (import "window" (func $window (result u32)))
    (core func $real-read (canon lower (func $fs "read")))
    (core func $real-write (canon lower (func $fs "write")))
    (core func $window-base (canon lower (func $window)))
    (core module $Shift
      (import "real" "read" (func $read (param i32) (result i32)))
      (import "real" "write" (func $write (param i32 i32)))
      (import "real" "window" (func $window (result i32)))
      (global $calls (mut i32) (i32.const 0))
      (global $base (mut i32) (i32.const -1))
      (func $shift (param $off i32) (result i32)
        (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
        (if (i32.ge_u (local.get $off) (i32.const 0x1000)) (then unreachable))
        (if (i32.eq (global.get $base) (i32.const -1))
          (then (global.set $base (call $window))))
        (i32.add (global.get $base) (local.get $off)))
      (func (export "read") (param $off i32) (result i32)
        (call $read (call $shift (local.get $off))))
      (func (export "write") (param $off i32) (param $byte i32)
        (call $write (call $shift (local.get $off)) (local.get $byte)))
      (func (export "calls") (result i32) (global.get $calls)))
    (core instance $shift (instantiate $Shift
      (with "real" (instance
        (export "read" (func $real-read))
        (export "write" (func $real-write))
        (export "window" (func $window-base))))))
    (func (export "read") (param "offset" u32) (result u8)
      (canon lift (core func $shift "read")))
    (func (export "write") (param "offset" u32) (param "byte" u8)
      (canon lift (core func $shift "write")))
    (func (export "calls") (result u32) (canon lift (core func $shift "calls"))))

  ;; The child: written against the real interface, unaware of the virtualizer.
  (component $Child
    (import "wasi:filesystem/types" (instance $fs
      (export "read" (func (param "offset" u32) (result u8)))
      (export "write" (func (param "offset" u32) (param "byte" u8)))))
    (core func $read (canon lower (func $fs "read")))
    (core func $write (canon lower (func $fs "write")))
    (core module $Code
      (import "fs" "read" (func $read (param i32) (result i32)))
      (import "fs" "write" (func $write (param i32 i32)))
      (func (export "put") (param $off i32) (param $byte i32)
        (call $write (local.get $off) (local.get $byte)))
      (func (export "get") (param $off i32) (result i32)
        (call $read (local.get $off)))
      ;; Writes n bytes start, start+1, ... at offset 0, then sums them back.
      (func (export "fill-sum") (param $n i32) (param $start i32) (result i32)
        (local $i i32) (local $sum i32)
        (block $done
          (loop $fill
            (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
            (call $write (local.get $i) (i32.add (local.get $start) (local.get $i)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $fill)))
        (local.set $i (i32.const 0))
        (block $done
          (loop $sum
            (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $sum (i32.add (local.get $sum) (call $read (local.get $i))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $sum)))
        (local.get $sum)))
    (core instance $code (instantiate $Code
      (with "fs" (instance (export "read" (func $read)) (export "write" (func $write))))))
    (func (export "put") (param "offset" u32) (param "byte" u8)
      (canon lift (core func $code "put")))
    (func (export "get") (param "offset" u32) (result u8)
      (canon lift (core func $code "get")))
    (func (export "fill-sum") (param "n" u32) (param "start" u32) (result u32)
      (canon lift (core func $code "fill-sum"))))

  ;; The root's window choices, in a small sibling instance (a call from a
  ;; child instance into its own parent would be a re-entry, which traps).
  (component $Windows
    (core module $W
      (func (export "a") (result i32) (i32.const 0x1000))
      (func (export "b") (result i32) (i32.const 0x2000)))
    (core instance $w (instantiate $W))
    (func (export "a") (result u32) (canon lift (core func $w "a")))
    (func (export "b") (result u32) (canon lift (core func $w "b"))))
  (instance $windows (instantiate $Windows))

  (instance $virtA (instantiate $Virt
    (with "wasi:filesystem/types" (instance $realfs))
    (with "window" (func $windows "a"))))
  (instance $virtB (instantiate $Virt
    (with "wasi:filesystem/types" (instance $realfs))
    (with "window" (func $windows "b"))))
  (instance $childA (instantiate $Child (with "wasi:filesystem/types" (instance $virtA))))
  (instance $childB (instantiate $Child (with "wasi:filesystem/types" (instance $virtB))))

  (func (export "a-put") (alias export $childA "put"))
  (func (export "a-get") (alias export $childA "get"))
  (func (export "a-fill-sum") (alias export $childA "fill-sum"))
  (func (export "b-put") (alias export $childB "put"))
  (func (export "b-get") (alias export $childB "get"))
  (func (export "virt-a-calls") (alias export $virtA "calls"))
  (func (export "virt-b-calls") (alias export $virtB "calls"))
  (func (export "real-read") (alias export $realfs "read")))

(@isolation $childA (from "wasi:filesystem/types") (via $virtA))
(@isolation $childB (from "wasi:filesystem/types") (via $virtB))

(assert_return (invoke "a-put" (u32.const 5) (u8.const 42)))
(assert_return (invoke "b-put" (u32.const 5) (u8.const 7)))
(assert_return (invoke "a-get" (u32.const 5)) (u8.const 42))
(assert_return (invoke "b-get" (u32.const 5)) (u8.const 7))
;; Each child's byte landed in its own window, none at the raw offset.
(assert_return (invoke "real-read" (u32.const 0x1005)) (u8.const 42))
(assert_return (invoke "real-read" (u32.const 0x2005)) (u8.const 7))
(assert_return (invoke "real-read" (u32.const 5)) (u8.const 0))
(assert_return (invoke "virt-a-calls") (u32.const 2))
(assert_return (invoke "virt-b-calls") (u32.const 2))
;; A loop in the child's core code: 100 writes then 100 reads, all through virtA.
(assert_return (invoke "a-fill-sum" (u32.const 100) (u32.const 1)) (u32.const 5050))
(assert_return (invoke "virt-a-calls") (u32.const 202))
(assert_return (invoke "virt-b-calls") (u32.const 2))
(assert_return (invoke "real-read" (u32.const 0x1063)) (u8.const 100))
(assert_return (invoke "real-read" (u32.const 0x2063)) (u8.const 0))
(assert_return (invoke "b-get" (u32.const 5)) (u8.const 7))

(@isolation $childA (from "wasi:filesystem/types") (via $virtA))
(@isolation $childB (from "wasi:filesystem/types") (via $virtB))
;; An offset outside the window traps in the virtualizer. A trap leaves the
;; component instance unusable, so this comes last.
(assert_trap (invoke "a-get" (u32.const 0x1000)) "unreachable")

;; A second root in the same script imports the rest of the host interface and
;; sees the same store (one store per script): the bytes childA's fill-sum
;; wrote (offset o holds o + 1) and childB's byte.
(component $Inspect
  (import "wasi:filesystem/types" (instance $fs
    (export "size" (func (result u32)))
    (export "read" (func (param "offset" u32) (result u8)))
    (export "read-range" (func (param "offset" u32) (param "len" u32) (result (list u8))))
    (export "write-range" (func (param "offset" u32) (param "bytes" (list u8))))))
  (func (export "size") (alias export $fs "size"))
  (func (export "read") (alias export $fs "read"))
  (func (export "read-range") (alias export $fs "read-range"))
  (func (export "write-range") (alias export $fs "write-range")))

(assert_return (invoke "size") (u32.const 65536))
(assert_return (invoke "read-range" (u32.const 0x1004) (u32.const 3))
  (list.const (u8.const 5) (u8.const 6) (u8.const 7)))
(assert_return (invoke "read-range" (u32.const 0x2005) (u32.const 1)) (list.const (u8.const 7)))
(assert_return (invoke "write-range" (u32.const 0xfffe) (list.const (u8.const 1) (u8.const 2))))
(assert_return (invoke "read-range" (u32.const 0xfffd) (u32.const 3))
  (list.const (u8.const 0) (u8.const 1) (u8.const 2)))
(assert_return (invoke "read-range" (u32.const 0x10000) (u32.const 0)) (list.const))
(assert_trap (invoke "read-range" (u32.const 0xffff) (u32.const 2))
  "host fs: read-range of 2 bytes at offset 65535 out of bounds")

;; An importer that declares another type gets a trap naming the function.
(component $WrongType
  (import "wasi:filesystem/types" (instance $fs
    (export "read" (func (param "offset" u64) (result u8)))))
  (func (export "read64") (alias export $fs "read")))
(assert_trap (invoke "read64" (u64.const 1)) "host fs: `read` expects (offset: u32) -> u8")
