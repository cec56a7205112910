;; Negative fixture 6 (issue 7): childA is routed through virtB (childB's
;; virtualizer) instead of virtA. Both children still round-trip their bytes.
(component $Root
  ;; The real fs: read/write one byte at an offset of a 64 KiB store.
  (component $RealFs
    (core module $Store
      (memory 1)
      (func (export "read") (param $off i32) (result i32)
        (i32.load8_u (local.get $off)))
      (func (export "write") (param $off i32) (param $byte i32)
        (i32.store8 (local.get $off) (local.get $byte))))
    (core instance $store (instantiate $Store))
    (func (export "read") (param "offset" u32) (result u8)
      (canon lift (core func $store "read")))
    (func (export "write") (param "offset" u32) (param "byte" u8)
      (canon lift (core func $store "write"))))

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

  (component $Windows
    (core module $W
      (func (export "a") (result i32) (i32.const 0x1000))
      (func (export "b") (result i32) (i32.const 0x2000)))
    (core instance $w (instantiate $W))
    (func (export "a") (result u32) (canon lift (core func $w "a")))
    (func (export "b") (result u32) (canon lift (core func $w "b"))))
  (instance $windows (instantiate $Windows))
  (instance $realfs (instantiate $RealFs))
  (instance $virtA (instantiate $Virt
    (with "wasi:filesystem/types" (instance $realfs))
    (with "window" (func $windows "a"))))
  (instance $virtB (instantiate $Virt
    (with "wasi:filesystem/types" (instance $realfs))
    (with "window" (func $windows "b"))))
  (instance $childA (instantiate $Child (with "wasi:filesystem/types" (instance $virtB))))
  (instance $childB (instantiate $Child (with "wasi:filesystem/types" (instance $virtB))))
  (func (export "a-put") (alias export $childA "put"))
  (func (export "a-get") (alias export $childA "get"))
  (func (export "b-put") (alias export $childB "put"))
  (func (export "b-get") (alias export $childB "get"))
  (func (export "real-read") (alias export $realfs "read")))

(assert_return (invoke "a-put" (u32.const 5) (u8.const 42)))
(assert_return (invoke "a-get" (u32.const 5)) (u8.const 42))
(assert_return (invoke "real-read" (u32.const 0x2005)) (u8.const 42))
(assert_isolated $childB (from $realfs) (via $virtB))
(assert_isolated $childA (from $realfs) (via $virtA))
