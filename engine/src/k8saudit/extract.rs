//! Reading a field's values out of an audit event, with the k8saudit and json plugins' rules:
//! non-string values become compact JSON, a path through an array fans out over its items (or
//! takes the item the field's index names), and a field with no value is absent.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::SOURCE;
use super::event::AuditEvent;
use super::fields::{ArgKind, ContainerAttr, FieldId, FieldInfo, PodList, SubjectKind};
use super::json::{Kind, Val};

/// A field with its argument, resolved once when a condition or an output is compiled.
#[derive(Debug, Clone)]
pub struct FieldRef {
    pub info: &'static FieldInfo,
    pub arg: Arg,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    None,
    Index(usize),
    Key(String),
    /// A JSON pointer, split into its unescaped segments (empty: the whole document).
    Pointer(Vec<String>),
}

/// Why a field reference is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldRefError {
    #[error("unknown field '{0}'")]
    Unknown(String),
    #[error("field '{0}' requires an argument")]
    MissingArg(String),
    #[error("field '{0}' does not take an argument")]
    UnexpectedArg(String),
    #[error("field '{0}': the argument '{1}' is not an index")]
    BadIndex(String, String),
}

impl FieldRef {
    pub fn parse(name: &str, arg: Option<&str>) -> Result<FieldRef, FieldRefError> {
        let info =
            super::fields::lookup(name).ok_or_else(|| FieldRefError::Unknown(name.to_string()))?;
        let arg = match (info.arg, arg) {
            (ArgKind::None, None) | (ArgKind::Index, None) => Arg::None,
            (ArgKind::None, Some(_)) => return Err(FieldRefError::UnexpectedArg(name.into())),
            (ArgKind::Index, Some(a)) => Arg::Index(
                a.trim()
                    .parse()
                    .map_err(|_| FieldRefError::BadIndex(name.into(), a.into()))?,
            ),
            (ArgKind::Key, None) => return Err(FieldRefError::MissingArg(name.into())),
            (ArgKind::Key, Some(a)) if info.id == FieldId::JsonValue => Arg::Pointer(pointer(a)),
            (ArgKind::Key, Some(a)) => Arg::Key(a.to_string()),
        };
        Ok(FieldRef { info, arg })
    }

    /// The field as written (`name[arg]`).
    pub fn text(&self) -> String {
        match &self.arg {
            Arg::None => self.info.name.clone(),
            Arg::Index(i) => format!("{}[{i}]", self.info.name),
            Arg::Key(k) => format!("{}[{k}]", self.info.name),
            Arg::Pointer(p) => {
                let segs: Vec<String> = p
                    .iter()
                    .map(|s| s.replace('~', "~0").replace('/', "~1"))
                    .collect();
                format!("{}[/{}]", self.info.name, segs.join("/"))
            }
        }
    }

    fn index(&self) -> Option<usize> {
        match self.arg {
            Arg::Index(i) => Some(i),
            _ => None,
        }
    }
}

