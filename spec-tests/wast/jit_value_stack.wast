;; The JIT's value stack keeps operands in registers and spills the deepest
;; one when it runs out (engine/jit/value_stack.cc). Division and shifts need
;; fixed registers (rax, rdx, rcx): when such a register holds an operand it
;; is moved elsewhere first. With five integer params held in registers and
;; four results pending, every register is taken, and the spill that frees
;; one can pick the very operand that holds the fixed register. These cases
;; once returned wrong values on the JIT (76 for 90 in the first); they run
;; on every tier and under --differential.
(module
  (func (export "rem_s") (param i32 i32 i32 i32 i32) (result i32)
    (i32.add (i32.clz (local.get 0))
      (i32.add (i32.clz (local.get 1))
        (i32.add (i32.clz (local.get 2))
          (i32.rem_s (i32.clz (local.get 3)) (i32.popcnt (local.get 4)))))))
  (func (export "div_u") (param i32 i32 i32 i32 i32) (result i32)
    (i32.add (i32.clz (local.get 0))
      (i32.add (i32.clz (local.get 1))
        (i32.add (i32.clz (local.get 2))
          (i32.div_u (i32.clz (local.get 3)) (i32.popcnt (local.get 4)))))))
  (func (export "shl") (param i32 i32 i32 i32 i32) (result i32)
    (i32.add (i32.clz (local.get 0))
      (i32.add (i32.clz (local.get 1))
        (i32.add (i32.clz (local.get 2))
          (i32.shl (i32.clz (local.get 3)) (i32.popcnt (local.get 4)))))))
  (func (export "rem_u64") (param i64 i64 i64 i64 i64) (result i64)
    (i64.add (i64.clz (local.get 0))
      (i64.add (i64.clz (local.get 1))
        (i64.add (i64.clz (local.get 2))
          (i64.rem_u (i64.clz (local.get 3)) (i64.popcnt (local.get 4)))))))
  (func (export "rotr64") (param i64 i64 i64 i64 i64) (result i64)
    (i64.add (i64.clz (local.get 0))
      (i64.add (i64.clz (local.get 1))
        (i64.add (i64.clz (local.get 2))
          (i64.rotr (i64.clz (local.get 3)) (i64.popcnt (local.get 4)))))))
  ;; The same pressure inside a loop, so a clobbered register is reused.
  (func (export "loop") (param i32 i32 i32 i32 i32) (result i32)
    (local $acc i32) (local $n i32)
    (local.set $n (i32.const 3))
    (loop $l
      (local.set $acc
        (i32.add (local.get $acc)
          (i32.add (i32.clz (local.get 0))
            (i32.add (i32.clz (local.get 1))
              (i32.add (i32.clz (local.get 2))
                (i32.div_s (i32.clz (local.get 3)) (i32.popcnt (local.get 4))))))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc)))

;; clz: 31 + 30 + 29 = 90 before the last term; clz(8) = 28, popcnt(3) = 2.
(assert_return (invoke "rem_s" (i32.const 1) (i32.const 2) (i32.const 4) (i32.const 8) (i32.const 3)) (i32.const 90))
(assert_return (invoke "div_u" (i32.const 1) (i32.const 2) (i32.const 4) (i32.const 8) (i32.const 3)) (i32.const 104))
(assert_return (invoke "shl" (i32.const 1) (i32.const 2) (i32.const 4) (i32.const 8) (i32.const 3)) (i32.const 202))
(assert_return (invoke "rem_u64" (i64.const 1) (i64.const 2) (i64.const 4) (i64.const 8) (i64.const 7)) (i64.const 186))
(assert_return (invoke "rotr64" (i64.const 1) (i64.const 2) (i64.const 4) (i64.const 8) (i64.const 7)) (i64.const 0x80000000000000c1))
(assert_return (invoke "loop" (i32.const 1) (i32.const 2) (i32.const 4) (i32.const 8) (i32.const 3)) (i32.const 312))
