//! The worker threads. Each job runs on its own [`Snapshot`] of the
//! database; when the main thread sets an input (a newer edit), salsa
//! cancels the queries running on every snapshot, and when the client sends
//! `$/cancelRequest`, the job's own cancellation token does. A cancelled job
//! unwinds with [`salsa::Cancelled`] and reports so; any other panic is
//! caught too, so a bug answers an internal error instead of killing the server.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{ErrorCode, Request, Response};
use tally::db::Database;

use crate::snapshot::Snapshot;

/// The job name [`JobInfo::name`] gives diagnostics jobs.
pub const DIAGNOSTICS_JOB: &str = "textDocument/publishDiagnostics";

/// What a job is for.
pub enum Work {
    /// Answer a request.
    Request(Request),
    /// Compute the diagnostics of the open document `key` at `generation`.
    Diagnostics {
        /// The document's URI.
        key: String,
        /// The document's generation when the job was made.
        generation: u64,
        /// Publish the front end's diagnostics first, when they have no
        /// error, while the bound analysis runs.
        early: bool,
    },
}

/// One unit of work and the snapshot it runs on.
pub struct Job {
    /// The database and documents as of when the job was made.
    pub snapshot: Snapshot,
    /// What to do.
    pub work: Work,
}

/// What a diagnostics job found (or how it ended).
pub enum Computed {
    /// The front end's diagnostics, sent before the bound analysis ends.
    Early(Vec<lsp_types::Diagnostic>),
    /// All the document's diagnostics.
    Done {
        /// The diagnostics.
        diagnostics: Vec<lsp_types::Diagnostic>,
        /// False when they are the early ones, already sent.
        publish: bool,
        /// Whether the bound analysis added some.
        with_bounds: bool,
        /// The bound analysis' report, when the text has no front-end error.
        bounds: Option<Arc<tally::bounds::BoundReport>>,
    },
    /// A newer edit cancelled it.
    Cancelled,
    /// It panicked (a bug); nothing to publish.
    Failed,
}

/// What a worker sends back to the main thread.
pub enum Outcome {
    /// A request's response (possibly a cancellation error).
    Response(Response),
    /// A diagnostics job's result.
    Diagnostics {
        /// The document's URI.
        key: String,
        /// The generation the diagnostics are for.
        generation: u64,
        /// The diagnostics, or why there are none.
        computed: Computed,
    },
}

/// What a [`Hook`] learns about the job about to run.
pub struct JobInfo<'a> {
    name: &'a str,
    db: &'a Database,
}

impl JobInfo<'_> {
    /// The request's method, or [`DIAGNOSTICS_JOB`].
    pub fn name(&self) -> &str {
        self.name
    }

    /// Unwinds (ending the job as cancelled) if a newer edit or the client
    /// has cancelled it, as any salsa query would.
    pub fn unwind_if_cancelled(&self) {
        salsa::Database::unwind_if_revision_cancelled(self.db);
    }
}

