#!/usr/bin/env bash
# Acceptance of the foundation on real data: `npm run analyze` on the HG002
# BAM of ../shared/data against a running `npm start` stack; its VCF must
# pass `bcftools view` and the API must list the sample as completed. First,
# an analyze killed while it runs must stop the local stack it started.
set -euo pipefail
cd "$(dirname "$0")/.."
BAM=../shared/data/smoove-hg002-grch37-chr1-3mb/NA24385_chr1.bam
[ -f "$BAM" ] || { echo "acceptance: $BAM is missing (../shared/data not beside the checkout)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A killed `npm run analyze` stops the local stack it started: left running, its Azurite and Cosmos API
# server would hold their ports against the next run ("port 8081 ... is already in use").
members() { # processes of process group $1, from /proc (field 5 of stat)
  for s in /proc/[0-9]*/stat; do awk -v g="$1" '$5 == g { print $1 }' "$s" 2>/dev/null; done
}
LAG_DATA_DIR="$work/killed" PORT=0 LAG_NO_EXAMPLE=1 setsid node dist/functions/local/analyze.js "$BAM" >"$work/killed.log" 2>&1 &
analyze=$!
for _ in $(seq 1 240); do grep -q '^uploading' "$work/killed.log" && break; kill -0 "$analyze" 2>/dev/null || break; sleep 0.25; done
grep -q '^uploading' "$work/killed.log" || { cat "$work/killed.log"; echo "acceptance: analyze did not start its stack" >&2; exit 1; }
kill -TERM "$analyze"
wait "$analyze" || true
for _ in $(seq 1 40); do [ -z "$(members "$analyze")" ] && break; sleep 0.25; done
if [ -n "$(members "$analyze")" ]; then
  ps -o pid,args -p "$(members "$analyze" | paste -sd,)" || true
  kill $(members "$analyze") 2>/dev/null || true
  echo "acceptance: processes of a killed analyze outlived it" >&2; exit 1
fi
grep -q 'SIGTERM: stopping the local stack it started' "$work/killed.log" || { cat "$work/killed.log"; echo "acceptance: analyze did not say it stopped its stack" >&2; exit 1; }
echo "acceptance: a killed analyze stopped the stack it started"

export LAG_DATA_DIR="$work/lag" PORT="${ACCEPTANCE_PORT:-7071}" LAG_NO_EXAMPLE=1
node dist/functions/local/start.js >"$work/stack.log" 2>&1 &
stack=$!
cleanup() { kill "$stack" 2>/dev/null || true; wait "$stack" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null && break
  kill -0 "$stack" 2>/dev/null || { cat "$work/stack.log"; echo "acceptance: the stack died" >&2; exit 1; }
  sleep 0.5
done

npm run --silent analyze -- "$BAM" --out "$work/out"
vcf="$work/out/NA24385_chr1.vcf.gz"
bcftools view "$vcf" >/dev/null
echo "acceptance: bcftools view reads $(bcftools view -H "$vcf" | wc -l) records of $vcf"
status=$(curl -sf "http://127.0.0.1:$PORT/api/samples" | node -e '
  let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const x = JSON.parse(s).samples.find((p) => p.sampleId === "NA24385_chr1");
    console.log(x ? x.status : "absent");
  });')
[ "$status" = completed ] || { echo "acceptance: the API lists NA24385_chr1 as $status" >&2; exit 1; }
echo "acceptance: the API lists NA24385_chr1 as completed"
