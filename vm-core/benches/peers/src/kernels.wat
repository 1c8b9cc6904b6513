;; The benchmark kernels in hand-written WebAssembly text, the same
;; algorithms as the Tally kernels (kernels/*.tly; A-E also as hand-assembled
;; modules in vm-core/tests/common/mod.rs). Ints are
;; i64 (Tally's are checked i128). Lists are cons cells in linear memory,
;; bump-allocated from `$hp`; pointer 0 is the empty list. Int list cell:
;; head i64 at +0, tail i32 at +8 (16 bytes). Ledger list cell: entry i32 at
;; +0, tail i32 at +4 (8 bytes); entry: owner ptr i32 at +0, owner length
;; i32 at +4, amount i64 at +8 (16 bytes).
(module
  ;; Kernel N's signature check, a host function calling ed25519-dalek
  ;; (`wasm.rs`): key, message and signature as (pointer, length) pairs.
  (import "host" "ed25519_verify"
    (func $ed25519_verify (param i32 i32 i32 i32 i32 i32) (result i32)))
  (memory (export "mem") 1024)
  ;; Bytes 16..272 hold the table of kernel J's `byte(x)` (byte i is i).
  (data (i32.const 16) "\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10\11\12\13\14\15\16\17\18\19\1a\1b\1c\1d\1e\1f\20\21\22\23\24\25\26\27\28\29\2a\2b\2c\2d\2e\2f\30\31\32\33\34\35\36\37\38\39\3a\3b\3c\3d\3e\3f\40\41\42\43\44\45\46\47\48\49\4a\4b\4c\4d\4e\4f\50\51\52\53\54\55\56\57\58\59\5a\5b\5c\5d\5e\5f\60\61\62\63\64\65\66\67\68\69\6a\6b\6c\6d\6e\6f\70\71\72\73\74\75\76\77\78\79\7a\7b\7c\7d\7e\7f\80\81\82\83\84\85\86\87\88\89\8a\8b\8c\8d\8e\8f\90\91\92\93\94\95\96\97\98\99\9a\9b\9c\9d\9e\9f\a0\a1\a2\a3\a4\a5\a6\a7\a8\a9\aa\ab\ac\ad\ae\af\b0\b1\b2\b3\b4\b5\b6\b7\b8\b9\ba\bb\bc\bd\be\bf\c0\c1\c2\c3\c4\c5\c6\c7\c8\c9\ca\cb\cc\cd\ce\cf\d0\d1\d2\d3\d4\d5\d6\d7\d8\d9\da\db\dc\dd\de\df\e0\e1\e2\e3\e4\e5\e6\e7\e8\e9\ea\eb\ec\ed\ee\ef\f0\f1\f2\f3\f4\f5\f6\f7\f8\f9\fa\fb\fc\fd\fe\ff")
  (global $hp (mut i32) (i32.const 272))
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

  ;; ---- The contract-shaped kernels F-N (issue 18) ----
  ;; Lists of records use the 8-byte cell of `$lcons` (head pointer at +0,
  ;; tail at +4); lists of Ints the 16-byte cell of `$cons`. Bytes are
  ;; (pointer, length) pairs; a slice is a view, a concat a fresh copy, as in
  ;; the VM's Bytes arena.

  ;; An Int list from the host, one cell at a time (inputs are built outside
  ;; the timed runs).
  (func (export "cons") (param $h i64) (param $t i32) (result i32)
    (call $cons (local.get $h) (local.get $t)))
  (func (export "lcons") (param $e i32) (param $t i32) (result i32)
    (call $lcons (local.get $e) (local.get $t)))
  ;; `len` bytes for the host to fill.
  (func (export "alloc") (param $len i32) (result i32)
    (local $c i32)
    (local.set $c (global.get $hp))
    (global.set $hp (i32.add (local.get $c) (local.get $len)))
    (local.get $c))

  ;; F: filter + map over orders, then the sum. Order record (24 bytes): id
  ;; i64 at +0, price at +8, qty at +16. Filter and map recurse (not tail),
  ;; as std::list's do.
  (func (export "order") (param $id i64) (param $price i64) (param $qty i64) (result i32)
    (local $c i32)
    (local.set $c (global.get $hp))
    (global.set $hp (i32.add (local.get $c) (i32.const 24)))
    (i64.store (local.get $c) (local.get $id))
    (i64.store offset=8 (local.get $c) (local.get $price))
    (i64.store offset=16 (local.get $c) (local.get $qty))
    (local.get $c))
  (func $filter_orders (param $l i32) (param $min i64) (result i32)
    (local $o i32)
    (if (i32.eqz (local.get $l)) (then (return (i32.const 0))))
    (local.set $o (i32.load (local.get $l)))
    (if (i64.gt_s (i64.load offset=16 (local.get $o)) (i64.const 0))
      (then
        (if (i64.ge_s (i64.load offset=8 (local.get $o)) (local.get $min))
          (then (return (call $lcons (local.get $o)
            (call $filter_orders (i32.load offset=4 (local.get $l)) (local.get $min))))))))
    (call $filter_orders (i32.load offset=4 (local.get $l)) (local.get $min)))
  (func $order_values (param $l i32) (result i32)
    (local $o i32)
    (if (i32.eqz (local.get $l)) (then (return (i32.const 0))))
    (local.set $o (i32.load (local.get $l)))
    (call $cons (i64.mul (i64.load offset=8 (local.get $o)) (i64.load offset=16 (local.get $o)))
                (call $order_values (i32.load offset=4 (local.get $l)))))
  (func (export "filled_value") (param $l i32) (param $min i64) (result i64)
    (call $fold (call $order_values (call $filter_orders (local.get $l) (local.get $min)))))

  ;; G: an unbalanced persistent binary search tree. Node (24 bytes): left
  ;; i32 at +0, key i64 at +8, right i32 at +16; 0 is the leaf.
  (func $tnode (param $l i32) (param $k i64) (param $r i32) (result i32)
    (local $c i32)
    (local.set $c (global.get $hp))
    (global.set $hp (i32.add (local.get $c) (i32.const 24)))
    (i32.store (local.get $c) (local.get $l))
    (i64.store offset=8 (local.get $c) (local.get $k))
    (i32.store offset=16 (local.get $c) (local.get $r))
    (local.get $c))
  (func $bst_insert (param $t i32) (param $k i64) (result i32)
    (local $x i64)
    (if (i32.eqz (local.get $t))
      (then (return (call $tnode (i32.const 0) (local.get $k) (i32.const 0)))))
    (local.set $x (i64.load offset=8 (local.get $t)))
    (if (i64.lt_s (local.get $k) (local.get $x))
      (then (return (call $tnode
        (call $bst_insert (i32.load (local.get $t)) (local.get $k))
        (local.get $x)
        (i32.load offset=16 (local.get $t))))))
    (if (i64.gt_s (local.get $k) (local.get $x))
      (then (return (call $tnode
        (i32.load (local.get $t))
        (local.get $x)
        (call $bst_insert (i32.load offset=16 (local.get $t)) (local.get $k))))))
    (local.get $t))
  (func $bst_member (param $t i32) (param $k i64) (result i32)
    (local $x i64)
    (block $no
      (loop $l
        (br_if $no (i32.eqz (local.get $t)))
        (local.set $x (i64.load offset=8 (local.get $t)))
        (if (i64.lt_s (local.get $k) (local.get $x))
          (then (local.set $t (i32.load (local.get $t))) (br $l)))
        (if (i64.gt_s (local.get $k) (local.get $x))
          (then (local.set $t (i32.load offset=16 (local.get $t))) (br $l)))
        (return (i32.const 1))))
    (i32.const 0))
  ;; The tree of `keys` inserted in order (the input, built untimed).
  (func (export "bst_build") (param $keys i32) (result i32)
    (local $t i32)
    (block $built
      (loop $b
        (br_if $built (i32.eqz (local.get $keys)))
        (local.set $t (call $bst_insert (local.get $t) (i64.load (local.get $keys))))
        (local.set $keys (i32.load offset=8 (local.get $keys)))
        (br $b)))
    (local.get $t))
  ;; For each key of `ops`: insert it into `t`, look up its successor in the
  ;; new tree; the number found.
  (func (export "successors") (param $t i32) (param $ops i32) (result i64)
    (local $hits i64) (local $k i64)
    (block $done
      (loop $r
        (br_if $done (i32.eqz (local.get $ops)))
        (local.set $k (i64.load (local.get $ops)))
        (if (call $bst_member (call $bst_insert (local.get $t) (local.get $k))
                              (i64.add (local.get $k) (i64.const 1)))
          (then (local.set $hits (i64.add (local.get $hits) (i64.const 1)))))
        (local.set $ops (i32.load offset=8 (local.get $ops)))
        (br $r)))
    (local.get $hits))

  ;; H: merge two sorted Int lists (recursive, not tail), then fold.
  (func $merge (export "merge_list") (param $xs i32) (param $ys i32) (result i32)
    (local $x i64) (local $y i64)
    (if (i32.eqz (local.get $xs)) (then (return (local.get $ys))))
    (if (i32.eqz (local.get $ys)) (then (return (local.get $xs))))
    (local.set $x (i64.load (local.get $xs)))
    (local.set $y (i64.load (local.get $ys)))
    (if (i64.le_s (local.get $x) (local.get $y))
      (then (return (call $cons (local.get $x)
        (call $merge (i32.load offset=8 (local.get $xs)) (local.get $ys))))))
    (call $cons (local.get $y) (call $merge (local.get $xs) (i32.load offset=8 (local.get $ys)))))
  (func (export "merge_sum") (param $xs i32) (param $ys i32) (result i64)
    (call $fold (call $merge (local.get $xs) (local.get $ys))))

  ;; I: one pass with a (count, total, max) accumulator, in locals.
  (func (export "stats") (param $l i32) (result i64 i64 i64)
    (local $count i64) (local $total i64) (local $max i64) (local $x i64)
    (block $done
      (loop $f
        (br_if $done (i32.eqz (local.get $l)))
        (local.set $x (i64.load (local.get $l)))
        (local.set $count (i64.add (local.get $count) (i64.const 1)))
        (local.set $total (i64.add (local.get $total) (local.get $x)))
        (if (i64.gt_s (local.get $x) (local.get $max)) (then (local.set $max (local.get $x))))
        (local.set $l (i32.load offset=8 (local.get $l)))
        (br $f)))
    (local.get $count) (local.get $total) (local.get $max))

  ;; J: the rolling Bytes window. `concat` copies both operands into fresh
  ;; memory; `byte(n)` and `slice` are views (of the table at 16, of the copy).
  (func $bconcat (param $a i32) (param $al i32) (param $b i32) (param $bl i32) (result i32)
    (local $c i32)
    (local.set $c (global.get $hp))
    (global.set $hp (i32.add (local.get $c) (i32.add (local.get $al) (local.get $bl))))
    (memory.copy (local.get $c) (local.get $a) (local.get $al))
    (memory.copy (i32.add (local.get $c) (local.get $al)) (local.get $b) (local.get $bl))
    (local.get $c))
  (func (export "window") (param $n i64) (param $w i32) (param $wl i32) (result i32 i32)
    (local $c i32) (local $cl i32)
    (block $done
      (loop $l
        (br_if $done (i64.le_s (local.get $n) (i64.const 0)))
        ;; concat(w, byte(n))
        (local.set $c (call $bconcat (local.get $w) (local.get $wl)
          (i32.add (i32.const 16) (i32.wrap_i64 (i64.rem_s (local.get $n) (i64.const 256))))
          (i32.const 1)))
        (local.set $cl (i32.add (local.get $wl) (i32.const 1)))
        ;; slice(.., 1, 32), clamped to the concatenation (which is never empty)
        (local.set $w (i32.add (local.get $c) (i32.const 1)))
        (local.set $cl (i32.sub (local.get $cl) (i32.const 1)))
        (local.set $wl (select (i32.const 32) (local.get $cl) (i32.gt_u (local.get $cl) (i32.const 32))))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br $l)))
    (local.get $w) (local.get $wl))

  ;; K: kernel A with `acc + 2 * n`.
  (func (export "sum_double") (param $n i64) (param $acc i64) (result i64)
    (block $done
      (loop $l
        (br_if $done (i64.le_s (local.get $n) (i64.const 0)))
        (local.set $acc (i64.add (local.get $acc) (i64.mul (i64.const 2) (local.get $n))))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br $l)))
    (local.get $acc))

  ;; L: kernel C with `acc + x * x`.
  (func $fold_squares (param $l i32) (result i64)
    (local $acc i64) (local $x i64)
    (block $done
      (loop $f
        (br_if $done (i32.eqz (local.get $l)))
        (local.set $x (i64.load (local.get $l)))
        (local.set $acc (i64.add (local.get $acc) (i64.mul (local.get $x) (local.get $x))))
        (local.set $l (i32.load offset=8 (local.get $l)))
        (br $f)))
    (local.get $acc))
  (func (export "range_squares") (param $n i64) (result i64)
    (call $fold_squares (call $range (local.get $n))))

  ;; M: a token ledger on a persistent AVL tree with Bytes keys, the same
  ;; tree as vm-core's map (mapops.rs: path copying, the same rotations).
  ;; Node (32 bytes): key pointer i32 at +0, key length at +4, value i64 at
  ;; +8, left i32 at +16, right at +20, height i32 at +24; 0 is the empty map.
  (func $bcmp (param $a i32) (param $al i32) (param $b i32) (param $bl i32) (result i32)
    (local $i i32) (local $n i32) (local $x i32) (local $y i32)
    (local.set $n (select (local.get $al) (local.get $bl) (i32.lt_u (local.get $al) (local.get $bl))))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $x (i32.load8_u (i32.add (local.get $a) (local.get $i))))
        (local.set $y (i32.load8_u (i32.add (local.get $b) (local.get $i))))
        (if (i32.ne (local.get $x) (local.get $y))
          (then (return (select (i32.const -1) (i32.const 1) (i32.lt_u (local.get $x) (local.get $y))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (i32.sub (i32.gt_u (local.get $al) (local.get $bl)) (i32.lt_u (local.get $al) (local.get $bl))))
  (func $height (param $t i32) (result i32)
    (if (result i32) (i32.eqz (local.get $t))
      (then (i32.const 0))
      (else (i32.load offset=24 (local.get $t)))))
  (func $mnode (param $k i32) (param $kl i32) (param $v i64) (param $l i32) (param $r i32) (result i32)
    (local $c i32) (local $hl i32) (local $hr i32)
    (local.set $c (global.get $hp))
    (global.set $hp (i32.add (local.get $c) (i32.const 32)))
    (i32.store (local.get $c) (local.get $k))
    (i32.store offset=4 (local.get $c) (local.get $kl))
    (i64.store offset=8 (local.get $c) (local.get $v))
    (i32.store offset=16 (local.get $c) (local.get $l))
    (i32.store offset=20 (local.get $c) (local.get $r))
    (local.set $hl (call $height (local.get $l)))
    (local.set $hr (call $height (local.get $r)))
    (i32.store offset=24 (local.get $c)
      (i32.add (i32.const 1)
        (select (local.get $hl) (local.get $hr) (i32.gt_s (local.get $hl) (local.get $hr)))))
    (local.get $c))
  ;; A node over subtrees whose heights differ by at most 2, rotated to differ
  ;; by at most 1.
  (func $mbalance (param $k i32) (param $kl i32) (param $v i64) (param $l i32) (param $r i32) (result i32)
    (local $hl i32) (local $hr i32) (local $ll i32) (local $lr i32) (local $rl i32) (local $rr i32)
    (local.set $hl (call $height (local.get $l)))
    (local.set $hr (call $height (local.get $r)))
    (if (i32.gt_s (local.get $hl) (i32.add (local.get $hr) (i32.const 1)))
      (then
        (local.set $ll (i32.load offset=16 (local.get $l)))
        (local.set $lr (i32.load offset=20 (local.get $l)))
        (if (i32.ge_s (call $height (local.get $ll)) (call $height (local.get $lr)))
          (then (return (call $mnode
            (i32.load (local.get $l)) (i32.load offset=4 (local.get $l)) (i64.load offset=8 (local.get $l))
            (local.get $ll)
            (call $mnode (local.get $k) (local.get $kl) (local.get $v) (local.get $lr) (local.get $r))))))
        (return (call $mnode
          (i32.load (local.get $lr)) (i32.load offset=4 (local.get $lr)) (i64.load offset=8 (local.get $lr))
          (call $mnode (i32.load (local.get $l)) (i32.load offset=4 (local.get $l)) (i64.load offset=8 (local.get $l))
                       (local.get $ll) (i32.load offset=16 (local.get $lr)))
          (call $mnode (local.get $k) (local.get $kl) (local.get $v)
                       (i32.load offset=20 (local.get $lr)) (local.get $r))))))
    (if (i32.gt_s (local.get $hr) (i32.add (local.get $hl) (i32.const 1)))
      (then
        (local.set $rl (i32.load offset=16 (local.get $r)))
        (local.set $rr (i32.load offset=20 (local.get $r)))
        (if (i32.ge_s (call $height (local.get $rr)) (call $height (local.get $rl)))
          (then (return (call $mnode
            (i32.load (local.get $r)) (i32.load offset=4 (local.get $r)) (i64.load offset=8 (local.get $r))
            (call $mnode (local.get $k) (local.get $kl) (local.get $v) (local.get $l) (local.get $rl))
            (local.get $rr)))))
        (return (call $mnode
          (i32.load (local.get $rl)) (i32.load offset=4 (local.get $rl)) (i64.load offset=8 (local.get $rl))
          (call $mnode (local.get $k) (local.get $kl) (local.get $v)
                       (local.get $l) (i32.load offset=16 (local.get $rl)))
          (call $mnode (i32.load (local.get $r)) (i32.load offset=4 (local.get $r)) (i64.load offset=8 (local.get $r))
                       (i32.load offset=20 (local.get $rl)) (local.get $rr))))))
    (call $mnode (local.get $k) (local.get $kl) (local.get $v) (local.get $l) (local.get $r)))
  ;; `t` with key `k` mapped to `v` (recursive: the tree is shallow).
  (func $minsert (param $t i32) (param $k i32) (param $kl i32) (param $v i64) (result i32)
    (local $c i32)
    (if (i32.eqz (local.get $t))
      (then (return (call $mnode (local.get $k) (local.get $kl) (local.get $v) (i32.const 0) (i32.const 0)))))
    (local.set $c (call $bcmp (local.get $k) (local.get $kl)
                              (i32.load (local.get $t)) (i32.load offset=4 (local.get $t))))
    (if (i32.lt_s (local.get $c) (i32.const 0))
      (then (return (call $mbalance
        (i32.load (local.get $t)) (i32.load offset=4 (local.get $t)) (i64.load offset=8 (local.get $t))
        (call $minsert (i32.load offset=16 (local.get $t)) (local.get $k) (local.get $kl) (local.get $v))
        (i32.load offset=20 (local.get $t))))))
    (if (i32.gt_s (local.get $c) (i32.const 0))
      (then (return (call $mbalance
        (i32.load (local.get $t)) (i32.load offset=4 (local.get $t)) (i64.load offset=8 (local.get $t))
        (i32.load offset=16 (local.get $t))
        (call $minsert (i32.load offset=20 (local.get $t)) (local.get $k) (local.get $kl) (local.get $v))))))
    (call $mnode (local.get $k) (local.get $kl) (local.get $v)
                 (i32.load offset=16 (local.get $t)) (i32.load offset=20 (local.get $t))))
  ;; The node holding `k`, or 0.
  (func $mfind (param $t i32) (param $k i32) (param $kl i32) (result i32)
    (local $c i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $t)))
        (local.set $c (call $bcmp (local.get $k) (local.get $kl)
                                  (i32.load (local.get $t)) (i32.load offset=4 (local.get $t))))
        (br_if $done (i32.eqz (local.get $c)))
        (local.set $t (select (i32.load offset=16 (local.get $t)) (i32.load offset=20 (local.get $t))
                              (i32.lt_s (local.get $c) (i32.const 0))))
        (br $l)))
    (local.get $t))
  ;; Accounts key(0..n-1), 1000 each, inserted in order.
  (func (export "make_map_ledger") (param $n i32) (result i32)
    (local $m i32) (local $i i32)
    (block $done
      (loop $b
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $m (call $minsert (local.get $m) (call $key (local.get $i)) (i32.const 4) (i64.const 1000)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $b)))
    (local.get $m))
  ;; kernels/map_token.tly's `transfer_balance`: get, insert, get, insert,
  ;; then get the receiver's balance; -1 for None.
  (func (export "map_transfer_balance") (param $m i32) (param $f i32) (param $fl i32)
                                        (param $t i32) (param $tl i32) (param $amt i64) (result i64)
    (local $n i32) (local $have i64) (local $d i32)
    (local.set $n (call $mfind (local.get $m) (local.get $f) (local.get $fl)))
    (if (i32.eqz (local.get $n)) (then (return (i64.const -1))))
    (local.set $have (i64.load offset=8 (local.get $n)))
    (if (i64.lt_s (local.get $have) (local.get $amt)) (then (return (i64.const -1))))
    (if (i64.lt_s (local.get $amt) (i64.const 0)) (then (return (i64.const -1))))
    (local.set $d (call $minsert (local.get $m) (local.get $f) (local.get $fl)
                                 (i64.sub (local.get $have) (local.get $amt))))
    (local.set $n (call $mfind (local.get $d) (local.get $t) (local.get $tl)))
    (local.set $d (call $minsert (local.get $d) (local.get $t) (local.get $tl)
      (if (result i64) (i32.eqz (local.get $n))
        (then (local.get $amt))
        (else (i64.add (i64.load offset=8 (local.get $n)) (local.get $amt))))))
    (i64.load offset=8 (call $mfind (local.get $d) (local.get $t) (local.get $tl))))

  ;; N: the signature check, on the host.
  (func (export "authorised") (param $k i32) (param $kl i32) (param $m i32) (param $ml i32)
                              (param $s i32) (param $sl i32) (result i32)
    (call $ed25519_verify (local.get $k) (local.get $kl) (local.get $m) (local.get $ml)
                          (local.get $s) (local.get $sl)))
)
