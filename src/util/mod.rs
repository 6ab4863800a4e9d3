//! Small helpers every stage uses, one home each: numbers as people read them
//! ([`number`]) and the "did you mean" of a misspelt name ([`did_you_mean`]).
//!
//! Nothing here knows about positions, workbooks or outputs; the words outputs use are in
//! [`crate::vocab`].

pub mod number;
mod suggest;

pub use suggest::did_you_mean;
