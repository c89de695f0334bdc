//! thresh: turn a messy scraped text corpus into a clean, deduplicated one.
//!
//! Data flows one way: [`read`] finds the inputs and loads each into a record; a corpus pass
//! counts [`corpus`] statistics; the [`engine`] streams the records in parallel through the
//! document step of [`commands`], which runs the [`pipeline`] of [`stages`] and [`dedup`]'s
//! fingerprint; a sink ([`write`] and [`report`]) receives the results in input order; with
//! dedup, the cleaned documents wait in a [`store`] until clustering decides which are written.
//! [`config`] and [`text`] are at the bottom: every part may use them, they use nothing of thresh.

pub mod cli;
pub mod commands;
pub mod config;
pub mod console;
pub mod corpus;
pub mod dedup;
pub mod diff;
pub mod document;
pub mod engine;
pub mod filters;
pub mod interrupt;
pub mod isolate;
pub mod lexicon;
pub mod patch;
pub mod pipeline;
pub mod read;
pub mod report;
pub mod stages;
pub mod store;
pub mod text;
pub mod write;
