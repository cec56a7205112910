;; Regressions found by differential execution (interpreter vs JIT; helper
;; `diff`). Each case names the finding it reproduces. They run on every tier
;; and under --differential.

;; fuzz/findings/s4242_m00722: `if` on a negated i64.eqz was lowered by the
;; interpreter to a 32-bit branch-if-nonzero, so an i64 whose low 32 bits are
;; zero (1<<32, 0xfffc000000000000, INT64_MIN) took the wrong arm.
(module
  (func (export "if-eqz") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 1)) (else (i32.const 0))))
  (func (export "if-eqz-no-else") (param i64) (result i32)
    (local i32)
    (if (i64.eqz (local.get 0)) (then (local.set 1 (i32.const 1))))
    (local.get 1))
  (func (export "if-eqz-const") (result i32)
    (if (result i32) (i64.eqz (i64.const -1125899906842624))
      (then (i32.const 1)) (else (i32.const 0))))
  (func (export "br-if-eqz") (param i64) (result i32)
    (block (result i32)
      (br_if 0 (i32.const 1) (i64.eqz (local.get 0)))
      (drop)
      (i32.const 0))))

(assert_return (invoke "if-eqz" (i64.const 0)) (i32.const 1))
(assert_return (invoke "if-eqz" (i64.const 1)) (i32.const 0))
(assert_return (invoke "if-eqz" (i64.const 0x100000000)) (i32.const 0))
(assert_return (invoke "if-eqz" (i64.const -1125899906842624)) (i32.const 0))
(assert_return (invoke "if-eqz" (i64.const 0x8000000000000000)) (i32.const 0))
(assert_return (invoke "if-eqz-const") (i32.const 0))
(assert_return (invoke "if-eqz-no-else" (i64.const 0)) (i32.const 1))
(assert_return (invoke "if-eqz-no-else" (i64.const 0x100000000)) (i32.const 0))
(assert_return (invoke "if-eqz-no-else" (i64.const 0x8000000000000000)) (i32.const 0))
(assert_return (invoke "br-if-eqz" (i64.const 0)) (i32.const 1))
(assert_return (invoke "br-if-eqz" (i64.const 0x100000000)) (i32.const 0))
(assert_return (invoke "br-if-eqz" (i64.const -1125899906842624)) (i32.const 0))
