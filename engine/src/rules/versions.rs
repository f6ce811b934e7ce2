//! Versions: the Falco engine version whose rules language and fields falco implements, the
//! plugins built into falco, and the `x.y.z` comparisons Falco applies to them.

/// The Falco engine version rules files may require (`required_engine_version`): Falco 0.44.1's,
/// whose rules language and fields falco implements.
pub const ENGINE_VERSION: &str = "0.62.0";

/// A plugin that falco provides without loading a shared library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltinPlugin {
    pub name: &'static str,
    pub version: &'static str,
    pub description: &'static str,
    /// The field classes it brings (the container plugin's `container.*` and `k8s.*`).
    pub fields: &'static str,
}

/// The built-in container support reports itself as Falco's `container` plugin, at the version
/// Falco 0.44.1 ships, so rules that require it load.
pub const BUILTIN_PLUGINS: &[BuiltinPlugin] = &[
    BuiltinPlugin {
        name: "container",
        version: "0.7.1",
        description: "Container and Kubernetes metadata (built into falco)",
        fields: "container, k8s",
    },
    BuiltinPlugin {
        name: "k8saudit",
        version: "0.18.0",
        description: "Kubernetes audit events: the k8s_audit source (built into falco)",
        fields: "ka",
    },
    BuiltinPlugin {
        name: "json",
        version: "0.7.4",
        description: "Fields of JSON events (built into falco, for k8s_audit)",
        fields: "json, jevt",
    },
];

/// A semantic version `major.minor.patch` (missing parts are 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub u64, pub u64, pub u64);

impl Version {
    pub fn parse(s: &str) -> Option<Version> {
        let s = s.trim();
        let core = s.split(['-', '+']).next()?;
        let mut it = core.split('.');
        let a = it.next()?.parse().ok()?;
        let b = it.next().map_or(Some(0), |p| p.parse().ok())?;
        let c = it.next().map_or(Some(0), |p| p.parse().ok())?;
        if it.next().is_some() {
            return None;
        }
        Some(Version(a, b, c))
    }

    /// Falco's rule: same major, and at least `required`.
    pub fn compatible_with(self, required: Version) -> bool {
        self.0 == required.0 && self >= required
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// The version a `required_engine_version` value asks for: an integer `N` is Falco's old
/// numbering, `0.N.0`.
pub fn required_engine(value: &str) -> Option<Version> {
    let v = value.trim();
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Version(0, v.parse().ok()?, 0));
    }
    Version::parse(v)
}

/// The engine version as a [`Version`].
pub fn engine_version() -> Version {
    Version::parse(ENGINE_VERSION).expect("valid engine version")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_as_falco() {
        assert_eq!(required_engine("17"), Some(Version(0, 17, 0)));
        assert_eq!(required_engine("0.57.0"), Some(Version(0, 57, 0)));
        assert_eq!(required_engine("x"), None);
        assert!(Version(0, 7, 1).compatible_with(Version(0, 4, 0)));
        assert!(!Version(1, 0, 0).compatible_with(Version(0, 4, 0)));
        assert!(!Version(0, 3, 9).compatible_with(Version(0, 4, 0)));
    }
}
