#!/usr/bin/env bash
# A test of publish_view.sh as a project without Python tests would write it: bash, curl and the
# AWS CLI against `pytest-connectviews serve`, set up and checked through the control API.
#
# Usage: publish_view_test.sh
#   CONNECTVIEWS_URL    the control API of a running server, e.g. http://127.0.0.1:40123/_connectviews
#                       (with AWS_ENDPOINT_URL_CONNECT and credentials set); when unset, the test
#                       starts its own server with $CONNECTVIEWS_SERVE and stops it at the end.
#   CONNECTVIEWS_SERVE  the command that starts a server (default: pytest-connectviews serve).
#   CONNECTVIEWS_CONTROL_TOKEN  sent as X-Connectviews-Token when set.
#   AWS_CLI             the command that runs the AWS CLI (default: aws).
# Prints one "ok - ..." or "not ok - ..." line per check; exits 1 if any check failed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
read -ra aws <<< "${AWS_CLI:-aws}"
workdir=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2> /dev/null || true
    wait "$server_pid" 2> /dev/null || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT

if [ -z "${CONNECTVIEWS_URL:-}" ]; then
  read -ra serve <<< "${CONNECTVIEWS_SERVE:-pytest-connectviews serve}"
  "${serve[@]}" --port 0 > "$workdir/server.out" 2> "$workdir/server.err" &
  server_pid=$!
  for _ in $(seq 300); do # its first line is "listening on URL"
    grep -q '^listening on ' "$workdir/server.out" && break
    sleep 0.1
  done
  url=$(sed -n 's/^listening on //p' "$workdir/server.out")
  if [ -z "$url" ]; then
    echo "the server did not start:" >&2
    cat "$workdir/server.err" >&2
    exit 1
  fi
  export CONNECTVIEWS_URL="$url/_connectviews" AWS_ENDPOINT_URL_CONNECT="$url"
  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
  export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
  export AWS_EC2_METADATA_DISABLED=true
  unset AWS_PROFILE AWS_SESSION_TOKEN
fi

# control METHOD PATH [JSON]: print the control API's answer; fail unless it is a 2xx.
control() {
  local args=(--silent --show-error -X "$1" -H 'Content-Type: application/json')
  args+=(--write-out '\n%{http_code}')
  if [ -n "${CONNECTVIEWS_CONTROL_TOKEN:-}" ]; then
    args+=(-H "X-Connectviews-Token: $CONNECTVIEWS_CONTROL_TOKEN")
  fi
  if [ $# -ge 3 ]; then
    args+=(--data "$3")
  fi
  local answer status
  answer=$(curl "${args[@]}" "$CONNECTVIEWS_URL$2")
  status=${answer##*$'\n'}
  answer=${answer%$'\n'*}
  if [ "${status:0:1}" != 2 ]; then
    echo "control $1 $2 answered $status: $answer" >&2
    return 1
  fi
  printf '%s\n' "$answer"
}

# field NAME: the values of NAME in the JSON on stdin, in order, space-separated. The control API
# writes compact JSON, and a quote inside a string value is escaped, so a grep is enough here.
field() {
  { grep -o "\"$1\":[^,}]*" || true; } | sed 's/^[^:]*://; s/"//g' | paste -sd' ' -
}

failed=0
check() { # check DESCRIPTION EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then
    echo "ok - $1"
  else
    echo "not ok - $1: expected '$2', got '$3'"
    failed=1
  fi
}

# --- arrange: one instance, a budget of 3 connect calls, one throttling error to retry
control POST /reset > /dev/null
instance=$(control POST /instances '{}' | field instance_id)
control POST /throttles '{"rate": 0, "burst": 3, "service": "connect"}' > /dev/null
control POST /errors \
  '{"operation": "CreateViewVersion", "code": "TooManyRequestsException", "times": 1}' \
  > /dev/null
content="$workdir/survey.json"
cat > "$content" << 'EOF'
{"Template": "{\"Head\": {\"Title\": \"Survey\"}, \"Body\": []}", "Actions": []}
EOF

# --- act: the script under test, with retry settings that keep a throttling test fast
arn=$(AWS_RETRY_MODE=standard AWS_MAX_ATTEMPTS=2 bash "$here/publish_view.sh" "$instance" Survey "$content")

# --- assert, on what the script printed and on the calls the server recorded
check "the script prints the ARN of version 1" 1 "${arn##*:}"
calls=$(control GET '/calls?service=connect')
check "the script's calls" \
  "ListViews CreateView CreateViewVersion CreateViewVersion" "$(field operation <<< "$calls")"
check "their statuses" "200 200 429 200" "$(field status_code <<< "$calls")"
check "the 429 was the injected error" "injected" \
  "$(control GET '/calls?source=injected' | field source)"
check "the injected error was used once" "1" "$(control GET /errors | field consumed)"

# The budget is spent: one more call is throttled by the token bucket (rate 0: no refill).
if AWS_MAX_ATTEMPTS=1 "${aws[@]}" connect list-views --instance-id "$instance" \
  > "$workdir/cli.out" 2>&1; then
  check "a fourth call is over the budget" "TooManyRequestsException" "success"
else
  check "a fourth call is over the budget" "TooManyRequestsException" \
    "$(grep -o TooManyRequestsException "$workdir/cli.out" | head -n 1)"
fi
check "the server answered it from the throttle" "throttled" \
  "$(control GET '/calls?since=4' | field source)"

exit "$failed"
