//! Integration tests: the real server on port 0 with a fresh database, spoken
//! to over HTTP; the `borgen` binary for the command line. Every `db_test!`
//! runs on SQLite and on PostgreSQL.

mod common;

mod audit;
mod auth;
mod authz;
mod catalog;
mod cli;
mod context;
mod crash;
mod documents;
mod estimates;
mod evidence;
mod hardening;
mod import;
mod input;
mod lists;
mod pdf;
mod people;
mod queue;
mod registers;
mod risk;
mod security;
mod soa;
mod totp;
mod versions;
