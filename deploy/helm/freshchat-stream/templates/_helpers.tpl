{{/* Release-scoped name: the release name unless fullnameOverride is set (63 characters at most). */}}
{{- define "freshchat-stream.fullname" -}}
{{- default .Release.Name .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "freshchat-stream.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "freshchat-stream.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The Secret holding the secret environment variables: existingSecret, or the one this chart creates. */}}
{{- define "freshchat-stream.secretName" -}}
{{- default (include "freshchat-stream.fullname" .) .Values.existingSecret -}}
{{- end -}}
