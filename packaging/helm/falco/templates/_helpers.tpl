{{/* The chart's name: nameOverride or the chart's. */}}
{{- define "falco.name" -}}
{{- .Values.nameOverride | default .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's full name: fullnameOverride, else the release name when it contains the chart's
name, else RELEASE-NAME. */}}
{{- define "falco.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "falco.name" . -}}
{{- if eq .Release.Name $name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "falco.namespace" -}}
{{- .Values.namespaceOverride | default .Release.Namespace -}}
{{- end -}}

{{- define "falco.selectorLabels" -}}
app.kubernetes.io/name: {{ include "falco.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "falco.labels" -}}
{{ include "falco.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "falco.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "falco.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{/* The httpGet of falco's probes: its health endpoint. */}}
{{- define "falco.probeHttp" -}}
httpGet:
  path: {{ .Values.falco.webserver.k8s_healthz_endpoint }}
  port: {{ .Values.falco.webserver.listen_port }}
  {{- if .Values.falco.webserver.ssl_enabled }}
  scheme: HTTPS
  {{- end }}
{{- end -}}

{{/* The driver kind after aliases and auto: kmod or modern_ebpf. */}}
{{- define "falco.driverKind" -}}
{{- if or (eq .Values.driver.kind "modern_ebpf") (eq .Values.driver.kind "modern-bpf") -}}
modern_ebpf
{{- else -}}
kmod
{{- end -}}
{{- end -}}

{{- define "falco.loaderEnabled" -}}
{{- if and (eq (include "falco.driverKind" .) "kmod") .Values.driver.loader.enabled -}}
true
{{- end -}}
{{- end -}}

{{/* Values this chart cannot honour stop the render, saying why. */}}
{{- define "falco.guard" -}}
{{- if or (eq .Values.driver.kind "ebpf") (eq .Values.driver.kind "gvisor") -}}
{{- fail (printf "The following chart configuration is no longer supported: driver.kind=%s. Falco no longer ships the legacy eBPF probe and gVisor: use driver.kind modern_ebpf or kmod." .Values.driver.kind) -}}
{{- end -}}
{{- if hasKey .Values.falco "grpc" -}}
{{- if hasKey (index .Values.falco "grpc") "enabled" -}}
{{- if index .Values.falco "grpc" "enabled" -}}
{{- fail "The following chart configuration is no longer supported: falco.grpc.enabled. gRPC was removed from Falco in 0.44: use falco.http_output (or falcosidekick.enabled)." -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if hasKey .Values.falco "grpc_output" -}}
{{- if hasKey (index .Values.falco "grpc_output") "enabled" -}}
{{- if index .Values.falco "grpc_output" "enabled" -}}
{{- fail "The following chart configuration is no longer supported: falco.grpc_output.enabled. gRPC was removed from Falco in 0.44: use falco.http_output (or falcosidekick.enabled)." -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if not (or (eq .Values.driver.kind "kmod") (eq .Values.driver.kind "modern_ebpf") (eq .Values.driver.kind "auto") (eq .Values.driver.kind "module") (eq .Values.driver.kind "modern-bpf")) -}}
{{- fail (printf "unsupported driver kind: \"%s\". Supported drivers [kmod modern_ebpf auto], alias [module modern-bpf]" .Values.driver.kind) -}}
{{- end -}}
{{- if not .Values.driver.enabled -}}
{{- fail "driver.enabled=false runs Falco for plugin event sources only, and this falco runs no plugins. Keep the driver; set driver.loader.enabled=false when the nodes' falco package loads the probe." -}}
{{- end -}}
{{- if ne .Values.controller.kind "daemonset" -}}
{{- fail (printf "controller.kind=%s: this chart deploys falco as a DaemonSet only (a Deployment serves plugin event sources, which this falco does not run)." .Values.controller.kind) -}}
{{- end -}}
{{- if .Values.collectors.kubernetes.enabled -}}
{{- fail "collectors.kubernetes.enabled: the k8smeta plugin and its collector are not part of this falco (k8s.* fields come from container labels)." -}}
{{- end -}}
{{- if .Values.responseActions.enabled -}}
{{- fail "responseActions.enabled: Falco Talon is not part of this chart; install it from its own chart." -}}
{{- end -}}
{{- if .Values.grafana.dashboards.enabled -}}
{{- fail "grafana.dashboards.enabled: the Falco dashboard is not bundled; import the official Falco dashboard into Grafana (every metric it queries is served on /metrics)." -}}
{{- end -}}
{{- $defaultRefs := "- \"falco-rules:5\"" -}}
{{- if or (and .Values.falcoctl.artifact.install.enabled (ne (toYaml .Values.falcoctl.config.artifact.install.refs) $defaultRefs)) (and .Values.falcoctl.artifact.follow.enabled (ne (toYaml .Values.falcoctl.config.artifact.follow.refs) $defaultRefs)) -}}
{{- fail "falcoctl.config.artifact refs: falcoctl is not part of this chart (the image ships the default rules and no plugin runs); put more rules in customRules." -}}
{{- end -}}
{{- end -}}

{{/* "true" when falco.plugins defines the container plugin. */}}
{{- define "falco.containerPluginDefined" -}}
{{- range .Values.falco.plugins -}}
{{- if eq .name "container" -}}true{{- end -}}
{{- end -}}
{{- end -}}

{{/* The container plugin's init_config from collectors.containerEngine, as a YAML flow mapping
(falco's -o takes one): the engines and their sockets, in the official chart's engine order. */}}
{{- define "falco.containerInitConfig" -}}
{{- with .Values.collectors.containerEngine -}}
{label_max_len: {{ .labelMaxLen }}, with_size: {{ .withSize }}, hooks: [
{{- range $i, $h := .hooks }}{{ if $i }}, {{ end }}'{{ $h }}'{{ end }}], engines: {
{{- with .engines -}}
docker: {{ include "falco.containerEngine" .docker }}, podman: {{ include "falco.containerEngine" .podman }},
{{- "" }} containerd: {{ include "falco.containerEngine" .containerd }}, cri: {{ include "falco.containerEngine" .cri }},
{{- "" }} lxc: {{ include "falco.containerEngine" .lxc }}, libvirt_lxc: {{ include "falco.containerEngine" .libvirt_lxc }},
{{- "" }} bpm: {{ include "falco.containerEngine" .bpm }}
{{- end -}}
}}
{{- end -}}
{{- end -}}

{{/* One engine of the container plugin's init_config, as a flow mapping. */}}
{{- define "falco.containerEngine" -}}
{enabled: {{ .enabled }}
{{- if hasKey . "sockets" }}, sockets: [{{ range $i, $s := .sockets }}{{ if $i }}, {{ end }}'{{ $s }}'{{ end }}]{{ end -}}
}
{{- end -}}

{{/* falco's arguments: the configuration file, then what the chart's values set over it. */}}
{{- define "falco.args" -}}
- -c
- /etc/falco/falco.yaml
{{- if eq (include "falco.driverKind" .) "modern_ebpf" }}
{{- with .Values.driver.modernEbpf }}
- -o
- engine.kind=modern_ebpf
- -o
- engine.modern_ebpf.buf_size_preset={{ .bufSizePreset }}
- -o
- engine.modern_ebpf.drop_failed_exit={{ .dropFailedExit }}
- -o
- engine.modern_ebpf.cpus_for_each_buffer={{ .cpusForEachBuffer }}
- -o
- engine.modern_ebpf.disable_iterators={{ .disableIterators }}
{{- end }}
{{- else }}
- -o
- engine.kind=kmod
- -o
- engine.kmod.buf_size_preset={{ .Values.driver.kmod.bufSizePreset }}
- -o
- engine.kmod.drop_failed_exit={{ .Values.driver.kmod.dropFailedExit }}
{{- end }}
{{- if .Values.metrics.enabled }}
{{- with .Values.metrics }}
- -o
- webserver.enabled=true
- -o
- webserver.prometheus_metrics_enabled=true
- -o
- metrics.enabled=true
- -o
- metrics.interval={{ .interval }}
- -o
- metrics.output_rule={{ .outputRule }}
- -o
- metrics.rules_counters_enabled={{ .rulesCountersEnabled }}
- -o
- metrics.resource_utilization_enabled={{ .resourceUtilizationEnabled }}
- -o
- metrics.state_counters_enabled={{ .stateCountersEnabled }}
- -o
- metrics.kernel_event_counters_enabled={{ .kernelEventCountersEnabled }}
- -o
- metrics.kernel_event_counters_per_cpu_enabled={{ .kernelEventCountersPerCPUEnabled }}
- -o
- metrics.libbpf_stats_enabled={{ .libbpfStatsEnabled }}
- -o
- metrics.plugins_metrics_enabled={{ .pluginsMetricsEnabled }}
- -o
- metrics.kernel_iter_event_counters_enabled={{ .kernelIterEventCountersEnabled }}
- -o
- metrics.jemalloc_stats_enabled={{ .jemallocStatsEnabled }}
- -o
- metrics.convert_memory_to_mb={{ .convertMemoryToMB }}
- -o
- metrics.include_empty_values={{ .includeEmptyValues }}
{{- end }}
{{- end }}
{{- if .Values.falcosidekick.enabled }}
- -o
- json_output=true
- -o
- json_include_output_property=true
- -o
- http_output.enabled=true
- -o
- http_output.url={{ include "falco.falcosidekickUrl" . }}
{{- end }}
{{- if and .Values.collectors.enabled .Values.collectors.containerEngine.enabled }}
{{- if not (include "falco.containerPluginDefined" .) }}
- -o
- "plugins[]={name: container, library_path: libcontainer.so, init_config: {{ include "falco.containerInitConfig" . }}}"
- -o
- load_plugins[]=container
{{- end }}
{{- end }}
{{- with .Values.extra.args }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "falco.falcosidekickUrl" -}}
{{- if .Values.falco.http_output.url -}}
{{- .Values.falco.http_output.url -}}
{{- else -}}
{{- if .Values.falcosidekick.fullfqdn -}}
http://{{ include "falco.fullname" . }}-falcosidekick.{{ include "falco.namespace" . }}.svc.cluster.local:{{ .Values.falcosidekick.listenPort | default "2801" }}
{{- else -}}
http://{{ include "falco.fullname" . }}-falcosidekick:{{ .Values.falcosidekick.listenPort | default "2801" }}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* falcosidekick's configuration as its environment variables: {slack: {webhookurl: X}} is
SLACK_WEBHOOKURL (three levels deep at most, as its outputs are). */}}
{{- define "falco.falcosidekickEnv" -}}
{{- range $k, $v := .Values.falcosidekick.config }}
{{- if kindIs "map" $v }}
{{- range $k2, $v2 := $v }}
{{- if kindIs "map" $v2 }}
{{- range $k3, $v3 := $v2 }}
- name: {{ printf "%s_%s_%s" $k $k2 $k3 | upper }}
  value: {{ $v3 | quote }}
{{- end }}
{{- else }}
- name: {{ printf "%s_%s" $k $k2 | upper }}
  value: {{ $v2 | quote }}
{{- end }}
{{- end }}
{{- else }}
- name: {{ $k | upper }}
  value: {{ $v | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "falco.securityContext" -}}
{{- if .Values.containerSecurityContext -}}
{{ toYaml .Values.containerSecurityContext }}
{{- else if and (eq (include "falco.driverKind" .) "modern_ebpf") .Values.driver.modernEbpf.leastPrivileged -}}
capabilities:
  add: [BPF, SYS_RESOURCE, PERFMON, SYS_PTRACE]
{{- else -}}
privileged: true
{{- end -}}
{{- end -}}

{{/* "true" when the container runtimes are asked for metadata: the host's /run and /var/run are
then mounted under /host, where falco finds their sockets (HOST_ROOT). Directories, not the socket
files: a runtime that restarts makes a new socket, which a mount of the old file never sees. A
socket outside /run and /var/run goes in mounts.volumes and mounts.volumeMounts. */}}
{{- define "falco.runtimeSocketsMounted" -}}
{{- if and .Values.collectors.enabled .Values.collectors.containerEngine.enabled -}}
true
{{- end -}}
{{- end -}}

{{- define "falco.certsMounted" -}}
{{- if or .Values.certs.existingSecret (and .Values.certs.server.key .Values.certs.server.crt .Values.certs.ca.crt) -}}
true
{{- end -}}
{{- end -}}

{{- define "falco.clientCertsMounted" -}}
{{- if or .Values.certs.existingClientSecret (and .Values.certs.client.key .Values.certs.client.crt .Values.certs.ca.crt) -}}
true
{{- end -}}
{{- end -}}
