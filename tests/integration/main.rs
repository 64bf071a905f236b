//! All integration tests in one binary (one link, one run): a module per area.

mod caseload;
mod cli;
mod demo;
mod import;
mod support;
