;; Composition of several components through nested definitions, imports,
;; instantiation arguments and re-exports. Calls cross CIs only between
;; siblings (a call between a CI and its ancestor traps, spec
;; call_might_be_recursive), values cross with their own memories:
;;   host -> /top/right."shout-len" -> /top/left."len" -> /middle re-export of /math."len"
;;   host -> /middle."add3" -> /math."add" (twice)
(component
  ;; Sibling 1: numbers and strings.
  (component $Math
    (core module $m
      (memory (export "mem") 1)
      (global $next (mut i32) (i32.const 1024))
      (func (export "realloc") (param i32 i32 i32 i32) (result i32)
        (local $r i32)
        (local.set $r (global.get $next))
        (global.set $next (i32.add (global.get $next) (local.get 3)))
        (local.get $r))
      (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
      ;; utf-8 length in bytes of the string
      (func (export "len") (param i32 i32) (result i32) local.get 1))
    (core instance $i (instantiate $m))
    (func (export "add") (param "a" u32) (param "b" u32) (result u32)
      (canon lift (core func $i "add")))
    (func (export "len") (param "s" string) (result u32)
      (canon lift (core func $i "len") (memory $i "mem") (realloc (func $i "realloc")))))

  ;; Sibling 2: imports Math, uses `add`, re-exports `len` unchanged.
  (component $Middle
    (import "math" (instance $math
      (export "add" (func (param "a" u32) (param "b" u32) (result u32)))
      (export "len" (func (param "s" string) (result u32)))))
    (alias export $math "add" (func $add))
    (alias export $math "len" (func $len))
    (core func $add_c (canon lower (func $add)))
    (core module $m
      (import "" "add" (func $add (param i32 i32) (result i32)))
      (func (export "add3") (param i32 i32 i32) (result i32)
        (call $add (call $add (local.get 0) (local.get 1)) (local.get 2))))
    (core instance $i (instantiate $m (with "" (instance (export "add" (func $add_c))))))
    (func (export "add3") (param "a" u32) (param "b" u32) (param "c" u32) (result u32)
      (canon lift (core func $i "add3")))
    (export "len" (func $len)))

  ;; Sibling 3: two nested components wired to each other, one re-exported.
  (component $Top
    (import "middle" (instance $mid (export "len" (func (param "s" string) (result u32)))))
    (alias export $mid "len" (func $len))
    (component $Left
      (import "len" (func $len (param "s" string) (result u32)))
      (core module $libc
        (memory (export "mem") 1)
        (global $next (mut i32) (i32.const 1024))
        (func (export "realloc") (param i32 i32 i32 i32) (result i32)
          (local $r i32)
          (local.set $r (global.get $next))
          (global.set $next (i32.add (global.get $next) (local.get 3)))
          (local.get $r)))
      (core instance $libc (instantiate $libc))
      (core func $len_c (canon lower (func $len) (memory $libc "mem")))
      (core module $m
        (import "" "len" (func $len (param i32 i32) (result i32)))
        ;; passes its string on twice: the length is doubled
        (func (export "twice") (param i32 i32) (result i32)
          (i32.add (call $len (local.get 0) (local.get 1)) (call $len (local.get 0) (local.get 1)))))
      (core instance $i (instantiate $m (with "" (instance (export "len" (func $len_c))))))
      (func (export "twice") (param "s" string) (result u32)
        (canon lift (core func $i "twice") (memory $libc "mem") (realloc (func $libc "realloc")))))
    (component $Right
      (import "twice" (func $twice (param "s" string) (result u32)))
      (core module $m
        (memory (export "mem") 1)
        (data (i32.const 16) "component!")
        (global $next (mut i32) (i32.const 1024))
        (func (export "realloc") (param i32 i32 i32 i32) (result i32)
          (local $r i32)
          (local.set $r (global.get $next))
          (global.set $next (i32.add (global.get $next) (local.get 3)))
          (local.get $r)))
      (core instance $libc (instantiate $m))
      (core func $twice_c (canon lower (func $twice) (memory $libc "mem")))
      (core module $user
        (import "" "twice" (func $twice (param i32 i32) (result i32)))
        ;; its own string plus the caller's
        (func (export "shout-len") (param i32 i32) (result i32)
          (i32.add (call $twice (i32.const 16) (i32.const 10))
                   (call $twice (local.get 0) (local.get 1)))))
      (core instance $u (instantiate $user (with "" (instance (export "twice" (func $twice_c))))))
      (func (export "shout-len") (param "s" string) (result u32)
        (canon lift (core func $u "shout-len") (memory $libc "mem")
          (realloc (func $libc "realloc")))))
    (instance $left (instantiate $Left (with "len" (func $len))))
    (instance $right (instantiate $Right (with "twice" (func $left "twice"))))
    (export "shout-len" (func $right "shout-len")))

  (instance $math (instantiate $Math))
  (instance $middle (instantiate $Middle (with "math" (instance $math))))
  (instance $top (instantiate $Top (with "middle" (instance $middle))))
  (export "add3" (func $middle "add3"))
  (export "len" (func $middle "len"))
  (export "shout-len" (func $top "shout-len")))

(assert_return (invoke "add3" (u32.const 1) (u32.const 20) (u32.const 300)) (u32.const 321))
(assert_return (invoke "len" (str.const "h\u{e9}llo")) (u32.const 6))
;; 2 * 10 ("component!") + 2 * 4 ("\u{1f600}" is 4 bytes)
(assert_return (invoke "shout-len" (str.const "\u{1f600}")) (u32.const 28))
(assert_return (invoke "shout-len" (str.const "")) (u32.const 20))

;; A child calling a function lifted by its parent traps (call_might_be_recursive).
(component
  (core module $m (func (export "f") (result i32) i32.const 1))
  (core instance $i (instantiate $m))
  (func $f (result u32) (canon lift (core func $i "f")))
  (component $Child
    (import "f" (func $f (result u32)))
    (core func $f_c (canon lower (func $f)))
    (core module $m (import "" "f" (func $f (result i32)))
      (func (export "g") (result i32) call $f))
    (core instance $i (instantiate $m (with "" (instance (export "f" (func $f_c))))))
    (func (export "g") (result u32) (canon lift (core func $i "g"))))
  (instance $c (instantiate $Child (with "f" (func $f))))
  (export "g" (func $c "g"))
  (export "f" (func $f)))
(assert_return (invoke "f") (u32.const 1))
(assert_trap (invoke "g") "cannot enter component instance")