fn pointer(a: &str) -> Vec<String> {
    let a = a.strip_prefix('/').unwrap_or(a);
    if a.is_empty() {
        return Vec::new();
    }
    a.split('/')
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// What a field extracted: nothing, one value or several (list fields).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Values<'e> {
    #[default]
    None,
    One(Cow<'e, str>),
    Many(Vec<Cow<'e, str>>),
}

impl<'e> Values<'e> {
    fn from_vec(mut v: Vec<Cow<'e, str>>) -> Values<'e> {
        match v.len() {
            0 => Values::None,
            1 => Values::One(v.pop().unwrap_or_default()),
            _ => Values::Many(v),
        }
    }

    pub fn as_slice(&self) -> &[Cow<'e, str>] {
        match self {
            Values::None => &[],
            Values::One(v) => std::slice::from_ref(v),
            Values::Many(v) => v,
        }
    }

    pub fn is_none(&self) -> bool {
        matches!(self, Values::None)
    }
}

/// What an extraction knows besides the event: its number in the stream, the stream's first
/// event time and the host's name.
#[derive(Debug, Clone, Copy, Default)]
pub struct EvtInfo<'h> {
    pub num: u64,
    /// The first event's time in this source's stream: `evt.reltime` counts from it.
    pub first_ts: u64,
    /// `evt.hostname` (FALCO_HOSTNAME when set, as in Falco).
    pub hostname: &'h str,
}

/// The values of field `f` in event `ev`.
pub fn extract<'e>(f: &FieldRef, ev: &'e AuditEvent, info: EvtInfo<'_>) -> Values<'e> {
    let root = ev.json();
    if f.info.plugin == Some("k8saudit") && !ev.has_audit_id() {
        // The k8saudit plugin reads nothing from JSON that is not an audit event.
        return Values::None;
    }
    extract_inner(f, ev, root, info).unwrap_or_default()
}

fn extract_inner<'e>(
    f: &FieldRef,
    ev: &'e AuditEvent,
    root: Val<'e>,
    info: EvtInfo<'_>,
) -> Option<Values<'e>> {
    let idx = f.index();
    let owned = |s: String| Some(Values::One(Cow::Owned(s)));
    Some(match f.info.id {
        FieldId::Keys(keys) => {
            let v = root.path(keys)?;
            if !f.info.is_list {
                return Some(Values::One(v.to_text()));
            }
            if v.kind() != Kind::Array {
                return None;
            }
            match idx {
                Some(i) => Values::One(v.items().nth(i)?.to_text()),
                None => Values::from_vec(v.items().map(|x| x.to_text()).collect()),
            }
        }
        FieldId::UriParam => {
            let Arg::Key(k) = &f.arg else { return None };
            return uri_param(&root.get("requestURI")?.to_text(), k).and_then(owned);
        }
        FieldId::TargetPodName => {
            let obj = root.get("objectRef")?;
            let sub = obj.get("subresource").map(|s| s.to_text());
            if obj.get("resource")?.to_text() != "pods" || sub.is_some_and(|s| !s.is_empty()) {
                return None;
            }
            Values::One(
                root.path(&["responseObject", "metadata", "name"])?
                    .to_text(),
            )
        }
        FieldId::Subjects(kind) => subjects(root, kind)?,
        FieldId::SubjectHasName => Values::One(Cow::Borrowed("true")),
        FieldId::FirstContainerImage => {
            let v = container_values(root, PodList::Containers, Some(0), &["image"])?;
            Values::One(v.first()?.as_ref()?.to_text())
        }
        FieldId::FirstContainerRepository => {
            let v = container_values(root, PodList::Containers, Some(0), &["image"])?;
            Values::One(repository(v.first()?.as_ref()?.to_text()))
        }
        FieldId::AnyContainerPrivileged => {
            let keys = ["securityContext", "privileged"];
            let v = container_values(root, PodList::Containers, None, &keys)?;
            let any = v.iter().flatten().any(|p| p.as_bool() == Some(true));
            Values::One(Cow::Borrowed(if any { "true" } else { "false" }))
        }
        FieldId::RoleRules(key) => {
            let mut vals = Vec::new();
            walk(root, idx, &["requestObject", "rules", key], &mut vals).then_some(())?;
            let items = vals.iter().flatten().filter(|v| v.kind() == Kind::Array);
            Values::from_vec(items.flat_map(|v| v.items()).map(|x| x.to_text()).collect())
        }
        FieldId::Spec(keys) => {
            let mut path = vec!["requestObject", "spec"];
            path.extend_from_slice(keys);
            let mut vals = Vec::new();
            walk(root, idx, &path, &mut vals).then_some(())?;
            Values::from_vec(vals.iter().flatten().map(|v| v.to_text()).collect())
        }
        FieldId::VolumeHostPathPrefix => {
            let Arg::Key(arg) = &f.arg else { return None };
            let path = ["requestObject", "spec", "volumes", "hostPath", "path"];
            let mut vals = Vec::new();
            walk(root, None, &path, &mut vals).then_some(())?;
            let prefix = arg.strip_suffix('*');
            let hit = vals
                .iter()
                .flatten()
                .map(|v| v.to_text())
                .any(|v| match prefix {
                    Some(p) => v.starts_with(p),
                    None => v == arg.as_str(),
                });
            Values::One(Cow::Borrowed(if hit { "true" } else { "false" }))
        }
        FieldId::VolumeTypes => {
            let mut vals = Vec::new();
            walk(
                root,
                idx,
                &["requestObject", "spec", "volumes", ""],
                &mut vals,
            )
            .then_some(())?;
            let types = vals.iter().flatten().flat_map(|v| v.entries());
            Values::from_vec(
                types
                    .filter(|(k, _)| !k.raw().eq("name"))
                    .map(|(k, _)| k.to_text())
                    .collect(),
            )
        }
        FieldId::Container(list, attr) => container_field(root, list, attr, idx)?,
        FieldId::JsonValue => {
            let Arg::Pointer(segs) = &f.arg else {
                return None;
            };
            let v = segs.iter().try_fold(root, |v, k| v.get(k))?;
            Values::One(v.to_text())
        }
        FieldId::JsonObj => {
            let mut s = String::with_capacity(root.raw().len() * 2);
            root.write_indented(&mut s, 0);
            return owned(s);
        }
        FieldId::JsonRawTime | FieldId::EvtRawTime => return owned(ev.time().to_string()),
        FieldId::EvtRawTimeS => return owned((ev.time() / 1_000_000_000).to_string()),
        FieldId::EvtRawTimeNs => return owned((ev.time() % 1_000_000_000).to_string()),
        FieldId::EvtNum => return owned(info.num.to_string()),
        FieldId::EvtTime => return owned(format_time(ev.time(), "%H:%M:%S", true)),
        FieldId::EvtTimeS => return owned(format_time(ev.time(), "%H:%M:%S", false)),
        FieldId::EvtDatetime => return owned(format_time(ev.time(), "%Y-%m-%d %H:%M:%S", true)),
        FieldId::EvtDatetimeS => {
            return owned(format_time(ev.time(), "%Y-%m-%d %H:%M:%S", false));
        }
        FieldId::EvtReltime => return owned(ev.time().saturating_sub(info.first_ts).to_string()),
        FieldId::EvtReltimeS => {
            return owned((ev.time().saturating_sub(info.first_ts) / 1_000_000_000).to_string());
        }
        FieldId::EvtReltimeNs => {
            return owned((ev.time().saturating_sub(info.first_ts) % 1_000_000_000).to_string());
        }
        FieldId::EvtHostname => return owned(info.hostname.to_string()),
        // Audit events are never asynchronous: the field has no value, as in libs.
        FieldId::EvtAsyncType => Values::None,
        FieldId::EvtTimeIso8601 => return owned(iso8601(ev.time())),
        FieldId::EvtSource => Values::One(Cow::Borrowed(SOURCE)),
        FieldId::EvtPluginName => Values::One(Cow::Borrowed("k8saudit")),
        FieldId::EvtPluginInfo => return owned(root.to_text().into_owned()),
        FieldId::EvtIsAsync => Values::One(Cow::Borrowed("false")),
    })
}

