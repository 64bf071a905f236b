//! bevaka: a terminal dashboard for Swedish municipal social services.
//!
//! `main.rs` is a thin shell over this library so that tests reach every layer:
//! [`snapshot`] reads and writes the SQLite snapshot, [`domain`] computes the figures,
//! [`report`] and [`tui`] only format them.

pub mod model;
pub mod snapshot;
pub mod domain;
