#!/usr/bin/env bash
# Conformance: drives the local emulator with the real AWS CLI (`aws` on PATH, v1 or v2) and checks
# outputs, exit codes and error codes the way AWS answers them; then scripts/conformance-models.ts
# checks every operation the emulator serves against the CLI's botocore models (shapes, errors,
# bounds). One "PASS|FAIL name" line per check (KNOWN: a documented difference, not counted), then
# "conformance: N passed, N failed"; exits 1 on any failure. Without `aws` it says so and exits 0.
#
#   npm run conformance            # or: scripts/conformance.sh
#   AWS_CLI=/path/to/aws npm run conformance
set -uo pipefail
cd "$(dirname "$0")/.."

AWS_BIN=${AWS_CLI:-$(command -v aws || true)}
if [ -z "$AWS_BIN" ]; then
  echo "conformance: SKIPPED - the AWS CLI (aws) is not on PATH; install it (Debian: apt-get install awscli) to run these checks"
  exit 0
fi
# A pyenv shim costs seconds per call; run the real executable behind it.
if [[ "$AWS_BIN" == *"/shims/"* ]] && command -v pyenv >/dev/null 2>&1; then
  AWS_BIN=$(pyenv which aws 2>/dev/null || echo "$AWS_BIN")
fi

work=$(mktemp -d)
emulator_pid=""
cleanup() {
  if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null; wait "$emulator_pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT

MGMT=111111111111
ADMIN=222222222222 # the delegated administrator of examples/sample-org.json
# Its accounts (the management account is in the file), for the paging check.
ACCOUNTS=$(python3 -c 'import json; print(len(json.load(open("examples/sample-org.json"))["accounts"]))')
MEMBER=304958271640
OTHER=325019487366
FIXTURE_TOPIC="arn:aws:sns:us-east-1:$MGMT:management-only"

node bin/contact-audit.js emulator --fixture examples/sample-org.json --port 0 \
  --bucket conformance-fixture --topic "$FIXTURE_TOPIC" >"$work/emulator.out" 2>"$work/emulator.err" &
emulator_pid=$!
for _ in $(seq 1 200); do
  grep -q '^export AWS_ENDPOINT_URL=' "$work/emulator.out" 2>/dev/null && break
  kill -0 "$emulator_pid" 2>/dev/null || break
  sleep 0.1
done
endpoint=$(sed -n 's/^export AWS_ENDPOINT_URL=//p' "$work/emulator.out")
if [ -z "$endpoint" ]; then
  echo "FAIL emulator start: $(cat "$work/emulator.err")"
  echo "conformance: 0 passed, 1 failed"
  exit 1
fi

# Only the emulator: no profile, no instance metadata, no retries (error codes must surface at once),
# path-style S3 addressing on a bare IP endpoint.
cat >"$work/config" <<EOF
[default]
region = us-east-1
s3 =
  addressing_style = path
EOF
export AWS_CONFIG_FILE="$work/config" AWS_SHARED_CREDENTIALS_FILE="$work/none" AWS_ENDPOINT_URL="$endpoint"
export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1 AWS_SECRET_ACCESS_KEY=conformance AWS_EC2_METADATA_DISABLED=true
export AWS_RETRY_MODE=standard AWS_MAX_ATTEMPTS=1 AWS_PAGER="" AWS_ACCESS_KEY_ID=$ADMIN
unset AWS_PROFILE AWS_SESSION_TOKEN

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }

# run KEY args...: runs the CLI as account KEY; sets $out, $err, $rc. $G names the group (its own files).
run() {
  local key=$1
  shift
  # --endpoint-url as well: CLIs before v1.29/v2.13 (Debian's awscli 2.9) ignore AWS_ENDPOINT_URL.
  AWS_ACCESS_KEY_ID=$key "$AWS_BIN" "$@" --endpoint-url "$endpoint" --cli-connect-timeout 5 --output json >"$work/$G.out" 2>"$work/$G.err"
  rc=$?
  out=$(cat "$work/$G.out")
  err=$(cat "$work/$G.err")
}
# ok NAME JQ-LIKE-PYTHON-EXPR: the last call succeeded and the Python expression over `r` (its JSON) is true.
ok() {
  local name=$1 expr=$2
  if [ "$rc" -ne 0 ]; then fail "$name" "exit $rc: ${err:0:300}"; return; fi
  if python3 -c "import json,sys; r=json.loads(sys.stdin.read().strip() or 'null'); sys.exit(0 if ($expr) else 1)" <<<"$out" 2>"$work/$G.pyerr"; then
    pass "$name"
  else
    fail "$name" "unexpected output: ${out:0:300} $(cat "$work/$G.pyerr")"
  fi
}
# error NAME CODE: the last call failed with the AWS error code CODE (non-zero exit).
error() {
  local name=$1 code=$2
  if [ "$rc" -eq 0 ]; then fail "$name" "succeeded, expected $code"; return; fi
  if grep -q "($code)" <<<"$err"; then pass "$name"; else fail "$name" "exit $rc, expected ($code): ${err:0:300}"; fi
}

