#!/bin/sh
# The pipeline's last step: deploy the model the workflow trained (lode serve, V2 inference protocol), send it one
# row of the held-out test set, print its answer, and stop the server. Run it after the workflow:
#   npm run example && sh examples/cancer/deploy.sh
# MODEL (default model:latest) picks another version; LODE the lode command; LODE_PYTHON the workers' Python.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
lode=${LODE:-"node $here/../../bin/run.js"}
model=${MODEL:-model:latest}
log=$(mktemp)
server=
cleanup() {
  if [ -n "$server" ]; then
    kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null
    cat "$log" >&2
    server=
  fi
  rm -f "$log"
}
trap cleanup EXIT INT TERM

$lode serve "$model" --project "$here" --name cancer --port 0 --workers 1 2>"$log" &
server=$!
url=
tries=0
while [ -z "$url" ]; do
  if ! kill -0 "$server" 2>/dev/null; then cat "$log" >&2; server=; exit 1; fi
  tries=$((tries + 1))
  [ "$tries" -le 600 ] || { echo "lode serve did not start within 60 s" >&2; cat "$log" >&2; exit 1; }
  url=$(sed -n 's|.* at \(http://[^ ]*/v2/models/cancer\)$|\1|p' "$log")
  [ -n "$url" ] || sleep 0.1
done

# One row of the test set the train step held out, with the features in the order the model names them.
$lode artifacts get test_set:latest --preview 1 --json --project "$here" | node -e '
const url = process.argv[1]
let text = ""
process.stdin.on("data", (c) => (text += c)).on("end", async () => {
  const {columns, rows} = JSON.parse(text).data
  const meta = await (await fetch(url)).json()
  const features = meta.parameters.feature_names ?? columns.filter((c) => c !== "label")
  const row = features.map((f) => rows[0][columns.indexOf(f)])
  const body = {inputs: [{name: "input-0", shape: [1, row.length], datatype: "FP64", data: row}], outputs: [{name: "predict"}, {name: "predict_proba"}]}
  const res = await fetch(`${url}/infer`, {method: "POST", headers: {"content-type": "application/json"}, body: JSON.stringify(body)})
  const answer = await res.json()
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${answer.error}`)
  const label = columns.includes("label") ? rows[0][columns.indexOf("label")] : "?"
  console.log(`POST ${url}/infer (one row, ${row.length} features): predict=${answer.outputs[0].data[0]} proba=${JSON.stringify(answer.outputs[1].data)} (its label: ${label})`)
})
' "$url"
