//! Tests of the real `urenwinst` binary: commands, the server process, and the browser
//! checks in headless Chromium.

mod admin_cli;
mod browser;
mod calculator;
mod fase0;
mod hr;
mod impact;
mod instances;
mod mail;
mod report;
mod roster;
mod support;
mod survey;
