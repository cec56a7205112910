;; Compiled code calls compiled code through an internal entry that keeps
;; the context and the call depth in registers and sets its own memory base
;; (engine/jit/macro_assembler.h); anything else goes through the EntryFn.
;; These cases cover the seams: a callee of another instance (with its own
;; memory) returning normally, by an exception, through a table; and tail
;; calls that cycle between compiled code and a function the JIT leaves to
;; the interpreter (it uses a GC instruction), which must not grow the
;; native stack. They run on every tier and under --differential.
(module $B
  (memory (export "mem") 1)
  (data (i32.const 0) "\bb\bb\bb\bb")
  (tag $t (export "t") (param i32))
  (table (export "tab") 1 funcref)
  (elem (i32.const 0) $load)
  (func $load (export "load") (result i32) (i32.load (i32.const 0)))
  (func (export "throw") (param i32) (throw $t (local.get 0))))
(register "B" $B)

(module $A
  (import "B" "load" (func $b_load (result i32)))
  (import "B" "throw" (func $b_throw (param i32)))
  (import "B" "t" (tag $t (param i32)))
  (import "B" "tab" (table $btab 1 funcref))
  (memory 1)
  (data (i32.const 0) "\aa\aa\aa\aa")
  (type $r (func (result i32)))
  (func (export "after-call") (result i32)
    (i32.add (call $b_load) (i32.load (i32.const 0))))
  (func (export "after-indirect") (result i32)
    (i32.add (call_indirect $btab (type $r) (i32.const 0)) (i32.load (i32.const 0))))
  (func (export "after-catch") (result i32)
    (block $h (result i32)
      (try_table (catch $t $h) (call $b_throw (i32.const 5)))
      (i32.const -1))
    (i32.load (i32.const 0))
    (i32.add))

  ;; Mutual tail recursion: $odd uses ref.i31, so --tier=jit leaves it to
  ;; the interpreter and every second hop crosses tiers.
  (func $even (export "even") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 44))
      (else (return_call $odd (i32.sub (local.get 0) (i32.const 1))))))
  (func $odd (param i32) (result i32)
    (drop (ref.i31 (local.get 0)))
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 99))
      (else (return_call $even (i32.sub (local.get 0) (i32.const 1))))))

  ;; Deep recursion that traps, then a normal call on the same store.
  (func $down (export "down") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1))))))))

;; Each twice: the first call into $B compiles it (through its EntryFn).
(assert_return (invoke "after-call") (i32.const 0x6666_6665))
(assert_return (invoke "after-call") (i32.const 0x6666_6665))
(assert_return (invoke "after-indirect") (i32.const 0x6666_6665))
(assert_return (invoke "after-indirect") (i32.const 0x6666_6665))
(assert_return (invoke "after-catch") (i32.const 0xaaaa_aaaf))
(assert_return (invoke "after-catch") (i32.const 0xaaaa_aaaf))
(assert_return (invoke "even" (i32.const 1_000_000)) (i32.const 44))
(assert_return (invoke "even" (i32.const 1_000_001)) (i32.const 99))
(assert_exhaustion (invoke "down" (i32.const 100_000_000)) "call stack exhausted")
(assert_return (invoke "down" (i32.const 1000)) (i32.const 1000))
