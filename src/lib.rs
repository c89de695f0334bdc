//! thresh: turn a messy scraped text corpus into a clean, deduplicated one.
//!
//! Data flows one way: [`read`] finds inputs and decodes them into [`document::Document`]s, the
//! [`engine`] runs each through the [`pipeline`] of [`stages`] in parallel, and a sink (for
//! `clean`: [`write`] and [`report`]) receives the results in input order.

pub mod cli;
pub mod commands;
pub mod config;
pub mod console;
pub mod corpus;
pub mod dedup;
pub mod diff;
pub mod document;
pub mod engine;
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
