;; No false alarm, nested three levels deep (issue 7): the child sits at
;; /outer/mid/child. The root virtualizes the real fs for /outer (window
;; 0x1000); /outer stacks a second instance of the same virtualizer on top
;; (window 0x100 inside that) for /outer/mid, which instantiates the child.
;; A child byte at offset o therefore lands at real offset 0x1100 + o.
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
      (func (export "b") (result i32) (i32.const 0x100)))
    (core instance $w (instantiate $W))
    (func (export "a") (result u32) (canon lift (core func $w "a")))
    (func (export "b") (result u32) (canon lift (core func $w "b"))))

  (component $Outer
    (import "wasi:filesystem/types" (instance $fs
      (export "read" (func (param "offset" u32) (result u8)))
      (export "write" (func (param "offset" u32) (param "byte" u8)))))
    (alias outer $Root $Virt (component $Virt))
    (alias outer $Root $Windows (component $Windows))
    (component $Mid
      (import "wasi:filesystem/types" (instance $fs
        (export "read" (func (param "offset" u32) (result u8)))
        (export "write" (func (param "offset" u32) (param "byte" u8)))))
      (alias outer $Root $Child (component $Child))
      (instance $child (instantiate $Child (with "wasi:filesystem/types" (instance $fs))))
      (export "put" (func $child "put"))
      (export "get" (func $child "get"))
      (export "fill-sum" (func $child "fill-sum")))
    (instance $windows (instantiate $Windows))
    (instance $virt2 (instantiate $Virt
      (with "wasi:filesystem/types" (instance $fs))
      (with "window" (func $windows "b"))))
    (instance $mid (instantiate $Mid (with "wasi:filesystem/types" (instance $virt2))))
    (export "put" (func $mid "put"))
    (export "get" (func $mid "get"))
    (export "fill-sum" (func $mid "fill-sum"))
    (export "virt2-calls" (func $virt2 "calls")))

  (instance $realfs (instantiate $RealFs))
  (instance $windows (instantiate $Windows))
  (instance $virt (instantiate $Virt
    (with "wasi:filesystem/types" (instance $realfs))
    (with "window" (func $windows "a"))))
  (instance $outer (instantiate $Outer (with "wasi:filesystem/types" (instance $virt))))

  (func (export "put") (alias export $outer "put"))
  (func (export "get") (alias export $outer "get"))
  (func (export "fill-sum") (alias export $outer "fill-sum"))
  (func (export "virt-calls") (alias export $virt "calls"))
  (func (export "virt2-calls") (alias export $outer "virt2-calls"))
  (func (export "real-read") (alias export $realfs "read")))

(@isolation $outer/$mid/$child (from $realfs) (via $virt))
(@isolation $outer/$mid/$child (from $realfs) (via $outer/$virt2))
(@isolation $outer/$mid (from $realfs) (via $outer/$virt2))
(@isolation $outer (from $realfs) (via $virt))

(assert_return (invoke "put" (u32.const 5) (u8.const 42)))
(assert_return (invoke "get" (u32.const 5)) (u8.const 42))
(assert_return (invoke "real-read" (u32.const 0x1105)) (u8.const 42))
(assert_return (invoke "real-read" (u32.const 0x1005)) (u8.const 0))
(assert_return (invoke "real-read" (u32.const 5)) (u8.const 0))
(assert_return (invoke "fill-sum" (u32.const 10) (u32.const 1)) (u32.const 55))
(assert_return (invoke "real-read" (u32.const 0x1109)) (u8.const 10))
(assert_return (invoke "virt-calls") (u32.const 22))
(assert_return (invoke "virt2-calls") (u32.const 22))

(@isolation $outer/$mid/$child (from $realfs) (via $virt))
(@isolation $outer/$mid/$child (from $realfs) (via $outer/$virt2))

;; 0xf00 passes the inner window check but not the outer one (0x100 + 0xf00).
(assert_trap (invoke "get" (u32.const 0xf00)) "unreachable")
