//! The fields of the `k8s_audit` source: those of the k8saudit plugin (`ka.*`), of the json plugin
//! (`json.*` and its older names `jevt.*`), and the event fields every plugin source has (`evt.*`).
//! Names, list flags and arguments are the plugins' (tests/fields/k8saudit-0.18.0-json-0.7.4-fields.tsv
//! checks them); every `ka.*`/`jevt.*` field is a string, as in Falco, and the `evt.*` fields have
//! the types of libs' generic event fields.

use std::collections::HashMap;
use std::sync::OnceLock;

/// What goes between the brackets of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    None,
    /// An optional index into the field's list (`ka.req.pod.containers.image[0]`).
    Index,
    /// A required key (`ka.uri.param[command]`, `jevt.value[/stage]`).
    Key,
}

/// How a field's values compare: as text or as numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    String,
    Uint64,
    /// Nanoseconds since the epoch.
    AbsTime,
    /// Nanoseconds since the stream's first event.
    RelTime,
    /// `true` or `false`, compared as text.
    Bool,
}

impl FieldType {
    pub fn name(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Uint64 => "uint64",
            FieldType::AbsTime => "abstime",
            FieldType::RelTime => "reltime",
            FieldType::Bool => "bool",
        }
    }

    /// The type as libs names it in `falco --list` (a plugin's `string` is libs' CHARBUF).
    pub fn libs_name(self) -> &'static str {
        match self {
            FieldType::String => "CHARBUF",
            FieldType::Uint64 => "UINT64",
            FieldType::AbsTime => "ABSTIME",
            FieldType::RelTime => "RELTIME",
            FieldType::Bool => "BOOL",
        }
    }
}

/// Which container list of a pod spec a per-container field reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodList {
    Containers,
    Init,
    Ephemeral,
}

impl PodList {
    pub fn key(self) -> &'static str {
        match self {
            PodList::Containers => "containers",
            PodList::Init => "initContainers",
            PodList::Ephemeral => "ephemeralContainers",
        }
    }
}

/// A per-container attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerAttr {
    Name,
    Image,
    ImageRepository,
    Command,
    Args,
    /// A `securityContext` key, as text.
    Security(&'static [&'static str]),
    /// `runAsUser`/`runAsGroup` from the container, else the pod, else 0.
    Effective(&'static str),
    HostPort,
}

/// Subject kinds of a role binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectKind {
    User,
    ServiceAccount,
    /// Service accounts as `namespace:name`.
    NamespacedServiceAccount,
    Group,
}

/// What a field extracts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldId {
    /// The value at this path of the event (each item of it for list fields).
    Keys(&'static [&'static str]),
    UriParam,
    TargetPodName,
    Subjects(SubjectKind),
    SubjectHasName,
    FirstContainerImage,
    FirstContainerRepository,
    AnyContainerPrivileged,
    /// A list inside each of the role's rules (`requestObject.rules[].<key>`).
    RoleRules(&'static str),
    /// Text of every item found at this path under `requestObject.spec`, arrays fanned out.
    Spec(&'static [&'static str]),
    VolumeHostPathPrefix,
    VolumeTypes,
    Container(PodList, ContainerAttr),
    JsonValue,
    JsonObj,
    JsonRawTime,
    EvtNum,
    EvtTime,
    EvtTimeS,
    EvtTimeIso8601,
    EvtDatetime,
    EvtDatetimeS,
    EvtRawTime,
    EvtRawTimeS,
    EvtRawTimeNs,
    EvtSource,
    EvtPluginName,
    EvtPluginInfo,
    EvtIsAsync,
    EvtAsyncType,
    EvtReltime,
    EvtReltimeS,
    EvtReltimeNs,
    EvtHostname,
}

/// One field of the source.
#[derive(Debug, Clone)]
pub struct FieldInfo {
    pub name: String,
    pub desc: String,
    pub ftype: FieldType,
    pub is_list: bool,
    pub arg: ArgKind,
    pub id: FieldId,
    /// The plugin that defines the field in Falco (`k8saudit`, `json`), or None for `evt.*`.
    pub plugin: Option<&'static str>,
}

fn ka(name: &str, desc: &str, id: FieldId) -> FieldInfo {
    FieldInfo {
        name: name.to_string(),
        desc: desc.to_string(),
        ftype: FieldType::String,
        is_list: false,
        arg: ArgKind::None,
        id,
        plugin: Some("k8saudit"),
    }
}

