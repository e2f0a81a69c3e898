//! The `face` subcommand (being built; replaced by the real assessment).

use crate::{json, Failure, Options};
use std::path::Path;

pub(crate) struct Session;

impl Session {
    pub(crate) fn new(_opts: &Options) -> Self {
        Session
    }

    pub(crate) fn assess_file(&mut self, _path: &Path) -> Result<json::Obj, Failure> {
        Err(Failure::io("face assessment is not built yet"))
    }
}
