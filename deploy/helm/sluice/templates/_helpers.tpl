{{- define "sluice.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "sluice.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "sluice.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sluice.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "sluice.labels" -}}
{{ include "sluice.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Fails the render when the grace period does not cover the preStop pause and the drain. */}}
{{- define "sluice.checkGrace" -}}
{{- $needed := add .Values.shutdown.preStopSeconds .Values.shutdown.drainSeconds -}}
{{- if le (int .Values.shutdown.terminationGracePeriodSeconds) (int $needed) -}}
{{- fail (printf "shutdown.terminationGracePeriodSeconds (%v) must exceed preStopSeconds + drainSeconds (%v)" .Values.shutdown.terminationGracePeriodSeconds $needed) -}}
{{- end -}}
{{- if gt (int .Values.shutdown.drainSeconds) 300 -}}
{{- fail "shutdown.drainSeconds is at most 300 (shutdown.drain-time)" -}}
{{- end -}}
{{- end -}}

{{- define "sluice.serviceAccountName" -}}
{{- include "sluice.fullname" . -}}
{{- end -}}

{{/*
Each pod's public HTTP base URL, in pod order, joined by spaces (the pod picks its own by ordinal at
start). From cluster.perPodPublicUrls, or cluster.publicUrlTemplate with {ordinal} and {pod} filled
in for every ordinal; a single replica without either gets its in-cluster address (the only member
never sends a client elsewhere). Fails the render when the URLs cannot work.
*/}}
{{- define "sluice.clusterPublicUrls" -}}
{{- $c := .Values.cluster -}}
{{- $replicas := int .Values.replicas -}}
{{- $fullname := include "sluice.fullname" . -}}
{{- if not (kindIs "slice" $c.perPodPublicUrls) -}}
{{- fail "cluster.perPodPublicUrls is a list of URLs" -}}
{{- end -}}
{{- $urls := list -}}
{{- if and $c.publicUrlTemplate $c.perPodPublicUrls -}}
{{- fail "cluster: set cluster.publicUrlTemplate or cluster.perPodPublicUrls, not both" -}}
{{- else if $c.perPodPublicUrls -}}
{{- if lt (len $c.perPodPublicUrls) $replicas -}}
{{- fail (printf "cluster.perPodPublicUrls has %d entries for %d replicas: one public URL per pod" (len $c.perPodPublicUrls) $replicas) -}}
{{- end -}}
{{- $urls = $c.perPodPublicUrls -}}
{{- else if $c.publicUrlTemplate -}}
{{- if and (gt $replicas 1) (not (or (contains "{ordinal}" $c.publicUrlTemplate) (contains "{pod}" $c.publicUrlTemplate))) -}}
{{- fail "cluster.publicUrlTemplate needs {ordinal} or {pod}: with more than one replica every pod needs its own URL" -}}
{{- end -}}
{{- range $i := until $replicas -}}
{{- $urls = append $urls ($c.publicUrlTemplate | replace "{ordinal}" (toString $i) | replace "{pod}" (printf "%s-%d" $fullname $i)) -}}
{{- end -}}
{{- else if gt $replicas 1 -}}
{{- fail (printf "cluster.enabled with %d replicas needs each pod's public URL, where other pods send the clients of its rooms: set cluster.publicUrlTemplate (e.g. https://sluice-{ordinal}.example.org) or cluster.perPodPublicUrls, or set cluster.enabled=false" $replicas) -}}
{{- else -}}
{{- $urls = list (printf "http://%s-0.%s-headless.%s.svc:%v" $fullname $fullname .Release.Namespace .Values.http.port) -}}
{{- end -}}
{{- range $urls -}}
{{- if not (regexMatch `^https?://[^/?#\s]+/?$` (toString .)) -}}
{{- fail (printf "cluster: public URL %q is not an http(s) origin (scheme://host[:port], no path): redirects append the request path, and session URLs are absolute paths" (toString .)) -}}
{{- end -}}
{{- end -}}
{{- if ne (len (uniq $urls)) (len $urls) -}}
{{- fail "cluster: two pods have the same public URL" -}}
{{- end -}}
{{- join " " $urls -}}
{{- end -}}