started=$(date +%s)

# The groups are independent and run side by side (each CLI call is mostly Python start-up);
# CloudTrail runs last, over the events the Account group recorded.
group_org_account() {
G=account
# --- STS ---------------------------------------------------------------------------------------------
run "$ADMIN" sts get-caller-identity
ok "sts get-caller-identity: a 12-digit key is that account" "r['Account'] == '$ADMIN' and ':assumed-role/' in r['Arn']"

# --- Organizations -----------------------------------------------------------------------------------
run "$ADMIN" organizations describe-organization
ok "organizations describe-organization" "r['Organization']['Id'] == 'o-exa7mpl3org' and r['Organization']['MasterAccountId'] == '$MGMT'"
run "$ADMIN" organizations list-accounts --page-size 7
# A CLI whose model predates State and Paths (e.g. Debian's awscli 2.9) drops both from its output.
ok "organizations list-accounts: all pages ($ACCOUNTS accounts, pages of 7), State and Paths, no retired Status" \
  "len(r['Accounts']) == $ACCOUNTS and len({a['Id'] for a in r['Accounts']}) == $ACCOUNTS and all('Status' not in a for a in r['Accounts']) and (all('State' in a and a['Paths'][0].startswith('o-exa7mpl3org/r-') for a in r['Accounts']) or not any('State' in a or 'Paths' in a for a in r['Accounts']))"
run "$ADMIN" organizations list-accounts --max-items 5
ok "organizations list-accounts --max-items 5 returns a NextToken" "len(r['Accounts']) == 5 and r.get('NextToken')"
run "$MEMBER" organizations list-accounts
error "organizations list-accounts from a member account" AccessDeniedException

# --- Account Management ------------------------------------------------------------------------------
contact=(--name "Ops Team" --title "Operations" --phone-number "+1 206 555 0101")
run "$ADMIN" account get-alternate-contact --account-id "$MEMBER" --alternate-contact-type BILLING
ok "account get-alternate-contact (organizations context)" "r['AlternateContact']['EmailAddress'] == 'aws-billing@example.com'"
long_email="$(printf 'a%.0s' $(seq 1 242))@example.com"
run "$ADMIN" account put-alternate-contact --account-id "$MEMBER" --alternate-contact-type OPERATIONS "${contact[@]}" --email-address "$long_email"
ok "account put-alternate-contact: a 254-character address (current model)" "r is None"
run "$ADMIN" account put-alternate-contact --account-id "$MEMBER" --alternate-contact-type OPERATIONS "${contact[@]}" --email-address "a$long_email"
error "account put-alternate-contact: a 255-character address" ValidationException
run "$ADMIN" account put-alternate-contact --account-id "$MEMBER" --alternate-contact-type OPERATIONS "${contact[@]}" --email-address "ops(at)example.com"
error "account put-alternate-contact: an address breaking the pattern" ValidationException
run "$ADMIN" account put-alternate-contact --account-id "$MEMBER" --alternate-contact-type OPERATIONS --name "Ops" --title "Ops" --email-address "ops@example.com" --phone-number "+1 206 555 0101 ext. 7"
error "account put-alternate-contact: a phone number breaking the pattern" ValidationException
run "$ADMIN" account put-alternate-contact --account-id "$MEMBER" --alternate-contact-type OPERATIONS "${contact[@]}" --email-address "ops#team@example.com"
ok "account put-alternate-contact: # in the local part (current model)" "r is None"
run "$ADMIN" account get-alternate-contact --account-id "$MEMBER" --alternate-contact-type OPERATIONS
ok "account get-alternate-contact reads the Put back" "r['AlternateContact']['EmailAddress'] == 'ops#team@example.com' and r['AlternateContact']['Name'] == 'Ops Team'"
run "$ADMIN" account get-alternate-contact --account-id "$MGMT" --alternate-contact-type BILLING
error "account: the delegated admin naming the management account" AccessDeniedException
run "$MEMBER" account get-alternate-contact --account-id "$OTHER" --alternate-contact-type BILLING
error "account: a member account naming another account" AccessDeniedException
run "$MGMT" account get-alternate-contact --alternate-contact-type SECURITY
ok "account: the management account reads itself in standalone context" "r['AlternateContact']['AlternateContactType'] == 'SECURITY'"
run "$ADMIN" account delete-alternate-contact --account-id "$MEMBER" --alternate-contact-type OPERATIONS
ok "account delete-alternate-contact" "r is None"
run "$ADMIN" account delete-alternate-contact --account-id "$MEMBER" --alternate-contact-type OPERATIONS
error "account delete-alternate-contact twice" ResourceNotFoundException
run "$ADMIN" account get-alternate-contact --account-id "$MEMBER" --alternate-contact-type OPERATIONS
error "account get-alternate-contact of a deleted contact" ResourceNotFoundException

}