/// Local time as `evt.time` prints it (`%H:%M:%S.nnnnnnnnn`).
fn format_time(ts: u64, fmt: &str, nanos: bool) -> String {
    let secs = (ts / 1_000_000_000) as i64;
    let ns = (ts % 1_000_000_000) as u32;
    let t = chrono::DateTime::from_timestamp(secs, ns)
        .unwrap_or_default()
        .with_timezone(&chrono::Local);
    let mut s = t.format(fmt).to_string();
    if nanos {
        let _ = write!(s, ".{ns:09}");
    }
    s
}

/// UTC time as `evt.time.iso8601` prints it.
pub fn iso8601(ts: u64) -> String {
    let secs = (ts / 1_000_000_000) as i64;
    let ns = (ts % 1_000_000_000) as u32;
    let t = chrono::DateTime::from_timestamp(secs, ns).unwrap_or_default();
    format!("{}.{ns:09}Z", t.format("%Y-%m-%dT%H:%M:%S"))
}

/// Walks `keys` from `v`. An array met on the way fans out over its items (an item without the
/// rest of the path gives a None) or, with `index`, continues with that item. False when the
/// path does not exist.
fn walk<'d>(
    mut v: Val<'d>,
    index: Option<usize>,
    keys: &[&str],
    out: &mut Vec<Option<Val<'d>>>,
) -> bool {
    for (i, k) in keys.iter().enumerate() {
        if v.kind() == Kind::Array {
            let Some(n) = index else {
                for item in v.items() {
                    let before = out.len();
                    if !walk(item, index, &keys[i..], out) {
                        out.truncate(before);
                        out.push(None);
                    }
                }
                return true;
            };
            match v.items().nth(n) {
                Some(item) => v = item,
                None => return false,
            }
        }
        if !k.is_empty() {
            match v.get(k) {
                Some(x) => v = x,
                None => return false,
            }
        }
    }
    out.push(Some(v));
    true
}

fn container_values<'d>(
    root: Val<'d>,
    list: PodList,
    index: Option<usize>,
    keys: &[&str],
) -> Option<Vec<Option<Val<'d>>>> {
    let mut path = vec!["requestObject", "spec", list.key()];
    path.extend_from_slice(keys);
    let mut out = Vec::new();
    walk(root, index, &path, &mut out).then_some(out)
}

/// Every value as text; None when one is missing (names and images must all be there).
fn all_text<'d>(vals: &[Option<Val<'d>>]) -> Option<Vec<Cow<'d, str>>> {
    vals.iter().map(|v| v.map(|v| v.to_text())).collect()
}

