//! The FILTER argument of `falco inspect`: compiled with the rules' condition language.

use anyhow::Result;
use falco_engine::fields::Ctx;

/// A compiled filter (placeholder until the condition language lands: every event matches).
pub struct CompiledFilter;

impl CompiledFilter {
    pub fn matches(&self, _ctx: &Ctx<'_>) -> bool {
        true
    }
}

pub fn compile(words: &[String]) -> Result<Option<CompiledFilter>> {
    if words.is_empty() {
        return Ok(None);
    }
    anyhow::bail!("filters need the condition language, which this build does not have yet")
}
