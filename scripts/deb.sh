#!/usr/bin/env bash
# The Debian package (cargo-deb: `cargo install cargo-deb`): builds the release binary,
# generates the shell completions and man pages from it into target/assets/ (the assets
# [package.metadata.deb] in Cargo.toml lists), then packages them without building again.
# DEB_MAINTAINER="Name <address>" names the package's maintainer.
# Writes target/debian/bevaka_<version>-1_<arch>.deb; install it with `dpkg -i`.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DEB_MAINTAINER:?set DEB_MAINTAINER=\"Name <address>\" for the package}"
cargo build --release --locked
bin="$(cargo metadata --format-version 1 --no-deps --locked |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')/release/bevaka"
rm -rf target/assets
mkdir -p target/assets/completions target/assets/man
"$bin" completions bash > target/assets/completions/bevaka.bash
"$bin" completions zsh > target/assets/completions/_bevaka
"$bin" completions fish > target/assets/completions/bevaka.fish
"$bin" man --dir target/assets/man
cargo deb --no-build --maintainer "$DEB_MAINTAINER" "$@"
