//! The rules of DOMAIN.md that turn rows into figures, as functions of typed values and an
//! injected `today`. Nothing here reads the clock or knows there is a terminal.

pub mod caseload;
pub mod cases;
pub mod dates;
pub mod deadlines;
pub mod indicators;
pub mod ivo;
pub mod periods;
pub mod processing;
