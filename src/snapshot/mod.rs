//! The snapshot: the one SQLite file bevaka reads. Opening (read-only), writing (by the
//! importer and the demo, via a temporary file and a rename), and the queries the views need.

pub mod build;
pub mod bulk;
pub mod open;
pub mod queries;
pub mod shape;
pub mod split;
pub mod union;
pub mod write;

pub use open::{FileIdentity, OpenError, ReadError, Readers, Snapshot, Source, Stop};
pub use write::{WriteError, write_snapshot};