/// The repository part of an image reference, as the plugin cuts it (before the first ':' and
/// then before the first '@').
fn repository(image: Cow<'_, str>) -> Cow<'_, str> {
    let cut = image.find([':', '@']).unwrap_or(image.len());
    match image {
        Cow::Borrowed(s) => Cow::Borrowed(&s[..cut]),
        Cow::Owned(mut s) => {
            s.truncate(cut);
            Cow::Owned(s)
        }
    }
}

fn container_field<'d>(
    root: Val<'d>,
    list: PodList,
    attr: ContainerAttr,
    idx: Option<usize>,
) -> Option<Values<'d>> {
    use ContainerAttr as A;
    let texts = |vals: Vec<Option<Val<'d>>>| -> Vec<Cow<'d, str>> {
        vals.iter().flatten().map(|v| v.to_text()).collect()
    };
    Some(match attr {
        A::Name => Values::from_vec(all_text(&container_values(root, list, idx, &["name"])?)?),
        A::Image => Values::from_vec(all_text(&container_values(root, list, idx, &["image"])?)?),
        A::ImageRepository => {
            let images = all_text(&container_values(root, list, idx, &["image"])?)?;
            Values::from_vec(images.into_iter().map(repository).collect())
        }
        A::Command | A::Args => {
            let key = if attr == A::Command {
                "command"
            } else {
                "args"
            };
            let mut joined = Vec::new();
            for v in container_values(root, list, idx, &[key])?.iter().flatten() {
                if v.kind() != Kind::Array {
                    return None;
                }
                let words: Option<Vec<Cow<'_, str>>> = v.items().map(|w| w.as_str()).collect();
                joined.push(Cow::Owned(words?.join(" ")));
            }
            Values::from_vec(joined)
        }
        A::Security(keys) => {
            let mut path = vec!["securityContext"];
            path.extend_from_slice(keys);
            Values::from_vec(texts(container_values(root, list, idx, &path)?))
        }
        A::Effective(key) => {
            let pod = root.path(&["requestObject", "spec", "securityContext", key]);
            let pod = pod.map_or(Cow::Borrowed("0"), |v| v.to_text());
            let path = ["securityContext", key];
            let vals = container_values(root, list, idx, &path)?;
            Values::from_vec(
                vals.iter()
                    .map(|v| v.map_or_else(|| pod.clone(), |v| v.to_text()))
                    .collect(),
            )
        }
        A::HostPort => {
            let mut out = Vec::new();
            for ports in container_values(root, list, idx, &["ports"])?
                .iter()
                .flatten()
            {
                if ports.kind() != Kind::Array {
                    return None;
                }
                for p in ports.items() {
                    if let Some(v) = p.get("hostPort").or_else(|| p.get("containerPort")) {
                        out.push(v.to_text());
                    }
                }
            }
            Values::from_vec(out)
        }
    })
}

