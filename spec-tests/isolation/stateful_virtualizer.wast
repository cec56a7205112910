;; No false alarm with a virtualizer that holds state (issue 7): a
;; copy-on-write overlay. Reads of bytes the child never wrote go to the real
;; fs; writes land in the virtualizer's own memory (with a dirty map) and
;; never reach the real store; "reset" forgets the overlay.
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

  ;; The overlay virtualizer: memory bytes [0, 64K) hold the written bytes,
  ;; a second page holds one dirty flag per offset.
  (component $Overlay
    (import "wasi:filesystem/types" (instance $fs
      (export "read" (func (param "offset" u32) (result u8)))
      (export "write" (func (param "offset" u32) (param "byte" u8)))))
    (core func $real-read (canon lower (func $fs "read")))
    (core module $Cow
      (import "real" "read" (func $read (param i32) (result i32)))
      (memory 2)
      (global $written (mut i32) (i32.const 0))
      (func (export "read") (param $off i32) (result i32)
        (if (result i32) (i32.load8_u offset=0x10000 (local.get $off))
          (then (i32.load8_u (local.get $off)))
          (else (call $read (local.get $off)))))
      (func (export "write") (param $off i32) (param $byte i32)
        (if (i32.eqz (i32.load8_u offset=0x10000 (local.get $off)))
          (then (global.set $written (i32.add (global.get $written) (i32.const 1)))))
        (i32.store8 offset=0x10000 (local.get $off) (i32.const 1))
        (i32.store8 (local.get $off) (local.get $byte)))
      (func (export "written") (result i32) (global.get $written))
      (func (export "reset")
        (memory.fill (i32.const 0x10000) (i32.const 0) (i32.const 0x10000))
        (global.set $written (i32.const 0))))
    (core instance $cow (instantiate $Cow
      (with "real" (instance (export "read" (func $real-read))))))
    (func (export "read") (param "offset" u32) (result u8)
      (canon lift (core func $cow "read")))
    (func (export "write") (param "offset" u32) (param "byte" u8)
      (canon lift (core func $cow "write")))
    (func (export "written") (result u32) (canon lift (core func $cow "written")))
    (func (export "reset") (canon lift (core func $cow "reset"))))

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

  (instance $realfs (instantiate $RealFs))
  (instance $overlay (instantiate $Overlay (with "wasi:filesystem/types" (instance $realfs))))
  (instance $child (instantiate $Child (with "wasi:filesystem/types" (instance $overlay))))

  (func (export "put") (alias export $child "put"))
  (func (export "get") (alias export $child "get"))
  (func (export "fill-sum") (alias export $child "fill-sum"))
  (func (export "written") (alias export $overlay "written"))
  (func (export "reset") (alias export $overlay "reset"))
  (func (export "real-read") (alias export $realfs "read"))
  (func (export "real-write") (alias export $realfs "write")))

(@isolation $child (from $realfs) (via $overlay))

;; The root seeds the real store; the child reads it through the overlay.
(assert_return (invoke "real-write" (u32.const 3) (u8.const 33)))
(assert_return (invoke "get" (u32.const 3)) (u8.const 33))
;; The child's write shadows the byte; the real store keeps 33.
(assert_return (invoke "put" (u32.const 3) (u8.const 44)))
(assert_return (invoke "get" (u32.const 3)) (u8.const 44))
(assert_return (invoke "real-read" (u32.const 3)) (u8.const 33))
(assert_return (invoke "written") (u32.const 1))
(assert_return (invoke "fill-sum" (u32.const 8) (u32.const 200)) (u32.const 1628))
(assert_return (invoke "written") (u32.const 8))
(assert_return (invoke "real-read" (u32.const 7)) (u8.const 0))
;; After a reset the real byte shows through again.
(assert_return (invoke "reset"))
(assert_return (invoke "get" (u32.const 3)) (u8.const 33))
(assert_return (invoke "written") (u32.const 0))

(@isolation $child (from $realfs) (via $overlay))
