//! Writes a snapshot's tables as the CSV files `bevaka snapshot build --from DIR` reads:
//! one file per table, named after it, the contract's column names as the header, `,` as
//! separator, LF line ends, no BOM, an empty field for NULL, numbers as Rust writes them
//! (the shortest text that reads back as the same number).
//!
//! ```sh
//! cargo run --release --example export_csv -- city.sqlite city-csv/
//! ```
//!
//! The import benchmark (`benches/import.sh`) makes the city's CSV this way. The rows are
//! read and written one at a time, in the file's order (goals parents first, as written).

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use bevaka::model::TABLES;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [snapshot, dir] = args.as_slice() else {
        eprintln!("användning: export_csv ÖGONBLICKSBILD KATALOG");
        return ExitCode::from(2);
    };
    match export(snapshot, dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("export_csv: {e}");
            ExitCode::FAILURE
        }
    }
}

fn export(snapshot: &Path, dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let conn = Connection::open_with_flags(snapshot, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    std::fs::create_dir_all(dir)?;
    for table in TABLES {
        let path = dir.join(format!("{table}.csv"));
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(BufWriter::with_capacity(1 << 16, File::create(&path)?));
        let mut st = conn.prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))?;
        let names: Vec<String> = st.column_names().map(str::to_owned).collect();
        out.write_record(&names)?;
        let mut rows = st.query([])?;
        let mut record: Vec<String> = vec![String::new(); names.len()];
        let mut count = 0u64;
        while let Some(row) = rows.next()? {
            for (i, field) in record.iter_mut().enumerate() {
                field.clear();
                match row.get_ref(i)? {
                    ValueRef::Null => {}
                    ValueRef::Integer(n) => field.push_str(&n.to_string()),
                    ValueRef::Real(x) => field.push_str(&x.to_string()),
                    ValueRef::Text(t) => field.push_str(std::str::from_utf8(t)?),
                    ValueRef::Blob(_) => {
                        return Err(format!("{table}: en BLOB i kolumn {}", names[i]).into());
                    }
                }
            }
            out.write_record(&record)?;
            count += 1;
        }
        out.flush()?;
        println!("{} ({count} rader)", path.display());
    }
    Ok(())
}
