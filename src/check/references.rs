//! placeholder
use crate::diag::Diagnostic;
use crate::load::Loaded;

pub(super) fn check(_loaded: &Loaded) -> Vec<Diagnostic> {
    Vec::new()
}
