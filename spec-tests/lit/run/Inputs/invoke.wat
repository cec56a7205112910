;; Exports for the --invoke tests of `tandem run`.
(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "add64") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))
  (func (export "fdiv") (param f32 f32) (result f32) (f32.div (local.get 0) (local.get 1)))
  (func (export "dmul") (param f64 f64) (result f64) (f64.mul (local.get 0) (local.get 1)))
  (func (export "pair") (param i32) (result i32 f64)
    (local.get 0) (f64.convert_i32_s (local.get 0)))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "nothing"))
  (func $rec (export "recurse") (call $rec))
  (global (export "g") i32 (i32.const 1)))
