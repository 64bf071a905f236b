//! Helpers shared by the integration tests.

mod csv_export;
pub mod random_csv;
pub mod random_indicators;
