#!/bin/bash
# Does the store file grow on re-extract? File size after a first extract and two full
# re-extracts of the first N generated articles (gazetteer extractor).
#   bench/reextract_size.sh [N=2000] [DIR=/tmp/reextract]
set -e
cd "$(dirname "$0")/.."
export PYTHONPATH=$PWD TIMELINE_EXTRACTOR=gazetteer
N=${1:-2000}
DIR=${2:-/tmp/reextract}
mkdir -p "$DIR"
DB=$DIR/r$N.duckdb
rm -f "$DB" "$DB.wal"
.venv/bin/python -c "
import sys; sys.path.insert(0, 'bench')
from generate import generate_articles, write_jsonl
from pathlib import Path
write_jsonl(generate_articles($N), Path('$DIR/a$N.jsonl'))"
.venv/bin/python -m timeline ingest "$DIR/a$N.jsonl" --db "$DB" > /dev/null
for step in first full full; do
  flag=""; [ $step = full ] && flag="--full"
  /usr/bin/time -f "%e s wall, %U+%S CPU s, %M KB" .venv/bin/python -m timeline extract --db "$DB" $flag 2>&1 | tail -1
  echo "after the $step extract: $(stat -c %s "$DB") bytes, wal: $(stat -c %s "$DB.wal" 2>/dev/null || echo none)"
done
