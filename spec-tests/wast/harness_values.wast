;; Tandem's own script tests: result patterns (section 6): NaN classes, literal
;; NaNs bit for bit, v128 results read in the pattern's shape, either, refs.
(module
  (func (export "f32") (param i32) (result f32) (f32.reinterpret_i32 (local.get 0)))
  (func (export "f64") (param i64) (result f64) (f64.reinterpret_i64 (local.get 0)))
  (func (export "id-f32") (param f32) (result f32) (local.get 0))
  (func (export "v") (param v128) (result v128) (local.get 0))
  (func (export "two") (result i32 i64) (i32.const 1) (i64.const 2))
  (func (export "id-extern") (param externref) (result externref) (local.get 0))
  (func (export "null-func") (result funcref) (ref.null func))
  (func $f (export "func") (result funcref) (ref.func $f)))

(assert_return (invoke "f32" (i32.const 0x7fc00000)) (f32.const nan:canonical))
(assert_return (invoke "f32" (i32.const 0xffc00000)) (f32.const nan:canonical))
(assert_return (invoke "f32" (i32.const 0x7fc00001)) (f32.const nan:arithmetic))
(assert_return (invoke "f32" (i32.const 0xffe00000)) (f32.const nan:arithmetic))
(assert_return (invoke "f32" (i32.const 0x7fa00000)) (f32.const nan:0x200000))
(assert_return (invoke "f32" (i32.const 0xffc00000)) (f32.const -nan))
(assert_return (invoke "f64" (i64.const 0x7ff8000000000000)) (f64.const nan:canonical))
(assert_return (invoke "f64" (i64.const 0x7ff8000000000001)) (f64.const nan:arithmetic))
(assert_return (invoke "f64" (i64.const 0x8000000000000000)) (f64.const -0))
;; Signalling NaN arguments pass through bit for bit.
(assert_return (invoke "id-f32" (f32.const nan:0x1)) (f32.const nan:0x1))
(assert_return (invoke "id-f32" (f32.const -nan:0x7fffff)) (f32.const -nan:0x7fffff))

;; v128: the result is split in the pattern's shape, whatever the argument shape.
(assert_return (invoke "v" (v128.const i32x4 0x03020100 0x07060504 0x0b0a0908 0x0f0e0d0c))
  (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15))
(assert_return (invoke "v" (v128.const i8x16 -1 -1 0 0 0 0 0 0 0 0 0 0 0 0 0 0))
  (v128.const i16x8 0xffff 0 0 0 0 0 0 0))
(assert_return (invoke "v" (v128.const i8x16 -1 -1 0 0 0 0 0 0 0 0 0 0 0 0 0 0))
  (v128.const i16x8 -1 0 0 0 0 0 0 0))
(assert_return (invoke "v" (v128.const f32x4 nan -nan 1 nan:0x1))
  (v128.const f32x4 nan:canonical nan:canonical 1 nan:0x1))
(assert_return (invoke "v" (v128.const i32x4 0x7fc00000 0xffc00001 0 0x7fffffff))
  (v128.const f32x4 nan:canonical nan:arithmetic 0 nan:arithmetic))
(assert_return (invoke "v" (v128.const f64x2 nan:0x4 -0))
  (v128.const i64x2 0x7ff0000000000004 0x8000000000000000))
(assert_return (invoke "v" (v128.const f64x2 1 2))
  (either (v128.const f64x2 1 3) (v128.const f64x2 1 2)))

;; Multiple results.
(assert_return (invoke "two") (i32.const 1) (i64.const 2))

;; References: host identity, nulls, functions.
(assert_return (invoke "id-extern" (ref.extern 1)) (ref.extern 1))
(assert_return (invoke "id-extern" (ref.extern 42)) (ref.extern 42))
(assert_return (invoke "id-extern" (ref.extern 42)) (ref.extern))
(assert_return (invoke "id-extern" (ref.null extern)) (ref.null extern))
(assert_return (invoke "id-extern" (ref.null extern)) (ref.null))
(assert_return (invoke "null-func") (ref.null func))
(assert_return (invoke "func") (ref.func))
