;; lit.local.cfg's probe: passes only when `tandem wast` implements the
;; isolation audit (the directive and --isolation=full).
(component $Root
  (component $Leaf)
  (instance $a (instantiate $Leaf))
  (instance $b (instantiate $Leaf))
  (instance $c (instantiate $Leaf)))
(assert_isolated $a (from $b) (via $c))