/// A function run on the worker before each job, inside the job's
/// cancellation scope (tests use it to stand for a long computation).
pub type Hook = Arc<dyn Fn(&JobInfo<'_>) + Send + Sync>;

/// A fixed set of worker threads fed from one queue.
pub struct Pool {
    jobs: Option<Sender<Job>>,
    threads: Vec<JoinHandle<()>>,
}

impl Pool {
    /// Starts `size` workers that send their outcomes to `outcomes`.
    pub fn new(size: usize, outcomes: &Sender<Outcome>, hook: Option<Hook>) -> Pool {
        let (jobs, queue) = crossbeam_channel::unbounded::<Job>();
        let threads = (0..size.max(1))
            .filter_map(|index| {
                let queue: Receiver<Job> = queue.clone();
                let outcomes = outcomes.clone();
                let hook = hook.clone();
                std::thread::Builder::new()
                    .name(format!("tally-lsp-worker-{index}"))
                    .spawn(move || {
                        for job in queue {
                            if outcomes.send(run(job, hook.as_ref(), &outcomes)).is_err() {
                                break;
                            }
                        }
                    })
                    .ok()
            })
            .collect();
        Pool {
            jobs: Some(jobs),
            threads,
        }
    }

    /// Queues a job; `false` (and the job dropped) if no worker could be started.
    pub fn submit(&self, job: Job) -> bool {
        match &self.jobs {
            Some(jobs) if !self.threads.is_empty() => jobs.send(job).is_ok(),
            _ => false,
        }
    }

    /// Lets the workers finish the queued jobs and waits for them.
    pub fn join(mut self) {
        self.jobs = None;
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

/// Runs one job, turning cancellation and panics into outcomes. The
/// snapshot is dropped before returning, so a waiting edit can proceed.
fn run(job: Job, hook: Option<&Hook>, outcomes: &Sender<Outcome>) -> Outcome {
    let Job { snapshot, work } = job;
    let name = match &work {
        Work::Request(request) => request.method.clone(),
        Work::Diagnostics { .. } => DIAGNOSTICS_JOB.to_string(),
    };
    let before = |snapshot: &Snapshot| {
        if let Some(hook) = hook {
            hook(&JobInfo {
                name: &name,
                db: &snapshot.db,
            });
        }
    };
    match work {
        Work::Request(request) => {
            let id = request.id.clone();
            let result = guarded(|| {
                before(&snapshot);
                crate::requests::handle(&snapshot, request)
            });
            drop(snapshot);
            Outcome::Response(match result {
                Ok(response) => response,
                Err(Stop::Cancelled(salsa::Cancelled::Local)) => Response::new_err(
                    id,
                    ErrorCode::RequestCanceled as i32,
                    "the request was cancelled".into(),
                ),
                Err(Stop::Cancelled(_)) => Response::new_err(
                    id,
                    ErrorCode::ContentModified as i32,
                    "the document changed while the request was answered".into(),
                ),
                Err(Stop::Panicked) => Response::new_err(
                    id,
                    ErrorCode::InternalError as i32,
                    "tally-lsp failed on this request (a bug; please report it)".into(),
                ),
            })
        }
        Work::Diagnostics {
            key,
            generation,
            early,
        } => {
            let result = guarded(|| {
                before(&snapshot);
                let document = snapshot.documents.get(&key)?;
                let (db, file, uri) = (&snapshot.db, document.file, &document.uri);
                let front = tally::db::front_end(db, file);
                let sent_early = early && !front.iter().any(|d| d.is_error());
                if sent_early {
                    let diagnostics = crate::handlers::diagnostics(db, file, uri, front);
                    // A closed channel means the server is stopping: nothing to do.
                    let _ = outcomes.send(Outcome::Diagnostics {
                        key: key.clone(),
                        generation,
                        computed: Computed::Early(diagnostics),
                    });
                }
                let all = tally::db::check(db, file);
                let with_bounds = all.len() > front.len();
                let clean = !front.iter().any(|d| d.is_error());
                let bounds = clean.then(|| Arc::new(tally::bounds::bounds(db, file).clone()));
                Some(Computed::Done {
                    bounds,
                    diagnostics: crate::handlers::diagnostics(db, file, uri, all),
                    publish: !sent_early || with_bounds,
                    with_bounds,
                })
            });
            drop(snapshot);
            let computed = match result {
                Ok(Some(computed)) => computed,
                Ok(None) | Err(Stop::Panicked) => Computed::Failed,
                Err(Stop::Cancelled(_)) => Computed::Cancelled,
            };
            Outcome::Diagnostics {
                key,
                generation,
                computed,
            }
        }
    }
}

/// Why a job stopped early.
enum Stop {
    Cancelled(salsa::Cancelled),
    Panicked,
}

/// Runs `f`, catching salsa's cancellation and any other panic.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, Stop> {
    match std::panic::catch_unwind(AssertUnwindSafe(|| {
        salsa::Cancelled::catch(AssertUnwindSafe(f))
    })) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(cancelled)) => Err(Stop::Cancelled(cancelled)),
        Err(_) => Err(Stop::Panicked),
    }
}
