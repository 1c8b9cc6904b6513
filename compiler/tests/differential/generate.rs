//! Random well-typed Tally programs for the differential test.
//!
//! A program is a fixed set of helper functions (structural recursion, Int
//! descent, tail calls, higher-order calls) plus a `pub fn main(a: Int, b:
//! Int, xs: List<Int>) -> T` whose body is a random expression of type `T`,
//! built type-directed so that it always checks. Expressions use every form
//! the language has: arithmetic that may overflow or divide by zero,
//! short-circuit operators, `let`, `if`, `match` on lists and options with
//! nested patterns, tuples, structs and struct update, list literals with a
//! tail, and stdlib calls with lambdas that capture locals.

/// The types generated expressions have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Int,
    Bool,
    List,
    Opt,
    Pair,
    Acct,
}

impl Ty {
    /// The type as written in Tally.
    pub fn text(self) -> &'static str {
        match self {
            Ty::Int => "Int",
            Ty::Bool => "Bool",
            Ty::List => "List<Int>",
            Ty::Opt => "Option<Int>",
            Ty::Pair => "(Int, Bool)",
            Ty::Acct => "Acct",
        }
    }

    const ALL: [Ty; 6] = [Ty::Int, Ty::Bool, Ty::List, Ty::Opt, Ty::Pair, Ty::Acct];
}

/// The helper items every generated program has.
pub const PRELUDE: &str = "\
use std::list::{map, filter, fold, length, reverse, append, take, sum, any}
use std::option::unwrap_or

struct Acct { owner: Int, balance: Int }

fn count_down(n: Int, acc: Int) -> Int {
  if n <= 0 { acc } else { count_down(n - 1, acc + n) }
}

fn total(ys: List<Int>) -> Int {
  match ys { [] => 0, [h, ..t] => h + total(t) }
}

fn pairs(ys: List<Int>) -> List<Int> {
  match ys { [a, b, ..t] => [a * b, ..pairs(t)], [a] => [a], [] => [] }
}

fn apply_twice(x: Int, f: fn(Int) -> Int) -> Int { f(f(x)) }

const STEP: Int = 2 * 3 - 5;
const STOP: Bytes = \"stop\";

fn classify(x: Int) -> Int {
  match x { STEP => 10, 0 => 20, _ => x + STEP }
}

fn first_of(ys: List<Int>) -> Option<Int> {
  let [h, .._] = ys else { fail(\"no first element\") };
  Some(h)
}

fn both(o: Option<Int>, p: Option<Int>) -> Option<Int> {
  Some(o? - p?)
}

fn checked(x: Int) -> Result<Int, Int> {
  if x < 0 { Err(x) } else { Ok(x) }
}

fn sum_checked(x: Int, y: Int) -> Result<Int, Int> {
  Ok(checked(x)? + checked(y)?)
}

fn largest(ys: List<Int>, best: Option<Int>) -> Option<Int> {
  match ys {
    [] => best,
    [h, ..t] => match best {
      None => largest(t, Some(h)),
      Some(m) => if h > m { largest(t, Some(h)) } else { largest(t, best) },
    },
  }
}
";

/// A small deterministic random source (xorshift64*).
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    /// An Int argument: usually small, sometimes extreme.
    pub fn int(&mut self) -> i128 {
        match self.below(10) {
            0 => i128::MAX - self.below(3) as i128,
            1 => i128::MIN + self.below(3) as i128,
            2 => (self.next() as i64) as i128,
            _ => self.below(21) as i128 - 10,
        }
    }
}

/// Builds one program; returns its text and the result type of `main`.
pub fn program(rng: &mut Rng) -> (String, Ty) {
    let result = rng.pick(&Ty::ALL);
    let mut g = Gen {
        rng,
        vars: vec![
            ("a".into(), Ty::Int),
            ("b".into(), Ty::Int),
            ("xs".into(), Ty::List),
        ],
        fresh: 0,
    };
    let body = g.expr(result, 4);
    let text = format!(
        "{PRELUDE}\npub fn main(a: Int, b: Int, xs: List<Int>) -> {} {{\n  {body}\n}}\n",
        result.text()
    );
    (text, result)
}

struct Gen<'r> {
    rng: &'r mut Rng,
    vars: Vec<(String, Ty)>,
    fresh: u32,
}

