;; Tandem's own script tests: assert_trap on actions and on modules (effects on
;; imported memories and tables made before the trap stay visible, 4.3),
;; assert_exhaustion, assert_invalid and assert_malformed kinds.
(module $M
  (memory (export "mem") 1)
  (table (export "tab") 10 funcref)
  (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func $loop (export "loop") (call $loop))
  (func (export "is-null") (param i32) (result i32) (ref.is_null (table.get 0 (local.get 0)))))
(register "M" $M)

(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "div" (i32.const 0x80000000) (i32.const -1)) "integer overflow")
(assert_trap (invoke "load" (i32.const 65536)) "out of bounds memory access")
(assert_exhaustion (invoke "loop") "call stack exhausted")

;; The first data segment lands, the second traps: the write stays visible.
(assert_trap
  (module
    (import "M" "mem" (memory 1))
    (data (i32.const 0) "\2a")
    (data (i32.const 65536) "\01"))
  "out of bounds memory access")
(assert_return (invoke $M "load" (i32.const 0)) (i32.const 42))

;; A link failure happens before any segment is applied.
(assert_unlinkable
  (module
    (import "M" "mem" (memory 1))
    (import "M" "missing" (func))
    (data (i32.const 1) "\2b"))
  "unknown import")
(assert_return (invoke $M "load" (i32.const 1)) (i32.const 0))

;; Elements applied to an imported table before a trapping start function stay.
(assert_trap
  (module
    (import "M" "tab" (table 10 funcref))
    (func $f)
    (elem (i32.const 3) $f)
    (func $start (unreachable))
    (start $start))
  "unreachable")
(assert_return (invoke $M "is-null" (i32.const 3)) (i32.const 0))

;; Validation and decoding failures of the right kind.
(assert_invalid (module (func (result i32) (i64.const 1))) "type mismatch")
(assert_invalid (module (func (local.get 3))) "unknown local")
(assert_malformed (module binary "\00asm\02\00\00\00") "unknown binary version")
(assert_malformed (module binary "\00asn\01\00\00\00") "magic header not detected")
(assert_malformed (module quote "(func i32.frobnicate)") "unknown operator")
(assert_malformed (module quote "(func (local.get $nope))") "unknown local")
