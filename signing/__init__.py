"""Signed exports: a manifest of what an export holds, signed with the journal's Ed25519 key.

Pure code (hashing, canonical JSON, Ed25519 from `cryptography`): the store keeps
the key (store.signing_key), each exporter puts the signed manifest inside the one
file it writes, and healing_journal.verify reads it back. The scheme, and what a
check proves, is described in docs/signed-exports.md.
"""