fn subjects(root: Val<'_>, kind: SubjectKind) -> Option<Values<'_>> {
    let Some(subjects) = root.path(&["requestObject", "subjects"]) else {
        return Some(Values::None);
    };
    if subjects.kind() != Kind::Array {
        return None;
    }
    let (want, namespaced) = match kind {
        SubjectKind::User => ("User", false),
        SubjectKind::ServiceAccount => ("ServiceAccount", false),
        SubjectKind::NamespacedServiceAccount => ("ServiceAccount", true),
        SubjectKind::Group => ("Group", false),
    };
    let mut out = Vec::new();
    for s in subjects.items() {
        let (Some(k), Some(name)) = (s.get("kind"), s.get("name")) else {
            continue;
        };
        if k.to_text() != want {
            continue;
        }
        if namespaced {
            let Some(ns) = s.get("namespace") else {
                continue;
            };
            out.push(Cow::Owned(format!("{}:{}", ns.to_text(), name.to_text())));
        } else {
            out.push(name.to_text());
        }
    }
    Some(Values::from_vec(out))
}

/// The first value of query parameter `key` in `uri`, percent-decoded.
fn uri_param(uri: &str, key: &str) -> Option<String> {
    let query = uri.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or_default();
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (percent_decode(k)? == key)
            .then(|| percent_decode(v))
            .flatten()
    })
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let h = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(h, 16).ok()?);
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::super::event::parse_payload;
    use super::*;

    const POD: &str = r#"{"kind":"Event","auditID":"x","stageTimestamp":"2018-10-25T14:09:12Z",
      "requestURI":"/api/v1/namespaces/default/pods/p/exec?command=ls&command=-l&stdout=true&x=a%20b+c",
      "objectRef":{"resource":"pods","name":"p"},
      "responseObject":{"metadata":{"name":"p"}},
      "requestObject":{"spec":{"securityContext":{"runAsUser":7},
        "containers":[{"name":"a","image":"nginx:1.2","command":["sh","-c"],"securityContext":{"privileged":true},"ports":[{"containerPort":80}]},
                      {"name":"b","image":"docker.io/falco@sha256:ab","securityContext":{"runAsUser":3}}],
        "volumes":[{"name":"v","hostPath":{"path":"/proc"}},{"name":"w","emptyDir":{}}]}},
      "user":{"username":"u","groups":["g1","g2"]}}"#;

    fn get(ev: &AuditEvent, name: &str, arg: Option<&str>) -> Vec<String> {
        let f = FieldRef::parse(name, arg).unwrap();
        extract(&f, ev, EvtInfo::default())
            .as_slice()
            .iter()
            .map(|c| c.to_string())
            .collect()
    }

    #[test]
    fn pod_fields() {
        let ev = &parse_payload(POD, 1 << 20).unwrap().events[0];
        assert_eq!(
            get(ev, "ka.req.pod.containers.image", None),
            ["nginx:1.2", "docker.io/falco@sha256:ab"]
        );
        assert_eq!(
            get(ev, "ka.req.pod.containers.image", Some("1")),
            ["docker.io/falco@sha256:ab"]
        );
        assert!(get(ev, "ka.req.pod.containers.image", Some("2")).is_empty());
        assert_eq!(
            get(ev, "ka.req.pod.containers.image.repository", None),
            ["nginx", "docker.io/falco"]
        );
        assert_eq!(get(ev, "ka.req.pod.containers.privileged", None), ["true"]);
        assert_eq!(get(ev, "ka.req.container.privileged", None), ["true"]);
        assert_eq!(get(ev, "ka.req.pod.containers.command", None), ["sh -c"]);
        assert_eq!(
            get(ev, "ka.req.pod.containers.eff_run_as_user", None),
            ["7", "3"]
        );
        assert_eq!(get(ev, "ka.req.pod.containers.host_port", None), ["80"]);
        assert_eq!(get(ev, "ka.req.pod.volumes.hostpath", None), ["/proc"]);
        assert_eq!(
            get(ev, "ka.req.pod.volumes.volume_type", None),
            ["hostPath", "emptyDir"]
        );
        assert_eq!(get(ev, "ka.req.volume.hostpath", Some("/pr*")), ["true"]);
        assert!(get(ev, "ka.req.pod.initContainers.image", None).is_empty());
        assert_eq!(get(ev, "ka.user.groups", None), ["g1", "g2"]);
        assert_eq!(get(ev, "ka.uri.param", Some("command")), ["ls"]);
        assert_eq!(get(ev, "ka.uri.param", Some("x")), ["a b c"]);
        assert_eq!(get(ev, "ka.target.pod.name", None), ["p"]);
        assert_eq!(
            get(
                ev,
                "jevt.value",
                Some("/requestObject/spec/securityContext")
            ),
            [r#"{"runAsUser":7}"#]
        );
        assert_eq!(
            get(
                ev,
                "jevt.value",
                Some("/requestObject/spec/containers/1/name")
            ),
            ["b"]
        );
        assert_eq!(get(ev, "jevt.rawtime", None), ["1540476552000000000"]);
        assert_eq!(
            get(ev, "evt.time.iso8601", None),
            ["2018-10-25T14:09:12.000000000Z"]
        );
    }

    #[test]
    fn non_audit_json_has_only_json_fields() {
        let ev = &parse_payload(
            r#"{"kind":"Event","stageTimestamp":"2018-10-25T14:09:12Z","verb":"get"}"#,
            1000,
        )
        .unwrap()
        .events[0];
        assert!(get(ev, "ka.verb", None).is_empty());
        assert_eq!(get(ev, "jevt.value", Some("/verb")), ["get"]);
    }

    #[test]
    fn bad_references() {
        assert!(FieldRef::parse("ka.nope", None).is_err());
        assert!(FieldRef::parse("ka.uri.param", None).is_err());
        assert!(FieldRef::parse("ka.verb", Some("1")).is_err());
        assert!(FieldRef::parse("ka.req.pod.containers.image", Some("x")).is_err());
        let p = FieldRef::parse("jevt.value", Some("/a~1b/c")).unwrap();
        assert_eq!(p.arg, Arg::Pointer(vec!["a/b".into(), "c".into()]));
        assert_eq!(p.text(), "jevt.value[/a~1b/c]");
    }
}