fn ka_list(name: &str, desc: &str, arg: ArgKind, id: FieldId) -> FieldInfo {
    FieldInfo {
        is_list: true,
        arg,
        ..ka(name, desc, id)
    }
}

fn ka_key(name: &str, desc: &str, id: FieldId) -> FieldInfo {
    FieldInfo {
        arg: ArgKind::Key,
        ..ka(name, desc, id)
    }
}

fn keys(k: &'static [&'static str]) -> FieldId {
    FieldId::Keys(k)
}

/// Every field, in the order `--list` prints them.
pub fn all() -> &'static [FieldInfo] {
    static ALL: OnceLock<Vec<FieldInfo>> = OnceLock::new();
    ALL.get_or_init(build)
}

/// The field named `name` (without its argument).
pub fn lookup(name: &str) -> Option<&'static FieldInfo> {
    static BY_NAME: OnceLock<HashMap<&'static str, usize>> = OnceLock::new();
    let map = BY_NAME.get_or_init(|| {
        all()
            .iter()
            .enumerate()
            .map(|(i, f)| (f.name.as_str(), i))
            .collect()
    });
    map.get(name).map(|&i| &all()[i])
}

#[rustfmt::skip]
fn build() -> Vec<FieldInfo> {
    use ArgKind::Index;
    use FieldId as F;
    let mut v = vec![
        ka("ka.auditid", "The unique id of the audit event", keys(&["auditID"])),
        ka("ka.stage", "Stage of the request (e.g. RequestReceived, ResponseComplete, etc.)", keys(&["stage"])),
        ka("ka.auth.decision", "The authorization decision", keys(&["annotations", "authorization.k8s.io/decision"])),
        ka("ka.auth.reason", "The authorization reason", keys(&["annotations", "authorization.k8s.io/reason"])),
        ka("ka.auth.openshift.decision", "The authentication decision of the openshfit apiserver extention. Only available on openshift clusters", keys(&["annotations", "authentication.openshift.io/decision"])),
        ka("ka.validations.admission.policy.failure", "The validation failure reason from a Validation Admission Policy", keys(&["annotations", "validation.policy.admission.k8s.io/validation_failure"])),
        ka("ka.security.pod.violations", "The violation reason for pod security policy ", keys(&["annotations", "pod-security.kubernetes.io/audit-violations"])),
        ka("ka.auth.openshift.username", "The user name performing the openshift authentication operation. Only available on openshift clusters", keys(&["annotations", "authentication.openshift.io/username"])),
        ka("ka.user.name", "The user name performing the request", keys(&["user", "username"])),
        ka_list("ka.user.groups", "The groups to which the user belongs", ArgKind::None, keys(&["user", "groups"])),
        ka("ka.impuser.name", "The impersonated user name", keys(&["impersonatedUser", "username"])),
        ka("ka.verb", "The action being performed", keys(&["verb"])),
        ka("ka.uri", "The request URI as sent from client to server", keys(&["requestURI"])),
        ka_key("ka.uri.param", "The value of a given query parameter in the uri (e.g. when uri=/foo?key=val, ka.uri.param[key] is val).", F::UriParam),
        ka("ka.target.name", "The target object name", keys(&["objectRef", "name"])),
        ka("ka.target.namespace", "The target object namespace", keys(&["objectRef", "namespace"])),
        ka("ka.target.resource", "The target object resource", keys(&["objectRef", "resource"])),
        ka("ka.target.subresource", "The target object subresource", keys(&["objectRef", "subresource"])),
        ka("ka.target.pod.name", "The target pod name", F::TargetPodName),
        ka_list("ka.req.binding.subjects", "When the request object refers to a cluster role binding, the subject (e.g. account/users) being linked by the binding", ArgKind::None, keys(&["requestObject", "subjects"])),
        ka_list("ka.req.binding.subjects.user_names", "When the request object refers to a cluster role binding, the subject user names being linked by the binding", ArgKind::None, F::Subjects(SubjectKind::User)),
        ka_list("ka.req.binding.subjects.serviceaccount_names", "When the request object refers to a cluster role binding, the subject service account names being linked by the binding", ArgKind::None, F::Subjects(SubjectKind::ServiceAccount)),
        ka_list("ka.req.binding.subjects.serviceaccount_ns_names", "When the request object refers to a cluster role binding, the subject serviceaccount namespaced names being linked by the binding, e.g. a list containing: mynamespace:myserviceaccount", ArgKind::None, F::Subjects(SubjectKind::NamespacedServiceAccount)),
        ka_list("ka.req.binding.subjects.group_names", "When the request object refers to a cluster role binding, the subject group names being linked by the binding", ArgKind::None, F::Subjects(SubjectKind::Group)),
        ka("ka.req.binding.role", "When the request object refers to a cluster role binding, the role being linked by the binding", keys(&["requestObject", "roleRef", "name"])),
        ka_key("ka.req.binding.subject.has_name", "Deprecated, always returns \"N/A\". Only provided for backwards compatibility", F::SubjectHasName),
        ka("ka.req.configmap.name", "If the request object refers to a configmap, the configmap name", keys(&["objectRef", "name"])),
        ka("ka.req.configmap.obj", "If the request object refers to a configmap, the entire configmap object", keys(&["requestObject", "data"])),
    ];
    v.extend(container_fields(PodList::Containers, "container's", "containers", true));
    v.extend([
        ka("ka.req.container.image", "Deprecated by ka.req.pod.containers.image. Returns the image of the first container only", F::FirstContainerImage),
        ka("ka.req.container.image.repository", "Deprecated by ka.req.pod.containers.image.repository. Returns the repository of the first container only", F::FirstContainerRepository),
        ka("ka.req.pod.host_ipc", "When the request object refers to a pod, the value of the hostIPC flag.", keys(&["requestObject", "spec", "hostIPC"])),
        ka("ka.req.pod.host_network", "When the request object refers to a pod, the value of the hostNetwork flag.", keys(&["requestObject", "spec", "hostNetwork"])),
        ka("ka.req.container.host_network", "Deprecated alias for ka.req.pod.host_network", keys(&["requestObject", "spec", "hostNetwork"])),
        ka("ka.req.pod.host_pid", "When the request object refers to a pod, the value of the hostPID flag.", keys(&["requestObject", "spec", "hostPID"])),
        ka("ka.req.container.privileged", "Deprecated by ka.req.pod.containers.privileged. Returns true if any container has privileged=true", F::AnyContainerPrivileged),
        ka("ka.req.pod.run_as_user", "When the request object refers to a pod, the runAsUser uid specified in the security context for the pod. See ....containers.run_as_user for the runAsUser for individual containers", keys(&["requestObject", "spec", "securityContext", "runAsUser"])),
        ka("ka.req.pod.run_as_group", "When the request object refers to a pod, the runAsGroup gid specified in the security context for the pod. See ....containers.run_as_group for the runAsGroup for individual containers", keys(&["requestObject", "spec", "securityContext", "runAsGroup"])),
        ka_list("ka.req.role.rules", "When the request object refers to a role/cluster role, the rules associated with the role", ArgKind::None, keys(&["requestObject", "rules"])),
        ka_list("ka.req.role.rules.apiGroups", "When the request object refers to a role/cluster role, the api groups associated with the role's rules", Index, F::RoleRules("apiGroups")),
        ka_list("ka.req.role.rules.nonResourceURLs", "When the request object refers to a role/cluster role, the non resource urls associated with the role's rules", Index, F::RoleRules("nonResourceURLs")),
        ka_list("ka.req.role.rules.verbs", "When the request object refers to a role/cluster role, the verbs associated with the role's rules", Index, F::RoleRules("verbs")),
        ka_list("ka.req.role.rules.resources", "When the request object refers to a role/cluster role, the resources associated with the role's rules", Index, F::RoleRules("resources")),
        ka("ka.req.pod.fs_group", "When the request object refers to a pod, the fsGroup gid specified by the security context.", keys(&["requestObject", "spec", "securityContext", "fsGroup"])),
        ka_list("ka.req.pod.supplemental_groups", "When the request object refers to a pod, the supplementalGroup gids specified by the security context.", ArgKind::None, keys(&["requestObject", "spec", "securityContext", "supplementalGroups"])),
        ka("ka.req.service.type", "When the request object refers to a service, the service type", keys(&["requestObject", "spec", "type"])),
        ka_list("ka.req.service.ports", "When the request object refers to a service, the service's ports", Index, F::Spec(&["ports"])),
        ka_list("ka.req.pod.volumes.hostpath", "When the request object refers to a pod, all hostPath paths specified for all volumes", Index, F::Spec(&["volumes", "hostPath", "path"])),
        ka_key("ka.req.volume.hostpath", "Deprecated by ka.req.pod.volumes.hostpath. Return true if the provided (host) path prefix is used by any volume", F::VolumeHostPathPrefix),
        ka_list("ka.req.pod.volumes.flexvolume_driver", "When the request object refers to a pod, all flexvolume drivers specified for all volumes", Index, F::Spec(&["volumes", "flexVolume", "driver"])),
        ka_list("ka.req.pod.volumes.volume_type", "When the request object refers to a pod, all volume types for all volumes", Index, F::VolumeTypes),
        ka("ka.resp.name", "The response object name", keys(&["responseObject", "metadata", "name"])),
        ka("ka.response.code", "The response code", keys(&["responseStatus", "code"])),
        ka("ka.response.reason", "The response reason (usually present only for failures)", keys(&["responseStatus", "reason"])),
        ka("ka.useragent", "The useragent of the client who made the request to the apiserver", keys(&["userAgent"])),
        ka_list("ka.sourceips", "The IP addresses of the client who made the request to the apiserver", Index, F::Keys(&["sourceIPs"])),
        ka("ka.cluster.name", "The name of the k8s cluster", keys(&["annotations", "cluster_name"])),
    ]);
    v.extend(container_fields(PodList::Init, "init containers", "init containers", true));
    v.extend(container_fields(PodList::Ephemeral, "ephemeral containers", "ephemeral containers", false));
    v.extend(json_fields());
    v.extend(evt_fields());
    v
}

