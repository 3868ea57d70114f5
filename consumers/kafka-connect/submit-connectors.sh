#!/usr/bin/env bash
# Submits every sink config in /connectors whose credentials are set, then waits until each one and its tasks
# are RUNNING. PUT /connectors/{name}/config creates or updates, so running it again is harmless.
# Snowflake sinks need SNOWFLAKE_ACCOUNT, BigQuery sinks GCP_PROJECT, the S3 sink S3_BUCKET (the secrets stay on the Connect worker,
# which resolves the ${env:NAME} placeholders itself).
set -euo pipefail

connect="${CONNECT_URL:-http://localhost:8083}"
folder="${CONNECTORS_DIR:-/connectors}"
deadline=$((SECONDS + ${CONNECT_WAIT_SECONDS:-300}))
poll="${CONNECT_POLL_SECONDS:-3}"

until curl -fsS -o /dev/null "$connect/connectors"; do
  if [ "$SECONDS" -ge "$deadline" ]; then echo "Kafka Connect at $connect did not answer" >&2; exit 1; fi
  sleep "$poll"
done

response=$(mktemp)
trap 'rm -f "$response"' EXIT

field() { sed -n "s/^ *\"$1\": *\"\\([^\"]*\\)\".*/\\1/p" "$2" | head -n 1; }

submitted=()
for file in "$folder"/*.json; do
  name=$(field name "$file")
  class=$(field connector.class "$file")
  case "$class" in
    *Snowflake*) gate="${SNOWFLAKE_ACCOUNT:-}"; needs=SNOWFLAKE_ACCOUNT ;;
    *BigQuery*) gate="${GCP_PROJECT:-}"; needs=GCP_PROJECT ;;
    *S3Sink*) gate="${S3_BUCKET:-}"; needs=S3_BUCKET ;;
    *) echo "$file: unknown connector.class '$class'" >&2; exit 1 ;;
  esac
  if [ -z "$gate" ]; then
    echo "skipping $name: $needs is not set"
    continue
  fi
  status=$(curl -sS -o "$response" -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
    --data-binary "@$file" "$connect/connectors/$name/config")
  if [ "$status" != 200 ] && [ "$status" != 201 ]; then
    echo "$name was refused (HTTP $status):" >&2
    cat "$response" >&2; echo >&2
    exit 1
  fi
  echo "submitted $name"
  submitted+=("$name")
done

for name in "${submitted[@]}"; do
  until state=$(curl -fsS "$connect/connectors/$name/status") \
      && echo "$state" | grep -q '"connector":{"state":"RUNNING"' \
      && ! echo "$state" | grep -Eq '"state":"(FAILED|UNASSIGNED|PAUSED)"' \
      && echo "$state" | grep -q '"tasks":\[{'; do
    if echo "${state:-}" | grep -q '"state":"FAILED"' || [ "$SECONDS" -ge "$deadline" ]; then
      echo "$name is not running: ${state:-no status}" >&2
      exit 1
    fi
    sleep "$poll"
  done
  echo "$name is RUNNING"
done
echo "${#submitted[@]} sink(s) running"
