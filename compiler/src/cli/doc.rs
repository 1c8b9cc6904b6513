//! `tally doc [FILE] [-o DIR]`: static HTML documentation — an index with
//! a search box, and one page per module with its public types, constants
//! and functions: signatures, doc comments rendered as Markdown, and each
//! function's gas and memory bound formulas with their legend.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use tally::db::{self, Database, SourceFile};
use tally::syntax::ast::{Item, Module};
use tally::types::signatures::signatures;

/// Arguments of `tally doc`.
#[derive(clap::Args, Debug)]
pub struct DocArgs {
    /// A Tally source file to document; without it, every module of the project found
    /// from the current directory (written to `target/doc/` in the project).
    file: Option<PathBuf>,
    /// The folder to write to (default: `target/doc` of the project, or `FILE`'s stem + `-doc`).
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
}

/// One documented item, for the page and the search index.
struct Entry {
    /// `fn`, `struct`, `enum`, `const` or `type`.
    kind: &'static str,
    name: String,
    /// The declaration as written (signature, fields, variants).
    declaration: String,
    /// The doc comment, as HTML.
    doc: String,
    /// For functions: the gas and memory bounds, and the legend.
    bounds: Option<(String, String, Vec<String>)>,
}

/// Writes the documentation; exit code 2 if nothing can be read or written.
pub fn run(args: DocArgs) -> ExitCode {
    let (database, modules, title, folder) = match &args.file {
        Some(file) => {
            let name = file.display().to_string();
            let text = match std::fs::read_to_string(file) {
                Ok(text) => text,
                Err(error) => {
                    eprintln!("error: cannot read {name}: {error}");
                    return ExitCode::from(2);
                }
            };
            let opened = match super::input::open_source(file, &name, text) {
                Ok(opened) => opened,
                Err(message) => {
                    eprintln!("error: {message}");
                    return ExitCode::from(2);
                }
            };
            let stem = file.file_stem().map_or_else(
                || "module".to_string(),
                |s| s.to_string_lossy().into_owned(),
            );
            let module = db::module_name(&opened.database, opened.file)
                .unwrap_or(&stem)
                .to_string();
            let folder = args
                .output
                .clone()
                .unwrap_or_else(|| PathBuf::from(format!("{stem}-doc")));
            (opened.database, vec![(module, opened.file)], stem, folder)
        }
        None => {
            let project = match super::project::current() {
                Ok(project) => project,
                Err(message) => {
                    eprintln!("error: {message}");
                    return ExitCode::from(2);
                }
            };
            let (database, handles) = match project.database(&super::project::Disk) {
                Ok(found) => found,
                Err(message) => {
                    eprintln!("error: {message}");
                    return ExitCode::from(2);
                }
            };
            let modules = project
                .files
                .iter()
                .zip(handles)
                .filter(|(f, _)| f.package.is_empty())
                .map(|(f, h)| (f.module.clone(), h))
                .collect();
            let folder = args
                .output
                .clone()
                .unwrap_or_else(|| project.root.join("target").join("doc"));
            let title = format!("{} {}", project.name, project.version);
            (database, modules, title, folder)
        }
    };
    match write_docs(&database, &modules, &title, &folder) {
        Ok(pages) => {
            eprintln!(
                "documented {} in {} (open {})",
                super::output::count(pages, "module"),
                super::project::shown(&folder),
                super::project::shown(&folder.join("index.html"))
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// A module's page name: `ledger::math` → `ledger.math.html`.
fn page(module: &str) -> String {
    format!("{}.html", module.replace("::", "."))
}

fn write_docs(
    database: &Database,
    modules: &[(String, SourceFile)],
    title: &str,
    folder: &Path,
) -> Result<usize, String> {
    std::fs::create_dir_all(folder)
        .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    let mut index = Vec::new();
    let mut search = Vec::new();
    for (module, file) in modules {
        let entries = entries(database, *file);
        let body: String = entries.iter().map(render_entry).collect();
        let html = layout(
            &format!("{module} — {title}"),
            &format!(
                "<p><a href=\"index.html\">{}</a></p>\n<h1>Module <code>{}</code></h1>\n<p class=\"source\">{}</p>\n{body}",
                escape(title),
                escape(module),
                escape(file.path(database))
            ),
        );
        let path = folder.join(page(module));
        std::fs::write(&path, html).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        index.push(format!(
            "<li><a href=\"{}\"><code>{}</code></a> — {} public items</li>",
            page(module),
            escape(module),
            entries.len()
        ));
        for e in &entries {
            search.push(serde_json::json!({
                "name": e.name,
                "kind": e.kind,
                "module": module,
                "href": format!("{}#{}", page(module), e.name),
            }));
        }
    }
    let index_body = format!(
        "<h1>{}</h1>\n<label for=\"search\">Search</label>\n<input id=\"search\" type=\"search\" placeholder=\"a function, type or constant\" autocomplete=\"off\">\n<ul id=\"results\"></ul>\n<h2>Modules</h2>\n<ul>\n{}\n</ul>\n<script>\nconst ITEMS = {};\n{SEARCH_JS}</script>\n",
        escape(title),
        index.join("\n"),
        serde_json::Value::Array(search)
            .to_string()
            .replace("</", "<\\/"),
    );
    let path = folder.join("index.html");
    std::fs::write(&path, layout(title, &index_body))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(modules.len())
}

/// The search box's script: filters `ITEMS` by the text typed, by name.
const SEARCH_JS: &str = r#"const box = document.getElementById("search");
const results = document.getElementById("results");
function show() {
  const q = box.value.trim().toLowerCase();
  results.replaceChildren();
  if (!q) return;
  for (const item of ITEMS) {
    if (!item.name.toLowerCase().includes(q)) continue;
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = item.href;
    a.textContent = item.kind + " " + item.module + "::" + item.name;
    li.appendChild(a);
    results.appendChild(li);
  }
  if (!results.children.length) {
    const li = document.createElement("li");
    li.textContent = "no item matches";
    results.appendChild(li);
  }
}
box.addEventListener("input", show);
const q = new URLSearchParams(location.search).get("q");
if (q) { box.value = q; show(); }
"#;

fn layout(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\nbody {{ font-family: sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }}\npre.decl {{ background: #f4f4f4; padding: .5rem; overflow-x: auto; }}\n.bounds {{ border-left: 3px solid #888; padding-left: .5rem; }}\n.source {{ color: #666; }}\n</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        escape(title)
    )
}

fn render_entry(e: &Entry) -> String {
    let mut out = format!(
        "<section class=\"item\" id=\"{}\">\n<h2>{} <code>{}</code></h2>\n<pre class=\"decl\"><code>{}</code></pre>\n{}",
        escape(&e.name),
        e.kind,
        escape(&e.name),
        escape(&e.declaration),
        e.doc
    );
    if let Some((gas, memory, legend)) = &e.bounds {
        out.push_str(&format!(
            "<div class=\"bounds\">\n<p>gas ≤ <code>{}</code><br>memory ≤ <code>{}</code> bytes</p>\n",
            escape(gas),
            escape(memory)
        ));
        if !legend.is_empty() {
            out.push_str("<ul class=\"legend\">\n");
            for line in legend {
                out.push_str(&format!("<li>where {}</li>\n", escape(line)));
            }
            out.push_str("</ul>\n");
        }
        out.push_str("</div>\n");
    }
    out.push_str("</section>\n");
    out
}

/// The public items of a file, in source order.
fn entries(database: &Database, file: SourceFile) -> Vec<Entry> {
    let module = &db::parse(database, file).module;
    let text = file.text(database);
    let sigs = signatures(database, file);
    let report = tally::bounds::bounds(database, file);
    let slice = |m: &Module, id| {
        let span = m.ty(id).span;
        text.get(span.start as usize..span.end as usize)
            .unwrap_or("?")
            .to_string()
    };
    let generics = |g: &[tally::syntax::ast::Ident]| {
        if g.is_empty() {
            String::new()
        } else {
            let names: Vec<&str> = g.iter().map(|i| i.name.as_str()).collect();
            format!("<{}>", names.join(", "))
        }
    };
    let mut out = Vec::new();
    for (index, item) in module.items.iter().enumerate() {
        match item {
            Item::Fn(f) if f.is_pub => {
                let declaration = sigs
                    .func(index as u32)
                    .map_or_else(|| f.name.name.clone(), |s| s.display());
                let bounds = report
                    .function(&f.name.name)
                    .map(|b| (b.gas.clone(), b.memory.clone(), b.legend.clone()));
                out.push(Entry {
                    kind: "fn",
                    name: f.name.name.clone(),
                    declaration,
                    doc: markdown(f.doc.as_deref()),
                    bounds,
                });
            }
            Item::Struct(s) if s.is_pub => {
                let mut declaration =
                    format!("pub struct {}{} {{\n", s.name.name, generics(&s.generics));
                let mut field_docs = String::new();
                for field in &s.fields {
                    declaration.push_str(&format!(
                        "  {}: {},\n",
                        field.name.name,
                        slice(module, field.ty)
                    ));
                    if let Some(doc) = &field.doc {
                        field_docs.push_str(&format!(
                            "<li><code>{}</code>: {}</li>\n",
                            escape(&field.name.name),
                            markdown(Some(doc))
                        ));
                    }
                }
                declaration.push('}');
                let mut doc = markdown(s.doc.as_deref());
                if !field_docs.is_empty() {
                    doc.push_str(&format!("<ul class=\"fields\">\n{field_docs}</ul>\n"));
                }
                out.push(Entry {
                    kind: "struct",
                    name: s.name.name.clone(),
                    declaration,
                    doc,
                    bounds: None,
                });
            }
            Item::Enum(e) if e.is_pub => {
                let mut declaration =
                    format!("pub enum {}{} {{\n", e.name.name, generics(&e.generics));
                let mut variant_docs = String::new();
                for v in &e.variants {
                    let fields: Vec<String> = v.fields.iter().map(|t| slice(module, *t)).collect();
                    if fields.is_empty() {
                        declaration.push_str(&format!("  {},\n", v.name.name));
                    } else {
                        declaration.push_str(&format!(
                            "  {}({}),\n",
                            v.name.name,
                            fields.join(", ")
                        ));
                    }
                    if let Some(doc) = &v.doc {
                        variant_docs.push_str(&format!(
                            "<li><code>{}</code>: {}</li>\n",
                            escape(&v.name.name),
                            markdown(Some(doc))
                        ));
                    }
                }
                declaration.push('}');
                let mut doc = markdown(e.doc.as_deref());
                if !variant_docs.is_empty() {
                    doc.push_str(&format!("<ul class=\"variants\">\n{variant_docs}</ul>\n"));
                }
                out.push(Entry {
                    kind: "enum",
                    name: e.name.name.clone(),
                    declaration,
                    doc,
                    bounds: None,
                });
            }
            Item::Const(c) if c.is_pub => out.push(Entry {
                kind: "const",
                name: c.name.name.clone(),
                declaration: format!("pub const {}: {}", c.name.name, slice(module, c.ty)),
                doc: markdown(c.doc.as_deref()),
                bounds: None,
            }),
            Item::TypeAlias(a) if a.is_pub => out.push(Entry {
                kind: "type",
                name: a.name.name.clone(),
                declaration: format!(
                    "pub type {}{} = {}",
                    a.name.name,
                    generics(&a.generics),
                    slice(module, a.ty)
                ),
                doc: markdown(a.doc.as_deref()),
                bounds: None,
            }),
            _ => {}
        }
    }
    out
}

/// A doc comment as HTML (CommonMark; raw HTML in it is escaped).
fn markdown(doc: Option<&str>) -> String {
    let Some(doc) = doc else {
        return String::new();
    };
    use pulldown_cmark::{Event, Parser};
    let events = Parser::new(doc).map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// Text escaped for HTML.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
