;; Name errors in isolation directives fail the directive with a reason, never
;; crash (issue 7). $b is a component with a nested instance $deep.
(assert_isolated $a (from $b) (via $c))
(component $Root
  (component $Leaf)
  (component $Mid (component $L2) (instance $deep (instantiate $L2)))
  (instance $a (instantiate $Leaf))
  (instance $b (instantiate $Mid))
  (instance $c (instantiate $Leaf)))
(assert_isolated $nope (from $b) (via $c))
(assert_isolated $a (from $b/$nope) (via $c))
(assert_isolated $a (from $b/$deep) (via $c))
(assert_isolated $a (from "wasi:filesystem/types") (via $c))
(assert_isolated $a/$x (from $b) (via $c))
(@isolation $a (from $zz) (via $c))
(assert_isolated $a (from $b) (via $c))
