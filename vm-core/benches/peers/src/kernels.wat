;; The five benchmark kernels in hand-written WebAssembly text, the same
;; algorithms as the Tally kernels (vm-core/tests/common/mod.rs). Ints are
;; i64 (Tally's are checked i128). Lists are cons cells in linear memory,
;; bump-allocated from `$hp`; pointer 0 is the empty list. Int list cell:
;; head i64 at +0, tail i32 at +8 (16 bytes). Ledger list cell: entry i32 at
;; +0, tail i32 at +4 (8 bytes); entry: owner ptr i32 at +0, owner length
;; i32 at +4, amount i64 at +8 (16 bytes).
(module
  (memory (export "mem") 1024)
  (global $hp (mut i32) (i32.const 16))
  (func (export "get_hp") (result i32) (global.get $hp))
  (func (export "set_hp") (param $at i32) (global.set $hp (local.get $at)))

  ;; A: sum(n, acc), tail recursion as a loop.
  (func (export "sum") (param $n i64) (param $acc i64) (result i64)
    (block $done
      (loop $l
        (br_if $done (i64.le_s (local.get $n) (i64.const 0)))
        (local.set $acc (i64.add (local.get $acc) (local.get $n)))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br $l)))
    (local.get $acc))

  ;; B: naive fib.
  (func $fib (export "fib") (param $n i64) (result i64)
    (if (result i64) (i64.le_s (local.get $n) (i64.const 1))
      (then (local.get $n))
      (else (i64.add (call $fib (i64.sub (local.get $n) (i64.const 1)))
                     (call $fib (i64.sub (local.get $n) (i64.const 2)))))))

  (func $cons (param $h i64) (param $t i32) (result i32)
    (local $c i32)
    (local.set $c (global.get $hp))
    (global.set $hp (i32.add (local.get $c) (i32.const 16)))
    (i64.store (local.get $c) (local.get $h))
    (i32.store offset=8 (local.get $c) (local.get $t))
    (local.get $c))

  ;; C: build [1..n] (tail-recursive build as a loop), then fold it.
  (func $range (param $n i64) (result i32)
    (local $l i32) (local $c i32)
    (block $done
      (loop $b
        (br_if $done (i64.le_s (local.get $n) (i64.const 0)))
        (local.set $c (global.get $hp))
        (global.set $hp (i32.add (local.get $c) (i32.const 16)))
        (i64.store (local.get $c) (local.get $n))
        (i32.store offset=8 (local.get $c) (local.get $l))
        (local.set $l (local.get $c))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br $b)))
    (local.get $l))
  (func $fold (export "fold") (param $l i32) (result i64)
    (local $acc i64)
    (block $done
      (loop $f
        (br_if $done (i32.eqz (local.get $l)))
        (local.set $acc (i64.add (local.get $acc) (i64.load (local.get $l))))
        (local.set $l (i32.load offset=8 (local.get $l)))
        (br $f)))
    (local.get $acc))
  (func (export "range_sum") (param $n i64) (result i64)
    (call $fold (call $range (local.get $n))))

  ;; D: functional insertion sort (both functions recursive, as in Tally).
  (func $insert (param $x i64) (param $xs i32) (result i32)
    (local $h i64)
    (if (i32.eqz (local.get $xs))
      (then (return (call $cons (local.get $x) (i32.const 0)))))
    (local.set $h (i64.load (local.get $xs)))
    (if (i64.le_s (local.get $x) (local.get $h))
      (then (return (call $cons (local.get $x) (local.get $xs)))))
    (call $cons (local.get $h)
      (call $insert (local.get $x) (i32.load offset=8 (local.get $xs)))))
  (func $sort (export "sort") (param $xs i32) (result i32)
    (if (i32.eqz (local.get $xs)) (then (return (i32.const 0))))
    (call $insert (i64.load (local.get $xs))
      (call $sort (i32.load offset=8 (local.get $xs)))))
  ;; [n, n-1, .., 1]
  (func (export "reverse_range") (param $n i64) (result i32)
    (local $l i32) (local $i i64)
    (local.set $i (i64.const 1))
    (block $done
      (loop $b
        (br_if $done (i64.gt_s (local.get $i) (local.get $n)))
        (local.set $l (call $cons (local.get $i) (local.get $l)))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br $b)))
    (local.get $l))

  ;; E: the token ledger of examples/token.tly.
  (func $bytes_eq (param $a i32) (param $al i32) (param $b i32) (param $bl i32) (result i32)
    (local $i i32)
    (if (i32.ne (local.get $al) (local.get $bl)) (then (return (i32.const 0))))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $al)))
        (if (i32.ne (i32.load8_u (i32.add (local.get $a) (local.get $i)))
                    (i32.load8_u (i32.add (local.get $b) (local.get $i))))
          (then (return (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (i32.const 1))
  (func $entry (param $o i32) (param $ol i32) (param $amt i64) (result i32)
    (local $c i32)
    (local.set $c (global.get $hp))
    (global.set $hp (i32.add (local.get $c) (i32.const 16)))
    (i32.store (local.get $c) (local.get $o))
    (i32.store offset=4 (local.get $c) (local.get $ol))
    (i64.store offset=8 (local.get $c) (local.get $amt))
    (local.get $c))
  (func $lcons (param $e i32) (param $t i32) (result i32)
    (local $c i32)
    (local.set $c (global.get $hp))
    (global.set $hp (i32.add (local.get $c) (i32.const 8)))
    (i32.store (local.get $c) (local.get $e))
    (i32.store offset=4 (local.get $c) (local.get $t))
    (local.get $c))
  (func $balance_of (export "balance_of") (param $l i32) (param $o i32) (param $ol i32) (result i64)
    (local $e i32)
    (block $done
      (loop $lp
        (br_if $done (i32.eqz (local.get $l)))
        (local.set $e (i32.load (local.get $l)))
        (if (call $bytes_eq (i32.load (local.get $e)) (i32.load offset=4 (local.get $e))
                            (local.get $o) (local.get $ol))
          (then (return (i64.load offset=8 (local.get $e)))))
        (local.set $l (i32.load offset=4 (local.get $l)))
        (br $lp)))
    (i64.const 0))
  (func $credit (param $l i32) (param $o i32) (param $ol i32) (param $amt i64) (result i32)
    (local $e i32)
    (if (i32.eqz (local.get $l))
      (then (return (call $lcons (call $entry (local.get $o) (local.get $ol) (local.get $amt))
                                 (i32.const 0)))))
    (local.set $e (i32.load (local.get $l)))
    (if (call $bytes_eq (i32.load (local.get $e)) (i32.load offset=4 (local.get $e))
                        (local.get $o) (local.get $ol))
      (then (return (call $lcons
        (call $entry (i32.load (local.get $e)) (i32.load offset=4 (local.get $e))
                     (i64.add (i64.load offset=8 (local.get $e)) (local.get $amt)))
        (i32.load offset=4 (local.get $l))))))
    (call $lcons (local.get $e)
      (call $credit (i32.load offset=4 (local.get $l)) (local.get $o) (local.get $ol) (local.get $amt))))
  ;; Returns the new ledger, or -1 InsufficientFunds, -2 InvalidAmount, -3 SameAccount.
  (func (export "transfer") (param $l i32) (param $f i32) (param $fl i32) (param $t i32) (param $tl i32)
                            (param $amt i64) (result i32)
    (if (i64.le_s (local.get $amt) (i64.const 0)) (then (return (i32.const -2))))
    (if (call $bytes_eq (local.get $f) (local.get $fl) (local.get $t) (local.get $tl))
      (then (return (i32.const -3))))
    (if (i64.lt_s (call $balance_of (local.get $l) (local.get $f) (local.get $fl)) (local.get $amt))
      (then (return (i32.const -1))))
    (call $credit
      (call $credit (local.get $l) (local.get $f) (local.get $fl) (i64.sub (i64.const 0) (local.get $amt)))
      (local.get $t) (local.get $tl) (local.get $amt)))
  ;; A 4-byte big-endian key for `i`.
  (func $key (export "key") (param $i i32) (result i32)
    (local $c i32)
    (local.set $c (global.get $hp))
    (global.set $hp (i32.add (local.get $c) (i32.const 8)))
    (i32.store8 (local.get $c) (i32.shr_u (local.get $i) (i32.const 24)))
    (i32.store8 offset=1 (local.get $c) (i32.shr_u (local.get $i) (i32.const 16)))
    (i32.store8 offset=2 (local.get $c) (i32.shr_u (local.get $i) (i32.const 8)))
    (i32.store8 offset=3 (local.get $c) (local.get $i))
    (local.get $c))
  ;; Entries 0..n-1, owner = key(i), amount 1000.
  (func (export "make_ledger") (param $n i32) (result i32)
    (local $l i32)
    (block $done
      (loop $b
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (local.set $l (call $lcons (call $entry (call $key (local.get $n)) (i32.const 4) (i64.const 1000))
                                   (local.get $l)))
        (br $b)))
    (local.get $l))
)