group_sns() {
G=sns
# --- SNS ---------------------------------------------------------------------------------------------
run "$ADMIN" sns create-topic --name conformance-alerts
ok "sns create-topic" "r['TopicArn'] == 'arn:aws:sns:us-east-1:$ADMIN:conformance-alerts'"
topic="arn:aws:sns:us-east-1:$ADMIN:conformance-alerts"
run "$ADMIN" sns publish --topic-arn "$topic" --subject "Kontakt geändert: 304958271640" --message "body" \
  --message-attributes '{"event_type":{"DataType":"String","StringValue":"TEST"}}'
ok "sns publish with a UTF-8 subject and a String attribute" "len(r['MessageId']) == 36"
run "$ADMIN" sns list-topics
ok "sns list-topics" "any(t['TopicArn'] == '$topic' for t in r['Topics'])"
run "$ADMIN" sns publish --topic-arn "arn:aws:sns:us-east-1:$ADMIN:no-such-topic" --message "m"
error "sns publish to an unknown topic" NotFound
run "$ADMIN" sns publish --topic-arn "$FIXTURE_TOPIC" --message "m"
error "sns publish to another account's topic" AuthorizationError
run "$ADMIN" sns publish --topic-arn "$topic" --subject "$(printf 's%.0s' $(seq 1 100))" --message "m"
error "sns publish with a 100-character subject" InvalidParameter
run "$ADMIN" sns publish --topic-arn "$topic" --subject $'two\nlines' --message "m"
error "sns publish with a line break in the subject" InvalidParameter
run "$ADMIN" sns publish --topic-arn "$topic" --message-structure json --message '{"email":"no default"}'
error "sns publish: MessageStructure json without a default key" InvalidParameter
run "$ADMIN" sns publish --topic-arn "$topic" --message-structure json --message '{"default":"d","email":"e"}'
ok "sns publish: MessageStructure json with a default key" "len(r['MessageId']) == 36"

}

group_s3() {
G=s3
# --- S3 ----------------------------------------------------------------------------------------------
run "$ADMIN" s3api list-objects-v2 --bucket conformance-missing
error "s3api list-objects-v2 on a missing bucket" NoSuchBucket
run "$ADMIN" s3 mb s3://conformance-reports
if [ "$rc" -eq 0 ] && grep -q "make_bucket: conformance-reports" <<<"$out"; then pass "s3 mb"; else fail "s3 mb" "exit $rc: ${err:0:300}"; fi
# Re-creating a bucket you own: 200 in us-east-1 (legacy), BucketAlreadyOwnedByYou in any other region.
run "$ADMIN" s3api create-bucket --bucket conformance-reports
if [ "$rc" -eq 0 ]; then pass "s3api create-bucket again in us-east-1 answers 200"; else fail "s3api create-bucket again in us-east-1 answers 200" "exit $rc: ${err:0:300}"; fi
run "$ADMIN" s3api create-bucket --bucket conformance-reports --region eu-west-1 --create-bucket-configuration LocationConstraint=eu-west-1
error "s3api create-bucket again in eu-west-1" BucketAlreadyOwnedByYou
run "$ADMIN" s3 ls
if [ "$rc" -eq 0 ] && grep -q "conformance-reports" <<<"$out" && grep -q "conformance-fixture" <<<"$out"; then pass "s3 ls lists the buckets"; else fail "s3 ls lists the buckets" "exit $rc: ${out:0:300} ${err:0:300}"; fi
head -c $((9 * 1024 * 1024 + 123)) /dev/urandom >"$work/big.bin"
run "$ADMIN" s3 cp "$work/big.bin" "s3://conformance-reports/runs/big file+1.bin"
if [ "$rc" -eq 0 ]; then pass "s3 cp of a 9 MiB file (multipart upload)"; else fail "s3 cp of a 9 MiB file (multipart upload)" "exit $rc: ${err:0:300}"; fi
run "$ADMIN" s3api head-object --bucket conformance-reports --key "runs/big file+1.bin"
ok "s3api head-object: the upload is one object of the right size with a multipart ETag" "r['ContentLength'] == $((9 * 1024 * 1024 + 123)) and r['ETag'].endswith('-2\"')"
run "$ADMIN" s3 ls s3://conformance-reports/runs/
if [ "$rc" -eq 0 ] && grep -q "big file+1.bin" <<<"$out"; then pass "s3 ls of a prefix (encoding-type=url decoded)"; else fail "s3 ls of a prefix (encoding-type=url decoded)" "exit $rc: ${out:0:300} ${err:0:300}"; fi
run "$ADMIN" s3 cp "s3://conformance-reports/runs/big file+1.bin" "$work/back.bin"
if [ "$rc" -eq 0 ] && cmp -s "$work/big.bin" "$work/back.bin"; then pass "s3 cp back (ranged GETs) is byte-identical"; else fail "s3 cp back (ranged GETs) is byte-identical" "exit $rc: ${err:0:300}"; fi
mkdir -p "$work/up/sub" "$work/down"
echo one >"$work/up/a.txt"
echo two >"$work/up/sub/b c.txt"
run "$ADMIN" s3 sync "$work/up" s3://conformance-reports/sync
run2_rc=$rc
run "$ADMIN" s3 sync s3://conformance-reports/sync "$work/down"
if [ "$run2_rc" -eq 0 ] && [ "$rc" -eq 0 ] && diff -r "$work/up" "$work/down" >/dev/null; then pass "s3 sync up and down"; else fail "s3 sync up and down" "exit $run2_rc/$rc: ${err:0:300}"; fi
run "$ADMIN" s3 cp s3://conformance-missing/x "$work/x"
if [ "$rc" -ne 0 ]; then pass "s3 cp from a missing bucket fails"; else fail "s3 cp from a missing bucket fails" "exit 0"; fi

}