#[rustfmt::skip]
fn container_fields(list: PodList, label: &str, all: &str, host_port: bool) -> Vec<FieldInfo> {
    use ContainerAttr as A;
    let prefix = format!("ka.req.pod.{}.", list.key());
    let e = |name: &str, desc: String, attr: A| {
        ka_list(&format!("{prefix}{name}"), &desc, ArgKind::Index, FieldId::Container(list, attr))
    };
    let req = "When the request object refers to a pod,";
    let mut v = vec![
        e("name", format!("{req} the {label} names."), A::Name),
        e("image", format!("{req} the {label} images."), A::Image),
        e("image.repository", format!("The same as {prefix}image, but only the repository part (e.g. falcosecurity/falco)."), A::ImageRepository),
        e("command", format!("{req} the {label} commands."), A::Command),
        e("args", format!("{req} the {label} args."), A::Args),
        e("privileged", format!("{req} the value of the privileged flag for all {all}."), A::Security(&["privileged"])),
        e("allow_privilege_escalation", format!("{req} the value of the allowPrivilegeEscalation flag for all {all}."), A::Security(&["allowPrivilegeEscalation"])),
        e("read_only_fs", format!("{req} the value of the readOnlyRootFilesystem flag for all {all}."), A::Security(&["readOnlyRootFilesystem"])),
        e("run_as_user", format!("{req} the runAsUser uid for all {all}."), A::Security(&["runAsUser"])),
        e("eff_run_as_user", format!("{req} the initial uid that will be used for all {all}. This combines information from both the pod and container security contexts and uses 0 if no uid is specified."), A::Effective("runAsUser")),
        e("run_as_group", format!("{req} the runAsGroup gid for all {all}."), A::Security(&["runAsGroup"])),
        e("eff_run_as_group", format!("{req} the initial gid that will be used for all {all}. This combines information from both the pod and container security contexts and uses 0 if no gid is specified."), A::Effective("runAsGroup")),
        e("proc_mount", format!("{req} the procMount types for all {all}."), A::Security(&["procMount"])),
        e("add_capabilities", format!("{req} all capabilities to add when running the {all}."), A::Security(&["capabilities", "add"])),
    ];
    if host_port {
        v.push(e("host_port", format!("{req} all {label} hostPort values."), A::HostPort));
    }
    v
}

