//! Diagnostics as plain data: a code, a severity, a message, labelled spans and
//! a help line. Every phase returns these as values; [`crate::render`] is the
//! one place that turns them into text.

use crate::span::Span;

/// Which analysis reports a diagnostic (the `kind` of the acceptance tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Lexing and parsing.
    Parse,
    /// Name resolution.
    Name,
    /// Type checking.
    Type,
    /// Match exhaustiveness and reachability.
    Exhaustive,
    /// Termination checking.
    Termination,
    /// Gas and memory bound analysis.
    Bound,
    /// Code generation (bytecode limits, instantiation).
    Codegen,
}

impl Kind {
    /// The kind's name as the acceptance tests spell it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Parse => "parse",
            Kind::Name => "name",
            Kind::Type => "type",
            Kind::Exhaustive => "exhaustive",
            Kind::Termination => "termination",
            Kind::Bound => "bound",
            Kind::Codegen => "codegen",
        }
    }
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// The program is rejected.
    Error,
    /// The program is accepted, but something deserves attention.
    Warning,
}

macro_rules! codes {
    ($($variant:ident = $text:literal, $kind:ident, $title:literal;)*) => {
        /// Every diagnostic code of the compiler; `lang-spec/diagnostics.md` is the catalogue.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(
                #[doc = $title]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in catalogue order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as printed, e.g. `E0301`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $text,)* }
            }

            /// The analysis that reports it.
            pub fn kind(self) -> Kind {
                match self { $(Code::$variant => Kind::$kind,)* }
            }

            /// A short title for the catalogue.
            pub fn title(self) -> &'static str {
                match self { $(Code::$variant => $title,)* }
            }

            /// Errors start with `E`, warnings with `W`.
            pub fn severity(self) -> Severity {
                if self.as_str().starts_with('W') { Severity::Warning } else { Severity::Error }
            }

            /// The code with this spelling, if there is one.
            pub fn parse(text: &str) -> Option<Code> {
                Code::ALL.iter().copied().find(|c| c.as_str() == text)
            }
        }
    };
}

codes! {
    UnexpectedCharacter = "E0101", Parse, "unexpected character";
    MalformedLiteral = "E0102", Parse, "malformed literal";
    UnexpectedToken = "E0103", Parse, "unexpected token";
    UnexpectedEof = "E0104", Parse, "unexpected end of file";
    NestingTooDeep = "E0105", Parse, "nesting too deep";
    TooManyErrors = "E0106", Parse, "too many errors";
    TooManyWarnings = "W0107", Parse, "too many warnings";
    UnclosedDelimiter = "E0108", Parse, "unclosed delimiter before the next item";
    UnresolvedName = "E0201", Name, "unresolved name";
    UnresolvedType = "E0202", Name, "unresolved type";
    DuplicateDefinition = "E0203", Name, "duplicate definition";
    UnknownImport = "E0204", Name, "unknown module or import";
    PrivateItem = "E0205", Name, "private item";
    DuplicateBinding = "E0206", Name, "duplicate binding";
    AliasCycle = "E0207", Name, "type alias defined through itself";
    ImportCycle = "E0208", Name, "modules import each other in a cycle";
    TypeMismatch = "E0301", Type, "type mismatch";
    WrongArgCount = "E0302", Type, "wrong number of arguments";
    UnknownField = "E0303", Type, "unknown field";
    MissingFields = "E0304", Type, "missing fields";
    FunctionAsData = "E0305", Type, "function type where data is required";
    WrongTypeArgCount = "E0306", Type, "wrong number of type arguments";
    NotAFunction = "E0307", Type, "value is not a function";
    FunctionValueMisplaced = "E0308", Type, "function value outside a call argument";
    InfiniteType = "E0309", Type, "infinite type";
    CannotInfer = "E0310", Type, "cannot infer a type";
    TryMismatch = "E0311", Type, "`?` does not fit the function's result";
    FailReasonNotConstant = "E0312", Type, "`fail` reason is not a constant";
    LetElseMustFail = "E0313", Type, "`else` of a `let ... else` does not fail";
    ConstEval = "E0314", Type, "constant cannot be evaluated";
    ConstCycle = "E0315", Type, "constant defined through itself";
    MapKeyType = "E0316", Type, "map keys are not `Int` or `Bytes`";
    BindingShadowsConst = "W0317", Type, "a pattern binding has a constant's name";
    NonExhaustive = "E0401", Exhaustive, "non-exhaustive match";
    UnreachableArm = "W0402", Exhaustive, "unreachable arm";
    RefutableLet = "E0403", Exhaustive, "refutable pattern in `let`";
    NonTerminating = "E0501", Termination, "recursive call not shown to terminate";
    NoClosedFormBound = "E0601", Bound, "no closed-form bound";
    ExponentialBound = "W0602", Bound, "exponential bound";
    InstantiationLimit = "E0701", Codegen, "instantiation does not end";
    CodegenLimit = "E0702", Codegen, "bytecode limit exceeded";
    BadEntryPoint = "E0703", Codegen, "requested entry point cannot be exported";
    NotVerifiable = "E0704", Codegen, "compiled code rejected by the verifier";
    MapKeyInstance = "E0705", Codegen, "a generic map is instantiated with keys that are not `Int` or `Bytes`";
}