impl Gen<'_> {
    fn name(&mut self) -> String {
        self.fresh += 1;
        format!("v{}", self.fresh)
    }

    fn var(&mut self, ty: Ty) -> Option<String> {
        let candidates: Vec<&String> = self
            .vars
            .iter()
            .filter(|(_, t)| *t == ty)
            .map(|(n, _)| n)
            .collect();
        if candidates.is_empty() {
            None
        } else {
            let i = self.rng.below(candidates.len() as u64) as usize;
            Some(candidates[i].clone())
        }
    }

    /// Generates `body` with extra variables in scope.
    fn with<T>(&mut self, vars: &[(String, Ty)], body: impl FnOnce(&mut Self) -> T) -> T {
        let before = self.vars.len();
        self.vars.extend(vars.iter().cloned());
        let out = body(self);
        self.vars.truncate(before);
        out
    }

    fn expr(&mut self, ty: Ty, depth: u32) -> String {
        if depth == 0 || self.rng.below(5) == 0 {
            return self.leaf(ty);
        }
        let d = depth - 1;
        // Forms that work at every type.
        match self.rng.below(12) {
            0 => {
                let c = self.expr(Ty::Bool, d);
                let (t, e) = (self.expr(ty, d), self.expr(ty, d));
                return format!("if {c} {{ {t} }} else {{ {e} }}");
            }
            1 => {
                let bound = self.rng.pick(&Ty::ALL);
                let value = self.expr(bound, d);
                let n = self.name();
                let body = self.with(&[(n.clone(), bound)], |g| g.expr(ty, d));
                return format!("{{ let {n} = {value}; {body} }}");
            }
            2 => {
                let list = self.expr(Ty::List, d);
                let (h, t) = (self.name(), self.name());
                let empty = self.expr(ty, d);
                let cons = self.with(&[(h.clone(), Ty::Int), (t.clone(), Ty::List)], |g| {
                    g.expr(ty, d)
                });
                return format!("match {list} {{ [] => {empty}, [{h}, ..{t}] => {cons} }}");
            }
            3 => {
                let opt = self.expr(Ty::Opt, d);
                let v = self.name();
                let none = self.expr(ty, d);
                let some = self.with(&[(v.clone(), Ty::Int)], |g| g.expr(ty, d));
                return format!("match {opt} {{ Some({v}) => {some}, None => {none} }}");
            }
            4 if self.rng.below(3) == 0 => {
                let c = self.expr(Ty::Bool, d);
                let e = self.expr(ty, d);
                let reason = self.rng.pick(&["\"stop\"", "#\"00ff\"", "STOP"]);
                return format!("if {c} {{ fail({reason}) }} else {{ {e} }}");
            }
            _ => {}
        }
        match ty {
            Ty::Int => self.int(d),
            Ty::Bool => self.boolean(d),
            Ty::List => self.list(d),
            Ty::Opt => match self.rng.below(6) {
                0 => format!("Some({})", self.expr(Ty::Int, d)),
                1 => format!("largest({}, None)", self.expr(Ty::List, d)),
                2 => format!("std::list::head({})", self.expr(Ty::List, d)),
                3 => format!("first_of({})", self.expr(Ty::List, d)),
                4 => format!("both({}, {})", self.expr(Ty::Opt, d), self.expr(Ty::Opt, d)),
                _ => format!(
                    "std::result::ok(sum_checked({}, {}))",
                    self.expr(Ty::Int, d),
                    self.expr(Ty::Int, d)
                ),
            },
            Ty::Pair => match self.rng.below(2) {
                0 => format!("({}, {})", self.expr(Ty::Int, d), self.expr(Ty::Bool, d)),
                _ => {
                    let p = self.expr(Ty::Pair, d);
                    let (x, y) = (self.name(), self.name());
                    let body = self.with(&[(x.clone(), Ty::Int), (y.clone(), Ty::Bool)], |g| {
                        format!("({}, !{y})", g.expr(Ty::Int, d))
                    });
                    format!("match {p} {{ ({x}, {y}) => {body} }}")
                }
            },
            Ty::Acct => match self.rng.below(2) {
                0 => format!(
                    "Acct {{ balance: {}, owner: {} }}",
                    self.expr(Ty::Int, d),
                    self.expr(Ty::Int, d)
                ),
                _ => format!(
                    "Acct {{ balance: {}, ..{} }}",
                    self.expr(Ty::Int, d),
                    self.expr(Ty::Acct, d)
                ),
            },
        }
    }

    fn leaf(&mut self, ty: Ty) -> String {
        if self.rng.below(3) > 0
            && let Some(v) = self.var(ty)
        {
            return v;
        }
        match ty {
            Ty::Int => match self.rng.below(8) {
                0 => "170141183460469231731687303715884105727".into(),
                1 => "(-170141183460469231731687303715884105727 - 1)".into(),
                2 => "0".into(),
                _ => (self.rng.below(9)).to_string(),
            },
            Ty::Bool => self.rng.pick(&["true", "false"]).into(),
            Ty::List => self.rng.pick(&["[]", "[1, 2, 3]", "[-4]", "xs"]).into(),
            Ty::Opt => self.rng.pick(&["None", "Some(7)"]).into(),
            Ty::Pair => "(1, true)".into(),
            Ty::Acct => "Acct { owner: 1, balance: 10 }".into(),
        }
    }

    fn int(&mut self, d: u32) -> String {
        match self.rng.below(14) {
            0..=4 => {
                let op = self.rng.pick(&["+", "-", "*", "/", "%"]);
                format!("({} {op} {})", self.expr(Ty::Int, d), self.expr(Ty::Int, d))
            }
            5 => format!("-{}", self.leaf(Ty::Int)),
            6 => format!("length({})", self.expr(Ty::List, d)),
            7 => format!("sum({})", self.expr(Ty::List, d)),
            8 => {
                let (acc, x) = (self.name(), self.name());
                let list = self.expr(Ty::List, d);
                let init = self.expr(Ty::Int, d);
                let body = self.with(&[(acc.clone(), Ty::Int), (x.clone(), Ty::Int)], |g| {
                    g.expr(Ty::Int, d)
                });
                format!("fold({list}, {init}, |{acc}, {x}| {body})")
            }
            9 => format!(
                "count_down({} % 50, {})",
                self.expr(Ty::Int, d),
                self.expr(Ty::Int, d)
            ),
            10 if self.rng.below(2) == 0 => format!("classify({})", self.expr(Ty::Int, d)),
            10 => format!("total({})", self.expr(Ty::List, d)),
            11 => {
                let x = self.name();
                let arg = self.expr(Ty::Int, d);
                let body = self.with(&[(x.clone(), Ty::Int)], |g| g.expr(Ty::Int, d));
                format!("apply_twice({arg}, |{x}| {body})")
            }
            12 => format!(
                "unwrap_or({}, {})",
                self.expr(Ty::Opt, d),
                self.expr(Ty::Int, d)
            ),
            _ => {
                let field = self.rng.pick(&["owner", "balance"]);
                format!("{}.{field}", self.expr(Ty::Acct, d))
            }
        }
    }

    fn boolean(&mut self, d: u32) -> String {
        match self.rng.below(7) {
            0 | 1 => {
                let op = self.rng.pick(&["==", "!=", "<", "<=", ">", ">="]);
                format!("({} {op} {})", self.expr(Ty::Int, d), self.expr(Ty::Int, d))
            }
            2 => {
                let op = self.rng.pick(&["&&", "||"]);
                format!(
                    "({} {op} {})",
                    self.expr(Ty::Bool, d),
                    self.expr(Ty::Bool, d)
                )
            }
            3 => format!("!{}", self.leaf(Ty::Bool)),
            4 => {
                let t = self.rng.pick(&[Ty::List, Ty::Opt, Ty::Pair, Ty::Acct]);
                format!("({} == {})", self.expr(t, d), self.expr(t, d))
            }
            5 => {
                let x = self.name();
                let list = self.expr(Ty::List, d);
                let body = self.with(&[(x.clone(), Ty::Int)], |g| g.expr(Ty::Bool, d));
                format!("any({list}, |{x}| {body})")
            }
            _ => format!("std::list::is_empty({})", self.expr(Ty::List, d)),
        }
    }

    fn list(&mut self, d: u32) -> String {
        match self.rng.below(9) {
            0 => format!("[{}, {}]", self.expr(Ty::Int, d), self.expr(Ty::Int, d)),
            1 => format!("[{}, ..{}]", self.expr(Ty::Int, d), self.expr(Ty::List, d)),
            2 => {
                let x = self.name();
                let list = self.expr(Ty::List, d);
                let body = self.with(&[(x.clone(), Ty::Int)], |g| g.expr(Ty::Int, d));
                format!("map({list}, |{x}| {body})")
            }
            3 => {
                let x = self.name();
                let list = self.expr(Ty::List, d);
                let body = self.with(&[(x.clone(), Ty::Int)], |g| g.expr(Ty::Bool, d));
                format!("filter({list}, |{x}| {body})")
            }
            4 => format!("reverse({})", self.expr(Ty::List, d)),
            5 => format!(
                "append({}, {})",
                self.expr(Ty::List, d),
                self.expr(Ty::List, d)
            ),
            6 => format!(
                "take({}, {})",
                self.expr(Ty::List, d),
                self.expr(Ty::Int, d)
            ),
            7 => format!("pairs({})", self.expr(Ty::List, d)),
            _ => format!("({} |> reverse())", self.expr(Ty::List, d)),
        }
    }
}
