;; Exported state (globals, memory) compared after each directive in --differential mode.
(module
  (memory (export "mem") 1)
  (global $g (export "g") (mut i64) (i64.const 0))
  (func (export "step") (param i32)
    (i32.store (local.get 0) (i32.add (i32.load (local.get 0)) (i32.const 7)))
    (global.set $g (i64.add (global.get $g) (i64.extend_i32_u (local.get 0))))))
(invoke "step" (i32.const 8))
(invoke "step" (i32.const 8))
(assert_return (get "g") (i64.const 16))
(assert_trap (invoke "step" (i32.const 65536)) "out of bounds memory access")
