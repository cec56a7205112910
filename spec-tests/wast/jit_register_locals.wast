;; The JIT keeps the first integer locals in registers (rbx, r15, then the
;; caller-saved r10, r9, r8) and the first float and v128 locals in xmm8-13
;; (engine/jit/codegen.cc). These cases cover where that can go wrong: values
;; across calls (caller-saved registers are written back and reloaded),
;; exception landings, the call_indirect subtyping path, reads of a local
;; pending on the stack while it is overwritten, float locals read as bits,
;; select, and more locals than registers. They run on every tier and under
;; --differential.
(module
  (type $f (func (param i32) (result i32)))
  (type $sub (sub (func (result i32))))
  (type $subsub (sub $sub (func (result i32))))
  (tag $e (param i32))
  (table funcref (elem $clobber $sixty-four))
  (global $g (mut f64) (f64.const 0))

  ;; Uses every value-stack register so a missing reload shows.
  (func $clobber (param i32) (result i32)
    (local i64 i64 i64 i64 i64 i64 i64 f64 f64 f64 f64 f64 f64 f64 f64)
    (local.set 1 (i64.const -1)) (local.set 2 (i64.const -2)) (local.set 3 (i64.const -3))
    (local.set 4 (i64.const -4)) (local.set 5 (i64.const -5)) (local.set 6 (i64.const -6))
    (local.set 7 (i64.const -7))
    (local.set 8 (f64.const -1)) (local.set 9 (f64.const -2)) (local.set 10 (f64.const -3))
    (local.set 11 (f64.const -4)) (local.set 12 (f64.const -5)) (local.set 13 (f64.const -6))
    (local.set 14 (f64.const -7)) (local.set 15 (f64.const -8))
    (i32.add (local.get 0)
      (i32.wrap_i64 (i64.add (local.get 1) (i64.add (local.get 4) (local.get 7))))))
  (func $sixty-four (type $subsub) (i32.const 64))
  (func $throw (param i32) (throw $e (local.get 0)))

  ;; Seven i32 locals (five in registers, two in slots) and seven f64 locals
  ;; (six in registers), all changed before a call and read after it.
  (func (export "across-call") (param i32) (result f64)
    (local i32 i32 i32 i32 i32 i32 f64 f64 f64 f64 f64 f64 f64)
    (local.set 1 (i32.add (local.get 0) (i32.const 1)))
    (local.set 2 (i32.add (local.get 0) (i32.const 2)))
    (local.set 3 (i32.add (local.get 0) (i32.const 3)))
    (local.set 4 (i32.add (local.get 0) (i32.const 4)))
    (local.set 5 (i32.add (local.get 0) (i32.const 5)))
    (local.set 6 (i32.add (local.get 0) (i32.const 6)))
    (local.set 7 (f64.const 0.5)) (local.set 8 (f64.const 1.5)) (local.set 9 (f64.const 2.5))
    (local.set 10 (f64.const 3.5)) (local.set 11 (f64.const 4.5)) (local.set 12 (f64.const 5.5))
    (local.set 13 (f64.const 6.5))
    (local.set 0 (call $clobber (local.get 0)))
    (f64.add
      (f64.convert_i32_s
        (i32.add (local.get 0)
          (i32.add (i32.mul (local.get 1) (i32.const 1000000))
            (i32.add (i32.mul (local.get 2) (i32.const 100000))
              (i32.add (i32.mul (local.get 3) (i32.const 10000))
                (i32.add (i32.mul (local.get 4) (i32.const 1000))
                  (i32.add (i32.mul (local.get 5) (i32.const 100)) (local.get 6))))))))
      (f64.add (local.get 7) (f64.add (local.get 8) (f64.add (local.get 9)
        (f64.add (local.get 10) (f64.add (local.get 11)
          (f64.add (local.get 12) (local.get 13)))))))))

  ;; The same after an indirect call through the subtyping slow path.
  (func (export "across-indirect") (param i32) (result i32)
    (local i32 i32 i32 i32 i32)
    (local.set 1 (i32.const 10)) (local.set 2 (i32.const 20)) (local.set 3 (i32.const 30))
    (local.set 4 (i32.const 40)) (local.set 5 (i32.const 50))
    (local.set 0 (call_indirect (type $sub) (local.get 0)))
    (i32.add (local.get 0)
      (i32.add (local.get 1) (i32.add (local.get 2)
        (i32.add (local.get 3) (i32.add (local.get 4) (local.get 5)))))))

  ;; Locals changed before a throwing call and read in the catch.
  (func (export "across-catch") (param i32) (result i32)
    (local i32 i32 i32 i32 v128 f32)
    (local.set 1 (i32.const 1)) (local.set 2 (i32.const 2)) (local.set 3 (i32.const 3))
    (local.set 4 (i32.const 4))
    (local.set 5 (v128.const i32x4 5 6 7 8))
    (local.set 6 (f32.const 9))
    (block $caught (result i32)
      (try_table (catch $e $caught)
        (local.set 1 (i32.const 100)) (local.set 4 (i32.const 400))
        (local.set 5 (v128.const i32x4 500 6 7 8))
        (call $throw (local.get 0)))
      (i32.const -1))
    (i32.add (i32.add (local.get 1) (local.get 2)) (i32.add (local.get 3) (local.get 4)))
    (i32.add (i32x4.extract_lane 0 (local.get 5)))
    (i32.add (i32.trunc_f32_s (local.get 6)))
    (i32.add))

  ;; A local read (pending on the stack) and then overwritten.
  (func (export "pending-read") (param i32 i64) (result i64)
    (local.get 0)
    (local.set 0 (i32.const 7))
    (i64.extend_i32_u)
    (local.get 1)
    (local.tee 1 (i64.const 3))
    (i64.add)
    (i64.add)
    (i64.add (i64.extend_i32_u (local.get 0))))

  ;; Float locals read as bits, written to a global, selected.
  (func (export "float-bits") (param f64 f32) (result i64)
    (global.set $g (local.get 0))
    (i64.add (i64.reinterpret_f64 (local.get 0))
      (i64.extend_i32_u (i32.reinterpret_f32 (local.get 1)))))
  (func (export "get-g") (result f64) (global.get $g))
  (func (export "select-locals") (param i32 i64 i64 f64 f64) (result f64)
    (f64.add
      (f64.convert_i64_s (select (local.get 1) (local.get 2) (local.get 0)))
      (select (local.get 3) (local.get 4) (local.get 0))))

  ;; A loop carrying five register locals and one slot local.
  (func (export "loop") (param i32) (result i32)
    (local i32 i32 i32 i32 i32 i32)
    (local.set 1 (i32.const 1))
    (loop $l
      (local.set 2 (i32.add (local.get 2) (local.get 1)))
      (local.set 3 (i32.xor (local.get 3) (local.get 2)))
      (local.set 4 (i32.add (local.get 4) (i32.const 3)))
      (local.set 5 (i32.sub (local.get 5) (local.get 4)))
      (local.set 6 (i32.add (local.get 6) (local.get 3)))
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br_if $l (i32.le_u (local.get 1) (local.get 0))))
    (i32.add (local.get 2) (i32.add (local.get 3) (i32.add (local.get 5) (local.get 6))))))

(assert_return (invoke "across-call" (i32.const 3)) (f64.const 4567824.5))
(assert_return (invoke "across-indirect" (i32.const 1)) (i32.const 214))
(assert_trap (invoke "across-indirect" (i32.const 2)) "undefined element")
(assert_return (invoke "across-catch" (i32.const 5)) (i32.const 1019))
(assert_return (invoke "pending-read" (i32.const 2) (i64.const 5)) (i64.const 17))
(assert_return (invoke "float-bits" (f64.const 1) (f32.const 1))
  (i64.const 0x3ff00000_3f800000))
(assert_return (invoke "get-g") (f64.const 1))
(assert_return (invoke "select-locals" (i32.const 1) (i64.const 2) (i64.const 3)
  (f64.const 0.25) (f64.const 0.5)) (f64.const 2.25))
(assert_return (invoke "select-locals" (i32.const 0) (i64.const 2) (i64.const 3)
  (f64.const 0.25) (f64.const 0.5)) (f64.const 3.5))
(assert_return (invoke "loop" (i32.const 100)) (i32.const 133383))
