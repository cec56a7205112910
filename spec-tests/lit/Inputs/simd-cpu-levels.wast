;; SIMD code whose JIT translation depends on the CPU level (TANDEM_JIT_CPU):
;; inline SSE4.1/AVX sequences or, at baseline, helper calls. Used by
;; jit-cpu-levels.test; every level must give these results.
(module
  (memory 1)
  (data (i32.const 0) "\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10")
  (data (i32.const 16) "\f0\e0\d0\c0\b0\a0\90\80\70\60\50\40\30\20\10\00")

  ;; Sum of absolute byte differences of the two rows (as bench vecmix).
  (func (export "sad") (result i32) (local $a v128) (local $b v128) (local $s v128)
    (local.set $a (v128.load (i32.const 0)))
    (local.set $b (v128.load (i32.const 16)))
    (local.set $s
      (i32x4.extadd_pairwise_i16x8_u
        (i16x8.extadd_pairwise_i8x16_u
          (i8x16.sub (i8x16.max_u (local.get $a) (local.get $b))
                     (i8x16.min_u (local.get $a) (local.get $b))))))
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $s)) (i32x4.extract_lane 1 (local.get $s)))
      (i32.add (i32x4.extract_lane 2 (local.get $s)) (i32x4.extract_lane 3 (local.get $s)))))

  ;; Byte shifts by a run-time count (taken modulo 8).
  (func (export "shr_s") (param v128 i32) (result v128) (i8x16.shr_s (local.get 0) (local.get 1)))
  (func (export "shl") (param v128 i32) (result v128) (i8x16.shl (local.get 0) (local.get 1)))
  (func (export "i64_shr_s") (param v128 i32) (result v128) (i64x2.shr_s (local.get 0) (local.get 1)))

  ;; Lane selection.
  (func (export "swizzle") (param v128 v128) (result v128) (i8x16.swizzle (local.get 0) (local.get 1)))
  (func (export "interleave") (param v128 v128) (result v128)
    (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get 0) (local.get 1)))
  (func (export "replace") (param v128 i32) (result v128)
    (i8x16.replace_lane 5 (local.get 0) (local.get 1)))

  ;; Float lanes: NaN handling and saturation.
  (func (export "trunc_sat_u") (param v128) (result v128) (i32x4.trunc_sat_f32x4_u (local.get 0)))
  (func (export "lt") (param v128 v128) (result v128) (f32x4.lt (local.get 0) (local.get 1)))
  (func (export "ne") (param v128 v128) (result v128) (f64x2.ne (local.get 0) (local.get 1)))
  (func (export "nearest") (param v128) (result v128) (f32x4.nearest (local.get 0)))

  ;; Reductions feeding branches.
  (func (export "all_true_branch") (param v128) (result i32)
    (block (br_if 0 (i32x4.all_true (local.get 0))) (return (i32.const 7)))
    (i32.const 9))
  (func (export "bitmask") (param v128) (result i32) (i16x8.bitmask (local.get 0)))
)

(assert_return (invoke "sad") (i32.const 1816))
(assert_return (invoke "shr_s" (v128.const i8x16 -128 -1 127 64 8 0 1 2 3 4 5 6 7 -8 -16 -32) (i32.const 11))
  (v128.const i8x16 -16 -1 15 8 1 0 0 0 0 0 0 0 0 -1 -2 -4))
(assert_return (invoke "shl" (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 255) (i32.const 7))
  (v128.const i8x16 128 0 128 0 128 0 128 0 128 0 128 0 128 0 128 128))
(assert_return (invoke "i64_shr_s" (v128.const i64x2 -256 256) (i32.const 68))
  (v128.const i64x2 -16 16))
(assert_return (invoke "swizzle" (v128.const i8x16 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25)
                                 (v128.const i8x16 0 15 16 255 128 1 2 3 4 5 6 7 8 9 10 17))
  (v128.const i8x16 10 25 0 0 0 11 12 13 14 15 16 17 18 19 20 0))
(assert_return (invoke "interleave" (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)
                                    (v128.const i8x16 100 101 102 103 104 105 106 107 0 0 0 0 0 0 0 0))
  (v128.const i8x16 0 100 1 101 2 102 3 103 4 104 5 105 6 106 7 107))
(assert_return (invoke "replace" (v128.const i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0) (i32.const 0x1ff))
  (v128.const i8x16 0 0 0 0 0 255 0 0 0 0 0 0 0 0 0 0))
(assert_return (invoke "trunc_sat_u" (v128.const f32x4 nan -1.5 3e9 5e9))
  (v128.const i32x4 0 0 3000000000 0xffffffff))
(assert_return (invoke "lt" (v128.const f32x4 1 nan 2 -0) (v128.const f32x4 2 1 nan 0))
  (v128.const i32x4 -1 0 0 0))
(assert_return (invoke "ne" (v128.const f64x2 nan 1) (v128.const f64x2 nan 1))
  (v128.const i64x2 -1 0))
(assert_return (invoke "nearest" (v128.const f32x4 0.5 1.5 -2.5 -0.4))
  (v128.const f32x4 0 2 -2 -0))
(assert_return (invoke "all_true_branch" (v128.const i32x4 1 2 3 4)) (i32.const 9))
(assert_return (invoke "all_true_branch" (v128.const i32x4 1 2 0 4)) (i32.const 7))
(assert_return (invoke "bitmask" (v128.const i16x8 -1 0 -32768 1 0 -2 32767 -3)) (i32.const 0xa5))
