;; Negative fixture 5 (issue 7): the real fs defines a resource type "file"
;; whose destructor lives in the real instance. $leaky hands the real `own`
;; handle straight to its children: childA's resource.drop runs the real
;; destructor with no virtualizer in between, and $keeper (which never drops)
;; holds a handle of the real type. $wrap is the honest version for childB: it
;; defines its own "file" type wrapping the real handle, and only its own
;; destructor drops the real one (no alarm expected for childB).
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

  ;; The leak: returns the real handle it got from the real open, as is.
  (component $LeakyVirt
    (import "wasi:filesystem/types" (instance $fs
      (export "file" (type $f (sub resource)))
      (export "open" (func (result (own $f))))))
    (alias export $fs "file" (type $real-file))
    (export $file "file" (type $real-file))
    (core func $real-open (canon lower (func $fs "open")))
    (core module $Count
      (import "real" "open" (func $open (result i32)))
      (global $calls (mut i32) (i32.const 0))
      (func (export "open") (result i32)
        (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
        (call $open)))
    (core instance $count (instantiate $Count
      (with "real" (instance (export "open" (func $real-open))))))
    (func (export "open") (result (own $file)) (canon lift (core func $count "open"))))

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

  ;; A child that only opens and keeps (no resource.drop of its own).
  (component $Keeper
    (import "wasi:filesystem/types" (instance $fs
      (export "file" (type $f (sub resource)))
      (export "open" (func (result (own $f))))))
    (core func $open (canon lower (func $fs "open")))
    (core module $Code
      (import "fs" "open" (func $open (result i32)))
      (global $kept (mut i32) (i32.const 0))
      (func (export "open-keep") (global.set $kept (call $open))))
    (core instance $code (instantiate $Code
      (with "fs" (instance (export "open" (func $open))))))
    (func (export "open-keep") (canon lift (core func $code "open-keep"))))

  (instance $realfs (instantiate $RealFs))
  (instance $leaky (instantiate $LeakyVirt (with "wasi:filesystem/types" (instance $realfs))))
  (instance $wrap (instantiate $WrapVirt (with "wasi:filesystem/types" (instance $realfs))))
  (instance $childA (instantiate $Child (with "wasi:filesystem/types" (instance $leaky))))
  (instance $childB (instantiate $Child (with "wasi:filesystem/types" (instance $wrap))))
  (instance $keeper (instantiate $Keeper (with "wasi:filesystem/types" (instance $leaky))))
  (func (export "a-open-keep") (alias export $childA "open-keep"))
  (func (export "a-drop-kept") (alias export $childA "drop-kept"))
  (func (export "b-open-keep") (alias export $childB "open-keep"))
  (func (export "b-drop-kept") (alias export $childB "drop-kept"))
  (func (export "keeper-open-keep") (alias export $keeper "open-keep"))
  (func (export "live") (alias export $realfs "live")))

;; The honest wrapper: no alarm while childB holds its handle or after the drop.
(assert_return (invoke "b-open-keep"))
(assert_return (invoke "live") (u32.const 1))
(assert_isolated $childB (from $realfs) (via $wrap))
(assert_return (invoke "b-drop-kept"))
(assert_return (invoke "live") (u32.const 0))
(assert_isolated $childB (from $realfs) (via $wrap))

;; The leak: childA holds the real handle, then its drop runs the real destructor.
(assert_return (invoke "a-open-keep"))
(assert_return (invoke "live") (u32.const 1))
(assert_isolated $childA (from $realfs) (via $leaky))
(assert_return (invoke "a-drop-kept"))
(assert_return (invoke "live") (u32.const 0))
(assert_isolated $childA (from $realfs) (via $leaky))

;; The keeper never drops, but it holds a handle of the real type.
(assert_return (invoke "keeper-open-keep"))
(assert_return (invoke "live") (u32.const 1))
(assert_isolated $keeper (from $realfs) (via $leaky))
