//! Prints a module's tree with its comments (see the module doc of `format`).

use super::WIDTH;
use super::comments::Comment;
use crate::span::Span;
use crate::syntax::ast::{
    Arm, ExprId, ExprKind, FieldInit, Item, LetStmt, Module, PatId, PatKind, TypeExprKind, TypeId,
};
use crate::syntax::token::Token;

const INDENT: &str = "  ";

/// Prints `module` (parsed from `text`) with `comments` put back.
pub fn print(module: &Module, text: &str, comments: &[Comment]) -> String {
    let mut printer = Printer {
        module,
        text,
        comments,
        next_comment: 0,
        out: String::new(),
        depth: 0,
    };
    printer.module();
    printer.out
}

struct Printer<'a> {
    module: &'a Module,
    text: &'a str,
    comments: &'a [Comment],
    next_comment: usize,
    out: String,
    depth: usize,
}

impl Printer<'_> {
    // ------------------------------------------------------------ lines and comments

    fn column(&self) -> usize {
        let line_start = self.out.rfind('\n').map_or(0, |i| i + 1);
        self.out[line_start..].chars().count()
    }

    fn at_line_start(&self) -> bool {
        self.out.is_empty() || self.out.ends_with('\n')
    }

    /// Starts a new line at the current depth (unless already at the start of one).
    fn begin_line(&mut self) {
        if !self.at_line_start() {
            self.out.push('\n');
        }
        for _ in 0..self.depth {
            self.out.push_str(INDENT);
        }
    }

    fn blank_line(&mut self) {
        if !self.at_line_start() {
            self.out.push('\n');
        }
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    /// Whether the source has a blank line between two offsets.
    fn blank_between(&self, from: u32, to: u32) -> bool {
        let gap = self.text.get(from as usize..to as usize).unwrap_or("");
        let segments: Vec<&str> = gap.split('\n').collect();
        segments.len() > 2
            && segments[1..segments.len() - 1]
                .iter()
                .any(|s| s.trim().is_empty())
    }

    /// Whether the source has a blank line between the last code before
    /// `to` and `to`, looking no further back than `from`. After a comment
    /// that lay inside an element, the text up to `to` holds the rest of
    /// that element, and a blank line inside it is not one before `to`.
    fn blank_before(&self, from: u32, to: u32) -> bool {
        let gap = self.text.get(from as usize..to as usize).unwrap_or("");
        let code_end = gap.rfind(|c: char| !c.is_whitespace()).map_or(0, |i| i + 1);
        self.blank_between(from + code_end as u32, to)
    }

    /// Whether the source has a blank line between two elements (`from`
    /// ends one, `to` starts the next) before the first comment between
    /// them; blank lines around comments are [`Printer::comments_before`]'s.
    fn blank_gap(&self, from: u32, to: u32) -> bool {
        let to = match self.comments.get(self.next_comment) {
            Some(c) if c.span.start >= from && c.span.start < to => c.span.start,
            _ => to,
        };
        self.blank_between(from, to)
    }

    /// Prints the comments before `offset` inside a construct printed on
    /// one line (`- // why` then the operand), going on on the next line,
    /// indented, so they stay inside it when formatted again.
    fn comments_inside(&mut self, offset: u32) {
        if self
            .comments
            .get(self.next_comment)
            .is_some_and(|c| c.span.start < offset)
        {
            self.depth += 1;
            self.comments_before(offset);
            self.begin_line();
            self.depth -= 1;
        }
    }

    fn has_comment_within(&self, span: Span) -> bool {
        self.comments[self.next_comment..]
            .iter()
            .any(|c| c.span.start >= span.start && c.span.start < span.end)
    }

    /// Prints every comment that starts before `offset`, each on its own line.
    fn comments_before(&mut self, offset: u32) {
        self.comments_up_to(offset, offset);
    }

    /// [`Printer::comments_before`] `offset`, keeping a blank line after the
    /// last of them only if it lies before `blank_until` (the operator of a
    /// binary expression, printed after the comments).
    fn comments_up_to(&mut self, offset: u32, blank_until: u32) {
        // A blank line after the comment printed last (say, at the end of
        // the line before) is kept as well as one between these comments.
        let mut previous: Option<u32> = self
            .next_comment
            .checked_sub(1)
            .and_then(|i| self.comments.get(i))
            .filter(|c| self.out.ends_with(&format!("{}\n", c.text)))
            .map(|c| c.span.end);
        let first = self.next_comment;
        while let Some(comment) = self.comments.get(self.next_comment) {
            if comment.span.start >= offset {
                break;
            }
            if let Some(end) = previous
                && self.blank_before(end, comment.span.start)
            {
                self.blank_line();
            }
            previous = Some(comment.span.end);
            if comment.own_line {
                self.begin_line();
            } else if !self.at_line_start() {
                self.out.push(' ');
            } else {
                self.begin_line();
            }
            self.out.push_str(&comment.text);
            self.out.push('\n');
            self.next_comment += 1;
        }
        if let Some(end) = previous
            && self.next_comment > first
            && blank_until != u32::MAX
            && end < blank_until
            && self.blank_before(end, blank_until)
        {
            self.blank_line();
        }
    }

    /// Prints a comment that ends the source line on which `end` lies.
    fn trailing_comment(&mut self, end: u32) {
        let Some(comment) = self.comments.get(self.next_comment) else {
            return;
        };
        let between = self
            .text
            .get(end as usize..comment.span.start as usize)
            .unwrap_or("\n");
        if !comment.own_line && !between.contains('\n') {
            self.out.push(' ');
            self.out.push_str(&comment.text);
            self.out.push('\n');
            self.next_comment += 1;
        }
    }

    fn source(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// The tokens written in `span`, without the comments between them.
    fn tokens(&self, span: Span) -> Vec<Token> {
        crate::syntax::lex_spans(self.source(span))
            .into_iter()
            .map(|(token, _)| token)
            .collect()
    }

    /// The text of the tokens in `span`, joined without the white space
    /// and comments between them (`- // why\n 5` is `-5`).
    fn code(&self, span: Span) -> String {
        let text = self.source(span);
        crate::syntax::lex_spans(text)
            .into_iter()
            .map(|(_, s)| text.get(s.range()).unwrap_or(""))
            .collect()
    }

    /// Whether the last token in `span` is `)`.
    fn ends_with_paren(&self, span: Span) -> bool {
        self.tokens(span).last() == Some(&Token::RParen)
    }

    // ------------------------------------------------------------ items

    fn module(&mut self) {
        let mut previous: Option<&Item> = None;
        for item in &self.module.items {
            // Items are separated by a blank line, except a run of `use`s, and
            // tests written without one between them.
            let adjacent = match (previous, item) {
                (Some(Item::Use(_)), Item::Use(_)) => true,
                // Runs of aliases and of constants, as written.
                (Some(Item::TypeAlias(before)), Item::TypeAlias(after)) => {
                    !self.blank_between(before.span.end, after.span.start)
                }
                (Some(Item::Const(before)), Item::Const(after)) => {
                    !self.blank_between(before.span.end, after.span.start)
                }
                (Some(Item::Test(before)), Item::Test(after)) => {
                    !self.blank_between(before.span.end, after.span.start)
                }
                _ => false,
            };
            if previous.is_some() && !adjacent {
                self.blank_line();
            }
            self.comments_before(item.span().start);
            self.begin_line();
            self.item(item);
            self.trailing_comment(item.span().end);
            previous = Some(item);
        }
        self.comments_before(u32::MAX);
        if !self.at_line_start() {
            self.out.push('\n');
        }
    }

    fn item(&mut self, item: &Item) {
        match item {
            Item::TypeAlias(a) => {
                let head = item_head("type", a.is_pub, &a.name.name, &a.generics);
                self.out.push_str(&format!("{head} = {};", self.ty(a.ty)));
            }
            Item::Const(c) => {
                let visibility = if c.is_pub { "pub " } else { "" };
                self.out.push_str(&format!(
                    "{visibility}const {}: {} = ",
                    c.name.name,
                    self.ty(c.ty)
                ));
                self.expr(c.value);
                self.out.push(';');
            }
            Item::Fn(f) => {
                let mut head = String::new();
                if f.is_pub {
                    head.push_str("pub ");
                }
                head.push_str("fn ");
                head.push_str(&f.name.name);
                head.push_str(&generics(&f.generics));
                let params: Vec<String> = f
                    .params
                    .iter()
                    .map(|p| format!("{}: {}", p.name.name, self.ty(p.ty)))
                    .collect();
                let ret = f
                    .ret
                    .map(|t| format!(" -> {}", self.ty(t)))
                    .unwrap_or_default();
                let flat = format!("{head}({}){ret} {{", params.join(", "));
                if self.column() + flat.len() <= WIDTH {
                    self.out.push_str(&flat[..flat.len() - 1]);
                } else {
                    self.out.push_str(&head);
                    self.out.push('(');
                    self.depth += 1;
                    for param in params {
                        self.begin_line();
                        self.out.push_str(&param);
                        self.out.push(',');
                    }
                    self.depth -= 1;
                    self.begin_line();
                    self.out.push_str(&format!("){ret} "));
                }
                self.block(f.body, true);
            }
            Item::Struct(s) => {
                let head = item_head("struct", s.is_pub, &s.name.name, &s.generics);
                let fields: Vec<(Span, String)> = s
                    .fields
                    .iter()
                    .map(|f| {
                        let ty = self.module.ty(f.ty);
                        (
                            f.name.span.to(ty.span),
                            format!("{}: {}", f.name.name, self.ty(f.ty)),
                        )
                    })
                    .collect();
                self.braced_list(&head, s.span, &fields);
            }
            Item::Enum(e) => {
                let head = item_head("enum", e.is_pub, &e.name.name, &e.generics);
                let variants: Vec<(Span, String)> = e
                    .variants
                    .iter()
                    .map(|v| {
                        let text = if v.fields.is_empty() {
                            v.name.name.clone()
                        } else {
                            let fields: Vec<String> =
                                v.fields.iter().map(|t| self.ty(*t)).collect();
                            format!("{}({})", v.name.name, fields.join(", "))
                        };
                        (v.span, text)
                    })
                    .collect();
                self.braced_list(&head, e.span, &variants);
            }
            Item::Use(u) => {
                let names: Vec<&str> = u.names.iter().map(|n| n.name.as_str()).collect();
                let braced = self.tokens(u.span).contains(&Token::LBrace);
                if braced || names.len() != 1 {
                    self.out.push_str(&format!(
                        "use {}::{{{}}}",
                        u.module.to_text(),
                        names.join(", ")
                    ));
                } else if u.module.to_text().is_empty() {
                    // `use s`: a path of one segment (no module to print).
                    self.out.push_str(&format!("use {}", names.join("")));
                } else {
                    self.out
                        .push_str(&format!("use {}::{}", u.module.to_text(), names.join("")));
                }
            }
            Item::Test(t) => {
                let params: Vec<String> = t
                    .params
                    .iter()
                    .zip(&t.via)
                    .map(|(p, via)| match via {
                        Some(f) => format!("{}: {} via {}", p.name.name, self.ty(p.ty), f.name),
                        None => format!("{}: {}", p.name.name, self.ty(p.ty)),
                    })
                    .collect();
                let flat = format!("test {}({}) ", t.name.name, params.join(", "));
                if params.is_empty() || self.column() + flat.len() < WIDTH {
                    self.out.push_str(&flat);
                } else {
                    self.out.push_str(&format!("test {}(", t.name.name));
                    self.depth += 1;
                    for param in params {
                        self.begin_line();
                        self.out.push_str(&param);
                        self.out.push(',');
                    }
                    self.depth -= 1;
                    self.begin_line();
                    self.out.push_str(") ");
                }
                if let Some(fails) = &t.fails {
                    self.out.push_str("fails ");
                    if let Some((_, span)) = &fails.reason {
                        let reason = self.source(*span).to_string();
                        self.out.push_str(&reason);
                        self.out.push(' ');
                    }
                }
                self.block(t.body, false);
            }
            Item::Error(span) => {
                let text = self.source(*span).to_string();
                self.out.push_str(&text);
            }
        }
    }

    /// `head { a, b }` on one line if it fits, else one element per line.
    fn braced_list(&mut self, head: &str, span: Span, elements: &[(Span, String)]) {
        let flat = format!(
            "{head} {{ {} }}",
            elements
                .iter()
                .map(|(_, t)| t.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        if elements.is_empty() {
            self.out.push_str(&format!("{head} {{}}"));
            return;
        }
        if !self.has_comment_within(span) && self.column() + flat.len() <= WIDTH {
            self.out.push_str(&flat);
            return;
        }
        self.out.push_str(head);
        self.out.push_str(" {");
        self.depth += 1;
        let mut previous_end = None;
        for (span, text) in elements {
            if let Some(end) = previous_end
                && self.blank_gap(end, span.start)
            {
                self.blank_line();
            }
            self.comments_before(span.start);
            self.begin_line();
            self.out.push_str(text);
            self.out.push(',');
            self.trailing_comment(span.end);
            previous_end = Some(span.end);
        }
        self.comments_before(span.end);
        self.depth -= 1;
        self.begin_line();
        self.out.push('}');
    }

    // ------------------------------------------------------------ types and patterns

    fn ty(&self, id: TypeId) -> String {
        let ty = self.module.ty(id);
        match &ty.kind {
            TypeExprKind::Named { name, args } if args.is_empty() => name.name.clone(),
            TypeExprKind::Named { name, args } => {
                let args: Vec<String> = args.iter().map(|t| self.ty(*t)).collect();
                format!("{}<{}>", name.name, args.join(", "))
            }
            TypeExprKind::Unit => "()".into(),
            TypeExprKind::Tuple(items) => {
                let items: Vec<String> = items.iter().map(|t| self.ty(*t)).collect();
                format!("({})", items.join(", "))
            }
            TypeExprKind::Fn { params, ret } => {
                let params: Vec<String> = params.iter().map(|t| self.ty(*t)).collect();
                format!("fn({}) -> {}", params.join(", "), self.ty(*ret))
            }
            TypeExprKind::Error => self.source(ty.span).to_string(),
        }
    }

    fn pat(&self, id: PatId) -> String {
        let pat = self.module.pat(id);
        match &pat.kind {
            PatKind::Wildcard => "_".into(),
            PatKind::Bind(name) => name.name.clone(),
            PatKind::Int(_) | PatKind::Bytes(_) | PatKind::Error => self.code(pat.span),
            PatKind::Bool(b) => b.to_string(),
            PatKind::Unit => "()".into(),
            PatKind::Ctor { path, args } if args.is_empty() => {
                // Keep `Ctor()` if written so (it is a different arity error otherwise).
                if self.ends_with_paren(pat.span) {
                    format!("{}()", path.to_text())
                } else {
                    path.to_text()
                }
            }
            PatKind::Ctor { path, args } => {
                let args: Vec<String> = args.iter().map(|p| self.pat(*p)).collect();
                format!("{}({})", path.to_text(), args.join(", "))
            }
            PatKind::Struct { path, fields, rest } => {
                let mut parts: Vec<String> = fields
                    .iter()
                    .map(|f| match &self.module.pat(f.pat).kind {
                        PatKind::Bind(name) if name.name == f.name.name => f.name.name.clone(),
                        _ => format!("{}: {}", f.name.name, self.pat(f.pat)),
                    })
                    .collect();
                if *rest {
                    parts.push("..".into());
                }
                if parts.is_empty() {
                    format!("{} {{}}", path.to_text())
                } else {
                    format!("{} {{ {} }}", path.to_text(), parts.join(", "))
                }
            }
            PatKind::Tuple(items) => {
                let items: Vec<String> = items.iter().map(|p| self.pat(*p)).collect();
                format!("({})", items.join(", "))
            }
            PatKind::List { items, rest } => {
                let mut parts: Vec<String> = items.iter().map(|p| self.pat(*p)).collect();
                if let Some(rest) = rest {
                    match &self.module.pat(*rest).kind {
                        PatKind::Wildcard if self.source(self.module.pat(*rest).span) == ".." => {
                            parts.push("..".into())
                        }
                        _ => parts.push(format!("..{}", self.pat(*rest))),
                    }
                }
                format!("[{}]", parts.join(", "))
            }
        }
    }

    // ------------------------------------------------------------ expressions

    /// The expression on one line, if it has no comment inside and no part
    /// that always takes several lines.
    fn flat(&self, id: ExprId) -> Option<String> {
        let expr = self.module.expr(id);
        if self.has_comment_within(expr.span) {
            return None;
        }
        let list = |items: &[ExprId]| -> Option<Vec<String>> {
            items.iter().map(|e| self.flat(*e)).collect()
        };
        Some(match &expr.kind {
            ExprKind::Int(_) | ExprKind::Bytes(_) | ExprKind::Error => {
                self.source(expr.span).to_string()
            }
            ExprKind::Bool(b) => b.to_string(),
            ExprKind::Unit => "()".into(),
            ExprKind::Path(path) => path.to_text(),
            ExprKind::Tuple(items) => format!("({})", list(items)?.join(", ")),
            ExprKind::List { items, tail } => {
                let mut parts = list(items)?;
                if let Some(tail) = tail {
                    parts.push(format!("..{}", self.flat(*tail)?));
                }
                format!("[{}]", parts.join(", "))
            }
            ExprKind::Call {
                callee,
                args,
                piped,
            } => {
                let callee = self.flat(*callee)?;
                let args = list(args)?;
                if *piped {
                    let (first, rest) = args.split_first()?;
                    if rest.is_empty() && !self.ends_with_paren(expr.span) {
                        format!("{first} |> {callee}")
                    } else {
                        format!("{first} |> {callee}({})", rest.join(", "))
                    }
                } else {
                    format!("{callee}({})", args.join(", "))
                }
            }
            ExprKind::Field { base, name } => format!("{}.{}", self.flat(*base)?, name.name),
            ExprKind::Fail { reason } => format!("fail({})", self.flat(*reason)?),
            ExprKind::Try { operand } => {
                let text = self.flat(*operand)?;
                if self.postfix_needs_parens(*operand) {
                    format!("({text})?")
                } else {
                    format!("{text}?")
                }
            }
            ExprKind::StructLit { name, fields, base } => {
                let mut parts: Vec<String> = fields
                    .iter()
                    .map(|f| self.field_init(f))
                    .collect::<Option<_>>()?;
                if let Some(base) = base {
                    parts.push(format!("..{}", self.flat(*base)?));
                }
                if parts.is_empty() {
                    format!("{} {{}}", name.to_text())
                } else {
                    format!("{} {{ {} }}", name.to_text(), parts.join(", "))
                }
            }
            ExprKind::Binary { op, lhs, rhs, .. } => {
                format!(
                    "{} {} {}",
                    self.operand(*lhs, *op, false)?,
                    op.text(),
                    self.operand(*rhs, *op, true)?
                )
            }
            ExprKind::Unary { op, operand } => {
                let inner = self.flat(*operand)?;
                let inner = if needs_parens_under_unary(&self.module.expr(*operand).kind) {
                    format!("({inner})")
                } else {
                    inner
                };
                match op {
                    crate::syntax::ast::UnOp::Neg => format!("-{inner}"),
                    crate::syntax::ast::UnOp::Not => format!("!{inner}"),
                }
            }
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => {
                let mut text = format!("if {} {}", self.flat(*cond)?, self.flat(*then_branch)?);
                text.push_str(" else ");
                text.push_str(&self.flat(*else_branch)?);
                text
            }
            ExprKind::Match { .. } => return None,
            ExprKind::Block { lets, tail } => {
                if !lets.is_empty() {
                    return None;
                }
                format!("{{ {} }}", self.flat(*tail)?)
            }
            ExprKind::Lambda { params, body } => {
                let params: Vec<String> = params
                    .iter()
                    .map(|p| match p.ty {
                        Some(t) => format!("{}: {}", p.name.name, self.ty(t)),
                        None => p.name.name.clone(),
                    })
                    .collect();
                if params.is_empty() {
                    format!("|| {}", self.flat(*body)?)
                } else {
                    format!("|{}| {}", params.join(", "), self.flat(*body)?)
                }
            }
        })
    }

    fn field_init(&self, field: &FieldInit) -> Option<String> {
        if field.shorthand {
            Some(field.name.name.clone())
        } else {
            Some(format!("{}: {}", field.name.name, self.flat(field.value)?))
        }
    }

    /// An operand of `op`, parenthesised where precedence requires it.
    fn operand(
        &self,
        id: ExprId,
        parent: crate::syntax::ast::BinOp,
        right: bool,
    ) -> Option<String> {
        let text = self.flat(id)?;
        Some(if self.needs_parens(id, parent, right) {
            format!("({text})")
        } else {
            text
        })
    }

    fn needs_parens(&self, id: ExprId, parent: crate::syntax::ast::BinOp, right: bool) -> bool {
        match &self.module.expr(id).kind {
            ExprKind::Binary { op, .. } => {
                let (child, outer) = (precedence(*op), precedence(parent));
                child < outer || (child == outer && (right || outer == 3))
            }
            ExprKind::Call { piped: true, .. } | ExprKind::Lambda { .. } => true,
            _ => false,
        }
    }

    /// Whether `id` needs parentheses as the operand of a postfix `?`.
    fn postfix_needs_parens(&self, id: ExprId) -> bool {
        matches!(
            self.module.expr(id).kind,
            ExprKind::Binary { .. }
                | ExprKind::Unary { .. }
                | ExprKind::Lambda { .. }
                | ExprKind::Call { piped: true, .. }
        )
    }

    /// Prints an expression at the current position, breaking it over lines
    /// when it does not fit.
    fn expr(&mut self, id: ExprId) {
        if let Some(flat) = self.flat(id)
            && self.column() + flat.len() <= WIDTH
        {
            self.out.push_str(&flat);
            return;
        }
        let expr = self.module.expr(id).clone();
        match &expr.kind {
            ExprKind::Call {
                callee,
                args,
                piped: true,
            } => self.pipe_chain(id, *callee, args),
            ExprKind::Call {
                callee,
                args,
                piped: false,
            } => {
                self.expr(*callee);
                self.delimited("(", args, None, ")", expr.span);
            }
            ExprKind::Tuple(items) => self.delimited("(", items, None, ")", expr.span),
            ExprKind::Fail { reason } => {
                self.out.push_str("fail(");
                self.expr(*reason);
                self.out.push(')');
            }
            ExprKind::Try { operand } => {
                let parens = self.postfix_needs_parens(*operand);
                if parens {
                    self.out.push('(');
                }
                self.expr(*operand);
                self.out.push_str(if parens { ")?" } else { "?" });
            }
            ExprKind::List { items, tail } => self.delimited("[", items, *tail, "]", expr.span),
            ExprKind::StructLit { name, fields, base } => {
                self.out.push_str(&name.to_text());
                self.out.push_str(" {");
                self.depth += 1;
                for field in fields {
                    self.comments_before(
                        self.module
                            .expr(field.value)
                            .span
                            .start
                            .min(field.name.span.start),
                    );
                    self.begin_line();
                    self.out.push_str(&field.name.name);
                    if !field.shorthand {
                        self.out.push_str(": ");
                        self.expr(field.value);
                    }
                    self.out.push(',');
                    self.trailing_comment(self.module.expr(field.value).span.end);
                }
                if let Some(base) = base {
                    self.comments_before(self.module.expr(*base).span.start);
                    self.begin_line();
                    self.out.push_str("..");
                    self.expr(*base);
                    self.out.push(',');
                    self.trailing_comment(self.module.expr(*base).span.end);
                }
                self.comments_before(expr.span.end);
                self.depth -= 1;
                self.begin_line();
                self.out.push('}');
            }
            ExprKind::Binary {
                op,
                op_span,
                lhs,
                rhs,
            } => {
                self.operand_expr(*lhs, *op, false);
                self.depth += 1;
                self.comments_up_to(self.module.expr(*rhs).span.start, op_span.start);
                self.begin_line();
                self.out.push_str(op.text());
                self.out.push(' ');
                self.operand_expr(*rhs, *op, true);
                self.depth -= 1;
            }
            ExprKind::Unary { op, operand } => {
                self.out.push_str(match op {
                    crate::syntax::ast::UnOp::Neg => "-",
                    crate::syntax::ast::UnOp::Not => "!",
                });
                self.comments_inside(self.module.expr(*operand).span.start);
                let parens = needs_parens_under_unary(&self.module.expr(*operand).kind);
                if parens {
                    self.out.push('(');
                }
                self.expr(*operand);
                if parens {
                    self.out.push(')');
                }
            }
            ExprKind::Field { base, name } => {
                self.expr(*base);
                self.out.push('.');
                self.out.push_str(&name.name);
            }
            ExprKind::If { .. } => self.if_chain(id),
            ExprKind::Match { scrutinee, arms } => self.match_expr(*scrutinee, arms, expr.span),
            ExprKind::Block { .. } => self.broken_block(id),
            ExprKind::Lambda { params, body } => {
                let params: Vec<String> = params
                    .iter()
                    .map(|p| match p.ty {
                        Some(t) => format!("{}: {}", p.name.name, self.ty(t)),
                        None => p.name.name.clone(),
                    })
                    .collect();
                if params.is_empty() {
                    self.out.push_str("|| ");
                } else {
                    self.out.push_str(&format!("|{}| ", params.join(", ")));
                }
                self.expr(*body);
            }
            // A comment inside `( )` or a path is printed after it, not copied.
            ExprKind::Unit => self.out.push_str("()"),
            ExprKind::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            ExprKind::Path(path) => self.out.push_str(&path.to_text()),
            ExprKind::Int(_) | ExprKind::Bytes(_) | ExprKind::Error => {
                let text = self.code(expr.span);
                self.out.push_str(&text);
            }
        }
    }

    fn operand_expr(&mut self, id: ExprId, parent: crate::syntax::ast::BinOp, right: bool) {
        if self.needs_parens(id, parent, right) {
            self.out.push('(');
            self.expr(id);
            self.out.push(')');
        } else {
            self.expr(id);
        }
    }

    /// `open a, b, ..tail close` with one element per line.
    fn delimited(
        &mut self,
        open: &str,
        items: &[ExprId],
        tail: Option<ExprId>,
        close: &str,
        span: Span,
    ) {
        self.out.push_str(open);
        self.depth += 1;
        let all: Vec<(ExprId, bool)> = items
            .iter()
            .map(|e| (*e, false))
            .chain(tail.map(|t| (t, true)))
            .collect();
        for (item, is_tail) in all {
            let item_span = self.module.expr(item).span;
            self.comments_before(item_span.start);
            self.begin_line();
            if is_tail {
                self.out.push_str("..");
            }
            self.expr(item);
            self.out.push(',');
            self.trailing_comment(item_span.end);
        }
        self.comments_before(span.end);
        self.depth -= 1;
        self.begin_line();
        self.out.push_str(close);
    }

    /// `base |> f(..) |> g(..)`, one stage per line.
    fn pipe_chain(&mut self, id: ExprId, callee: ExprId, args: &[ExprId]) {
        let mut stages = vec![(id, callee, args.to_vec())];
        let mut base = args.first().copied();
        while let Some(current) = base {
            match &self.module.expr(current).kind {
                ExprKind::Call {
                    callee,
                    args,
                    piped: true,
                } => {
                    stages.push((current, *callee, args.clone()));
                    base = args.first().copied();
                }
                _ => break,
            }
        }
        let Some(base) = base else {
            return;
        };
        self.expr(base);
        self.depth += 1;
        for (stage, callee, args) in stages.into_iter().rev() {
            self.comments_before(self.module.expr(callee).span.start);
            self.begin_line();
            self.out.push_str("|> ");
            self.expr(callee);
            let rest = args.get(1..).unwrap_or(&[]);
            let written_parens = self.ends_with_paren(self.module.expr(stage).span);
            if !rest.is_empty() || written_parens {
                // A comment anywhere in the parentheses (also after the last
                // argument's comma) keeps them broken, as printing it did.
                let stage_span = self.module.expr(stage).span;
                let callee_end = self.module.expr(callee).span.end;
                let commented = self
                    .has_comment_within(Span::new(callee_end as usize, stage_span.end as usize));
                let flat: Option<Vec<String>> = if commented {
                    None
                } else {
                    rest.iter().map(|e| self.flat(*e)).collect()
                };
                match flat {
                    Some(parts) if self.column() + parts.join(", ").len() + 2 <= WIDTH => {
                        self.out.push_str(&format!("({})", parts.join(", ")));
                    }
                    _ => self.delimited("(", rest, None, ")", self.module.expr(stage).span),
                }
            }
        }
        self.depth -= 1;
    }

    fn if_chain(&mut self, id: ExprId) {
        let mut current = id;
        loop {
            let ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } = self.module.expr(current).kind.clone()
            else {
                self.broken_block(current);
                return;
            };
            self.out.push_str("if ");
            self.expr(cond);
            self.out.push(' ');
            self.broken_block(then_branch);
            self.out.push_str(" else ");
            current = else_branch;
        }
    }

    fn match_expr(&mut self, scrutinee: ExprId, arms: &[Arm], span: Span) {
        self.out.push_str("match ");
        self.expr(scrutinee);
        self.out.push_str(" {");
        self.depth += 1;
        let mut previous_end = None;
        for arm in arms {
            if let Some(end) = previous_end
                && self.blank_gap(end, arm.span.start)
            {
                self.blank_line();
            }
            self.comments_before(arm.span.start);
            self.begin_line();
            self.out.push_str(&self.pat(arm.pat));
            self.out.push_str(" => ");
            self.expr(arm.body);
            self.out.push(',');
            self.trailing_comment(arm.span.end);
            previous_end = Some(arm.span.end);
        }
        self.comments_before(span.end);
        self.depth -= 1;
        self.begin_line();
        self.out.push('}');
    }

    /// A block: `{ tail }` on one line when it has no `let`, fits, and
    /// `always_break` is false; else one statement per line.
    fn block(&mut self, id: ExprId, always_break: bool) {
        if !always_break
            && let Some(flat) = self.flat(id)
            && self.column() + flat.len() <= WIDTH
        {
            self.out.push_str(&flat);
            return;
        }
        self.broken_block(id);
    }

    /// A block with one statement per line.
    fn broken_block(&mut self, id: ExprId) {
        let block = self.module.expr(id).clone();
        let ExprKind::Block { lets, tail } = &block.kind else {
            self.expr(id);
            return;
        };
        self.out.push('{');
        self.depth += 1;
        let mut previous_end: Option<u32> = None;
        for stmt in lets {
            self.statement(stmt, previous_end);
            previous_end = Some(stmt.span.end);
        }
        let tail_span = self.module.expr(*tail).span;
        if let Some(end) = previous_end
            && self.blank_gap(end, tail_span.start)
        {
            self.blank_line();
        }
        self.comments_before(tail_span.start);
        self.begin_line();
        self.expr(*tail);
        self.trailing_comment(tail_span.end);
        self.comments_before(block.span.end);
        self.depth -= 1;
        self.begin_line();
        self.out.push('}');
    }

    fn statement(&mut self, stmt: &LetStmt, previous_end: Option<u32>) {
        if let Some(end) = previous_end
            && self.blank_gap(end, stmt.span.start)
        {
            self.blank_line();
        }
        self.comments_before(stmt.span.start);
        self.begin_line();
        self.out
            .push_str(if stmt.expect { "expect " } else { "let " });
        self.out.push_str(&self.pat(stmt.pat));
        if let Some(ty) = stmt.ty {
            self.out.push_str(": ");
            self.out.push_str(&self.ty(ty));
        }
        self.out.push_str(" = ");
        self.expr(stmt.value);
        if let Some(else_branch) = stmt.else_branch {
            self.out.push_str(" else ");
            if stmt.expect {
                self.expr(else_branch);
            } else {
                self.block(else_branch, false);
            }
        }
        self.out.push(';');
        self.trailing_comment(stmt.span.end);
    }
}

/// `pub struct Name<T>` and the like.
fn item_head(
    keyword: &str,
    is_pub: bool,
    name: &str,
    params: &[crate::syntax::ast::Ident],
) -> String {
    let visibility = if is_pub { "pub " } else { "" };
    format!("{visibility}{keyword} {name}{}", generics(params))
}

fn generics(names: &[crate::syntax::ast::Ident]) -> String {
    if names.is_empty() {
        return String::new();
    }
    let names: Vec<&str> = names.iter().map(|n| n.name.as_str()).collect();
    format!("<{}>", names.join(", "))
}

/// Binding strength of binary operators (higher binds tighter).
fn precedence(op: crate::syntax::ast::BinOp) -> u8 {
    use crate::syntax::ast::BinOp::*;
    match op {
        Or => 1,
        And => 2,
        Eq | Ne | Lt | Le | Gt | Ge => 3,
        Add | Sub => 4,
        Mul | Div | Rem => 5,
    }
}

fn needs_parens_under_unary(kind: &ExprKind) -> bool {
    matches!(
        kind,
        ExprKind::Binary { .. } | ExprKind::Call { piped: true, .. } | ExprKind::Lambda { .. }
    )
}
