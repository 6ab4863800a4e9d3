//! rolebook: position descriptions (岗位职责说明书) as code.
//!
//! The pipeline runs one way:
//!
//! ```text
//! positions/*.toml --load--> model::Org --check--> Vec<Diagnostic>
//!                                      \--render--> handbook (HTML, PDF)
//!        results.xlsx --kpi::import--> rows --kpi::score--> scorecards
//! ```
//!
//! Each stage takes data and returns data; only `cli` prints, colours and exits.

pub mod author;
pub mod check;
pub mod cli;
pub mod diag;
pub mod import;
pub mod kpi;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pdf;
pub mod render;
pub mod schema;
pub mod serve;
pub mod util;
pub mod vocab;
