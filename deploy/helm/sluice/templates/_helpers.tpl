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