group_cloudtrail() {
G=cloudtrail
# --- CloudTrail ---------------------------------------------------------------------------------------
sleep 1.1 # LookupEvents: 2 calls per second per account
run "$ADMIN" cloudtrail lookup-events --lookup-attributes AttributeKey=EventSource,AttributeValue=account.amazonaws.com
ok "cloudtrail lookup-events: writes and reads (ReadOnly true) of the caller account" \
  "{'PutAlternateContact','DeleteAlternateContact','GetAlternateContact'} <= {e['EventName'] for e in r['Events']} and any(e['EventName'] == 'GetAlternateContact' and e['ReadOnly'] == 'true' for e in r['Events'])"
run "$ADMIN" cloudtrail lookup-events --event-category insight
ok "cloudtrail lookup-events --event-category insight: no Insights events" "r['Events'] == []"
sleep 1.1
run "$ADMIN" cloudtrail lookup-events --no-paginate --max-results 1 --lookup-attributes AttributeKey=EventName,AttributeValue=GetAlternateContact
token=$(python3 -c "import json,sys; print(json.load(sys.stdin).get('NextToken',''))" <<<"$out" 2>/dev/null)
run "$ADMIN" cloudtrail lookup-events --no-paginate --max-results 1 --next-token "$token" --lookup-attributes AttributeKey=EventName,AttributeValue=PutAlternateContact
error "cloudtrail lookup-events: a NextToken with other parameters" InvalidNextTokenException
sleep 1.1
# One CLI process paging one event at a time makes calls back to back: the third within a second is throttled.
run "$ADMIN" cloudtrail lookup-events --page-size 1
error "cloudtrail lookup-events: more than 2 calls per second are throttled" ThrottlingException
}

# Model-driven checks, in-process against their own emulator (the botocore models come with the CLI).
node --import tsx scripts/conformance-models.ts examples/sample-org.json >"$work/g5.log" 2>&1 &
p5=$!
group_org_account >"$work/g1.log" 2>&1 &
p1=$!
group_sns >"$work/g2.log" 2>&1 &
p2=$!
group_s3 >"$work/g3.log" 2>&1 &
p3=$!
wait "$p1" "$p2" "$p3"
group_cloudtrail >"$work/g4.log" 2>&1
# A crash of the model checks counts as a failure, not as zero checks.
wait "$p5" || grep -q '^FAIL ' "$work/g5.log" || echo "FAIL model-driven checks: exited without a FAIL line: $(tail -c 300 "$work/g5.log")" >>"$work/g5.log"
cat "$work/g1.log" "$work/g2.log" "$work/g3.log" "$work/g4.log" "$work/g5.log"
passed=$(cat "$work"/g?.log | grep -c '^PASS ')
failed=$(cat "$work"/g?.log | grep -c '^FAIL ')
echo "conformance: $passed passed, $failed failed ($(($(date +%s) - started)) s, $("$AWS_BIN" --version 2>&1 | cut -d' ' -f1))"
[ "$failed" -eq 0 ]