/// A span with a message saying what is there.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What is wrong or relevant there.
    pub message: String,
}

/// One diagnostic about one source file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// The catalogue code; it fixes kind and severity.
    pub code: Code,
    /// One sentence saying what is wrong.
    pub message: String,
    /// The place the problem is, with a label.
    pub primary: Label,
    /// Other places that explain it.
    pub secondary: Vec<Label>,
    /// Free-form notes (e.g. a relation table), printed after the snippet.
    pub notes: Vec<String>,
    /// How to fix it.
    pub help: Option<String>,
    /// For the summary that ends a capped list (E0106, W0107): the errors
    /// and warnings it stands for.
    pub omitted: Option<Omitted>,
}

/// The diagnostics left out of a capped list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Omitted {
    /// Errors not shown.
    pub errors: usize,
    /// Warnings not shown.
    pub warnings: usize,
}

impl Diagnostic {
    /// A diagnostic with a primary label and nothing else.
    pub fn new(
        code: Code,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            code,
            message: message.into(),
            primary: Label {
                span,
                message: label.into(),
            },
            secondary: Vec::new(),
            notes: Vec::new(),
            help: None,
            omitted: None,
        }
    }

    /// Adds a secondary label.
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.secondary.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Adds a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    /// Sets the help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// The severity, fixed by the code.
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// Whether it rejects the program.
    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }
}

/// Most diagnostics reported for one file; the rest are summed up in one
/// final diagnostic (see [`cap`]).
pub const MAX_DIAGNOSTICS: usize = 100;
/// Longest message, label, note or help line, in characters.
pub const MAX_TEXT: usize = 2_000;
/// Most secondary labels, and most notes, of one diagnostic.
pub const MAX_PARTS: usize = 16;

/// A file's diagnostics as they are reported: the first [`MAX_DIAGNOSTICS`]
/// in source order, then, if there were more, one summary at the first one
/// left out: E0106 "N more errors" if an error is among them, else W0107
/// "N more warnings". Every text is cut to [`MAX_TEXT`] characters and
/// every diagnostic to [`MAX_PARTS`] labels and notes, so what is reported
/// about a file has a size bounded whatever the input.
pub fn cap(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let summary = (diagnostics.len() > MAX_DIAGNOSTICS).then(|| {
        let rest = &diagnostics[MAX_DIAGNOSTICS..];
        let errors = rest.iter().filter(|d| d.is_error()).count();
        let omitted = Omitted {
            errors,
            warnings: rest.len() - errors,
        };
        summary(omitted, rest[0].primary.span)
    });
    diagnostics.truncate(MAX_DIAGNOSTICS);
    for d in &mut diagnostics {
        clip(&mut d.message);
        clip(&mut d.primary.message);
        d.secondary.truncate(MAX_PARTS);
        d.secondary.iter_mut().for_each(|l| clip(&mut l.message));
        d.notes.truncate(MAX_PARTS);
        d.notes.iter_mut().for_each(clip);
        if let Some(help) = &mut d.help {
            clip(help);
        }
    }
    diagnostics.extend(summary);
    diagnostics
}

/// The errors and warnings a list stands for, the summary's omitted ones included.
pub fn count(diagnostics: &[Diagnostic]) -> Omitted {
    let mut total = Omitted::default();
    for d in diagnostics {
        match d.omitted {
            Some(o) => {
                total.errors += o.errors;
                total.warnings += o.warnings;
            }
            None if d.is_error() => total.errors += 1,
            None => total.warnings += 1,
        }
    }
    total
}

/// The diagnostic that ends a capped list.
fn summary(omitted: Omitted, at: Span) -> Diagnostic {
    let plural = |n: usize, what: &str| {
        if n == 1 {
            format!("1 more {what}")
        } else {
            format!("{n} more {what}s")
        }
    };
    let (code, message) = match (omitted.errors, omitted.warnings) {
        (0, w) => (Code::TooManyWarnings, plural(w, "warning")),
        (e, 0) => (Code::TooManyErrors, plural(e, "error")),
        (e, w) => (
            Code::TooManyErrors,
            format!("{} and {}", plural(e, "error"), plural(w, "warning")),
        ),
    };
    let mut d = Diagnostic::new(
        code,
        format!("{message} not shown"),
        Span::new(at.start as usize, at.start as usize),
        "the first of them is here",
    )
    .with_help(format!(
        "at most {MAX_DIAGNOSTICS} diagnostics are shown per file; fix these and check again"
    ));
    d.omitted = Some(omitted);
    d
}

/// Cuts a text to [`MAX_TEXT`] characters, ending it with `…` when cut.
fn clip(text: &mut String) {
    if let Some((end, _)) = text.char_indices().nth(MAX_TEXT) {
        text.truncate(end);
        text.push('…');
    }
}
