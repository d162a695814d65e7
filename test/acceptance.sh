#!/usr/bin/env bash
# Acceptance of the foundation on real data: `npm run analyze` on the HG002
# BAM of ../shared/data against a running `npm start` stack; its VCF must
# pass `bcftools view` and the API must list the sample as completed.
set -euo pipefail
cd "$(dirname "$0")/.."
BAM=../shared/data/smoove-hg002-grch37-chr1-3mb/NA24385_chr1.bam
[ -f "$BAM" ] || { echo "acceptance: $BAM is missing (../shared/data not beside the checkout)" >&2; exit 1; }

work=$(mktemp -d)
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
