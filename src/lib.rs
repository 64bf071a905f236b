//! bevaka: a terminal dashboard for Swedish municipal social services.
//!
//! `main.rs` is a thin shell over this library so that tests reach every layer:
//! [`snapshot`] reads and writes the SQLite snapshot, [`domain`] computes the figures,
//! [`report`] and [`tui`] only format them.

pub mod access_log;
pub mod alloc;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod identity;
pub mod import;
pub mod known;
pub mod model;
pub mod private_file;
pub mod progress;
pub mod report;
pub mod run;
pub mod snapshot;
pub mod text;
pub mod tui;
