//! All integration tests in one binary (one link, one run): a module per area.

mod caseload;
mod cli;
mod deadlines;
mod demo;
mod import;
mod live;
mod support;
