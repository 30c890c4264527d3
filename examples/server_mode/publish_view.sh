#!/usr/bin/env bash
# Publish an Amazon Connect view from a content file with the AWS CLI: create the view (or update
# the content of the view with that name), then snapshot a numbered version. Prints the version ARN.
#
# Usage: publish_view.sh INSTANCE_ID VIEW_NAME CONTENT_FILE
#   CONTENT_FILE is JSON: {"Template": "<template as a JSON string>", "Actions": [...]}
#   AWS_CLI overrides the command that runs the CLI (default: aws).
set -euo pipefail

instance_id=$1
name=$2
content_file=$3
read -ra aws <<< "${AWS_CLI:-aws}"

view_id=$("${aws[@]}" connect list-views --instance-id "$instance_id" --type CUSTOMER_MANAGED \
  --query "ViewsSummaryList[?Name=='${name}'].Id | [0]" --output text)

if [ "$view_id" = "None" ]; then
  view_id=$("${aws[@]}" connect create-view --instance-id "$instance_id" --name "$name" \
    --status PUBLISHED --content "file://${content_file}" --query View.Id --output text)
else
  "${aws[@]}" connect update-view-content --instance-id "$instance_id" --view-id "$view_id" \
    --status PUBLISHED --content "file://${content_file}" > /dev/null
fi

"${aws[@]}" connect create-view-version --instance-id "$instance_id" --view-id "$view_id" \
  --query View.Arn --output text
