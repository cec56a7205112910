;; Tandem's own script tests: names, register, get, module definition and
;; module instance, and which instance is current (docs/wast-script-language.md 3.1-3.4, 11).

(module $A
  (global (export "g") i32 (i32.const 7))
  (global $counter (export "counter") (mut i32) (i32.const 0))
  (func (export "bump") (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (global.get $counter)))

(assert_return (get "g") (i32.const 7))
(assert_return (invoke "bump") (i32.const 1))
(register "a" $A)

;; A second module becomes current; $A stays reachable by name.
(module $B
  (import "a" "bump" (func $bump (result i32)))
  (func (export "bump-twice") (result i32) (drop (call $bump)) (call $bump)))
(assert_return (invoke "bump-twice") (i32.const 3))
(assert_return (invoke $A "bump") (i32.const 4))
(assert_return (get $A "counter") (i32.const 4))

;; Registering the current instance without a name.
(register "b")
(module
  (import "b" "bump-twice" (func $f (result i32)))
  (func (export "f") (result i32) (call $f)))
(assert_return (invoke "f") (i32.const 6))

;; module definition does not instantiate and does not change the current instance.
(module definition $D
  (global $n (mut i32) (i32.const 100))
  (func (export "next") (result i32)
    (global.set $n (i32.add (global.get $n) (i32.const 1)))
    (global.get $n)))
(assert_return (invoke "f") (i32.const 8))

;; Each module instance is a fresh instance (generative).
(module instance $I1 $D)
(module instance $I2 $D)
(assert_return (invoke $I1 "next") (i32.const 101))
(assert_return (invoke $I1 "next") (i32.const 102))
(assert_return (invoke $I2 "next") (i32.const 101))
;; The last instance is current.
(assert_return (invoke "next") (i32.const 102))

;; Unknown imports and incompatible types are link errors.
(assert_unlinkable (module (import "a" "nope" (func))) "unknown import")
(assert_unlinkable (module (import "a" "g" (global i64))) "incompatible import type")
(assert_unlinkable (module (import "nowhere" "x" (func))) "unknown import")

;; A bare invoke runs for its side effects.
(invoke $A "bump")
(assert_return (get $A "counter") (i32.const 9))
