//! All integration tests in one binary (one link, one run): a module per area.

mod admin;
mod caseload;
mod cases;
mod city;
mod cli;
mod deadlines;
mod decisions;
mod demo;
mod drill;
mod e2e;
mod files;
mod fuzz;
mod import;
mod indicators;
mod jump_host;
mod keys;
mod live;
mod picker;
mod processing;
mod quarterly;
mod readers;
mod scale;
mod shape;
mod split;
mod support;
mod values;