#[rustfmt::skip]
fn json_fields() -> Vec<FieldInfo> {
    let f = |name: &str, desc: &str, arg: ArgKind, id: FieldId| FieldInfo {
        name: name.to_string(),
        desc: desc.to_string(),
        ftype: FieldType::String,
        is_list: false,
        arg,
        id,
        plugin: Some("json"),
    };
    vec![
        f("json.value", "Extracts a value from a JSON-encoded input. Syntax is json.value[<json pointer>], where <json pointer> is a json pointer (see https://datatracker.ietf.org/doc/html/rfc6901)", ArgKind::Key, FieldId::JsonValue),
        f("json.obj", "The full json message as a text string.", ArgKind::None, FieldId::JsonObj),
        f("json.rawtime", "The time of the event, identical to evt.rawtime.", ArgKind::None, FieldId::JsonRawTime),
        f("jevt.value", "Alias for json.value, provided for backwards compatibility.", ArgKind::Key, FieldId::JsonValue),
        f("jevt.obj", "Alias for json.obj, provided for backwards compatibility.", ArgKind::None, FieldId::JsonObj),
        f("jevt.rawtime", "Alias for json.rawtime, provided for backwards compatibility.", ArgKind::None, FieldId::JsonRawTime),
    ]
}

#[rustfmt::skip]
fn evt_fields() -> Vec<FieldInfo> {
    let f = |name: &str, ftype: FieldType, desc: &str, id: FieldId| FieldInfo {
        name: name.to_string(),
        desc: desc.to_string(),
        ftype,
        is_list: false,
        arg: ArgKind::None,
        id,
        plugin: None,
    };
    use FieldType::{AbsTime, Bool, RelTime, String, Uint64};
    vec![
        f("evt.num", Uint64, "event number.", FieldId::EvtNum),
        f("evt.time", String, "event timestamp as a time string that includes the nanosecond part.", FieldId::EvtTime),
        f("evt.time.s", String, "event timestamp as a time string with no nanoseconds.", FieldId::EvtTimeS),
        f("evt.time.iso8601", String, "event timestamp in ISO 8601 format, including nanoseconds and time zone offset (in UTC).", FieldId::EvtTimeIso8601),
        f("evt.datetime", String, "event timestamp as a time string that includes the date.", FieldId::EvtDatetime),
        f("evt.datetime.s", String, "event timestamp as a time string that includes the date, with no nanoseconds.", FieldId::EvtDatetimeS),
        f("evt.rawtime", AbsTime, "absolute event timestamp, i.e. nanoseconds from epoch.", FieldId::EvtRawTime),
        f("evt.rawtime.s", AbsTime, "integer part of the event timestamp (e.g. seconds since epoch).", FieldId::EvtRawTimeS),
        f("evt.rawtime.ns", AbsTime, "fractional part of the absolute event timestamp.", FieldId::EvtRawTimeNs),
        f("evt.reltime", RelTime, "number of nanoseconds from the beginning of the capture.", FieldId::EvtReltime),
        f("evt.reltime.s", RelTime, "number of seconds from the beginning of the capture.", FieldId::EvtReltimeS),
        f("evt.reltime.ns", RelTime, "fractional part (in ns) of the time from the beginning of the capture.", FieldId::EvtReltimeNs),
        f("evt.source", String, "the name of the source that produced the event.", FieldId::EvtSource),
        f("evt.pluginname", String, "if the event comes from a plugin-defined event source, the name of the plugin that generated it.", FieldId::EvtPluginName),
        f("evt.plugininfo", String, "if the event comes from a plugin-defined event source, a summary of the event as formatted by the plugin.", FieldId::EvtPluginInfo),
        f("evt.is_async", Bool, "'true' for asynchronous events, 'false' otherwise.", FieldId::EvtIsAsync),
        f("evt.asynctype", String, "If the event is asynchronous, the type of the event (e.g. 'container').", FieldId::EvtAsyncType),
        f("evt.hostname", String, "The hostname of the underlying host (FALCO_HOSTNAME when set).", FieldId::EvtHostname),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_found() {
        let mut seen = std::collections::HashSet::new();
        for f in all() {
            assert!(seen.insert(f.name.as_str()), "duplicate {}", f.name);
        }
        let img = lookup("ka.req.pod.containers.image").unwrap();
        assert!(img.is_list);
        assert_eq!(img.arg, ArgKind::Index);
        assert_eq!(lookup("jevt.value").unwrap().arg, ArgKind::Key);
        assert!(lookup("ka.req.pod.ephemeralContainers.host_port").is_none());
        assert!(lookup("ka.req.pod.initContainers.host_port").is_some());
    }
}
