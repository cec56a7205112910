;; Unreachable code after a branch: the single-pass consumers skip it up to
;; the instruction that closes the block, counting blocks opened inside it.
;; A legacy `try ... delegate` closes with `delegate`, not `end`: the JIT once
;; missed that, skipped the rest of the function and returned 41.
(module
  (func (export "try-delegate") (param i32) (result i32)
    (block
      (br 0)
      (try (do (nop)) (delegate 0))
      (drop (i32.const 1)))
    (i32.add (local.get 0) (i32.const 1)))
  (func (export "try-catch") (param i32) (result i32)
    (block
      (br 0)
      (try (do (nop)) (catch_all (nop)))
      (block (loop (if (local.get 0) (then (nop)) (else (nop))))))
    (i32.add (local.get 0) (i32.const 2)))
  (func (export "dead-else") (param i32) (result i32)
    (if (result i32) (local.get 0)
      (then (br 0 (i32.const 10)) (block (try (do) (delegate 0))) (i32.const 11))
      (else (i32.const 20))))
)
(assert_return (invoke "try-delegate" (i32.const 41)) (i32.const 42))
(assert_return (invoke "try-catch" (i32.const 40)) (i32.const 42))
(assert_return (invoke "dead-else" (i32.const 1)) (i32.const 10))
(assert_return (invoke "dead-else" (i32.const 0)) (i32.const 20))
