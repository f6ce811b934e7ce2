//! The FILTER argument of `falco inspect`: the words are joined and compiled with the rules'
//! condition language (no macros or lists), like sysdig's filter argument.

use anyhow::Result;
use falco_engine::filter::Filter;

/// Compiles the filter words; None when there are none. Errors name the column and the token.
pub fn compile(words: &[String]) -> Result<Option<Filter>> {
    if words.is_empty() {
        return Ok(None);
    }
    let text = words.join(" ");
    match Filter::new(&text) {
        Ok(f) => Ok(Some(f)),
        Err(e) => {
            let (line, col) = e.line_col(&text);
            let at = if line > 1 {
                format!("line {line} column {col}")
            } else {
                format!("column {col}")
            };
            anyhow::bail!(
                "invalid filter at {at}: {e}\n  {text}\n  {}^",
                " ".repeat(col - 1)
            )
        }
    }
}

/// The compiled filter type `inspect` works with.
pub type CompiledFilter = Filter;
