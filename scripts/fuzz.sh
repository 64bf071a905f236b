#!/usr/bin/env bash
# The fuzz tests of the suite (tests/integration/fuzz.rs) run long: byte flips of a
# snapshot through `snapshot check` and every report, and mutated CSV exports through
# `snapshot build`, each asserting no panic, no hang and an error that names the file.
# The seeds are fixed; ROUNDS mutants per test (default 2000, about half an hour here).
set -euo pipefail
cd "$(dirname "$0")/.."
BEVAKA_FUZZ_ROUNDS="${ROUNDS:-2000}" cargo test --release --test integration fuzz:: -- --nocapture
