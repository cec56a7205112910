;; The interpreter fuses an `i32.add` or `i32.sub` of a constant into the load
;; or store that takes the sum as its address (engine/interp/lower.cc,
;; take_addr_add). The sum wraps modulo 2^32 before the memarg offset is
;; added, and the offset itself never wraps. These cases pin that down at
;; the edges, for every access width, for stores whose value is a pending
;; constant or local, and where the add must not be fused (a tee, a label in
;; between). They run on every tier and under --differential.
(module
  (memory 1)
  (data (i32.const 0) "\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10")
  (data (i32.const 65528) "\a1\a2\a3\a4\a5\a6\a7\a8")

  ;; base + c wraps past 2^32 back into the memory.
  (func (export "add-wrap") (param i32) (result i32)
    (i32.load (i32.add (local.get 0) (i32.const 8))))
  ;; base - c wraps below 0 to the top of the address space: out of bounds.
  (func (export "sub-wrap") (param i32) (result i32)
    (i32.load (i32.sub (local.get 0) (i32.const 4))))
  ;; The offset is added after the wrap, without wrapping itself.
  (func (export "add-offset") (param i32) (result i32)
    (i32.load offset=4 (i32.add (local.get 0) (i32.const 0x10))))
  (func (export "add-offset-high") (param i32) (result i32)
    (i32.load8_u offset=0xffff (i32.add (local.get 0) (i32.const 1))))
  (func (export "widths") (param i32) (result i64)
    (i64.add
      (i64.add (i64.extend_i32_s (i32.load8_s (i32.add (local.get 0) (i32.const 1))))
               (i64.extend_i32_u (i32.load16_u (i32.sub (local.get 0) (i32.const -2)))))
      (i64.add (i64.load32_u (i32.add (local.get 0) (i32.const 3)))
               (i64.load (i32.add (local.get 0) (i32.const 0))))))
  (func (export "last-byte") (param i32) (result i32)
    (i32.load8_u (i32.add (local.get 0) (i32.const 65535))))
  (func (export "last-word") (param i32) (result i32)
    (i32.load (i32.add (local.get 0) (i32.const 65532))))

  ;; Stores: a constant value is emitted after the add is taken away.
  (func (export "store-const") (param i32) (result i32)
    (i32.store (i32.add (local.get 0) (i32.const 100)) (i32.const 0x11223344))
    (i32.load (i32.const 100)))
  (func (export "store-local") (param i32 i32) (result i64)
    (i64.store16 (i32.sub (local.get 0) (i32.const 1)) (i64.extend_i32_u (local.get 1)))
    (i64.store8 offset=2 (i32.add (local.get 0) (i32.const 1)) (i64.const 0x77))
    (i64.load (i32.const 200)))
  (func (export "store-oob") (param i32)
    (i32.store16 (i32.add (local.get 0) (i32.const 65535)) (i32.const 1)))

  ;; The sum is also kept in a local: the load must see it.
  (func (export "tee") (param i32) (result i32)
    (local i32)
    (i32.add
      (i32.load (local.tee 1 (i32.add (local.get 0) (i32.const 4))))
      (local.get 1)))
  ;; The local the add reads is overwritten after the add: the load must use
  ;; the sum computed before.
  (func (export "reassigned") (param i32) (result i32)
    (local i32)
    (local.set 1 (i32.add (local.get 0) (i32.const 4)))
    (local.set 0 (i32.const 1000))
    (i32.load (local.get 1)))
  ;; A block between the add and the load.
  (func (export "across-block") (param i32) (result i32)
    (i32.add (local.get 0) (i32.const 8))
    (block (param i32) (result i32) (i32.load)))
)

