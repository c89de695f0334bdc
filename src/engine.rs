//! The engine: streams items through a function in parallel and hands the results, in input
//! order, to a [`Sink`]. It knows nothing of what the items are: the job gives it the reader's
//! items and the document step.
//!
//! Items are gathered into batches of a fixed size (independent of the thread count), a batch is
//! processed on the thread pool, and its results are delivered in order. That keeps memory flat
//! (one batch in flight) and makes every output byte-identical whatever `--threads` is.

use crate::interrupt;
use anyhow::Result;
use rayon::prelude::*;

/// Items per batch, and bytes of items per batch: whichever fills first.
const BATCH_ITEMS: usize = 256;
const BATCH_BYTES: usize = 32 << 20;

/// Where results go, in input order.
pub trait Sink<T> {
    fn event(&mut self, event: T) -> Result<()>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunEnd {
    Complete,
    Interrupted,
}

pub struct Engine {
    /// Worker threads; 0 means all cores.
    pub threads: usize,
}

impl Engine {
    /// Streams the items `produce` gives (with their size in bytes, as `bytes` tells) through
    /// `work` into `sink`. Reading, processing and writing overlap: a reader thread fills batches,
    /// the pool processes one batch at a time, and a writer thread hands results to the sink, all
    /// in input order. An interruption stops it between items.
    pub fn run<I: Send, O: Send>(
        &self,
        produce: impl FnOnce(&mut dyn FnMut(I) -> bool) + Send,
        bytes: impl Fn(&I) -> usize + Send,
        work: impl Fn(I) -> O + Sync,
        sink: &mut (dyn Sink<O> + Send),
    ) -> Result<RunEnd> {
        let threads = match self.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        };
        // `None` when the run was interrupted before the item started.
        let work = |item: I| -> Option<O> {
            interrupt::checkpoint("clean");
            (!interrupt::requested()).then(|| work(item))
        };
        if threads == 1 {
            return run_on_this_thread(produce, bytes, work, sink);
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()?;
        let (batch_tx, batch_rx) = std::sync::mpsc::sync_channel::<Vec<I>>(2);
        let (event_tx, event_rx) = std::sync::mpsc::sync_channel::<Vec<O>>(2);
        std::thread::scope(|scope| {
            // The sender moves into the reader, so the batches end when the reader does.
            scope.spawn(move || batches(produce, bytes, |batch| batch_tx.send(batch).is_ok()));
            let writer = scope.spawn(move || -> Result<()> {
                for events in event_rx {
                    for event in events {
                        sink.event(event)?;
                    }
                }
                Ok(())
            });
            let mut end = RunEnd::Complete;
            for batch in batch_rx {
                let items = batch.len();
                let events: Vec<Option<O>> =
                    pool.install(|| batch.into_par_iter().map(&work).collect());
                // Results up to the first item that an interruption stopped are delivered.
                let complete: Vec<O> = events.into_iter().map_while(|e| e).collect();
                let cut_short = complete.len() < items;
                if event_tx.send(complete).is_err() || cut_short || interrupt::requested() {
                    // The writer stopped (it failed) or the user asked us to stop.
                    end = RunEnd::Interrupted;
                    break;
                }
            }
            drop(event_tx);
            writer.join().expect("writer thread")?;
            // The reader also stops on an interruption, between batches: the loop above then
            // simply ends, and only the flag tells why.
            if interrupt::requested() {
                end = RunEnd::Interrupted;
            }
            Ok(end)
        })
    }
}

/// `--threads 1`: read, process and write in turn on the calling thread, nothing else running.
fn run_on_this_thread<I, O>(
    produce: impl FnOnce(&mut dyn FnMut(I) -> bool),
    bytes: impl Fn(&I) -> usize,
    work: impl Fn(I) -> Option<O>,
    sink: &mut (dyn Sink<O> + Send),
) -> Result<RunEnd> {
    let mut failure = None;
    let mut end = RunEnd::Complete;
    batches(produce, bytes, |batch| {
        for item in batch {
            let Some(event) = work(item) else {
                end = RunEnd::Interrupted;
                return false;
            };
            if let Err(e) = sink.event(event) {
                failure = Some(e);
                return false;
            }
        }
        true
    });
    if let Some(e) = failure {
        return Err(e);
    }
    Ok(if interrupt::requested() {
        RunEnd::Interrupted
    } else {
        end
    })
}

/// Gathers the items `produce` gives into batches and hands them, in order, to `deliver`, until
/// done, interrupted, or `deliver` returns false.
fn batches<I>(
    produce: impl FnOnce(&mut dyn FnMut(I) -> bool),
    bytes: impl Fn(&I) -> usize,
    mut deliver: impl FnMut(Vec<I>) -> bool,
) {
    let mut batch: Vec<I> = Vec::new();
    let mut batch_bytes = 0usize;
    let mut open = true;
    produce(&mut |item: I| {
        batch_bytes += bytes(&item);
        batch.push(item);
        if interrupt::requested() {
            open = false;
        } else if batch.len() >= BATCH_ITEMS || batch_bytes >= BATCH_BYTES {
            batch_bytes = 0;
            open = deliver(std::mem::take(&mut batch));
        }
        open
    });
    if open && !batch.is_empty() && !interrupt::requested() {
        deliver(batch);
    }
}
