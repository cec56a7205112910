;; wasmtime's component host items (docs/wast-script-language.md section
;; 10.2, harness/component_host.cc): root functions, the `host` instance with
;; a nested instance, a core module, resources with a host destructor, and a
;; string result lowered into the guest's memory.

;; Functions at the root and in (nested) host instances, lowered into core
;; code and re-exported directly.
(component
  (import "host-return-two" (func $two (result u32)))
  (import "host-echo-u32" (func $echo (param "x" u32) (result u32)))
  (import "host" (instance $host
    (export "return-three" (func (result u32)))
    (export "nested" (instance (export "return-four" (func (result u32)))))))
  (alias export $host "return-three" (func $three))
  (alias export $host "nested" (instance $nested))
  (alias export $nested "return-four" (func $four))
  (core func $two_c (canon lower (func $two)))
  (core func $three_c (canon lower (func $three)))
  (core func $four_c (canon lower (func $four)))
  (core func $echo_c (canon lower (func $echo)))
  (core module $m
    (import "" "two" (func $two (result i32)))
    (import "" "three" (func $three (result i32)))
    (import "" "four" (func $four (result i32)))
    (import "" "echo" (func $echo (param i32) (result i32)))
    (func (export "sum") (result i32)
      call $two call $three i32.add call $four i32.add)
    (func (export "echo-plus-one") (param i32) (result i32)
      local.get 0 call $echo i32.const 1 i32.add))
  (core instance $i (instantiate $m (with "" (instance
    (export "two" (func $two_c)) (export "three" (func $three_c))
    (export "four" (func $four_c)) (export "echo" (func $echo_c))))))
  (func (export "sum") (result u32) (canon lift (core func $i "sum")))
  (func (export "echo-plus-one") (param "x" u32) (result u32)
    (canon lift (core func $i "echo-plus-one")))
  (export "three" (func $three))
  (export "echo" (func $echo)))
(assert_return (invoke "sum") (u32.const 9))
(assert_return (invoke "echo-plus-one" (u32.const 41)) (u32.const 42))
(assert_return (invoke "echo-plus-one" (u32.const 0xffffffff)) (u32.const 0))
(assert_return (invoke "three") (u32.const 3))
(assert_return (invoke "echo" (u32.const 7)) (u32.const 7))

;; The host's core module `simple-module`: instantiated inside the component.
(component
  (import "host" (instance $host (export "simple-module" (core module
    (export "g" (global i32))
    (export "f" (func (result i32)))))))
  (alias export $host "simple-module" (core module $sm))
  (core instance $s (instantiate $sm))
  (core module $m
    (import "s" "g" (global $g i32))
    (import "s" "f" (func $f (result i32)))
    (func (export "run") (result i32) global.get $g call $f i32.add))
  (core instance $i (instantiate $m (with "s" (instance $s))))
  (func (export "run") (result u32) (canon lift (core func $i "run"))))
(assert_return (invoke "run") (u32.const 201))

