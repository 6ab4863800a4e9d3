//! Rendering the handbook: HTML (tera, pulldown-cmark) and PDF (genpdf).
pub mod pdf;
