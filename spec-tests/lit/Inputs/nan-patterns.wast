;; Results with NaNs whose payload the spec leaves open, as results, in v128
;; lanes and in an exported global (lit test differential.test).
(module
  (global (export "g") (mut f64) (f64.const 0))
  (func (export "f64x2.min") (param v128 v128) (result v128)
    (f64x2.min (local.get 0) (local.get 1)))
  (func (export "f32.add") (param f32 f32) (result f32)
    (f32.add (local.get 0) (local.get 1)))
  (func (export "set-g") (param f64 f64)
    (global.set 0 (f64.max (local.get 0) (local.get 1)))))
(assert_return (invoke "f64x2.min" (v128.const f64x2 nan:0x1 1) (v128.const f64x2 2 -nan:0x2))
  (v128.const f64x2 nan:arithmetic nan:arithmetic))
(assert_return (invoke "f32.add" (f32.const nan:0x200000) (f32.const -nan:0x1))
  (f32.const nan:arithmetic))
(assert_return (invoke "set-g" (f64.const -nan:0x8000000000001) (f64.const nan:0x4)))
(assert_return (invoke "f32.add" (f32.const inf) (f32.const -inf)) (f32.const nan:canonical))
