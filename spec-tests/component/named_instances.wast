;; Named component instances (docs/wast-script-language.md sections 3.2 and
;; 11): after `(component $foo ...)` or `(component instance $foo $Def)` the
;; instance is importable by later components as `(import "foo" (instance
;; ...))`. Only its exported core modules and resource types are reflected
;; (as wasmtime's wast runner does); a later binding of the name shadows the
;; earlier one. A reflected module is checked against the importer's declared
;; module type by item names and kinds (not by the items' value types).

;; --- Exported core modules --------------------------------------------------

(component $lib
  (core module (export "m")
    (global (export "g") i32 (i32.const 42))
    (func (export "f") (result i32) (i32.const 7)))
  ;; Not exported: not reflected.
  (core module $hidden))

;; Import the module and instantiate it.
(component
  (import "lib" (instance $lib
    (export "m" (core module
      (export "g" (global i32))
      (export "f" (func (result i32)))))))
  (core instance $i (instantiate (module $lib "m")))
  (func (export "f") (result u32) (canon lift (core func $i "f"))))
(assert_return (invoke "f") (u32.const 7))

;; The reflected module is a real module: its global is read through a second
;; core instance of the importer.
(component
  (import "lib" (instance $lib (export "m" (core module (export "g" (global i32))))))
  (core instance $i (instantiate (module $lib "m")))
  (core module $reader
    (import "lib" "g" (global $g i32))
    (func (export "read") (result i32) (global.get $g)))
  (core instance $r (instantiate $reader (with "lib" (instance $i))))
  (func (export "read") (result u32) (canon lift (core func $r "read"))))
(assert_return (invoke "read") (u32.const 42))

;; A module that was not exported is not there.
(assert_unlinkable
  (component (import "lib" (instance (export "hidden" (core module)))))
  "missing import named `lib/hidden`")

;; A module with imports: the importer supplies them.
(component $lib-imports
  (core module (export "m")
    (import "env" "base" (global $base i32))
    (func (export "f") (result i32) (i32.add (global.get $base) (i32.const 1)))))
(component
  (import "lib-imports" (instance $li
    (export "m" (core module
      (import "env" "base" (global i32))
      (export "f" (func (result i32)))))))
  (core module $env (global (export "base") i32 (i32.const 99)))
  (core instance $env (instantiate $env))
  (core instance $i (instantiate (module $li "m") (with "env" (instance $env))))
  (func (export "f") (result u32) (canon lift (core func $i "f"))))
(assert_return (invoke "f") (u32.const 100))

;; --- Module types: checked by item names and kinds -------------------------

(component $mods
  (core module (export "m")
    (import "env" "something" (func))
    (func (export "f"))
    (table (export "t") 1 funcref)
    (memory (export "mem") 1)
    (global (export "g") i32 (i32.const 0))))

;; Declaring extra imports and fewer exports is fine.
(component
  (import "mods" (instance
    (export "m" (core module
      (import "env" "something" (func))
      (import "env" "other" (global i32))
      (export "f" (func)))))))
;; The module's imports must be declared ...
(assert_unlinkable
  (component (import "mods" (instance (export "m" (core module)))))
  "module import `env::something` not defined")
;; ... with the same kind.
(assert_unlinkable
  (component (import "mods" (instance
    (export "m" (core module (import "env" "something" (global i32)))))))
  "expected func found global")
;; Declared exports must exist ...
(assert_unlinkable
  (component (import "mods" (instance
    (export "m" (core module
      (import "env" "something" (func))
      (export "the-export" (func)))))))
  "module export `the-export` not defined")
;; ... with the same kind.
(assert_unlinkable
  (component (import "mods" (instance
    (export "m" (core module
      (import "env" "something" (func))
      (export "f" (global i32)))))))
  "expected global found func")
(assert_unlinkable
  (component (import "mods" (instance
    (export "m" (core module
      (import "env" "something" (func))
      (export "t" (func)))))))
  "expected func found table")
(assert_unlinkable
  (component (import "mods" (instance
    (export "m" (core module
      (import "env" "something" (func))
      (export "mem" (table 1 funcref)))))))
  "expected table found memory")

;; --- Functions are not reflected -------------------------------------------

(component $with-func
  (core module $m (func (export "f") (result i32) (i32.const 1)))
  (core instance $i (instantiate $m))
  (func (export "f") (result u32) (canon lift (core func $i "f")))
  (core module (export "m")))
;; The instance itself still works as the current one.
(assert_return (invoke "f") (u32.const 1))
(assert_unlinkable
  (component (import "with-func" (instance (export "f" (func (result u32))))))
  "missing import named `with-func/f`")
;; Its module is reflected all the same.
(component (import "with-func" (instance (export "m" (core module)))))

;; --- Resource types: identity ----------------------------------------------

(component $a
  (type $r (resource (rep i32)))
  (export "r" (type $r)))

;; $b re-exports a's resource type unchanged.
(component $b
  (import "a" (instance $a (export "r" (type (sub resource)))))
  (alias export $a "r" (type $r))
  (export "r" (type $r)))

;; $c defines a resource type of its own.
(component $c
  (type $r (resource (rep i32)))
  (export "r" (type $r)))

;; The same resource type under two names: accepted.
(component
  (import "a" (instance $a (export "r" (type (sub resource)))))
  (alias export $a "r" (type $r))
  (import "b" (instance (export "r" (type (eq $r))))))

;; Another resource type: rejected.
(assert_unlinkable
  (component
    (import "a" (instance $a (export "r" (type (sub resource)))))
    (alias export $a "r" (type $r))
    (import "c" (instance (export "r" (type (eq $r))))))
  "mismatched resource types")

;; Without an equality constraint any resource type will do, and one
;; instance type imported twice gets two independent resource variables.
(component
  (type $T (instance (export "r" (type (sub resource)))))
  (import "a" (instance (type $T)))
  (import "c" (instance (type $T))))

;; A resource type is not a module (and the reverse).
(assert_unlinkable
  (component (import "a" (instance (export "r" (core module)))))
  "type mismatch for import `a/r`")
(assert_unlinkable
  (component (import "lib" (instance (export "m" (type (sub resource))))))
  "type mismatch for import `lib/m`")

;; --- Re-binding a name shadows the old binding ------------------------------

;; A new $a: a fresh resource type (generativity), while $b still re-exports
;; the old one.
(component $a
  (type $r (resource (rep i32)))
  (export "r" (type $r)))
(assert_unlinkable
  (component
    (import "a" (instance $a (export "r" (type (sub resource)))))
    (alias export $a "r" (type $r))
    (import "b" (instance (export "r" (type (eq $r))))))
  "mismatched resource types")

;; `component instance` binds names too; the new module shadows the old one.
(component definition $Lib2
  (core module (export "m")
    (func (export "f") (result i32) (i32.const 8))))
(component instance $lib $Lib2)
(component
  (import "lib" (instance $lib (export "m" (core module (export "f" (func (result i32)))))))
  (core instance $i (instantiate (module $lib "m")))
  (func (export "f") (result u32) (canon lift (core func $i "f"))))
(assert_return (invoke "f") (u32.const 8))
;; The old binding's module (with its global `g`) is gone with it.
(assert_unlinkable
  (component (import "lib" (instance (export "m" (core module (export "g" (global i32)))))))
  "module export `g` not defined")

;; Re-binding with an instance that exports nothing.
(component $lib)
(assert_unlinkable
  (component (import "lib" (instance (export "m" (core module)))))
  "missing import named `lib/m`")

;; A named instance of a second definition instantiation is another instance:
;; its resource type differs from the first's.
(component definition $Res
  (type $r (resource (rep i32)))
  (export "r" (type $r)))
(component instance $r1 $Res)
(component instance $r2 $Res)
(assert_unlinkable
  (component
    (import "r1" (instance $x (export "r" (type (sub resource)))))
    (alias export $x "r" (type $r))
    (import "r2" (instance (export "r" (type (eq $r))))))
  "mismatched resource types")
;; ... and a re-export of r1's type is r1's type.
(component $r1-again
  (import "r1" (instance $x (export "r" (type (sub resource)))))
  (alias export $x "r" (type $r))
  (export "r" (type $r)))
(component
  (import "r1" (instance $x (export "r" (type (sub resource)))))
  (alias export $x "r" (type $r))
  (import "r1-again" (instance (export "r" (type (eq $r))))))