(assert_return (invoke "add-wrap" (i32.const -8)) (i32.const 0x04030201))
(assert_return (invoke "add-wrap" (i32.const -4)) (i32.const 0x08070605))
(assert_trap (invoke "add-wrap" (i32.const 65528)) "out of bounds memory access")
(assert_return (invoke "sub-wrap" (i32.const 4)) (i32.const 0x04030201))
(assert_trap (invoke "sub-wrap" (i32.const 3)) "out of bounds memory access")
(assert_trap (invoke "sub-wrap" (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "add-offset" (i32.const -16)) (i32.const 0x08070605))
(assert_return (invoke "add-offset" (i32.const -12)) (i32.const 0x0c0b0a09))
(assert_trap (invoke "add-offset" (i32.const -20)) "out of bounds memory access")
(assert_return (invoke "add-offset-high" (i32.const -1)) (i32.const 0xa8))
(assert_trap (invoke "add-offset-high" (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "widths" (i32.const 0)) (i64.const 0x080706050b090b0a))
(assert_return (invoke "last-byte" (i32.const 0)) (i32.const 0xa8))
(assert_trap (invoke "last-byte" (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "last-word" (i32.const 0)) (i32.const 0xa8a7a6a5))
(assert_trap (invoke "last-word" (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "store-const" (i32.const 0)) (i32.const 0x11223344))
(assert_return (invoke "store-local" (i32.const 201) (i32.const 0xbeef)) (i64.const 0x770000beef))
(assert_return (invoke "store-oob" (i32.const -1)))
(assert_trap (invoke "store-oob" (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "tee" (i32.const 0)) (i32.const 0x08070609))
(assert_return (invoke "reassigned" (i32.const 0)) (i32.const 0x08070605))
(assert_return (invoke "across-block" (i32.const 0)) (i32.const 0x0c0b0a09))

;; The interpreter also fuses an `i32.mul` into the `i32.add` of its product
;; (i32_mul_add, i32_mul_imm_add): both operand orders, a product that wraps,
;; an immediate factor, and a local read after the product.
(module
  (func (export "mul-add") (param i32 i32 i32) (result i32)
    (i32.add (local.get 0) (i32.mul (local.get 1) (local.get 2))))
  (func (export "mul-add-swapped") (param i32 i32 i32) (result i32)
    (i32.add (i32.mul (local.get 1) (local.get 2)) (local.get 0)))
  (func (export "mul-imm-add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (i32.mul (local.get 1) (i32.const -7))))
  (func (export "mul-add-chain") (param i32 i32) (result i32)
    (i32.add
      (i32.add (i32.mul (local.get 0) (local.get 0)) (i32.mul (local.get 1) (i32.const 3)))
      (i32.mul (local.get 0) (local.get 1))))
  (func (export "mul-add-const") (param i32 i32) (result i32)
    (i32.add (i32.const 5) (i32.mul (local.get 0) (local.get 1))))
)

(assert_return (invoke "mul-add" (i32.const 1) (i32.const 6) (i32.const 7)) (i32.const 43))
(assert_return (invoke "mul-add" (i32.const -1) (i32.const 0x10000) (i32.const 0x10001)) (i32.const 0xffff))
(assert_return (invoke "mul-add-swapped" (i32.const 2) (i32.const -3) (i32.const 5)) (i32.const -13))
(assert_return (invoke "mul-imm-add" (i32.const 100) (i32.const 3)) (i32.const 79))
(assert_return (invoke "mul-imm-add" (i32.const 0) (i32.const 0x40000000)) (i32.const 0x40000000))
(assert_return (invoke "mul-add-chain" (i32.const 4) (i32.const 5)) (i32.const 51))
(assert_return (invoke "mul-add-const" (i32.const 3) (i32.const 4)) (i32.const 17))
;; With the i32.load of the multiplicand fused in too (i32_load_mul_add):
;; a constant added to the address, a plain address, the load as the second
;; factor, an immediate factor, an address computed just before (read from
;; the register), the result stored at once, an unrolled dot product, an
;; address that wraps to 0, and out-of-bounds loads, which trap.
(module
  (memory 1)
  (data (i32.const 0) "\02\00\00\00\03\00\00\00\05\00\00\00\07\00\00\00")
  (data (i32.const 16) "\ff\ff\ff\ff\00\00\01\00")
  (func (export "add-offset") (param i32 i32 i32) (result i32)
    (i32.add (local.get 0)
      (i32.mul (i32.load offset=4 (i32.add (local.get 1) (i32.const 4))) (local.get 2))))
  (func (export "plain") (param i32 i32 i32) (result i32)
    (i32.add (local.get 0) (i32.mul (i32.load (local.get 1)) (local.get 2))))
  (func (export "second") (param i32 i32 i32) (result i32)
    (i32.add (i32.mul (local.get 2) (i32.load offset=4 (local.get 1))) (local.get 0)))
  (func (export "imm") (param i32 i32) (result i32)
    (i32.add (local.get 0) (i32.mul (i32.load offset=8 (local.get 1)) (i32.const -3))))
  (func (export "index") (param i32 i32 i32) (result i32)
    (i32.add (local.get 0)
      (i32.mul (i32.load (i32.shl (local.get 1) (i32.const 2))) (local.get 2))))
  (func (export "store") (param i32 i32 i32)
    (i32.store offset=32 (local.get 0)
      (i32.add (local.get 0) (i32.mul (i32.load (local.get 1)) (local.get 2)))))
  (func (export "dot") (param i32) (result i32)
    (local i32)
    (local.set 1 (i32.mul (i32.load (local.get 0)) (i32.const 1)))
    (local.set 1 (i32.add (local.get 1) (i32.mul (i32.load offset=4 (local.get 0)) (local.get 1))))
    (local.set 1 (i32.add (local.get 1) (i32.mul (i32.load offset=8 (local.get 0)) (local.get 1))))
    (i32.add (local.get 1) (i32.mul (i32.load offset=12 (local.get 0)) (local.get 1))))
  (func (export "load32") (param i32) (result i32) (i32.load offset=32 (local.get 0)))
  ;; Sums left on the stack: each multiply-add after the first takes the
  ;; running sum from the register.
  (func (export "chain") (param i32 i32) (result i32)
    (i32.add
      (i32.add
        (i32.add (i32.mul (i32.load (local.get 0)) (local.get 1))
                 (i32.mul (i32.load offset=4 (local.get 0)) (local.get 1)))
        (i32.mul (i32.load offset=8 (local.get 0)) (local.get 1)))
      (i32.mul (i32.load offset=12 (local.get 0)) (i32.const 1000))))
  (func (export "chain-store") (param i32 i32)
    (i32.store offset=40 (local.get 0)
      (i32.add
        (i32.add (i32.mul (i32.load (local.get 0)) (local.get 1))
                 (i32.mul (i32.load offset=4 (local.get 0)) (i32.const -1)))
        (i32.mul (i32.load offset=8 (local.get 0)) (local.get 1)))))
  (func (export "load40") (param i32) (result i32) (i32.load offset=40 (local.get 0)))
  (func (export "pair") (param i32 i32) (result i32)
    (i32.add (i32.mul (i32.load (local.get 0)) (local.get 1))
             (i32.mul (i32.load offset=4 (local.get 0)) (local.get 1))))
)

(assert_return (invoke "add-offset" (i32.const 1) (i32.const 0) (i32.const 10)) (i32.const 51))
(assert_return (invoke "add-offset" (i32.const 1) (i32.const -4) (i32.const 10)) (i32.const 31))
(assert_return (invoke "add-offset" (i32.const 0) (i32.const 65524) (i32.const 1)) (i32.const 0))
(assert_trap (invoke "add-offset" (i32.const 0) (i32.const 65525) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "plain" (i32.const 100) (i32.const 16) (i32.const 7)) (i32.const 93))
(assert_return (invoke "plain" (i32.const 1) (i32.const 20) (i32.const 0x10000)) (i32.const 1))
(assert_trap (invoke "plain" (i32.const 0) (i32.const 65533) (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "plain" (i32.const 0) (i32.const -1) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "second" (i32.const 4) (i32.const 8) (i32.const 3)) (i32.const 25))
(assert_return (invoke "imm" (i32.const 100) (i32.const 0)) (i32.const 85))
(assert_return (invoke "imm" (i32.const 0) (i32.const 8)) (i32.const 3))
(assert_return (invoke "index" (i32.const 1) (i32.const 3) (i32.const 2)) (i32.const 15))
(assert_trap (invoke "index" (i32.const 1) (i32.const 16384) (i32.const 2)) "out of bounds memory access")
(assert_return (invoke "store" (i32.const 8) (i32.const 4) (i32.const 6)))
(assert_return (invoke "load32" (i32.const 8)) (i32.const 26))
(assert_return (invoke "dot" (i32.const 0)) (i32.const 384))
(assert_return (invoke "dot" (i32.const 4)) (i32.const 0))
(assert_trap (invoke "dot" (i32.const 65528)) "out of bounds memory access")
(assert_return (invoke "chain" (i32.const 0) (i32.const 2)) (i32.const 7020))
(assert_return (invoke "chain" (i32.const 4) (i32.const -1)) (i32.const -1015))
(assert_trap (invoke "chain" (i32.const 65524) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "chain-store" (i32.const 0) (i32.const 3)))
(assert_return (invoke "load40" (i32.const 0)) (i32.const 18))
(assert_return (invoke "chain-store" (i32.const 8) (i32.const 0x10000)))
(assert_return (invoke "load40" (i32.const 8)) (i32.const 262137))
(assert_trap (invoke "chain-store" (i32.const 65528) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "pair" (i32.const 0) (i32.const 10)) (i32.const 50))
(assert_return (invoke "pair" (i32.const 12) (i32.const 3)) (i32.const 18))
(assert_trap (invoke "pair" (i32.const 65532) (i32.const 1)) "out of bounds memory access")

;; A single result computed right before the function returns is written to
;; slot 0 (parameter 0) by the instruction itself: that instruction may read
;; parameter 0 too, the return may be conditional (br_if, br_table) where the
;; code goes on, and with two results nothing is retargeted.
(module
  (func (export "sub-params") (param i32 i32) (result i32)
    (i32.sub (local.get 1) (local.get 0)))
  (func (export "return-op") (param i32) (result i32)
    (if (local.get 0) (then (return (i32.mul (local.get 0) (i32.const 3)))))
    (i32.const 7))
  (func (export "br-out") (param i32) (result i32)
    (block (br 1 (i32.add (local.get 0) (i32.const 1))))
    (i32.const 0))
  (func (export "br-if-out") (param i32) (result i32)
    (i32.add (local.get 0) (i32.const 1))
    (br_if 0 (i32.eq (local.get 0) (i32.const 5)))
    (i32.add (local.get 0))
    (drop)
    (local.get 0))
  (func (export "br-table-out") (param i32) (result i32)
    (block (result i32)
      (i32.add (local.get 0) (i32.const 10))
      (br_table 0 1 (local.get 0)))
    (i32.add (local.get 0)))
  (func (export "two") (param i32 i32) (result i32 i32)
    (local.get 1) (i32.add (local.get 0) (i32.const 1)))
  (func (export "loop-last") (param i32) (result i32)
    (local i32)
    (loop $l
      (local.set 1 (i32.add (local.get 1) (local.get 0)))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br_if $l (local.get 0)))
    (i32.add (local.get 1) (local.get 0)))
)

(assert_return (invoke "sub-params" (i32.const 3) (i32.const 10)) (i32.const 7))
(assert_return (invoke "return-op" (i32.const 5)) (i32.const 15))
(assert_return (invoke "return-op" (i32.const 0)) (i32.const 7))
(assert_return (invoke "br-out" (i32.const 41)) (i32.const 42))
(assert_return (invoke "br-if-out" (i32.const 5)) (i32.const 6))
(assert_return (invoke "br-if-out" (i32.const 4)) (i32.const 4))
(assert_return (invoke "br-table-out" (i32.const 0)) (i32.const 10))
(assert_return (invoke "br-table-out" (i32.const 1)) (i32.const 11))
(assert_return (invoke "br-table-out" (i32.const 2)) (i32.const 12))
(assert_return (invoke "two" (i32.const 1) (i32.const 2)) (i32.const 2) (i32.const 2))
(assert_return (invoke "loop-last" (i32.const 4)) (i32.const 10))

;; local.tee of a value computed just before, while an earlier read of the
;; same local is still pending on the stack: the pending read keeps the old
;; value (it is copied out first), and the producer writes the local.
(module
  (func (export "abs") (param i32) (result i32)
    (i32.xor
      (i32.add (local.get 0) (local.tee 0 (i32.shr_s (local.get 0) (i32.const 31))))
      (local.get 0)))
  (func (export "swap-sub") (param i32 i32) (result i32)
    (local.get 0)
    (local.set 0 (i32.sub (local.get 1) (local.get 0)))
    (i32.mul (local.get 0)))
)

(assert_return (invoke "abs" (i32.const -5)) (i32.const 5))
(assert_return (invoke "abs" (i32.const 7)) (i32.const 7))
(assert_return (invoke "abs" (i32.const 0x80000000)) (i32.const 0x80000000))
(assert_return (invoke "swap-sub" (i32.const 3) (i32.const 10)) (i32.const 21))

;; An i32.load whose value is the condition of the br_if or if right after it
;; becomes one load-and-branch (i32_load_br_nz / i32_load_br_z): a list walk,
;; an if on a loaded flag, a branch carrying a value, and the bounds check.
(module
  (memory 1)
  ;; Three nodes at 0, 8, 16: the next pointer, then a value.
  (data (i32.const 0) "\08\00\00\00\01\00\00\00\10\00\00\00\02\00\00\00\00\00\00\00\03\00\00\00")
  (func (export "walk") (param $p i32) (result i32)
    (local $sum i32)
    (loop $l
      (local.set $sum (i32.add (local.get $sum) (i32.load offset=4 (local.get $p))))
      (br_if $l (local.tee $p (i32.load (local.get $p)))))
    (i32.add (local.get $sum) (local.get $p)))
  (func (export "if-load") (param i32) (result i32)
    (if (result i32) (i32.load (local.get 0)) (then (i32.const 1)) (else (i32.const 0))))
  (func (export "br-load") (param i32) (result i32)
    (block (br_if 0 (i32.load (local.get 0))) (return (i32.const 0)))
    (i32.const 1))
  (func (export "br-value") (param i32) (result i32)
    (block $b (result i32)
      (drop (br_if $b (i32.const 7) (i32.load (local.get 0))))
      (i32.const 9)))
)

(assert_return (invoke "walk" (i32.const 0)) (i32.const 6))
(assert_return (invoke "walk" (i32.const 8)) (i32.const 5))
(assert_return (invoke "if-load" (i32.const 0)) (i32.const 1))
(assert_return (invoke "if-load" (i32.const 16)) (i32.const 0))
(assert_trap (invoke "if-load" (i32.const 65533)) "out of bounds memory access")
(assert_return (invoke "br-load" (i32.const 8)) (i32.const 1))
(assert_return (invoke "br-load" (i32.const 20)) (i32.const 1))
(assert_return (invoke "br-load" (i32.const 24)) (i32.const 0))
(assert_trap (invoke "br-load" (i32.const 65535)) "out of bounds memory access")
(assert_return (invoke "br-value" (i32.const 0)) (i32.const 7))
(assert_return (invoke "br-value" (i32.const 16)) (i32.const 9))

;; A store of a constant takes the constant as an immediate (lower.cc, store;
;; internal_ops.def, store*_imm): every width, the low bytes of a wide
;; constant, with an added constant in the address (wrapping), with the
;; address from the register, and out of bounds at the edge.
(module
  (memory 1)
  (func (export "widths") (param i32) (result i64)
    (i64.store (local.get 0) (i64.const 0x1122334455667788))
    (i32.store8 (local.get 0) (i32.const 0x1ff))
    (i64.store16 offset=2 (local.get 0) (i64.const -2))
    (i64.load (local.get 0)))
  (func (export "store32-of-i64") (param i32) (result i64)
    (i64.store (local.get 0) (i64.const 0))
    (i64.store32 (local.get 0) (i64.const 0x123456789))
    (i64.load (local.get 0)))
  (func (export "add-wrap") (param i32) (result i32)
    (i32.store (i32.add (local.get 0) (i32.const 8)) (i32.const 0x5a5a5a5a))
    (i32.load (i32.const 4)))
  (func (export "addr-in-register") (param i32) (result i32)
    (i32.store16 (i32.shl (local.get 0) (i32.const 1)) (i32.const 0xbeef))
    (i32.load16_u (i32.shl (local.get 0) (i32.const 1))))
  (func (export "edge") (param i32)
    (i32.store offset=4 (local.get 0) (i32.const 1)))
)
(assert_return (invoke "widths" (i32.const 16)) (i64.const 0x11223344fffe77ff))
(assert_return (invoke "store32-of-i64" (i32.const 32)) (i64.const 0x23456789))
(assert_return (invoke "add-wrap" (i32.const -4)) (i32.const 0x5a5a5a5a))
(assert_return (invoke "addr-in-register" (i32.const 100)) (i32.const 0xbeef))
(assert_trap (invoke "addr-in-register" (i32.const 32768)) "out of bounds memory access")
(assert_return (invoke "edge" (i32.const 65528)))
(assert_trap (invoke "edge" (i32.const 65529)) "out of bounds memory access")
(assert_trap (invoke "edge" (i32.const -4)) "out of bounds memory access")

;; i32.div_u by a constant d >= 2 runs as a multiply by its reciprocal
;; (wasm/numerics.h, div_u32_magic); by 1 and by 0 (a trap) it stays a
;; division. The quotient also feeds a multiply through the register.
(module
  (func (export "div3") (param i32) (result i32) (i32.div_u (local.get 0) (i32.const 3)))
  (func (export "div19") (param i32) (result i32) (i32.div_u (local.get 0) (i32.const 19)))
  (func (export "div-top") (param i32) (result i32) (i32.div_u (local.get 0) (i32.const -1)))
  (func (export "div-half") (param i32) (result i32)
    (i32.div_u (local.get 0) (i32.const 0x80000001)))
  (func (export "div1") (param i32) (result i32) (i32.div_u (local.get 0) (i32.const 1)))
  (func (export "div0") (param i32) (result i32) (i32.div_u (local.get 0) (i32.const 0)))
  (func (export "mod23") (param i32) (result i32)
    (i32.sub (local.get 0) (i32.mul (i32.div_u (local.get 0) (i32.const 23)) (i32.const 23))))
)
(assert_return (invoke "div3" (i32.const 0)) (i32.const 0))
(assert_return (invoke "div3" (i32.const 8)) (i32.const 2))
(assert_return (invoke "div3" (i32.const 9)) (i32.const 3))
(assert_return (invoke "div3" (i32.const -1)) (i32.const 1431655765))
(assert_return (invoke "div3" (i32.const -2)) (i32.const 1431655764))
(assert_return (invoke "div19" (i32.const 0x80000000)) (i32.const 113025455))
(assert_return (invoke "div19" (i32.const -1)) (i32.const 226050910))
(assert_return (invoke "div-top" (i32.const -1)) (i32.const 1))
(assert_return (invoke "div-top" (i32.const -2)) (i32.const 0))
(assert_return (invoke "div-half" (i32.const 0x80000001)) (i32.const 1))
(assert_return (invoke "div-half" (i32.const 0x80000000)) (i32.const 0))
(assert_return (invoke "div-half" (i32.const -1)) (i32.const 1))
(assert_return (invoke "div1" (i32.const -7)) (i32.const -7))
(assert_trap (invoke "div0" (i32.const 5)) "integer divide by zero")
(assert_return (invoke "mod23" (i32.const 100)) (i32.const 8))
(assert_return (invoke "mod23" (i32.const -1)) (i32.const 11))

;; Products subtracted from a value (clang writes x % c as x - (x / c) * c)
;; and adds of constants in a row stored to locals (loop induction
;; variables): wrapping, a factor passed through the register or loaded,
;; the operands the other way round, the second add reading what the first
;; wrote, and a loop label between two adds.
(module
  (memory 1)
  (data (i32.const 16) "\07\00\00\00\ff\ff\ff\ff")
  (func (export "mul-sub") (param i32 i32) (result i32)
    (i32.sub (local.get 0) (i32.mul (local.get 1) (i32.const 19))))
  (func (export "mul-sub-min") (param i32 i32) (result i32)
    (i32.sub (local.get 0) (i32.mul (local.get 1) (i32.const 0x80000000))))
  (func (export "mul-sub-reg") (param i32 i32) (result i32)
    (i32.sub (local.get 0)
             (i32.mul (i32.add (local.get 1) (local.get 1)) (i32.const -3))))
  (func (export "mul-sub-load") (param i32 i32) (result i32)
    (i32.sub (local.get 0) (i32.mul (i32.load offset=16 (local.get 1)) (i32.const 5))))
  ;; The product first, the value subtracted from it.
  (func (export "sub-from-product") (param i32 i32) (result i32)
    (i32.sub (i32.mul (local.get 1) (i32.const 7)) (local.get 0)))
  (func (export "pair") (param i32 i32) (result i64)
    (local.set 0 (i32.add (local.get 0) (i32.const 3)))
    (local.set 1 (i32.sub (local.get 1) (i32.const 5)))
    (i64.or (i64.shl (i64.extend_i32_u (local.get 0)) (i64.const 32))
            (i64.extend_i32_u (local.get 1))))
  (func (export "pair-chained") (param i32) (result i32) (local i32)
    (local.set 1 (i32.add (local.get 0) (i32.const 0x7fffffff)))
    (local.set 0 (i32.add (local.get 1) (i32.const 2)))
    (i32.xor (local.get 0) (local.get 1)))
  (func (export "pair-tee") (param i32 i32) (result i32)
    (local.set 0 (i32.add (local.get 0) (i32.const 1)))
    (i32.mul (local.tee 1 (i32.add (local.get 1) (i32.const 1))) (local.get 0)))
  (func (export "pair-loop") (param i32) (result i32) (local i32 i32)
    (loop $l
      (local.set 1 (i32.add (local.get 1) (i32.const 3)))
      (local.set 2 (i32.add (local.get 2) (i32.const -1)))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br_if $l (local.get 0)))
    (i32.add (i32.mul (local.get 1) (i32.const 1000)) (local.get 2)))
  ;; The loop header is a label: the add before it runs once.
  (func (export "pair-label") (param i32) (result i32) (local i32)
    (local.set 1 (i32.add (local.get 1) (i32.const 1)))
    (loop $l
      (local.set 0 (i32.add (local.get 0) (i32.const -1)))
      (br_if $l (i32.gt_s (local.get 0) (i32.const 0))))
    (i32.add (local.get 0) (local.get 1)))
)
(assert_return (invoke "mul-sub" (i32.const 100) (i32.const 5)) (i32.const 5))
(assert_return (invoke "mul-sub" (i32.const 0) (i32.const 1)) (i32.const -19))
(assert_return (invoke "mul-sub" (i32.const 7) (i32.const 0x10000000)) (i32.const -0x2ffffff9))
(assert_return (invoke "mul-sub-min" (i32.const 1) (i32.const 1)) (i32.const 0x80000001))
(assert_return (invoke "mul-sub-min" (i32.const 1) (i32.const 2)) (i32.const 1))
(assert_return (invoke "mul-sub-reg" (i32.const 1) (i32.const 2)) (i32.const 13))
(assert_return (invoke "mul-sub-reg" (i32.const 0) (i32.const -1)) (i32.const -6))
(assert_return (invoke "mul-sub-load" (i32.const 100) (i32.const 0)) (i32.const 65))
(assert_return (invoke "mul-sub-load" (i32.const 100) (i32.const 4)) (i32.const 105))
(assert_trap (invoke "mul-sub-load" (i32.const 100) (i32.const 65521)) "out of bounds memory access")
(assert_return (invoke "sub-from-product" (i32.const 1) (i32.const 3)) (i32.const 20))
(assert_return (invoke "pair" (i32.const 1) (i32.const 2)) (i64.const 0x4fffffffd))
(assert_return (invoke "pair" (i32.const -3) (i32.const 5)) (i64.const 0))
(assert_return (invoke "pair-chained" (i32.const 2)) (i32.const 2))
(assert_return (invoke "pair-chained" (i32.const 0)) (i32.const -2))
(assert_return (invoke "pair-tee" (i32.const 4) (i32.const 6)) (i32.const 35))
(assert_return (invoke "pair-loop" (i32.const 4)) (i32.const 11996))
(assert_return (invoke "pair-label" (i32.const 5)) (i32.const 1))
(assert_return (invoke "pair-label" (i32.const -3)) (i32.const -3))
