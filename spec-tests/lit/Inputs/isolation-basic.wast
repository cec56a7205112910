;; A small virtualization for the CLI tests of the isolation audit: a real
;; instance, an honest virtualizer that adds 1000 to the offset in its own
;; core code, and a child that only sees the virtualizer.
(component $Root
  (component $Real
    (core module $M (func (export "read") (param i32) (result i32)
      (i32.mul (local.get 0) (i32.const 2))))
    (core instance $m (instantiate $M))
    (func (export "read") (param "offset" u32) (result u32) (canon lift (core func $m "read"))))
  (component $Virt
    (import "fs" (instance $fs (export "read" (func (param "offset" u32) (result u32)))))
    (core func $read (canon lower (func $fs "read")))
    (core module $M
      (import "fs" "read" (func $read (param i32) (result i32)))
      (func (export "read") (param i32) (result i32)
        (call $read (i32.add (local.get 0) (i32.const 1000)))))
    (core instance $m (instantiate $M (with "fs" (instance (export "read" (func $read))))))
    (func (export "read") (param "offset" u32) (result u32) (canon lift (core func $m "read"))))
  (component $Child
    (import "fs" (instance $fs (export "read" (func (param "offset" u32) (result u32)))))
    (core func $read (canon lower (func $fs "read")))
    (core module $M
      (import "fs" "read" (func $read (param i32) (result i32)))
      (func (export "go") (param i32) (result i32) (call $read (local.get 0))))
    (core instance $m (instantiate $M (with "fs" (instance (export "read" (func $read))))))
    (func (export "go") (param "x" u32) (result u32) (canon lift (core func $m "go"))))
  (instance $real (instantiate $Real))
  (instance $virt (instantiate $Virt (with "fs" (instance $real))))
  (instance $child (instantiate $Child (with "fs" (instance $virt))))
  (func (export "go") (alias export $child "go")))

(assert_return (invoke "go" (u32.const 5)) (u32.const 2010))
(assert_isolated $child (from $real) (via $virt))
(@isolation $child (from $real) (via $virt))
;; The virtualizer is not isolated from the real instance: a failure.
(assert_isolated $virt (from $real) (via $child))
(assert_isolated $nope (from $real) (via $virt))
