{{/* Chart name, truncated to the 63 characters a label value allows. */}}
{{- define "store-platform.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: the release name, unless it already contains the chart name. */}}
{{- define "store-platform.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "store-platform.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "store-platform.labels" -}}
helm.sh/chart: {{ include "store-platform.chart" . }}
{{ include "store-platform.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: store-platform
{{- end }}

{{/* Selector labels: stable across upgrades. */}}
{{- define "store-platform.selectorLabels" -}}
app.kubernetes.io/name: {{ include "store-platform.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "store-platform.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "store-platform.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Secret holding the first admin key. */}}
{{- define "store-platform.adminKeySecretName" -}}
{{- default (printf "%s-admin-key" (include "store-platform.fullname" .)) .Values.adminKey.existingSecret }}
{{- end }}

{{- define "store-platform.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/* Host of the platform's own Ingress. */}}
{{- define "store-platform.host" -}}
{{- default (printf "platform.%s" .Values.config.baseDomain) .Values.ingress.host }}
{{- end }}

{{- define "store-platform.pvcName" -}}
{{- default (printf "%s-data" (include "store-platform.fullname" .)) .Values.persistence.existingClaim }}
{{- end }}

{{/* A label map as key=value pairs joined with commas, sorted by key (the platform's *_POD_LABELS). */}}
{{- define "store-platform.labelList" -}}
{{- $pairs := list -}}
{{- range $k, $v := . -}}{{- $pairs = append $pairs (printf "%s=%s" $k $v) -}}{{- end -}}
{{- join "," $pairs -}}
{{- end -}}

{{/* The Secret holding the escrow key of the backup repository passwords. */}}
{{- define "store-platform.backupEscrowKeySecretName" -}}
{{- .Values.backup.escrowKey.existingSecret | default (printf "%s-backup-escrow-key" (include "store-platform.fullname" .)) }}
{{- end }}

{{/* The platform's own Secret of escrowed (encrypted) repository passwords, one key per store. */}}
{{- define "store-platform.backupKeysSecretName" -}}
{{- printf "%s-backup-keys" (include "store-platform.fullname" .) }}
{{- end }}