;; Host resources: constructor, borrow-taking method, own-taking static
;; function, guest-side drop running the host destructor, and a string result.
(component definition $Res
  (import "host" (instance $host
    (export "resource1" (type $r1 (sub resource)))
    (export "[constructor]resource1" (func (param "r" u32) (result (own $r1))))
    (export "[static]resource1.assert" (func (param "r" (own $r1)) (param "rep" u32)))
    (export "[static]resource1.last-drop" (func (result u32)))
    (export "[static]resource1.drops" (func (result u32)))
    (export "[method]resource1.simple" (func (param "self" (borrow $r1)) (param "rep" u32)))
    (export "return-hi" (func (result string)))))
  (alias export $host "resource1" (type $r1))
  (alias export $host "[constructor]resource1" (func $ctor))
  (alias export $host "[static]resource1.assert" (func $assert))
  (alias export $host "[static]resource1.last-drop" (func $last))
  (alias export $host "[static]resource1.drops" (func $drops))
  (alias export $host "[method]resource1.simple" (func $simple))
  (alias export $host "return-hi" (func $hi))
  (core module $libc
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $r i32)
      global.get $next local.set $r
      global.get $next local.get 3 i32.add global.set $next
      local.get $r))
  (core instance $libc (instantiate $libc))
  (core func $ctor_c (canon lower (func $ctor)))
  (core func $assert_c (canon lower (func $assert)))
  (core func $last_c (canon lower (func $last)))
  (core func $drops_c (canon lower (func $drops)))
  (core func $simple_c (canon lower (func $simple)))
  (core func $hi_c (canon lower (func $hi) (memory $libc "mem") (realloc (func $libc "realloc"))))
  (core func $drop_c (canon resource.drop $r1))
  (core module $m
    (import "libc" "mem" (memory 1))
    (import "" "ctor" (func $ctor (param i32) (result i32)))
    (import "" "assert" (func $assert (param i32 i32)))
    (import "" "last" (func $last (result i32)))
    (import "" "drops" (func $drops (result i32)))
    (import "" "simple" (func $simple (param i32 i32)))
    (import "" "hi" (func $hi (param i32)))
    (import "" "drop" (func $drop (param i32)))
    ;; new(7), simple(borrow, 7), drop: the destructor sees rep 7.
    (func (export "lifecycle") (result i32)
      (local $h i32)
      (local.set $h (call $ctor (i32.const 7)))
      (call $simple (local.get $h) (i32.const 7))
      (call $drop (local.get $h))
      (i32.add (i32.mul (call $drops) (i32.const 100)) (call $last)))
    ;; An own handed to the host: no destructor runs.
    (func (export "give-away") (result i32)
      (call $assert (call $ctor (i32.const 9)) (i32.const 9))
      (call $drops))
    (func (export "wrong-rep")
      (call $simple (call $ctor (i32.const 1)) (i32.const 2)))
    (func (export "drop-twice")
      (local $h i32)
      (local.set $h (call $ctor (i32.const 5)))
      (call $drop (local.get $h))
      (call $drop (local.get $h)))
    ;; "hi" is written at the return pointer 8: (ptr, len) then the bytes.
    (func (export "hi") (result i32)
      (call $hi (i32.const 8))
      (i32.add
        (i32.mul (i32.load (i32.const 12)) (i32.const 0x10000))
        (i32.load16_u (i32.load (i32.const 8))))))
  (core instance $i (instantiate $m
    (with "libc" (instance $libc))
    (with "" (instance
      (export "ctor" (func $ctor_c)) (export "assert" (func $assert_c))
      (export "last" (func $last_c)) (export "drops" (func $drops_c))
      (export "simple" (func $simple_c)) (export "hi" (func $hi_c))
      (export "drop" (func $drop_c))))))
  (func (export "lifecycle") (result u32) (canon lift (core func $i "lifecycle")))
  (func (export "give-away") (result u32) (canon lift (core func $i "give-away")))
  (func (export "wrong-rep") (canon lift (core func $i "wrong-rep")))
  (func (export "drop-twice") (canon lift (core func $i "drop-twice")))
  (func (export "hi") (result u32) (canon lift (core func $i "hi")))
  (export "return-hi" (func $hi)))
(component instance $res1 $Res)
(assert_return (invoke "lifecycle") (u32.const 107))
(assert_return (invoke "give-away") (u32.const 1))
(assert_return (invoke "hi") (u32.const 0x26968))
(assert_return (invoke "return-hi") (str.const "hi"))
(assert_trap (invoke "wrong-rep") "assertion failed")
;; A trap poisons the instance; a fresh one has its own handle table.
(assert_trap (invoke "lifecycle") "cannot enter component instance")
(component instance $res2 $Res)
(assert_trap (invoke "drop-twice") "unknown handle index 1")

;; Linking errors against the host.
(assert_unlinkable
  (component (import "no-such-host-item" (func)))
  "missing import named `no-such-host-item`")
(assert_unlinkable
  (component (import "host" (instance (export "return-three" (instance)))))
  "type mismatch for import `host/return-three`")
(assert_unlinkable
  (component (import "host" (instance (export "missing" (func)))))
  "missing import named `host/missing`")
