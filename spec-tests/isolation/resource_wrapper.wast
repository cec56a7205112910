;; No false alarm with resources (issue 7): the real fs defines a resource
;; type "file" (its destructor lives in the real instance). The virtualizer
;; defines its own "file" type wrapping the real handle; the child only ever
;; holds wrapper handles, and dropping one runs the virtualizer's destructor,
;; which drops the real handle. (spec-tests/lit/isolation/Inputs/own_handle.wast
;; is the leaking version.)
(component $Root
  ;; The real fs: open() -> own<file>; live() counts files not yet destroyed.
  (component $RealFs
    (core module $Files
      (global $live (mut i32) (i32.const 0))
      (global $opened (mut i32) (i32.const 0))
      (func (export "dtor") (param $rep i32)
        (global.set $live (i32.sub (global.get $live) (i32.const 1))))
      (func (export "opened") (result i32)
        (global.set $live (i32.add (global.get $live) (i32.const 1)))
        (global.set $opened (i32.add (global.get $opened) (i32.const 1)))
        (global.get $opened))
      (func (export "live") (result i32) (global.get $live)))
    (core instance $files (instantiate $Files))
    (type $file' (resource (rep i32) (dtor (core func $files "dtor"))))
    (export $file "file" (type $file'))
    (canon resource.new $file' (core func $new))
    (alias core export $files "opened" (core func $opened))
    (core module $Open
      (import "" "new" (func $new (param i32) (result i32)))
      (import "" "opened" (func $opened (result i32)))
      (func (export "open") (result i32) (call $new (call $opened))))
    (core instance $open (instantiate $Open
      (with "" (instance (export "new" (func $new)) (export "opened" (func $opened))))))
    (func (export "open") (result (own $file)) (canon lift (core func $open "open")))
    (func (export "live") (result u32) (canon lift (core func $files "live"))))

  ;; The honest one: its own "file" type; its destructor drops the real handle.
  (component $WrapVirt
    (import "wasi:filesystem/types" (instance $fs
      (export "file" (type $f (sub resource)))
      (export "open" (func (result (own $f))))))
    (alias export $fs "file" (type $real-file))
    (canon resource.drop $real-file (core func $real-drop))
    (core module $Dtor
      (import "real" "drop" (func $drop (param i32)))
      (func (export "dtor") (param $rep i32) (call $drop (local.get $rep))))
    (core instance $dtor (instantiate $Dtor
      (with "real" (instance (export "drop" (func $real-drop))))))
    (type $file' (resource (rep i32) (dtor (core func $dtor "dtor"))))
    (export $file "file" (type $file'))
    (canon resource.new $file' (core func $new))
    (core func $real-open (canon lower (func $fs "open")))
    (core module $Wrap
      (import "" "new" (func $new (param i32) (result i32)))
      (import "" "open" (func $open (result i32)))
      (func (export "open") (result i32) (call $new (call $open))))
    (core instance $wrap (instantiate $Wrap
      (with "" (instance (export "new" (func $new)) (export "open" (func $real-open))))))
    (func (export "open") (result (own $file)) (canon lift (core func $wrap "open"))))

  ;; The child opens a file, keeps the handle, and drops it later.
  (component $Child
    (import "wasi:filesystem/types" (instance $fs
      (export "file" (type $f (sub resource)))
      (export "open" (func (result (own $f))))))
    (alias export $fs "file" (type $file))
    (core func $open (canon lower (func $fs "open")))
    (canon resource.drop $file (core func $drop))
    (core module $Code
      (import "fs" "open" (func $open (result i32)))
      (import "fs" "drop" (func $drop (param i32)))
      (global $kept (mut i32) (i32.const 0))
      (func (export "open-keep") (global.set $kept (call $open)))
      (func (export "drop-kept") (call $drop (global.get $kept))))
    (core instance $code (instantiate $Code
      (with "fs" (instance (export "open" (func $open)) (export "drop" (func $drop))))))
    (func (export "open-keep") (canon lift (core func $code "open-keep")))
    (func (export "drop-kept") (canon lift (core func $code "drop-kept"))))

  (instance $realfs (instantiate $RealFs))
  (instance $wrap (instantiate $WrapVirt (with "wasi:filesystem/types" (instance $realfs))))
  (instance $child (instantiate $Child (with "wasi:filesystem/types" (instance $wrap))))
  (func (export "open-keep") (alias export $child "open-keep"))
  (func (export "drop-kept") (alias export $child "drop-kept"))
  (func (export "live") (alias export $realfs "live")))

(assert_return (invoke "open-keep"))
(assert_return (invoke "live") (u32.const 1))
(@isolation $child (from $realfs) (via $wrap))
(assert_return (invoke "drop-kept"))
(assert_return (invoke "live") (u32.const 0))
(@isolation $child (from $realfs) (via $wrap))

;; Two handles alive at once (the child keeps only the newer one and drops it).
(assert_return (invoke "open-keep"))
(assert_return (invoke "open-keep"))
(assert_return (invoke "live") (u32.const 2))
(@isolation $child (from $realfs) (via $wrap))
(assert_return (invoke "drop-kept"))
(assert_return (invoke "live") (u32.const 1))
