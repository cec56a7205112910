;; No false alarm with lists (issue 7): the root imports the host real fs's
;; read-range/write-range (list<u8>), a virtualizer shifts ranges into its
;; window 0x3000 and bounds-checks them, and a child copies byte lists through
;; it. Every crossing moves a list, so the engine calls each side's realloc
;; during the crossing (recorded in the ledger); `--isolation=auto` checks each
;; observed crossing against the static reach.
(component $Root
  (import "wasi:filesystem/types" (instance $realfs
    (export "read-range" (func (param "offset" u32) (param "len" u32) (result (list u8))))
    (export "write-range" (func (param "offset" u32) (param "bytes" (list u8))))))

  ;; A bump allocator over a memory of one page, shared by both components.
  (core module $Heap
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 0x100))
    (func (export "realloc") (param $old i32) (param $old-size i32) (param $align i32)
      (param $size i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and (i32.add (global.get $next) (i32.sub (local.get $align) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get $align))))
      (global.set $next (i32.add (local.get $p) (local.get $size)))
      (if (i32.gt_u (global.get $next) (i32.const 0x10000)) (then unreachable))
      (local.get $p)))

  (component $RangeVirt
    (import "wasi:filesystem/types" (instance $fs
      (export "read-range" (func (param "offset" u32) (param "len" u32) (result (list u8))))
      (export "write-range" (func (param "offset" u32) (param "bytes" (list u8))))))
    (alias outer $Root $Heap (core module $Heap))
    (core instance $heap (instantiate $Heap))
    (core func $real-read-range (canon lower (func $fs "read-range")
      (memory (core memory $heap "mem")) (realloc (core func $heap "realloc"))))
    (core func $real-write-range (canon lower (func $fs "write-range")
      (memory (core memory $heap "mem")) (realloc (core func $heap "realloc"))))
    (core module $Shift
      (import "real" "read-range" (func $rr (param i32 i32 i32)))
      (import "real" "write-range" (func $wr (param i32 i32 i32)))
      (global $calls (mut i32) (i32.const 0))
      ;; Ranges must lie in [0, 0x1000); the window starts at 0x3000.
      (func $shift (param $off i32) (param $len i32) (result i32)
        (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
        (if (i32.gt_u (local.get $len) (i32.const 0x1000)) (then unreachable))
        (if (i32.gt_u (local.get $off) (i32.sub (i32.const 0x1000) (local.get $len)))
          (then unreachable))
        (i32.add (i32.const 0x3000) (local.get $off)))
      ;; The (ptr, len) result pair lives at 0x10 of the heap memory.
      (func (export "read-range") (param $off i32) (param $len i32) (result i32)
        (call $rr (call $shift (local.get $off) (local.get $len)) (local.get $len) (i32.const 0x10))
        (i32.const 0x10))
      (func (export "write-range") (param $off i32) (param $ptr i32) (param $len i32)
        (call $wr (call $shift (local.get $off) (local.get $len)) (local.get $ptr) (local.get $len)))
      (func (export "calls") (result i32) (global.get $calls)))
    (core instance $shift (instantiate $Shift
      (with "real" (instance
        (export "read-range" (func $real-read-range))
        (export "write-range" (func $real-write-range))))))
    (func (export "read-range") (param "offset" u32) (param "len" u32) (result (list u8))
      (canon lift (core func $shift "read-range") (memory (core memory $heap "mem"))))
    (func (export "write-range") (param "offset" u32) (param "bytes" (list u8))
      (canon lift (core func $shift "write-range") (memory (core memory $heap "mem"))
        (realloc (core func $heap "realloc"))))
    (func (export "calls") (result u32) (canon lift (core func $shift "calls"))))

  (component $Copier
    (import "wasi:filesystem/types" (instance $fs
      (export "read-range" (func (param "offset" u32) (param "len" u32) (result (list u8))))
      (export "write-range" (func (param "offset" u32) (param "bytes" (list u8))))))
    (alias outer $Root $Heap (core module $Heap))
    (core instance $heap (instantiate $Heap))
    (core func $read-range (canon lower (func $fs "read-range")
      (memory (core memory $heap "mem")) (realloc (core func $heap "realloc"))))
    (core func $write-range (canon lower (func $fs "write-range")
      (memory (core memory $heap "mem")) (realloc (core func $heap "realloc"))))
    (core module $Code
      (import "heap" "mem" (memory 1))
      (import "fs" "read-range" (func $rr (param i32 i32 i32)))
      (import "fs" "write-range" (func $wr (param i32 i32 i32)))
      (func (export "put") (param $off i32) (param $ptr i32) (param $len i32)
        (call $wr (local.get $off) (local.get $ptr) (local.get $len)))
      (func (export "get") (param $off i32) (param $len i32) (result i32)
        (call $rr (local.get $off) (local.get $len) (i32.const 0x20))
        (i32.const 0x20))
      ;; Reads len bytes at from and writes them back at to (a list each way).
      (func (export "copy") (param $from i32) (param $to i32) (param $len i32)
        (call $rr (local.get $from) (local.get $len) (i32.const 0x20))
        (call $wr (local.get $to) (i32.load (i32.const 0x20)) (i32.load (i32.const 0x24)))))
    (core instance $code (instantiate $Code
      (with "heap" (instance $heap))
      (with "fs" (instance
        (export "read-range" (func $read-range))
        (export "write-range" (func $write-range))))))
    (func (export "put") (param "offset" u32) (param "bytes" (list u8))
      (canon lift (core func $code "put") (memory (core memory $heap "mem")) (realloc (core func $heap "realloc"))))
    (func (export "get") (param "offset" u32) (param "len" u32) (result (list u8))
      (canon lift (core func $code "get") (memory (core memory $heap "mem"))))
    (func (export "copy") (param "from" u32) (param "to" u32) (param "len" u32)
      (canon lift (core func $code "copy"))))

  (instance $virt (instantiate $RangeVirt (with "wasi:filesystem/types" (instance $realfs))))
  (instance $child (instantiate $Copier (with "wasi:filesystem/types" (instance $virt))))
  (func (export "put") (alias export $child "put"))
  (func (export "get") (alias export $child "get"))
  (func (export "copy") (alias export $child "copy"))
  (func (export "calls") (alias export $virt "calls"))
  (func (export "real-read-range") (alias export $realfs "read-range")))

(@isolation $child (from "wasi:filesystem/types") (via $virt))

(assert_return (invoke "put" (u32.const 8) (list.const (u8.const 1) (u8.const 2) (u8.const 3))))
(assert_return (invoke "get" (u32.const 7) (u32.const 5))
  (list.const (u8.const 0) (u8.const 1) (u8.const 2) (u8.const 3) (u8.const 0)))
(assert_return (invoke "real-read-range" (u32.const 0x3008) (u32.const 3))
  (list.const (u8.const 1) (u8.const 2) (u8.const 3)))
(assert_return (invoke "copy" (u32.const 8) (u32.const 0x20) (u32.const 3)))
(assert_return (invoke "real-read-range" (u32.const 0x3020) (u32.const 3))
  (list.const (u8.const 1) (u8.const 2) (u8.const 3)))
(assert_return (invoke "get" (u32.const 0) (u32.const 0)) (list.const))
(assert_return (invoke "calls") (u32.const 5))

(@isolation $child (from "wasi:filesystem/types") (via $virt))

;; A range past the window traps in the virtualizer (last: a trap poisons).
(assert_trap (invoke "get" (u32.const 0xfff) (u32.const 2)) "unreachable")
