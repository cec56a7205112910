;; Feature gating: with -W simd=n the SIMD module is skipped with the reason,
;; and so is every directive that depends on it. Components are skipped too.
(module $S
  (func (export "v") (result v128) (v128.const i32x4 1 2 3 4)))
(assert_return (invoke "v") (v128.const i32x4 1 2 3 4))
(register "s" $S)
(module (import "s" "v" (func (result v128))))
(module
  (func (export "one") (result i32) (i32.const 1)))
(assert_return (invoke "one") (i32.const 1))
(assert_return (invoke $S "v") (v128.const i32x4 1 2 3 4))
(component (core module $m (func (export "f"))) (core instance $i (instantiate $m)) (func (export "f") async (canon lift (core func $i "f") async)))
(assert_return (invoke "one") (i32.const 1))
