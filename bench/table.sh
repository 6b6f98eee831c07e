#!/usr/bin/env bash
# Renders run.sh's results.tsv (side, workload, value, unit) as one Markdown table: ours, reference, ratio, conditions.
# The reference of a workload is Apache Kafka's figure when there is one, else the Postgres floor's.
awk -F'\t' '
  { key = $2; if (!(key in seen)) { seen[key] = 1; order[++n] = key } val[$1 "|" key] = $3; has[$1 "|" key] = 1 }
  function num(x) { return x ~ /^[0-9.]+$/ }
  END {
    printf "| %s | %s | %s | %s | %s |\n", "workload", "ours", "reference", "ratio", "conditions"
    printf "|---|---:|---:|---:|---|\n"
    for (i = 1; i <= n; i++) {
      k = order[i]; o = val["queen|" k]; r = ""; c = "ours only"
      if (("kafka|" k) in has) { r = val["kafka|" k]; c = "ref: Apache Kafka 4.1.1, same tool and args" }
      else if (("floor|" k) in has) { r = val["floor|" k]; c = "ref: Postgres floor (bare loop, same driver, no broker)" }
      ratio = (num(o) && num(r) && r + 0 > 0) ? sprintf("%.3f", o / r) : "-"
      printf "| %s | %s | %s | %s | %s |\n", k, (o == "" ? "-" : o), (r == "" ? "-" : r), ratio, c
    }
  }' "$1"
